package membership_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

func sh(y int, m time.Month, d, hh int) time.Time { return time.Date(y, m, d, hh, 0, 0, 0, shanghai) }

func plan() membership.Plan {
	return membership.Plan{ID: "black-card", Name: "Black card", Currency: "CNY", Fee: decimal.RequireFromString("365"),
		TermMonths: 12, CoolingOffDays: 7, RenewWithinDays: 30, Location: shanghai,
		Benefits: membership.Benefits{Tier: "gold", EarnMultiplier: decimal.RequireFromString("1.5"), MemberPrice: true,
			MonthlyCoupons: []string{"coupon-20"}, Tag: "paid-member"}}
}

// The refund rule, worked by hand on a 365-day term of 365.00 CNY bought
// at 10:00 on 1 January 2026 in Shanghai.
func TestRefundRule(t *testing.T) {
	term := membership.Term{FeeMinor: 36500, PaidAt: sh(2026, 1, 1, 10), Start: sh(2026, 1, 1, 10), End: sh(2027, 1, 1, 10), Location: shanghai}
	require.Equal(t, 365, term.Days())
	cases := []struct {
		name string
		at   time.Time
		used int64
		want int64
	}{
		{"cooling off, nothing used: the whole fee", sh(2026, 1, 7, 23), 0, 36500},
		{"cooling off over after seven days", sh(2026, 1, 8, 9), 0, 35700}, // 8 days begun, 357 unused
		{"a benefit used: pro rata, at most fee less benefits", sh(2026, 1, 3, 12), 1000, 35500},
		{"half way: 2 July is the 183rd day begun", sh(2026, 7, 2, 9), 0, 18200},
		{"benefits worth more than the unused days", sh(2026, 7, 2, 9), 20000, 16500},
		{"the last day", sh(2026, 12, 31, 23), 0, 0},
		{"after the end", sh(2027, 1, 1, 10), 0, 0},
		{"benefits worth the fee", sh(2026, 2, 1, 9), 36500, 0},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, term.RefundDue(c.at, 7, c.used), c.name)
	}
}

// Recognised plus deferred plus refunded is the fee at every day; the
// fee is fully recognised by the end, never more; the cumulative rounding
// never runs ahead of straight line.
func TestRecognitionAddsUp(t *testing.T) {
	for _, fee := range []int64{36500, 9900, 1, 100_003} {
		term := membership.Term{FeeMinor: fee, PaidAt: sh(2026, 3, 31, 18), Start: sh(2026, 3, 31, 18), End: sh(2026, 6, 30, 18), Location: shanghai}
		prev := int64(0)
		for at := term.Start.Add(-time.Hour); at.Before(term.End.Add(48 * time.Hour)); at = at.Add(6 * time.Hour) {
			r, d := term.Recognised(at), term.Deferred(at)
			require.Equal(t, fee, r+d, "at %s", at)
			require.GreaterOrEqual(t, r, prev, "never decreases")
			prev = r
		}
		assert.Equal(t, fee, term.Recognised(term.End))
		refunded := term
		refunded.RefundID, refunded.RefundedAt = "r", sh(2026, 5, 1, 12)
		refunded.RefundMinor = refunded.RefundDue(refunded.RefundedAt, 0, 0)
		refunded.RefundID = "r"
		assert.Equal(t, fee, refunded.Recognised(term.End)+refunded.RefundMinor, "all of it recognised or refunded")
		assert.Equal(t, int64(0), refunded.Deferred(refunded.RefundedAt))
	}
}

func newService(t *testing.T, coupons membership.Coupons) *membership.Service {
	s, err := membership.NewService(membership.NewMemoryStore(), coupons, []membership.Plan{plan()})
	require.NoError(t, err)
	return s
}

type nopCoupons struct{}

func (nopCoupons) GrantCoupon(context.Context, loyalty.GrantRequest) (loyalty.CouponResult, error) {
	return loyalty.CouponResult{}, nil
}

