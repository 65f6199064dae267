package ledger

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An Account value may be shared by goroutines: each derives its own result
// from it and the shared value never changes (run with -race).
func TestSharedValueIsSafe(t *testing.T) {
	b := newBook(t, "m1")
	for i := range 50 {
		b.do(b.acct.Earn(fmt.Sprintf("L%d", i), 10, day(0), time.Time{}, day(10+i), "P"))
	}
	shared := b.acct
	want := describe(shared, true)
	var wg sync.WaitGroup
	results := make([]Account, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := shared
			for i := range 20 {
				next, _, err := a.Redeem(fmt.Sprintf("R%d-%d", g, i), 7, day(1))
				if err != nil {
					return
				}
				a = next
			}
			results[g] = a
		}()
	}
	wg.Wait()
	assert.Equal(t, want, describe(shared, true))
	for _, r := range results {
		require.Equal(t, shared.Version()+20, r.Version())
		assert.Equal(t, int64(500-140), r.Available(day(1)), "each branch spent its own 140 of the same 500")
	}
}
