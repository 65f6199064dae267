package ledger

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The failures loyalty engines are known for, each at the ledger level.

// A return must take back what the purchase earned: points must not
// survive the return of the purchase that earned them.
func TestClassicRefundKeepsItsPoints(t *testing.T) {
	for _, policy := range []ClawbackPolicy{OnlyPending, WithinBalance, AllowDebt} {
		t.Run(string(policy), func(t *testing.T) {
			b := newBook(t, "m1")
			b.do(b.acct.Earn("L1", 100, day(0), day(14), time.Time{}, "P1")) // pending 14 days
			b.do(b.acct.Earn("L2", 30, day(0), time.Time{}, time.Time{}, "P2"))
			got := b.do(b.acct.ClawBack("T1", "P1", 100, day(3), policy))
			require.Len(t, got, 1)
			assert.Equal(t, int64(-100), got[0].Points)
			assert.Equal(t, []Draw{{LotID: "L1", Points: -100, Pending: -100}}, got[0].Draws)
			assert.Equal(t, got[0].Corrects, b.lot("L1").EarnEntry, "the clawback names the earn it corrects")
			b.do(b.acct.ReleaseDue(day(20)))
			assert.Equal(t, int64(30), b.acct.Available(day(20)), "the returned purchase's points never become available")
			assert.Equal(t, int64(0), b.acct.Pending(day(20)))
		})
	}
}

// A return must not take points that were already spent a second time:
// not by retrying, not by returning more than the purchase earned, not by
// charging both the lot and the balance.
func TestClassicRefundDeductsSpentPointsTwice(t *testing.T) {
	setup := func(t *testing.T) *book {
		b := newBook(t, "m1")
		b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, day(30), "P1"))
		b.do(b.acct.Earn("L2", 50, day(1), time.Time{}, day(60), "P2"))
		b.do(b.acct.Redeem("R1", 80, day(2))) // all 80 from L1, the soonest to expire
		return b
	}
	t.Run("within balance takes what the purchase earned once", func(t *testing.T) {
		b := setup(t)
		got := b.do(b.acct.ClawBack("T1", "P1", 100, day(3), WithinBalance))
		// 20 left in L1, then 50 from L2; the remaining 30 were spent and are forgiven.
		assert.Equal(t, int64(-70), got[0].Points)
		assert.Equal(t, int64(0), b.acct.Available(day(3)))
		assert.Equal(t, int64(0), b.lot("L1").Remaining, "never below zero")
		assert.Contains(t, got[0].Reason, "30 of 100 points forgiven")
	})
	t.Run("allow debt owes exactly the difference", func(t *testing.T) {
		b := setup(t)
		got := b.do(b.acct.ClawBack("T1", "P1", 100, day(3), AllowDebt))
		assert.Equal(t, int64(-70), got[0].Points)
		assert.Equal(t, int64(30), got[0].Debt)
		assert.Equal(t, int64(30), b.acct.Debt())
		// The next earn pays the debt first.
		got = b.do(b.acct.Earn("L3", 40, day(4), time.Time{}, time.Time{}, "P3"))
		assert.Equal(t, []EntryKind{KindEarn, KindDebtPayoff}, kinds(got))
		assert.Equal(t, int64(0), b.acct.Debt())
		assert.Equal(t, int64(10), b.acct.Available(day(4)))
	})
	t.Run("a retried return deducts nothing more", func(t *testing.T) {
		b := setup(t)
		b.do(b.acct.ClawBack("T1", "P1", 60, day(3), WithinBalance))
		before := b.acct.Balance(day(3))
		got := b.do(b.acct.ClawBack("T1", "P1", 60, day(3), WithinBalance))
		assert.Empty(t, got)
		assert.Equal(t, before, b.acct.Balance(day(3)))
		err := b.fails(b.acct.ClawBack("T1", "P1", 61, day(3), WithinBalance))
		assert.ErrorIs(t, err, ErrIdempotencyMismatch)
	})
	t.Run("returns cannot take more than the purchase earned", func(t *testing.T) {
		b := setup(t)
		b.do(b.acct.ClawBack("T1", "P1", 60, day(3), WithinBalance))
		err := b.fails(b.acct.ClawBack("T2", "P1", 41, day(3), WithinBalance))
		var over *OverRefundError
		require.ErrorAs(t, err, &over)
		assert.ErrorIs(t, err, ErrOverRefund)
		assert.Equal(t, int64(40), over.Left)
		b.do(b.acct.ClawBack("T2", "P1", 40, day(3), WithinBalance))
	})
	t.Run("refunding the redemption gives back, never deducts", func(t *testing.T) {
		b := setup(t)
		got := b.do(b.acct.RefundRedemption("F1", "R1", 80, day(3)))
		assert.Equal(t, int64(80), got[0].Points)
		assert.Equal(t, int64(150), b.acct.Available(day(3)))
		err := b.fails(b.acct.RefundRedemption("F2", "R1", 1, day(3)))
		assert.ErrorIs(t, err, ErrOverRefund)
	})
}

