package loyalty_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuoteIsWhatEarnEarns(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, nil)
	m := s.member(t, "Q", customer.Birthday{})
	p, err := s.customers.RecordPurchase(ctx, customer.Purchase{ID: "p1", CustomerID: m.ID, Store: "SH-01",
		Channel: customer.ChannelInStore, Time: at(2026, 3, 2, 15, 0), Currency: "CNY",
		Lines: []customer.Line{line("MILK", "dairy", 2, "12.50"), line("TEA-500", "tea", 1, "88")}})
	require.NoError(t, err)
	q, err := s.loyalty.Quote(ctx, p)
	require.NoError(t, err)
	res, err := s.loyalty.Earn(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, q.Total, res.Quote.Total)
	require.Len(t, res.Quote.Lines, len(q.Lines))
	for i, l := range q.Lines {
		assert.Equal(t, l.Points, res.Quote.Lines[i].Points)
		assert.True(t, l.Net().Equal(res.Quote.Lines[i].Net()))
	}
	// base 113 + dairy ×2 on 25 + happy hour ×1.5 (Monday 15:00 at SH-01)
	// + 20 for the tea + 200 first-purchase bonus: every point explained.
	sum := int64(0)
	for _, r := range res.Quote.Rules {
		sum += r.Points
	}
	assert.Equal(t, res.Quote.Total, sum)
	assert.Positive(t, res.Quote.Total)
	assert.Equal(t, loyalty.EventPointsEarned, res.Events[0].Type)
}

func TestEarnRetryAndOfflineReplayAwardOnce(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "R", customer.Birthday{})
	p, first := s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "100"))

	// The lane retries, then replays its offline queue after the rules changed.
	again, err := s.loyalty.Earn(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, first.Quote.Total, again.Quote.Total)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.loyalty.Earn(ctx, p)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, first.Quote.Total, s.balance(t, m.ID).Available)

	// The same ID with other lines is not the recorded purchase.
	changed := p
	changed.Lines = []customer.Line{line("RICE", "grocery", 2, "100")}
	_, err = s.loyalty.Earn(ctx, changed)
	assert.ErrorIs(t, err, loyalty.ErrNotAsRecorded)
}

func TestFullRefundTakesBackItsPoints(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, nil) // points pending for seven days: the return window
	m := s.member(t, "F", customer.Birthday{})
	p, earned := s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 2, "100"), line("OIL", "grocery", 1, "60"))
	require.Equal(t, earned.Quote.Total, s.balance(t, m.ID).Pending)

	ret := customer.Return{ID: "r1", PurchaseID: p.ID, Store: "SH-02", Time: at(2026, 3, 3, 10, 0), Currency: "CNY",
		Refund: dec("260"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("2")}, {Line: 2, Quantity: dec("1")}}}
	_, err := s.customers.RecordReturn(ctx, ret)
	require.NoError(t, err)
	res, err := s.loyalty.Return(ctx, ret)
	require.NoError(t, err)
	assert.Equal(t, earned.Quote.Total, res.Owed)
	b := s.balance(t, m.ID)
	assert.Zero(t, b.Pending+b.Available)

	// Replaying the return takes nothing more.
	_, err = s.loyalty.Return(ctx, ret)
	require.NoError(t, err)
	assert.Zero(t, s.balance(t, m.ID).Debt)
}

func TestPartialReturnsClawBackExactlyWhatTheLinesEarned(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) { noPending(p); p.ReturnPolicy = loyalty.ReturnAllowDebt })
	m := s.member(t, "P", customer.Birthday{})
	// 3 × 33.33: the base rule floors 99.99 to 99 points (plus the
	// first-purchase bonus, attributed pro rata).
	p, earned := s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("SOAP", "household", 3, "33.33"))
	var clawed int64
	for i, id := range []string{"r1", "r2", "r3"} {
		ret := customer.Return{ID: id, PurchaseID: p.ID, Store: "SH-02", Time: at(2026, 3, 3+i, 10, 0), Currency: "CNY",
			Refund: dec("33.33"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}}
		_, err := s.customers.RecordReturn(ctx, ret)
		require.NoError(t, err)
		res, err := s.loyalty.Return(ctx, ret)
		require.NoError(t, err)
		clawed += res.Owed
	}
	assert.Equal(t, earned.Quote.Total, clawed, "three partial returns add up to exactly what the line earned")
	b := s.balance(t, m.ID)
	assert.Zero(t, b.Available)
	assert.Zero(t, b.Debt)
}

