package customer_test

import (
	"context"
	"sync"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two cashiers merge the same pair in opposite directions at once: at most
// one merge wins, and the records never form a cycle.
func TestOppositeMergesNeverFormACycle(t *testing.T) {
	ctx := context.Background()
	for range 50 {
		shop := customer.NewService(customer.NewMemoryStore(), nil)
		a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"})
		b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}, Email: "b@example.com"})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]string{{a.ID, b.ID}, {b.ID, a.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = shop.Merge(ctx, pair[0], pair[1], customer.MergeRequest{Actor: "t"})
			}()
		}
		wg.Wait()
		assert.False(t, errs[0] == nil && errs[1] == nil, "both opposite merges won")
		for _, id := range []string{a.ID, b.ID} {
			_, err := shop.Get(ctx, id)
			require.NoError(t, err, "every ID still resolves")
		}
	}
}