// Two redemptions can never spend the same points: a hold reserves them.
func TestClassicTwoRedemptionsSameDraws(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, time.Time{}, "P1"))
	b.do(b.acct.Hold("H1", 80, day(1)))
	assert.Equal(t, int64(20), b.acct.Available(day(1)))

	err := b.fails(b.acct.Redeem("R2", 30, day(1)))
	var short *InsufficientPointsError
	require.ErrorAs(t, err, &short)
	assert.ErrorIs(t, err, ErrInsufficientPoints)
	assert.Equal(t, InsufficientPointsError{Requested: 30, Available: 20}, *short)
	b.fails(b.acct.Hold("H2", 21, day(1)))

	// Both branches of a race start from the same account value: each is
	// fine alone, and the store's version check lets only one be written.
	a1, _, err1 := b.acct.Redeem("R3", 20, day(1))
	a2, _, err2 := b.acct.CommitHold("H1", day(1))
	require.NoError(t, err1)
	require.NoError(t, err2)
	assert.Equal(t, a1.Version(), a2.Version(), "both claim the same next version: one write loses")

	b.do(b.acct.CommitHold("H1", day(2)))
	assert.Empty(t, b.do(b.acct.CommitHold("H1", day(2))), "committing twice is a no-op")
	assert.ErrorIs(t, b.fails(b.acct.ReleaseHold("H1", day(2))), ErrHoldClosed)
	assert.ErrorIs(t, b.fails(b.acct.CommitHold("nope", day(2))), ErrNotFound)

	b.do(b.acct.Hold("H3", 20, day(3)))
	b.do(b.acct.ReleaseHold("H3", day(3)))
	assert.Empty(t, b.do(b.acct.ReleaseHold("H3", day(3))), "releasing twice is a no-op")
	assert.ErrorIs(t, b.fails(b.acct.CommitHold("H3", day(3))), ErrHoldClosed)
	assert.Equal(t, int64(20), b.acct.Available(day(3)))
	assert.Equal(t, int64(80), b.acct.Totals().Spent())
}

// Points spent on a returned order go back to their original lots, with
// their original expiry.
func TestClassicRefundToOriginalLots(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 50, day(0), time.Time{}, day(30), "P1"))
	b.do(b.acct.Earn("L2", 50, day(1), time.Time{}, day(60), "P2"))
	b.do(b.acct.Earn("L3", 50, day(2), time.Time{}, time.Time{}, "P3"))
	got := b.do(b.acct.Redeem("R1", 120, day(5)))
	assert.Equal(t, []Draw{{LotID: "L1", Points: -50}, {LotID: "L2", Points: -50}, {LotID: "L3", Points: -20}}, got[0].Draws,
		"soonest expiry first, never-expiring last")

	got = b.do(b.acct.RefundRedemption("F1", "R1", 40, day(6)))
	assert.Equal(t, []Draw{{LotID: "L3", Points: 20}, {LotID: "L2", Points: 20}}, got[0].Draws, "latest draws first")
	assert.Equal(t, got[0].Corrects, b.hist[3].ID, "names the redemption entry")
	assert.Equal(t, int64(50), b.lot("L3").Remaining)
	assert.Equal(t, int64(20), b.lot("L2").Remaining)
	assert.Equal(t, day(60), b.lot("L2").ExpiresAt, "keeps its expiry")

	// L1 expired on day 30: points given back to it expire at once.
	got = b.do(b.acct.RefundRedemption("F2", "R1", 80, day(31)))
	assert.Equal(t, []EntryKind{KindRefund, KindExpire}, kinds(got))
	assert.Equal(t, []Draw{{LotID: "L2", Points: 30}, {LotID: "L1", Points: 50}}, got[0].Draws)
	assert.Equal(t, []Draw{{LotID: "L1", Points: -50}}, got[1].Draws)
	assert.Equal(t, int64(100), b.acct.Available(day(31)))
	assert.Equal(t, int64(50), b.acct.Totals().Expired)
	assert.Equal(t, int64(0), b.acct.Totals().Spent())
}