func TestBuyRenewRefund(t *testing.T) {
	s := newService(t, nopCoupons{})
	ctx := t.Context()
	first, err := s.Buy(ctx, membership.BuyRequest{ID: "pay-1", MemberID: "m1", PlanID: "black-card", At: sh(2026, 1, 31, 10)})
	require.NoError(t, err)
	assert.True(t, sh(2027, 1, 31, 10).Equal(first.End))
	again, err := s.Buy(ctx, membership.BuyRequest{ID: "pay-1", MemberID: "m1", PlanID: "black-card", At: sh(2026, 1, 31, 10)})
	require.NoError(t, err)
	assert.Equal(t, first.End, again.End, "a retried payment")
	_, err = s.Buy(ctx, membership.BuyRequest{ID: "pay-1", MemberID: "m1", PlanID: "black-card", At: sh(2026, 2, 1, 10)})
	assert.ErrorIs(t, err, membership.ErrIdempotencyMismatch)
	_, err = s.Buy(ctx, membership.BuyRequest{ID: "pay-2", MemberID: "m1", PlanID: "black-card", At: sh(2026, 6, 1, 10)})
	assert.ErrorIs(t, err, membership.ErrTooEarly)
	renewal, err := s.Buy(ctx, membership.BuyRequest{ID: "pay-2", MemberID: "m1", PlanID: "black-card", At: sh(2027, 1, 10, 10)})
	require.NoError(t, err)
	assert.True(t, first.End.Equal(renewal.Start), "the renewal starts when the term ends")
	assert.True(t, sh(2028, 1, 31, 10).Equal(renewal.End))

	st, err := s.StatusAt(ctx, "m1", sh(2027, 1, 15, 0))
	require.NoError(t, err)
	assert.True(t, st.Active)
	assert.Equal(t, "gold", st.Benefits.Tier)

	_, err = s.Refund(ctx, membership.RefundRequest{ID: "ref-1", MemberID: "m1", TermID: "pay-1", At: sh(2027, 1, 12, 10)})
	assert.ErrorIs(t, err, membership.ErrNotLatest)
	// The renewal refunded before it began: the whole fee (cooling off),
	// and the membership ends where the first term ends.
	r, err := s.Refund(ctx, membership.RefundRequest{ID: "ref-2", MemberID: "m1", TermID: "pay-2", At: sh(2027, 1, 12, 10)})
	require.NoError(t, err)
	assert.Equal(t, int64(36500), r.RefundMinor)
	card, err := s.Store().GetCard(ctx, "m1")
	require.NoError(t, err)
	assert.True(t, first.End.Equal(card.Until))
	_, err = s.Refund(ctx, membership.RefundRequest{ID: "ref-2", MemberID: "m1", TermID: "pay-2", At: sh(2027, 1, 12, 10)})
	assert.NoError(t, err, "a retried refund")
	_, err = s.Refund(ctx, membership.RefundRequest{ID: "ref-3", MemberID: "m1", TermID: "pay-2", At: sh(2027, 1, 13, 10)})
	assert.ErrorIs(t, err, membership.ErrIdempotencyMismatch)
	st, _ = s.StatusAt(ctx, "m1", sh(2027, 2, 1, 0))
	assert.False(t, st.Active)
}

func TestConcurrentPurchasesStack(t *testing.T) {
	p := plan()
	p.RenewWithinDays = 0
	s, err := membership.NewService(membership.NewMemoryStore(), nopCoupons{}, []membership.Plan{p})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			_, err := s.Buy(context.Background(), membership.BuyRequest{ID: fmt.Sprint("pay-", i), MemberID: "m1", PlanID: p.ID, At: sh(2026, 3, 1, 9)})
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	card, err := s.Store().GetCard(t.Context(), "m1")
	require.NoError(t, err)
	assert.Equal(t, int64(4), card.Terms)
	assert.True(t, sh(2030, 3, 1, 9).Equal(card.Until), "four one-year terms end to end, got %s", card.Until)
}

