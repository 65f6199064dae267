package postgres_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/customer/customertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two lanes merge the same pair in opposite directions at once, through
// customer.Service on the PostgreSQL store: at most one wins, every
// attempt but a duplicate's last is on record as abandoned, and a customer
// left unmerged by the race can still be merged into a third one.
func TestOppositeMergesLeaveNoCustomerStuck(t *testing.T) {
	fresh := emptiedDB(t)
	ctx := t.Context()
	for range 10 {
		store := fresh(t).Customers()
		shop := customer.NewService(store, nil)
		ids := make([]string, 3)
		for i, r := range []customer.Registration{
			{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"},
			{Profile: customer.Profile{Name: "B"}, Email: "b@example.com"},
			{Profile: customer.Profile{Name: "C"}, MemberNumber: "M-3"},
		} {
			c, err := shop.Register(ctx, r)
			require.NoError(t, err)
			ids[i] = c.ID
		}
		a, b, c := ids[0], ids[1], ids[2]
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]string{{a, b}, {b, a}} {
			wg.Go(func() {
				_, errs[i] = shop.Merge(context.Background(), pair[0], pair[1], customer.MergeRequest{Actor: "lane"})
			})
		}
		wg.Wait()
		assert.False(t, errs[0] == nil && errs[1] == nil, "both opposite merges won")

		for _, id := range []string{a, b} {
			ms, err := store.MergeAttempts(ctx, id)
			require.NoError(t, err)
			for _, m := range ms[:max(len(ms)-1, 0)] {
				assert.True(t, m.Abandoned(), "an earlier attempt of %s is still in force", id)
			}
			stored, err := store.GetCustomer(ctx, id)
			require.NoError(t, err)
			if stored.MergedInto == "" {
				_, err = shop.Merge(ctx, c, id, customer.MergeRequest{Actor: "staff"})
				require.NoError(t, err, "the race left %s unmergeable", id)
			}
		}
		for _, id := range []string{a, b} {
			got, err := shop.Get(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, c, got.ID)
		}
		for _, id := range []struct {
			kind customer.IdentityKind
			raw  string
		}{{customer.IdentityPhone, "13800138000"}, {customer.IdentityEmail, "b@example.com"}} {
			got, err := shop.FindByIdentity(ctx, id.kind, id.raw)
			require.NoError(t, err, "an identity was lost in the race")
			assert.Equal(t, c, got.ID)
		}
	}
}

// modelSequencesEnv sizes TestIdentityModel: how many random sequences
// run against the server (default 10; CI keeps the default).
const modelSequencesEnv = "CLIENTELE_PG_MODEL_SEQUENCES"

// The customer identity model (customertest.Model) on the PostgreSQL
// store: racing, resumed and onward merges, identity changes and erasures
// from several lanes, each identity checked after every round. Each
// sequence starts from an emptied schema. The first seed is logged.
func TestIdentityModel(t *testing.T) {
	fresh := emptiedDB(t)
	opts := customertest.ModelOptions{Sequences: 10}
	if v := os.Getenv(modelSequencesEnv); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "%s must be a number", modelSequencesEnv)
		opts.Sequences = n
	}
	customertest.Model(t, func(t *testing.T) customer.Store { return fresh(t).Customers() }, opts)
}