func TestHoldProtectsFromExpiry(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 50, day(0), time.Time{}, day(10), "P1"))
	b.do(b.acct.Hold("H1", 30, day(9)))
	got := b.do(b.acct.Expire(day(11)))
	assert.Equal(t, []Draw{{LotID: "L1", Points: -20}}, got[0].Draws, "only the unheld points expire")
	assert.Empty(t, b.do(b.acct.Expire(day(11))), "expire is idempotent")

	b2 := *b
	b2.do(b2.acct.CommitHold("H1", day(12)))
	assert.Equal(t, int64(0), b2.lot("L1").Remaining)
	assert.Equal(t, int64(30), b2.acct.Totals().Redeemed)

	got = b.do(b.acct.ReleaseHold("H1", day(12)))
	assert.Equal(t, []EntryKind{KindHoldRelease, KindExpire}, kinds(got))
	assert.Equal(t, int64(0), b.acct.Available(day(12)))
	assert.Equal(t, int64(50), b.acct.Totals().Expired)
}

func TestClawbackPolicies(t *testing.T) {
	tests := []struct {
		policy               ClawbackPolicy
		wantTaken, wantDebt  int64
		wantAvail, wantLeft1 int64
	}{
		// P1 earned 60: 40 released and partly spent (10 left), 20 pending. Other lot: 25.
		{OnlyPending, 20, 0, 35, 10},
		{WithinBalance, 55, 0, 0, 0},
		{AllowDebt, 55, 5, 0, 0},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			b := newBook(t, "m1")
			b.do(b.acct.Earn("A", 40, day(0), time.Time{}, day(20), "P1"))
			b.do(b.acct.Earn("B", 20, day(0), day(14), day(20), "P1"))
			b.do(b.acct.Earn("C", 25, day(0), time.Time{}, day(90), "P2"))
			b.do(b.acct.Redeem("R1", 30, day(1)))
			got := b.do(b.acct.ClawBack("T1", "P1", 60, day(2), tt.policy))
			assert.Equal(t, -tt.wantTaken, got[0].Points)
			assert.Equal(t, tt.wantDebt, got[0].Debt)
			assert.Equal(t, tt.wantAvail, b.acct.Available(day(2)))
			assert.Equal(t, tt.wantLeft1, b.lot("A").Remaining)
			assert.Equal(t, int64(0), b.lot("B").Remaining, "pending points of the purchase always go first")
		})
	}
}

