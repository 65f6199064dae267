package loyalty_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walkingStore hides the memory store's DueFinder: Expire over it walks
// every account, as it does on a store without the index.
type walkingStore struct{ loyalty.Store }

// TestExpireByDueIndexMatchesTheWalk runs the same members' facts into two
// services, one over the memory store's due index and one walking every
// account, and the same expiry runs over both: every run expires the same
// points of the same members and announces the same lapses, balances stay
// equal, and the indexed run looks at no account with nothing due.
func TestExpireByDueIndexMatchesTheWalk(t *testing.T) {
	for _, notice := range []time.Duration{-1, 14 * 24 * time.Hour} {
		t.Run(fmt.Sprint("notice=", notice), func(t *testing.T) {
			seed := uint64(time.Now().UnixNano())
			if v := os.Getenv("DUE_SEED"); v != "" {
				var err error
				seed, err = strconv.ParseUint(v, 10, 64)
				require.NoError(t, err)
			}
			t.Logf("seed %d (DUE_SEED replays it)", seed)
			rng := rand.New(rand.NewPCG(seed, 3))
			s := newShop(t, nil) // its service is the indexed one
			walk, err := loyalty.NewService(s.program, walkingStore{loyalty.NewMemoryStore()}, s.customers,
				&loyalty.Options{Clock: s.clock.Now, ExpiryNotice: notice})
			require.NoError(t, err)
			s.loyalty, err = loyalty.NewService(s.program, loyalty.NewMemoryStore(), s.customers,
				&loyalty.Options{Clock: s.clock.Now, ExpiryNotice: notice})
			require.NoError(t, err)
			services := []*loyalty.Service{s.loyalty, walk}
			ctx := context.Background()
			start := at(2026, 3, 1, 9, 0)
			var members []string
			accounts := 0 // members with a fact: the others have no account
			for i := range 30 {
				m := s.member(t, fmt.Sprint("member ", i), customer.Birthday{})
				members = append(members, m.ID)
				purchases, adjustments := rng.IntN(4), rng.IntN(3)
				if purchases+adjustments > 0 {
					accounts++
				}
				for k := range purchases {
					when := start.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
					p := s.record(t, fmt.Sprintf("p%d-%d", i, k), m.ID, when, line("TEA", "tea", 1+rng.Int64N(3), "25.00"))
					for _, svc := range services {
						_, err := svc.Earn(ctx, p)
						require.NoError(t, err)
					}
				}
				for k := range adjustments {
					adj := loyalty.AdjustRequest{ID: fmt.Sprintf("a%d-%d", i, k), MemberID: m.ID, Points: 1 + rng.Int64N(50),
						Reason: "test", Actor: "test", At: start,
						ExpiresAt: start.Add(time.Duration(1+rng.IntN(90*24)) * time.Hour)}
					for _, svc := range services {
						_, err := svc.Adjust(ctx, adj)
						require.NoError(t, err)
					}
				}
			}
			for now := start; now.Before(start.AddDate(3, 0, 0)); now = now.Add(time.Duration(1+rng.IntN(40*24)) * time.Hour) {
				indexed, err := s.loyalty.Expire(ctx, now, "")
				require.NoError(t, err)
				walked, err := walk.Expire(ctx, now, "")
				require.NoError(t, err)
				assert.Equal(t, walked.Points, indexed.Points, "points expired at %s", now)
				assert.Equal(t, walked.Changed, indexed.Changed, "accounts changed at %s", now)
				assert.Equal(t, walked.Events, indexed.Events, "events at %s", now)
				assert.Equal(t, accounts, walked.Accounts)
				assert.LessOrEqual(t, indexed.Accounts, walked.Accounts)
				if walked.Changed == 0 && len(walked.Events) == 0 {
					assert.Zero(t, indexed.Accounts, "nothing due at %s, nothing looked at", now)
				}
			}
			for _, id := range members {
				a, errA := s.loyalty.Balance(ctx, id)
				b, errB := walk.Balance(ctx, id)
				assert.Equal(t, errB, errA, id)
				assert.Equal(t, b, a, id)
			}
		})
	}
}