func TestReturnNeverDeductsSpentPointsTwice(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) { noPending(p); p.ReturnPolicy = loyalty.ReturnAllowDebt })
	m := s.member(t, "S", customer.Birthday{})
	p1, e1 := s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("TV", "electronics", 1, "1000"))
	require.Equal(t, int64(1200), e1.Quote.Total) // 1000 base + 200 first purchase

	// The member spends 1000 of the 1200 points on the next order.
	_, err := s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "rd1", MemberID: m.ID, Points: 1000, At: at(2026, 3, 3, 10, 0)})
	require.NoError(t, err)
	// Then returns the TV: 1200 points are owed, 200 are left; the rest is
	// debt, taken once, however often the return is replayed.
	ret := customer.Return{ID: "r1", PurchaseID: p1.ID, Store: "SH-02", Time: at(2026, 3, 4, 10, 0), Currency: "CNY",
		Refund: dec("1000"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}}
	_, err = s.customers.RecordReturn(ctx, ret)
	require.NoError(t, err)
	for range 3 {
		_, err = s.loyalty.Return(ctx, ret)
		require.NoError(t, err)
	}
	b := s.balance(t, m.ID)
	assert.Zero(t, b.Available)
	assert.Equal(t, int64(1000), b.Debt)

	// The next earn pays the debt first.
	s.buy(t, "p2", m.ID, at(2026, 3, 5, 10, 0), line("RICE", "grocery", 1, "1500"))
	b = s.balance(t, m.ID)
	assert.Zero(t, b.Debt)
	assert.Equal(t, int64(500), b.Available)
}

func TestConcurrentRedemptionsNeverSpendTheSamePoints(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "C", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "800")) // 1000 points
	var won atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "lane-" + string(rune('a'+i)), MemberID: m.ID, Points: 500})
			if err == nil {
				won.Add(1)
				return
			}
			assert.ErrorIs(t, err, loyalty.ErrInsufficientPoints)
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(2), won.Load())
	assert.Zero(t, s.balance(t, m.ID).Available)
}

func TestHoldIsCommittedOrReleasedExactlyOnce(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "H", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "1300")) // 1,500 points

	// Points pay at most half of a 30 CNY order: 1,500 points, in steps of 100.
	_, err := s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h1", MemberID: m.ID, Points: 1600, OrderTotal: dec("30")})
	assert.ErrorIs(t, err, loyalty.ErrNotRedeemable)
	h, err := s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h1", MemberID: m.ID, Points: 600, OrderTotal: dec("30")})
	require.NoError(t, err)
	assert.True(t, h.Value.Equal(dec("6")))
	assert.Equal(t, int64(900), s.balance(t, m.ID).Available, "held points are not available")

	_, err = s.loyalty.CommitHold(ctx, m.ID, "h1", "p2")
	require.NoError(t, err)
	_, err = s.loyalty.CommitHold(ctx, m.ID, "h1", "p2")
	require.NoError(t, err, "committing again is a replay")
	_, err = s.loyalty.ReleaseHold(ctx, m.ID, "h1")
	assert.ErrorIs(t, err, ledger.ErrHoldClosed)
	b := s.balance(t, m.ID)
	assert.Equal(t, int64(900), b.Available)
	assert.Equal(t, int64(600), b.Spent)

	_, err = s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h2", MemberID: m.ID, Points: 500})
	require.NoError(t, err)
	_, err = s.loyalty.ReleaseHold(ctx, m.ID, "h2")
	require.NoError(t, err)
	_, err = s.loyalty.CommitHold(ctx, m.ID, "h2", "")
	assert.ErrorIs(t, err, ledger.ErrHoldClosed)
	assert.Equal(t, int64(900), s.balance(t, m.ID).Available)
}