func TestExpiryViewsAndStatement(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 10, day(0), time.Time{}, day(5), "P1"))
	b.do(b.acct.Earn("L2", 20, day(1), time.Time{}, day(5), "P2"))
	b.do(b.acct.Earn("L3", 30, day(2), day(4), day(9), "P3"))
	b.do(b.acct.Earn("L4", 40, day(3), time.Time{}, time.Time{}, "P4"))
	assert.Equal(t, []ExpiryBucket{{Date: day(5), Points: 30}, {Date: day(9), Pending: 30}},
		b.acct.ExpiringBy(day(3), day(10)))
	assert.Equal(t, int64(70), b.acct.Available(day(4)))
	assert.Equal(t, int64(40), b.acct.Available(day(5)), "past expiry counts as expired before Expire runs")
	got := b.do(b.acct.Expire(day(5)))
	assert.Len(t, got, 2, "one entry per lot")
	assert.Equal(t, int64(40), b.acct.Available(day(5)))

	lines := Statement(b.hist)
	last := lines[len(lines)-1]
	assert.Equal(t, int64(40), last.Available)
	assert.Equal(t, int64(30), last.Pending)
	bal := b.acct.Balance(day(5))
	assert.Equal(t, int64(70), bal.Net())
	assert.Equal(t, int64(100), bal.Totals.Earned)
}

func TestMerge(t *testing.T) {
	a := newBook(t, "A")
	o := newBook(t, "B")
	a.do(a.acct.Earn("LA", 10, day(0), time.Time{}, time.Time{}, "PA"))
	o.do(o.acct.Earn("LB", 50, day(0), day(9), day(30), "PB"))
	o.do(o.acct.Earn("LC", 30, day(0), time.Time{}, day(40), "PC"))
	o.do(o.acct.Redeem("RB", 20, day(1)))
	o.do(o.acct.Hold("HB", 5, day(1)))
	o.do(o.acct.ClawBack("TB", "PC", 30, day(2), AllowDebt))
	require.Equal(t, int64(25), o.acct.Debt())

	m, err := a.acct.MergeFrom(o.acct, day(3))
	require.NoError(t, err)
	a.do(m.Survivor, m.SurvivorEntries, nil)
	o.do(m.Merged, m.MergedEntries, nil)
	assert.Equal(t, []EntryKind{KindMergeIn, KindDebtPayoff}, kinds(m.SurvivorEntries))
	assert.Equal(t, []EntryKind{KindMergeOut}, kinds(m.MergedEntries))
	assert.Equal(t, int64(15), a.acct.Debt(), "the survivor's 10 points paid part of the debt")
	assert.Equal(t, int64(50), a.acct.Pending(day(3)), "pending state moves with the lot")
	assert.Equal(t, day(30), a.lot("LB").ExpiresAt)
	assert.Equal(t, int64(0), o.acct.Available(day(3))+o.acct.Pending(day(3))+o.acct.Debt())

	a.do(a.acct.CommitHold("HB", day(4)))
	a.do(a.acct.RefundRedemption("FB", "RB", 20, day(4)))
	assert.Equal(t, int64(0), a.acct.Debt(), "refunded points pay the debt")
	again, err := a.acct.MergeFrom(o.acct, day(5))
	require.NoError(t, err)
	assert.Empty(t, again.SurvivorEntries)
	_, err = a.acct.MergeFrom(a.acct, day(5))
	assert.ErrorIs(t, err, ErrMergeConflict)
}

func TestValidationReportsEveryField(t *testing.T) {
	a, err := New("m1")
	require.NoError(t, err)
	_, _, err = a.Earn("", 0, time.Time{}, time.Time{}, time.Time{}, "")
	require.ErrorIs(t, err, ErrInvalid)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		require.True(t, errors.As(e, &fe))
		fields = append(fields, fe.Field)
	}
	assert.Equal(t, []string{"lotID", "points", "at"}, fields)

	_, _, err = a.ClawBack("T", "P", 1, day(0), "sometimes")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "policy")
	_, _, err = a.Adjust("J", 5, day(0), day(0), "", "")
	assert.ErrorContains(t, err, "expiresAt")
	assert.ErrorContains(t, err, "reason")
	_, err = New("")
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestIdempotentReplays(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, time.Time{}, "P1"))
	assert.Empty(t, b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, time.Time{}, "P1")))
	assert.ErrorIs(t, b.fails(b.acct.Earn("L1", 99, day(0), time.Time{}, time.Time{}, "P1")), ErrIdempotencyMismatch)
	b.do(b.acct.Redeem("R1", 10, day(1)))
	assert.Empty(t, b.do(b.acct.Redeem("R1", 10, day(1))))
	assert.ErrorIs(t, b.fails(b.acct.Hold("R1", 10, day(1))), ErrIdempotencyMismatch, "holds and redemptions share IDs")
	b.do(b.acct.Adjust("J1", -5, day(2), time.Time{}, "damaged card", "clerk-7"))
	assert.Empty(t, b.do(b.acct.Adjust("J1", -5, day(2), time.Time{}, "damaged card", "clerk-7")))
	assert.ErrorIs(t, b.fails(b.acct.Adjust("J1", 5, day(2), time.Time{}, "damaged card", "clerk-7")), ErrIdempotencyMismatch)
	assert.Equal(t, int64(85), b.acct.Available(day(2)))
	assert.Equal(t, int64(3), b.acct.Version(), "replays do not bump the version")
}

