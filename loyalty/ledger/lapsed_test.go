package ledger

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A return dated before its purchase's points lapsed, applied after the
// expiry run, takes them from the lapsed lot (the expiry reversed by as
// much), not from the member's other lots; a return dated after the lapse
// finds them gone, as it would have in time.
func TestClawBackOfLapsedPoints(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, day(30), "P1"))
	b.do(b.acct.Earn("L2", 50, day(1), time.Time{}, time.Time{}, "P2"))
	b.do(b.acct.Expire(day(40)))
	require.Equal(t, Lot{ID: "L1", EarnEntry: b.lot("L1").EarnEntry, Origin: KindEarn, Source: "P1", Amount: 100,
		EarnedAt: day(0), Released: true, ExpiresAt: day(30), Lapsed: 100, LapsedAt: day(30)}, b.lot("L1"),
		"the lot keeps what lapsed and when: its expiry, not the run's time")

	got := b.do(b.acct.ClawBack("R1", "P1", 40, day(5), WithinBalance))
	require.Equal(t, []EntryKind{KindExpire, KindClawback}, kinds(got))
	assert.Equal(t, int64(40), got[0].Points, "the expiry reversed by the points the return takes")
	assert.Equal(t, []Draw{{LotID: "L1", Points: -40}}, got[1].Draws)
	assert.Equal(t, int64(50), b.acct.Available(day(41)), "the other lot is untouched")
	assert.Equal(t, int64(60), b.lot("L1").Lapsed)
	assert.Equal(t, int64(60), b.acct.Totals().Expired)
	assert.Equal(t, int64(40), b.acct.Totals().ClawedBack)

	got = b.do(b.acct.ClawBack("R2", "P1", 30, day(31), WithinBalance))
	require.Equal(t, []EntryKind{KindClawback}, kinds(got), "dated after the lapse: nothing to reverse")
	assert.Equal(t, []Draw{{LotID: "L2", Points: -30}}, got[0].Draws)
	assert.Equal(t, int64(60), b.lot("L1").Lapsed)

	got = b.do(b.acct.ClawBack("R3", "P1", 30, day(6), WithinBalance))
	assert.Equal(t, []Draw{{LotID: "L1", Points: -30}}, got[1].Draws)
	assert.Equal(t, int64(30), b.lot("L1").Lapsed)
	assert.Equal(t, int64(20), b.acct.Available(day(41)))
}

// Under OnlyPending a return takes only pending points: lapsed points
// count only if they lapsed while still pending.
func TestClawBackOfLapsedPointsOnlyPending(t *testing.T) {
	for _, released := range []bool{false, true} {
		b := newBook(t, "m1")
		b.do(b.acct.Earn("L1", 100, day(0), day(60), day(30), "P1"))
		if released {
			b.do(b.acct.Release("L1", day(2)))
		}
		b.do(b.acct.Expire(day(40)))
		got := b.do(b.acct.ClawBack("R1", "P1", 40, day(5), OnlyPending))
		want := int64(40)
		if released {
			want = 0
		}
		assert.Equal(t, want, -got[len(got)-1].Points, "released %v", released)
		assert.Equal(t, 100-want, b.lot("L1").Lapsed, "released %v", released)
	}
}

// Points an inactivity rule expired lapsed at its deadline: a return
// dated before it reclaims them from the lot.
func TestClawBackOfPointsLapsedForInactivity(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, time.Time{}, "P1"))
	b.do(b.acct.ExpireInactive(day(20)))
	assert.Equal(t, day(20), b.lot("L1").LapsedAt)
	got := b.do(b.acct.ClawBack("R1", "P1", 10, day(19), AllowDebt))
	assert.Zero(t, got[len(got)-1].Debt)
	got = b.do(b.acct.ClawBack("R2", "P1", 10, day(21), AllowDebt))
	assert.Equal(t, int64(10), got[len(got)-1].Debt, "after the deadline the points are gone")
}