func TestPointsSpentOnAReturnedOrderGoBackToTheirLots(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "G", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "800")) // 1000 points, expiring end of 2027
	h, err := s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h1", MemberID: m.ID, Points: 1000, OrderTotal: dec("40")})
	require.NoError(t, err)
	_ = h
	_, err = s.loyalty.CommitHold(ctx, m.ID, "h1", "p2")
	require.NoError(t, err)
	p2, _ := s.buy(t, "p2", m.ID, at(2026, 3, 2, 11, 0), line("A", "x", 1, "20"), line("B", "x", 1, "20"))

	// Half the order comes back: half the points spent on it return, to
	// the lot they came from, with its original expiry.
	ret := customer.Return{ID: "r1", PurchaseID: p2.ID, Store: "SH-02", Time: at(2026, 3, 3, 10, 0), Currency: "CNY",
		Refund: dec("10"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}}
	_, err = s.customers.RecordReturn(ctx, ret)
	require.NoError(t, err)
	res, err := s.loyalty.Return(ctx, ret)
	require.NoError(t, err)
	assert.Equal(t, int64(500), res.Refunded)
	acct, err := loyalty.LoadWhole(ctx, s.loyalty.Store(), m.ID)
	require.NoError(t, err)
	lot, ok := acct.Points.Lot("p:p1")
	require.True(t, ok)
	assert.Equal(t, int64(500), lot.Remaining)
}

func TestExpiryAtMidnightAcrossZonesAndDST(t *testing.T) {
	ctx := context.Background()
	newYork := mustZone("America/New_York")
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.TimeZone, p.Location = "America/New_York", nil
		p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireRolling, Days: 2}
		p.Tiers, p.Rewards, p.BirthdayCoupon = loyalty.TierLadder{}, nil, nil // not the point here
	})
	m := s.member(t, "E", customer.Birthday{})
	// Earned at 23:30 on Friday 6 March 2026 in New York (already Saturday
	// in Shanghai): valid through Sunday 8 March, the day clocks spring
	// forward, so the points lapse at midnight starting Monday 9 March, EDT.
	earned := time.Date(2026, 3, 6, 23, 30, 0, 0, newYork)
	s.buy(t, "p1", m.ID, earned, line("RICE", "grocery", 1, "100"))
	lapse := time.Date(2026, 3, 9, 0, 0, 0, 0, newYork)

	rep, err := s.loyalty.Expire(ctx, lapse.Add(-time.Second), "")
	require.NoError(t, err)
	assert.Zero(t, rep.Points)
	require.Len(t, rep.Events, 1, "a notice that points lapse soon")
	assert.Equal(t, loyalty.EventPointsExpiringSoon, rep.Events[0].Type)
	assert.True(t, rep.Events[0].ExpiresAt.Equal(lapse))

	rep, err = s.loyalty.Expire(ctx, lapse, "")
	require.NoError(t, err)
	assert.Equal(t, int64(300), rep.Points) // 100 base + 200 first purchase
	rep, err = s.loyalty.Expire(ctx, lapse.Add(time.Hour), "")
	require.NoError(t, err)
	assert.Zero(t, rep.Points, "expiring again expires nothing")
	assert.Zero(t, s.balance(t, m.ID).Available)
}

func TestInactivityExpiry(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireInactivity, Months: 12}
	})
	m := s.member(t, "I", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "100"))
	s.buy(t, "p2", m.ID, at(2026, 6, 2, 10, 0), line("RICE", "grocery", 1, "100"))
	// Twelve months after the last purchase, through the end of that day.
	rep, err := s.loyalty.Expire(ctx, at(2027, 6, 2, 23, 59), "")
	require.NoError(t, err)
	assert.Zero(t, rep.Points)
	rep, err = s.loyalty.Expire(ctx, at(2027, 6, 3, 0, 0), "")
	require.NoError(t, err)
	assert.Equal(t, int64(400), rep.Points)
}

