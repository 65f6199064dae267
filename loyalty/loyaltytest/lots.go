package loyaltytest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lotRules() []rule {
	return []rule{
		{"Lots", "InTheOrderOfIDsSkippingMissing", lotsByID},
		{"Lots", "UnknownMemberIsEmpty", lotsUnknown},
		{"SpendingLots", "SpendingOrder", spendingOrder},
		{"SpendingLots", "OnlyOpenLots", spendingOpenOnly},
		{"SpendingLots", "SpentLotLeaves", spendingSpentLeaves},
		{"SpendingLots", "UnknownMemberIsEmpty", spendingUnknown},
		{"PendingLots", "UnreleasedDueByThroughInOrder", pendingDue},
		{"AllLots", "EveryLotByIDClosedIncluded", allLotsByID},
	}
}

// orderIDs sort differently under a collation, a case-insensitive or a
// Unicode-aware order than byte-wise, as Go compares strings and
// ledger.SpendingOrder breaks ties.
var orderIDs = []string{"a-1", "a_1", "B", "b", "\u00e9", "e", "a-10", "a-9", "A", "_"}

// lotsSeed is a member with lots of every kind: open, pending, held, spent
// to nothing, never expiring.
func lotsSeed(t *testing.T, s loyalty.Store) *member {
	t.Helper()
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	m.save(t, s, m.next(t, "earn:more", chain(
		earnLot("lot-4", 5, at(day), time.Time{}, at(2*day)),
		redeem("redeem-5", 5, at(day+time.Minute)), // spends lot-4 to nothing
		earnLot("lot-5", 7, at(day), time.Time{}, time.Time{}),
		earnLot("lot-6", 9, at(day), time.Time{}, at(2*day)),
	)))
	// lot-6 lapses: a store keeps what expired and when (Lot.Lapsed,
	// LapsedAt), which a return synced after the run claws back.
	m.save(t, s, m.next(t, "expire:lot-6", func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.Expire(at(3 * day))
	}))
	require.Equal(t, int64(9), m.lots["lot-6"].Lapsed, "the fixture's lapsed lot")
	return m
}

func lotsByID(t *testing.T, s loyalty.Store) {
	m := lotsSeed(t, s)
	ids := []string{"lot-5", "missing", "lot-1", "goodwill-1", "lot-4", "LOT-1", "lot-2", "lot-6"}
	got, err := s.Lots(t.Context(), "M00001", ids)
	require.NoError(t, err)
	var want []ledger.Lot
	for _, id := range ids {
		if l, ok := m.lots[id]; ok {
			want = append(want, l)
		}
	}
	require.Len(t, want, 6, "the fixture's lots")
	assertLots(t, want, got, "Lots")
	got, err = s.Lots(t.Context(), "M00001", nil)
	require.NoError(t, err)
	assert.Empty(t, got, "no IDs")
}

func lotsUnknown(t *testing.T, s loyalty.Store) {
	lotsSeed(t, s)
	got, err := s.Lots(t.Context(), "M00002", []string{"lot-1"})
	require.NoError(t, err, "a member without an account has no lots")
	assert.Empty(t, got)
}

// spendingSeed earns lots whose spending order depends on every key:
// expiry (zero last), then earn time, then ID in byte order.
func spendingSeed(t *testing.T, s loyalty.Store) *member {
	t.Helper()
	m := newMember(t, "M00001")
	var ops []ledgerOp
	for i, id := range shuffled(orderIDs) {
		// Same expiry and earn time: only the ID orders these.
		ops = append(ops, earnLot("tie-"+id, int64(1+i), at(0), time.Time{}, at(30*day)))
		// Never expiring, same earn time.
		ops = append(ops, earnLot("never-"+id, int64(1+i), at(time.Hour), time.Time{}, time.Time{}))
	}
	ops = append(ops,
		earnLot("z-soonest", 3, at(2*time.Hour), time.Time{}, at(5*day)),
		earnLot("y-same-expiry-earlier", 3, at(-time.Hour), time.Time{}, at(30*day)),
		earnLot("x-same-expiry-later", 3, at(time.Hour), time.Time{}, at(30*day)),
		earnLot("w-never-earlier", 3, at(-day), time.Time{}, time.Time{}),
		earnLot("v-later-expiry", 3, at(-2*day), time.Time{}, at(31*day)),
		// Expired but not yet expired by a run: still open, first.
		earnLot("u-overdue", 3, at(-40*day), time.Time{}, at(-day)),
		// Pending and held lots are open too.
		earnLot("t-pending", 3, at(0), at(14*day), at(30*day+time.Microsecond)),
	)
	m.save(t, s, m.next(t, "earn:seed", chain(ops...)))
	return m
}

// wantSpending is the member's open lots in spending order.
func (m *member) wantSpending() []ledger.Lot {
	var open []ledger.Lot
	for _, l := range m.lots {
		if l.Remaining > 0 {
			open = append(open, l)
		}
	}
	slices.SortFunc(open, ledger.SpendingOrder)
	return open
}

func spendingOrder(t *testing.T, s loyalty.Store) {
	m := spendingSeed(t, s)
	want := m.wantSpending()
	require.Equal(t, "u-overdue", want[0].ID)
	require.Equal(t, "w-never-earlier", want[len(want)-len(orderIDs)-1].ID)
	assertLots(t, want, kit.Collect(t, s.SpendingLots(t.Context(), "M00001")), "SpendingLots")
}

