package loyaltytest_test

import (
	"context"
	"encoding/json"
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
		require.NoError(t, s.Save(ctx, write(t, acct, entries)))
		acct.Points = acct.Points.Clean()
		all = append(all, entries...)
	}
	return s, all
}

// write is the write of acct's changes and entries, as the service saves
// it: the lots the ledger changed, and its operations as records.
func write(t *testing.T, acct loyalty.Account, entries []ledger.Entry) loyalty.Write {
	t.Helper()
	lots, ops := acct.Points.Changes()
	w := loyalty.Write{Account: acct, Entries: entries, Lots: lots}
	for _, op := range ops {
		data, err := json.Marshal(op)
		require.NoError(t, err)
		w.Records = append(w.Records, loyalty.Record{Kind: loyalty.RecordOperation, Key: ledger.OperationKey(op.Kind, op.ID), Data: data})
	}
	return w
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
	extra   []ledger.Entry              // entries to yield after the stored ones
	lot     func(ledger.Lot) ledger.Lot // the lot AllLots yields instead
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
		for _, e := range s.extra {
			if e.Seq > after && !yield(e, nil) {
				return
			}
		}
	}
}

func (s tampered) AllLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	return func(yield func(ledger.Lot, error) bool) {
		for l, err := range s.Store.AllLots(ctx, id) {
			if err == nil && s.lot != nil {
				l = s.lot(l)
			}
			if !yield(l, err) {
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
				h := a.Points.Header()
				h.Seq++
				if pts, err := ledger.FromHeader(h); err == nil {
					a.Points = pts
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
	s, written := seeded(t)
	last := written[len(written)-1]
	later := tampered{Store: s, extra: []ledger.Entry{{ID: "later", Seq: last.Seq + 1, Kind: ledger.KindRedeem, Points: -10, Time: last.Time.Add(time.Hour)}}}
	seen, err := loyaltytest.CheckInvariants(t.Context(), later, "M00001", nil)
	require.NoError(t, err)
	assert.Len(t, seen, len(written))
}

// TestCheckInvariantsCatchesHeaderLotsDisagreement: a store whose header's
// running sums differ from its lots (a write torn between them) fails
// with loyalty.ErrInconsistent.
func TestCheckInvariantsCatchesHeaderLotsDisagreement(t *testing.T) {
	s, _ := seeded(t)
	ctx := t.Context()
	tests := map[string]func(ledger.Lot) ledger.Lot{
		"LotRemainingHigher": func(l ledger.Lot) ledger.Lot {
			if l.Remaining < l.Amount {
				l.Remaining++
			}
			return l
		},
		"LotUnreleased": func(l ledger.Lot) ledger.Lot {
			l.Released = false
			l.PendingUntil = l.EarnedAt.Add(time.Hour)
			return l
		},
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := loyaltytest.CheckInvariants(ctx, tampered{Store: s, lot: change}, "M00001", nil)
			require.ErrorIs(t, err, loyalty.ErrInconsistent)
		})
	}
}

// TestCheckInvariantsRereadsWhileWritesLand: a write landing between the
// header and the lots is not a disagreement of the store's.
func TestCheckInvariantsRereadsWhileWritesLand(t *testing.T) {
	s, _ := seeded(t)
	ctx := t.Context()
	racing := &writeBetween{Store: s, t: t}
	_, err := loyaltytest.CheckInvariants(ctx, racing, "M00001", nil)
	require.NoError(t, err)
	assert.Equal(t, 1, racing.writes, "the fixture lands one write between a header and its lots")
}

// writeBetween earns on the account the first time its lots are read,
// after its header was: the reader sees a header older than the lots.
type writeBetween struct {
	loyalty.Store
	t      *testing.T
	writes int
}

func (s *writeBetween) AllLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	if s.writes == 0 {
		s.writes++
		acct, err := s.GetAccount(ctx, id)
		require.NoError(s.t, err)
		pts, entries, err := acct.Points.Earn("lot-late", 5, day0.Add(6*time.Hour), time.Time{}, time.Time{}, "order-late")
		require.NoError(s.t, err)
		acct.Points, acct.Version = pts, acct.Version+1
		require.NoError(s.t, s.Save(ctx, write(s.t, acct, entries)))
	}
	return s.Store.AllLots(ctx, id)
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