func TestBirthdayCouponsFor29February(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, nil)
	leap := s.member(t, "Leap", customer.Birthday{Year: 2000, Month: time.February, Day: 29})
	s.member(t, "May", customer.Birthday{Month: time.May, Day: 1})
	run := func() loyalty.BirthdayReport {
		rep, err := s.loyalty.IssueBirthdayCoupons(ctx, s.customers.Store().Customers(ctx), at(2027, 2, 1, 0, 0), at(2027, 3, 1, 0, 0))
		require.NoError(t, err)
		return rep
	}
	rep := run()
	require.Equal(t, 1, rep.Issued)
	c := rep.Coupons[0]
	assert.Equal(t, leap.ID, c.MemberID)
	// 2027 is a common year: the birthday is observed on 28 February; the
	// coupon is issued three days before and valid three days either side
	// through a week after.
	assert.True(t, c.Coupon.IssuedAt.Equal(at(2027, 2, 25, 0, 0)), c.Coupon.IssuedAt)
	assert.True(t, c.Coupon.ValidUntil.Equal(at(2027, 3, 8, 0, 0)), c.Coupon.ValidUntil)

	again := run() // idempotent: no second coupon, and none reported
	assert.Zero(t, again.Issued)
	assert.Empty(t, again.Coupons)
	coupons, err := s.loyalty.Coupons(ctx, leap.ID)
	require.NoError(t, err)
	assert.Len(t, coupons, 1)

	_, err = s.loyalty.UseCoupon(ctx, leap.ID, c.Coupon.ID, "p9", at(2027, 3, 1, 12, 0))
	require.NoError(t, err)
	_, err = s.loyalty.UseCoupon(ctx, leap.ID, c.Coupon.ID, "p10", at(2027, 3, 1, 13, 0))
	assert.ErrorIs(t, err, loyalty.ErrCouponUnusable, "single use")
}

func TestTierUpgradeAtExactlyTheThreshold(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "T", customer.Birthday{})
	_, res := s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("SOFA", "furniture", 1, "1999.99"))
	assert.Equal(t, "regular", res.Tier.Tier, "one fen short of silver")
	_, res = s.buy(t, "p2", m.ID, at(2026, 3, 3, 10, 0), line("CUP", "x", 1, "0.01"))
	assert.Equal(t, "silver", res.Tier.Tier, "2,000.00 exactly reaches silver")
	var upgraded bool
	for _, ev := range res.Events {
		if ev.Type == loyalty.EventTierChanged && ev.Tier.To == "silver" {
			upgraded = true
		}
	}
	assert.True(t, upgraded)

	// Spending points never costs the tier.
	_, err := s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "rd", MemberID: m.ID, Points: 2000})
	require.NoError(t, err)
	st, err := s.loyalty.TierStatus(ctx, m.ID, "en")
	require.NoError(t, err)
	assert.Equal(t, "silver", st.State.Tier)
	assert.NotEmpty(t, st.Lines)
}

func TestCustomerMergeMergesAccounts(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	a := s.member(t, "A", customer.Birthday{})
	b := s.member(t, "B", customer.Birthday{})
	s.buy(t, "p1", a.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "100"))
	s.buy(t, "p2", b.ID, at(2026, 3, 2, 11, 0), line("RICE", "grocery", 1, "50"))
	_, err := s.customers.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "t"})
	require.NoError(t, err)
	assert.Equal(t, int64(300+250), s.balance(t, a.ID).Available)
	_, err = s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "x", MemberID: b.ID, Points: 500})
	assert.ErrorIs(t, err, loyalty.ErrMerged)
	// Merging again is a no-op.
	_, err = s.loyalty.Merge(ctx, a.ID, b.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(550), s.balance(t, a.ID).Available)
}

func TestAdjustAndExchangeReward(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "W", customer.Birthday{})
	_, err := s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: "goodwill-1", MemberID: m.ID, Points: 3000, Reason: "complaint:c1", Actor: "S-07"})
	require.NoError(t, err)
	res, err := s.loyalty.ExchangeReward(ctx, loyalty.RewardRequest{ID: "x1", MemberID: m.ID, RewardID: "mug"})
	require.NoError(t, err)
	assert.Equal(t, "mug", res.Coupon.RewardID)
	_, err = s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: "goodwill-2", MemberID: m.ID, Points: 3000, Reason: "x", Actor: "S-07"})
	require.NoError(t, err)
	_, err = s.loyalty.ExchangeReward(ctx, loyalty.RewardRequest{ID: "x2", MemberID: m.ID, RewardID: "mug"})
	assert.ErrorIs(t, err, loyalty.ErrRewardLimit, "one mug per customer per year")
	_, err = s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: "fix", MemberID: m.ID, Points: -5000, Reason: "x", Actor: "S-07"})
	var short *ledger.InsufficientPointsError
	assert.True(t, errors.As(err, &short))
	stmt, err := s.loyalty.Statement(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(3000), stmt[len(stmt)-1].Available)
}