func spendingOpenOnly(t *testing.T, s loyalty.Store) {
	m := lotsSeed(t, s)
	want := m.wantSpending()
	require.Less(t, len(want), len(m.lots), "the fixture has closed lots")
	assertLots(t, want, kit.Collect(t, s.SpendingLots(t.Context(), "M00001")), "SpendingLots")
}

// spendingSpentLeaves spends lots to nothing one write at a time: each
// leaves SpendingLots (and stays in AllLots) as soon as its Remaining is 0.
func spendingSpentLeaves(t *testing.T, s loyalty.Store) {
	m := spendingSeed(t, s)
	ctx := t.Context()
	for i := range 4 {
		when := at(time.Duration(i+1) * time.Minute)
		// The first lot a redemption draws: overdue and pending lots are
		// skipped, though they come first in spending order.
		j := slices.IndexFunc(m.wantSpending(), func(l ledger.Lot) bool { return !l.ExpiredAt(when) && l.Free() > 0 })
		first := m.wantSpending()[j]
		m.save(t, s, m.next(t, "", redeem("spend-"+first.ID, first.Free(), when)))
		got := kit.Collect(t, s.SpendingLots(ctx, "M00001"))
		assertLots(t, m.wantSpending(), got, "SpendingLots")
		assert.NotContains(t, lotIDs(got), first.ID)
	}
	assertStored(t, s, m)
	require.NoError(t, invariantsHold(t, s, "M00001"))
}

func spendingUnknown(t *testing.T, s loyalty.Store) {
	assert.Empty(t, kit.Collect(t, s.SpendingLots(t.Context(), "M00001")), "empty store")
	lotsSeed(t, s)
	assert.Empty(t, kit.Collect(t, s.SpendingLots(t.Context(), "M00002")))
}

// pendingDue: PendingLots yields only unreleased lots with points left
// due at or before through, by PendingUntil then ID (byte order).
func pendingDue(t *testing.T, s loyalty.Store) {
	m := newMember(t, "M00001")
	due := at(14 * day)
	var ops []ledgerOp
	for i, id := range shuffled(orderIDs) {
		ops = append(ops, earnLot("p-"+id, int64(1+i), at(0), due, time.Time{}))
	}
	ops = append(ops,
		earnLot("z-earlier", 5, at(time.Hour), due.Add(-time.Microsecond), at(60*day)),
		earnLot("y-later", 5, at(0), due.Add(time.Microsecond), at(60*day)),
		earnLot("x-released", 5, at(0), at(time.Minute), at(60*day)),
		earnLot("w-at-once", 5, at(0), time.Time{}, at(60*day)),
		earnLot("v-clawed", 5, at(0), due.Add(-day), at(60*day)),
	)
	m.save(t, s, m.next(t, "earn:seed", chain(ops...)))
	m.save(t, s, m.next(t, "", chain(
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.Release("x-released", at(2*time.Minute))
		},
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.ClawBack("return-v", "order-v-clawed", 5, at(3*time.Minute), ledger.OnlyPending)
		},
	)))
	require.Zero(t, m.lots["v-clawed"].Remaining, "the fixture claws a pending lot back to nothing")
	wantThrough := func(through time.Time) []ledger.Lot {
		var out []ledger.Lot
		for _, l := range m.lots {
			if !l.Released && l.Remaining > 0 && !l.PendingUntil.After(through) {
				out = append(out, l)
			}
		}
		slices.SortFunc(out, func(a, b ledger.Lot) int {
			if c := a.PendingUntil.Compare(b.PendingUntil); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		return out
	}
	for _, through := range []time.Time{at(0), due.Add(-time.Microsecond), due, due.Add(time.Microsecond).In(chatham), at(365 * day)} {
		want := wantThrough(through)
		got := kit.Collect(t, s.PendingLots(t.Context(), "M00001", through))
		assertLots(t, want, got, "PendingLots through "+through.Format(time.RFC3339Nano))
	}
	assert.Len(t, wantThrough(due), len(orderIDs)+1, "the fixture's lots due at the boundary")
	assert.Empty(t, kit.Collect(t, s.PendingLots(t.Context(), "M00002", at(365*day))), "unknown member")
}

func allLotsByID(t *testing.T, s loyalty.Store) {
	m := lotsSeed(t, s)
	spendingSeedFor(t, s, m)
	got := kit.Collect(t, s.AllLots(t.Context(), "M00001"))
	assertLots(t, m.wantLots(), got, "AllLots")
	assert.Contains(t, lotIDs(got), "lot-4", "a lot spent to nothing")
	assert.Empty(t, kit.Collect(t, s.AllLots(t.Context(), "M00002")), "unknown member")
}

// spendingSeedFor adds the lots with order-sensitive IDs to m.
func spendingSeedFor(t *testing.T, s loyalty.Store, m *member) {
	t.Helper()
	var ops []ledgerOp
	for i, id := range shuffled(orderIDs) {
		ops = append(ops, earn(id, int64(1+i), at(time.Duration(i)*time.Minute)))
	}
	m.save(t, s, m.next(t, "", chain(ops...)))
}