func TestCheckInvariantsCatchesTampering(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, time.Time{}, "P1"))
	b.do(b.acct.Redeem("R1", 30, day(1)))
	b.do(b.acct.RefundRedemption("F1", "R1", 10, day(2)))

	changed := append([]Entry(nil), b.hist...)
	changed[1].Draws = []Draw{{LotID: "L1", Points: -20}}
	assert.ErrorIs(t, CheckAppendOnly(b.hist, changed), ErrInvariant)
	assert.ErrorIs(t, CheckInvariants(b.acct, changed), ErrInvariant)
	assert.ErrorIs(t, CheckAppendOnly(b.hist, b.hist[:2]), ErrInvariant)
	assert.ErrorIs(t, CheckInvariants(b.acct, b.hist[:2]), ErrInvariant, "a deleted entry")

	uncorrected := append([]Entry(nil), b.hist...)
	uncorrected[2].Corrects = ""
	assert.ErrorContains(t, CheckInvariants(b.acct, uncorrected), "does not name what it corrects")

	s := b.acct.Snapshot()
	s.Lots[0].Remaining = 79
	forged, err := FromSnapshot(s)
	require.NoError(t, err)
	assert.ErrorIs(t, CheckInvariants(forged, b.hist), ErrInvariant)
}

func TestFromSnapshotRejectsImpossibleAccounts(t *testing.T) {
	b := newBook(t, "m1")
	b.do(b.acct.Earn("L1", 100, day(0), time.Time{}, time.Time{}, "P1"))
	b.do(b.acct.Hold("H1", 30, day(1)))
	s := b.acct.Snapshot()
	s.ID = ""
	s.Lots = append(s.Lots, s.Lots[0], Lot{ID: "L2", Amount: 5, Remaining: 6})
	s.Operations[0].Points = 31
	_, err := FromSnapshot(s)
	require.ErrorIs(t, err, ErrInvalid)
	for _, want := range []string{"ID", "Lots[1].ID", "Lots[2]", "Operations[0]"} {
		assert.ErrorContains(t, err, "invalid "+want)
	}
	restored, err := FromSnapshot(b.acct.Snapshot())
	require.NoError(t, err)
	assert.NoError(t, CheckInvariants(restored, b.hist))

	data, err := json.Marshal(b.acct)
	require.NoError(t, err)
	var decoded Account
	require.NoError(t, json.Unmarshal(data, &decoded))
	assert.NoError(t, CheckInvariants(decoded, b.hist))
	assert.Equal(t, b.acct.Holds(), decoded.Holds())
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"ID":""}`), &decoded), ErrInvalid)
}

func TestZeroAccountFailsCleanly(t *testing.T) {
	var a Account
	_, _, err := a.Earn("L1", 5, day(0), time.Time{}, time.Time{}, "P1")
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorContains(t, err, "invalid account")
	_, _, err = a.Redeem("R1", 5, day(0))
	assert.ErrorIs(t, err, ErrInvalid)
	_, _, err = a.Expire(day(0))
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, int64(0), a.Available(day(0)))
	assert.Empty(t, a.Lots())
	b, err := New("m1")
	require.NoError(t, err)
	_, err = b.MergeFrom(a, day(0))
	assert.ErrorIs(t, err, ErrInvalid)
}
