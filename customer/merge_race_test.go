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
		errs := raceMerges(shop, [][2]string{{a.ID, b.ID}, {b.ID, a.ID}})
		assert.False(t, errs[0] == nil && errs[1] == nil, "both opposite merges won")
		for _, id := range []string{a.ID, b.ID} {
			_, err := shop.Get(ctx, id)
			require.NoError(t, err, "every ID still resolves")
		}
	}
}

// However the opposite race ends, a loser is never stuck: each of the two
// customers that is not merged can be merged into a third one, every
// attempt but a duplicate's last is on record as abandoned, and the
// abandoned ones merged nothing.
func TestRaceLoserCanMergeElsewhere(t *testing.T) {
	ctx := context.Background()
	for range 50 {
		shop := customer.NewService(customer.NewMemoryStore(), nil)
		a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"})
		b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}, Email: "b@example.com"})
		c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "C"}, MemberNumber: "M-3"})
		errs := raceMerges(shop, [][2]string{{a.ID, b.ID}, {b.ID, a.ID}})
		for i, dup := range []string{b.ID, a.ID} {
			ms, err := shop.Store().MergeAttempts(ctx, dup)
			require.NoError(t, err)
			if errs[i] == nil {
				require.NotEmpty(t, ms)
				assert.False(t, ms[len(ms)-1].Abandoned(), "the winner's record is in force")
			}
			for _, m := range ms[:max(len(ms)-1, 0)] {
				assert.True(t, m.Abandoned(), "an earlier attempt of %s is still in force", dup)
			}
		}
		for _, id := range []string{a.ID, b.ID} {
			stored, err := shop.Store().GetCustomer(ctx, id)
			require.NoError(t, err)
			if stored.MergedInto != "" {
				continue
			}
			_, err = shop.Merge(ctx, c.ID, id, customer.MergeRequest{Actor: "t"})
			require.NoError(t, err, "the race left %s unmergeable", id)
		}
		for _, id := range []string{a.ID, b.ID} {
			got, err := shop.Get(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, c.ID, got.ID)
		}
		for _, identity := range []struct {
			kind customer.IdentityKind
			raw  string
		}{{customer.IdentityPhone, "13800138000"}, {customer.IdentityEmail, "b@example.com"}} {
			got, err := shop.FindByIdentity(ctx, identity.kind, identity.raw)
			require.NoError(t, err, "an identity was lost in the race")
			assert.Equal(t, c.ID, got.ID)
		}
	}
}

// raceMerges runs one merge per pair (survivor, duplicate) at once and
// returns their errors.
func raceMerges(shop *customer.Service, pairs [][2]string) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(pairs))
	for i, pair := range pairs {
		wg.Go(func() {
			_, errs[i] = shop.Merge(context.Background(), pair[0], pair[1], customer.MergeRequest{Actor: "t"})
		})
	}
	wg.Wait()
	return errs
}
