package metrics

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMembershipRevenue(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	terms := []membership.Term{
		// 365.00 over 2026: by 1 April 90 days begun... (Jan 31 + Feb 28 + Mar 31 = 90).
		{ID: "a", Currency: "CNY", FeeMinor: 36500, PaidAt: day(2026, 1, 1), Start: day(2026, 1, 1), End: day(2027, 1, 1)},
		// Bought in April, refunded in April.
		{ID: "b", Currency: "CNY", FeeMinor: 30000, PaidAt: day(2026, 4, 5), Start: day(2026, 4, 5), End: day(2026, 10, 5),
			RefundID: "r", RefundedAt: day(2026, 4, 10), RefundMinor: 29000},
		// Bought later: outside the window.
		{ID: "c", Currency: "CNY", FeeMinor: 10000, PaidAt: day(2026, 6, 1), Start: day(2026, 6, 1), End: day(2026, 7, 1)},
	}
	w := Window{From: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	r, err := MembershipRevenueIn(seqOf(terms), w)
	require.NoError(t, err)
	// a: deferred at the start 365.00 − 90.00 = 275.00; in April 30 days = 30.00.
	// b: received 300.00, refunded 290.00, the other 10.00 recognised by the refund.
	assert.True(t, decimal.RequireFromString("300").Equal(r.Received))
	assert.True(t, decimal.RequireFromString("290").Equal(r.Refunded))
	assert.True(t, decimal.RequireFromString("275").Equal(r.DeferredStart), r.DeferredStart.String())
	assert.True(t, decimal.RequireFromString("40").Equal(r.Recognised), r.Recognised.String())
	assert.True(t, decimal.RequireFromString("245").Equal(r.DeferredEnd), r.DeferredEnd.String())
	assert.True(t, r.DeferredStart.Add(r.Received).Sub(r.Refunded).Sub(r.Recognised).Equal(r.DeferredEnd), "the roll-forward holds")
	assert.Equal(t, 1, r.Active)
}

// Over random terms, refunds and windows the roll-forward always holds.
func TestMembershipRevenueRollForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 16))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for run := range 200 {
		var terms []membership.Term
		for i := range 20 {
			paid := base.Add(time.Duration(rng.IntN(400*24)) * time.Hour)
			start := paid
			if rng.IntN(4) == 0 {
				start = paid.AddDate(0, 0, rng.IntN(60)) // a renewal paid ahead
			}
			tm := membership.Term{ID: fmt.Sprint(i), Currency: "CNY", FeeMinor: int64(1 + rng.IntN(100000)), PaidAt: paid,
				Start: start, End: start.AddDate(0, 1+rng.IntN(12), 0)}
			if rng.IntN(3) == 0 {
				tm.RefundedAt = paid.Add(time.Duration(rng.IntN(300*24)) * time.Hour)
				tm.RefundMinor = tm.RefundDue(tm.RefundedAt, 7, int64(rng.IntN(2000)))
				tm.RefundID = "r"
			}
			terms = append(terms, tm)
		}
		from := base.Add(time.Duration(rng.IntN(400*24)) * time.Hour)
		w := Window{From: from, To: from.Add(time.Duration(1+rng.IntN(90*24)) * time.Hour)}
		r, err := MembershipRevenueIn(seqOf(terms), w)
		require.NoError(t, err)
		require.True(t, r.DeferredStart.Add(r.Received).Sub(r.Refunded).Sub(r.Recognised).Equal(r.DeferredEnd), "run %d", run)
		require.False(t, r.DeferredEnd.IsNegative())
	}
}