// Monthly coupons land in the loyalty account once per month, whatever
// the reruns.
func TestMonthlyCoupons(t *testing.T) {
	data, err := os.ReadFile("../testdata/program.json")
	require.NoError(t, err)
	program, err := loyalty.ParseProgram(data)
	require.NoError(t, err)
	now := func() time.Time { return sh(2026, 1, 1, 9) }
	customers := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: now, NewID: func() string { return "m1" }})
	_, err = customers.Register(t.Context(), customer.Registration{Profile: customer.Profile{Name: "Li"}})
	require.NoError(t, err)
	points, err := loyalty.NewService(program, loyalty.NewMemoryStore(), customers, &loyalty.Options{Clock: now})
	require.NoError(t, err)
	s := newService(t, points)
	_, err = s.Buy(t.Context(), membership.BuyRequest{ID: "pay-1", MemberID: "m1", PlanID: "black-card", At: sh(2026, 1, 31, 10)})
	require.NoError(t, err)
	got, err := s.IssueMonthlyCoupons(t.Context(), "m1", sh(2026, 3, 31, 11)) // months begun: 31 Jan, 28 Feb, 31 Mar
	require.NoError(t, err)
	assert.Len(t, got, 3)
	assert.True(t, sh(2026, 2, 28, 10).Equal(got[0].Coupon.ValidUntil), "the first month ends with February")
	again, err := s.IssueMonthlyCoupons(t.Context(), "m1", sh(2026, 4, 1, 0))
	require.NoError(t, err)
	assert.Empty(t, again)
	coupons, err := points.Coupons(t.Context(), "m1")
	require.NoError(t, err)
	assert.Len(t, coupons, 3)
}

func TestPlanValidation(t *testing.T) {
	p := plan()
	p.ID, p.Fee, p.TermMonths, p.CoolingOffDays = "", decimal.RequireFromString("9.999"), 0, -1
	p.Benefits.EarnMultiplier = decimal.RequireFromString("0.5")
	err := p.Validate()
	require.ErrorIs(t, err, membership.ErrInvalid)
	for _, f := range []string{"id", "fee", "termMonths", "coolingOffDays", "benefits.earnMultiplier"} {
		assert.Contains(t, err.Error(), "membership: "+f+":")
	}
	_, err = membership.NewService(membership.NewMemoryStore(), nil, []membership.Plan{plan()})
	assert.ErrorIs(t, err, membership.ErrInvalid, "monthly coupons need an issuer")
}

// Wired as the loyalty service's perk source, a card in force gives its
// tier (and that tier's multiplier) to purchases made during its term.
func TestPerksReachLoyalty(t *testing.T) {
	data, err := os.ReadFile("../testdata/program.json")
	require.NoError(t, err)
	program, err := loyalty.ParseProgram(data)
	require.NoError(t, err)
	clock := sh(2026, 1, 1, 9)
	now := func() time.Time { return clock }
	customers := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: now, NewID: func() string { return "m1" }})
	_, err = customers.Register(t.Context(), customer.Registration{Profile: customer.Profile{Name: "Li"}})
	require.NoError(t, err)
	var cards *membership.Service
	points, err := loyalty.NewService(program, loyalty.NewMemoryStore(), customers, &loyalty.Options{Clock: now,
		Perks: loyalty.PerksFunc(func(ctx context.Context, id string, at time.Time) (loyalty.Perks, error) {
			return cards.PerksAt(ctx, id, at)
		})})
	require.NoError(t, err)
	cards = newService(t, points)
	_, err = cards.Buy(t.Context(), membership.BuyRequest{ID: "pay-1", MemberID: "m1", PlanID: "black-card", At: sh(2026, 1, 31, 10)})
	require.NoError(t, err)
	earn := func(id string, at time.Time) loyalty.EarnResult {
		clock = at
		q := decimal.NewFromInt(1)
		p, err := customers.RecordPurchase(t.Context(), customer.Purchase{ID: id, CustomerID: "m1", Store: "SH-01", Channel: customer.ChannelInStore,
			Time: at, Currency: "CNY", Lines: []customer.Line{{SKU: "RICE", Category: "grocery", Quantity: q, UnitPrice: decimal.NewFromInt(100), Total: decimal.NewFromInt(100)}}})
		require.NoError(t, err)
		res, err := points.Earn(t.Context(), p)
		require.NoError(t, err)
		return res
	}
	ruleIDs := func(r loyalty.EarnResult) []string {
		var ids []string
		for _, q := range r.Quote.Rules {
			ids = append(ids, q.RuleID)
		}
		return ids
	}
	assert.NotContains(t, ruleIDs(earn("before", sh(2026, 1, 20, 12))), "tier:gold")
	assert.Contains(t, ruleIDs(earn("during", sh(2026, 2, 5, 12))), "tier:gold")
}
