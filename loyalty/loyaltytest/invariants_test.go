package loyaltytest_test

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day0 = time.Date(2026, time.May, 4, 10, 30, 0, 0, time.FixedZone("UTC+8", 8*60*60))

// seeded returns a memory store holding one member's account after an
// earn, a redemption and a clawback, saved as the service saves them, and
// the entries written.
func seeded(t *testing.T) (loyalty.Store, []ledger.Entry) {
	t.Helper()
	ctx := t.Context()
	s := loyalty.NewMemoryStore()
	pts, err := ledger.New("M00001")
	require.NoError(t, err)
	acct := loyalty.Account{MemberID: "M00001", Points: pts}
	var all []ledger.Entry
	steps := []func(ledger.Account) (ledger.Account, []ledger.Entry, error){
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.Earn("lot-1", 200, day0, time.Time{}, day0.AddDate(1, 0, 0), "order-1")
		},
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.Earn("lot-2", 50, day0.Add(time.Hour), time.Time{}, time.Time{}, "order-2")
		},
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.Redeem("redeem-1", 120, day0.Add(2*time.Hour))
		},
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.ClawBack("return-1", "order-2", 50, day0.Add(3*time.Hour), ledger.AllowDebt)
		},
	}
	for _, step := range steps {
		next, entries, err := step(acct.Points)
		require.NoError(t, err)
		acct.Points, acct.Version = next, acct.Version+1
		require.NoError(t, s.Save(ctx, loyalty.Write{Account: acct, Entries: entries}))
		all = append(all, entries...)
	}
	return s, all
}

func TestCheckInvariantsPassesAConsistentStore(t *testing.T) {
	s, written := seeded(t)
	seen, err := loyaltytest.CheckInvariants(t.Context(), s, "M00001", nil)
	require.NoError(t, err)
	require.Len(t, seen, len(written))
	for i := range written {
		assert.True(t, written[i].Equal(seen[i]), "entry %d", i+1)
	}
	// Passing what it returned back in: nothing changed, still fine.
	again, err := loyaltytest.CheckInvariants(t.Context(), s, "M00001", seen)
	require.NoError(t, err)
	assert.Len(t, again, len(written))
}

// tampered wraps a store and rewrites, drops or fails entries on the way
// out, or serves an account other than the stored one.
type tampered struct {
	loyalty.Store
	entry   func(ledger.Entry) (ledger.Entry, bool) // the entry to yield, or false to drop it
	failAt  int64                                   // yield an error instead of this Seq
	account func(loyalty.Account) loyalty.Account
}

var errDisk = errors.New("disk on fire")

func (s tampered) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return func(yield func(ledger.Entry, error) bool) {
		for e, err := range s.Store.Entries(ctx, id, after) {
			if err == nil && s.failAt != 0 && e.Seq == s.failAt {
				yield(ledger.Entry{}, errDisk)
				return
			}
			keep := true
			if err == nil && s.entry != nil {
				e, keep = s.entry(e)
			}
			if keep && !yield(e, err) {
				return
			}
		}
	}
}

func (s tampered) GetAccount(ctx context.Context, id string) (loyalty.Account, error) {
	a, err := s.Store.GetAccount(ctx, id)
	if err == nil && s.account != nil {
		a = s.account(a)
	}
	return a, err
}

