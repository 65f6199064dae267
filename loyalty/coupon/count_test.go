package coupon_test

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"testing"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// counting counts the store methods called.
type counting struct {
	*coupon.MemoryStore
	mu    sync.Mutex
	calls map[string]int
}

func (c *counting) count(m string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[m]++
}

func (c *counting) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = map[string]int{}
	return out
}

func (c *counting) GetCode(ctx context.Context, code string) (coupon.Code, error) {
	c.count("GetCode")
	return c.MemoryStore.GetCode(ctx, code)
}

func (c *counting) GetUses(ctx context.Context, code, customer string) (coupon.Uses, error) {
	c.count("GetUses")
	return c.MemoryStore.GetUses(ctx, code, customer)
}

func (c *counting) GetRedemption(ctx context.Context, id string) (coupon.Redemption, error) {
	c.count("GetRedemption")
	return c.MemoryStore.GetRedemption(ctx, id)
}

func (c *counting) GetOperation(ctx context.Context, key string) (coupon.Operation, error) {
	c.count("GetOperation")
	return c.MemoryStore.GetOperation(ctx, key)
}

func (c *counting) GetDefinition(ctx context.Context, id string) (coupon.Definition, error) {
	c.count("GetDefinition")
	return c.MemoryStore.GetDefinition(ctx, id)
}

func (c *counting) Save(ctx context.Context, w coupon.Write) error {
	c.count("Save")
	return c.MemoryStore.Save(ctx, w)
}

func (c *counting) Codes(ctx context.Context, def string) iter.Seq2[coupon.Code, error] {
	c.count("Codes")
	return c.MemoryStore.Codes(ctx, def)
}

// An operation costs what it touches: presenting, holding and committing
// a code read the same records after 5 or 500 earlier uses of it by the
// same customer among 5 or 5,000 codes, and never list codes.
func TestRedemptionCostsWhatItTouches(t *testing.T) {
	ctx := t.Context()
	reads := func(codes, uses int) []map[string]int {
		store := &counting{MemoryStore: coupon.NewMemoryStore(), calls: map[string]int{}}
		s := coupon.NewService(store, nil)
		require.NoError(t, s.Define(ctx, def("D1", 1_000_000, 1_000_000)))
		var all []string
		for i := 0; i < codes; i += coupon.MaxBatch {
			got, err := s.Generate(ctx, coupon.GenerateRequest{ID: fmt.Sprint("G", i), Definition: "D1", Count: min(codes-i, coupon.MaxBatch), At: at})
			require.NoError(t, err)
			all = append(all, got...)
		}
		for i := range uses {
			_, err := s.Hold(ctx, coupon.HoldRequest{ID: fmt.Sprint("old", i), Code: all[0], Customer: "M1", At: at})
			require.NoError(t, err)
			_, err = s.Commit(ctx, fmt.Sprint("old", i), "P", at)
			require.NoError(t, err)
		}
		store.reset()
		var out []map[string]int
		_, err := s.Present(ctx, all[0], "M1", at)
		require.NoError(t, err)
		out = append(out, store.reset())
		_, err = s.Hold(ctx, coupon.HoldRequest{ID: "new", Code: all[0], Customer: "M1", At: at})
		require.NoError(t, err)
		out = append(out, store.reset())
		_, err = s.Commit(ctx, "new", "P", at)
		require.NoError(t, err)
		out = append(out, store.reset())
		return out
	}
	small, large := reads(5, 5), reads(5000, 500)
	assert.Equal(t, small, large)
	for _, op := range large {
		assert.Zero(t, op["Codes"], "an operation listed codes")
		assert.LessOrEqual(t, op["GetCode"]+op["GetUses"]+op["GetRedemption"]+op["GetOperation"]+op["GetDefinition"], 5)
	}
}