func TestCheckInvariantsCatchesTampering(t *testing.T) {
	tests := []struct {
		name  string
		store func(loyalty.Store) loyalty.Store
	}{
		{"EntryPointsRewritten", func(s loyalty.Store) loyalty.Store {
			return tampered{Store: s, entry: func(e ledger.Entry) (ledger.Entry, bool) {
				if e.Seq == 2 {
					e.Points += 10
				}
				return e, true
			}}
		}},
		{"DrawRewritten", func(s loyalty.Store) loyalty.Store {
			return tampered{Store: s, entry: func(e ledger.Entry) (ledger.Entry, bool) {
				if e.Seq == 3 {
					e.Draws = append([]ledger.Draw(nil), e.Draws...)
					e.Draws[0].LotID = "lot-9"
				}
				return e, true
			}}
		}},
		{"EntryDropped", func(s loyalty.Store) loyalty.Store {
			return tampered{Store: s, entry: func(e ledger.Entry) (ledger.Entry, bool) { return e, e.Seq != 2 }}
		}},
		{"LastEntryDropped", func(s loyalty.Store) loyalty.Store {
			return tampered{Store: s, entry: func(e ledger.Entry) (ledger.Entry, bool) { return e, e.Seq < 4 }}
		}},
		{"VersionZero", func(s loyalty.Store) loyalty.Store {
			return tampered{Store: s, account: func(a loyalty.Account) loyalty.Account { a.Version = 0; return a }}
		}},
		{"LedgerAheadOfEntries", func(s loyalty.Store) loyalty.Store {
			// The ledger claims an entry the store does not hold.
			return tampered{Store: s, account: func(a loyalty.Account) loyalty.Account {
				old, _, err := a.Points.Redeem("redeem-x", 1, day0.Add(4*time.Hour))
				if err == nil {
					a.Points = old
				}
				return a
			}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := seeded(t)
			_, err := loyaltytest.CheckInvariants(t.Context(), tt.store(s), "M00001", nil)
			require.Error(t, err)
		})
	}
}

func TestCheckInvariantsRejectsStructuralDamageAsInvariant(t *testing.T) {
	s, _ := seeded(t)
	bad := tampered{Store: s, entry: func(e ledger.Entry) (ledger.Entry, bool) {
		if e.Seq == 1 {
			e.Points--
		}
		return e, true
	}}
	_, err := loyaltytest.CheckInvariants(t.Context(), bad, "M00001", nil)
	assert.ErrorIs(t, err, ledger.ErrInvariant)
}

// TestCheckInvariantsCatchesAChangedEntry: an entry changed between two
// checks in a way its own sums do not show (its reason) is caught by the
// comparison with what the first check saw.
func TestCheckInvariantsCatchesAChangedEntry(t *testing.T) {
	s, _ := seeded(t)
	seen, err := loyaltytest.CheckInvariants(t.Context(), s, "M00001", nil)
	require.NoError(t, err)
	changed := tampered{Store: s, entry: func(e ledger.Entry) (ledger.Entry, bool) {
		if e.Seq == 1 {
			e.Reason = "edited"
		}
		return e, true
	}}
	_, err = loyaltytest.CheckInvariants(t.Context(), changed, "M00001", nil)
	require.NoError(t, err, "on its own the history still adds up")
	_, err = loyaltytest.CheckInvariants(t.Context(), changed, "M00001", seen)
	assert.ErrorIs(t, err, ledger.ErrInvariant)
}

// TestCheckInvariantsIgnoresLaterEntries: entries past the account's
// sequence belong to a write that landed after the account was read.
func TestCheckInvariantsIgnoresLaterEntries(t *testing.T) {
	s, _ := seeded(t)
	ctx := t.Context()
	stale, err := s.GetAccount(ctx, "M00001")
	require.NoError(t, err)
	next := stale.Clone()
	pts, entries, err := next.Points.Redeem("redeem-2", 10, day0.Add(5*time.Hour))
	require.NoError(t, err)
	next.Points, next.Version = pts, next.Version+1
	require.NoError(t, s.Save(ctx, loyalty.Write{Account: next, Entries: entries}))

	readEarlier := tampered{Store: s, account: func(loyalty.Account) loyalty.Account { return stale }}
	seen, err := loyaltytest.CheckInvariants(ctx, readEarlier, "M00001", nil)
	require.NoError(t, err)
	assert.Len(t, seen, int(stale.Points.Seq()))
}

func TestCheckInvariantsPassesStoreErrorsOn(t *testing.T) {
	s, _ := seeded(t)
	ctx := t.Context()
	_, err := loyaltytest.CheckInvariants(ctx, s, "M00002", nil)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	_, err = loyaltytest.CheckInvariants(ctx, tampered{Store: s, failAt: 3}, "M00001", nil)
	assert.ErrorIs(t, err, errDisk)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = loyaltytest.CheckInvariants(cancelled, s, "M00001", nil)
	assert.ErrorIs(t, err, context.Canceled)
}
