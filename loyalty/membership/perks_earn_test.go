package membership_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testProgram(t *testing.T) *loyalty.Program {
	data, err := os.ReadFile("../testdata/program.json")
	require.NoError(t, err)
	program, err := loyalty.ParseProgram(data)
	require.NoError(t, err)
	return program
}

// cardShop is loyalty with the membership service as its only perk
// source: the host writes no rule for the card.
type cardShop struct {
	clock     time.Time
	customers *customer.Service
	points    *loyalty.Service
	cards     *membership.Service
}

func newCardShop(t *testing.T, members ...string) *cardShop {
	s := &cardShop{clock: sh(2026, 1, 1, 9)}
	now := func() time.Time { return s.clock }
	next := 0
	s.customers = customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: now,
		NewID: func() string { next++; return members[next-1] }})
	for range members {
		_, err := s.customers.Register(t.Context(), customer.Registration{Profile: customer.Profile{Name: "Li"}})
		require.NoError(t, err)
	}
	var err error
	s.points, err = loyalty.NewService(testProgram(t), loyalty.NewMemoryStore(), s.customers, &loyalty.Options{Clock: now,
		Perks: loyalty.PerksFunc(func(ctx context.Context, id string, at time.Time) (loyalty.Perks, error) {
			return s.cards.PerksAt(ctx, id, at)
		})})
	require.NoError(t, err)
	s.cards, err = membership.NewService(membership.NewMemoryStore(), s.points, []membership.Plan{plan()})
	require.NoError(t, err)
	return s
}

// earn records a 100 CNY purchase at at and earns it, the clock at now
// (a purchase may reach loyalty after it was made).
func (s *cardShop) earn(t *testing.T, id, member string, at, now time.Time) loyalty.EarnResult {
	t.Helper()
	s.clock = now
	p, err := s.customers.RecordPurchase(t.Context(), customer.Purchase{ID: id, CustomerID: member, Store: "SH-02", Channel: customer.ChannelInStore,
		Time: at, Currency: "CNY", Lines: []customer.Line{{SKU: "RICE", Category: "grocery", Quantity: decimal.NewFromInt(1),
			UnitPrice: decimal.NewFromInt(100), Total: decimal.NewFromInt(100)}}})
	require.NoError(t, err)
	res, err := s.points.Earn(t.Context(), p)
	require.NoError(t, err)
	return res
}

func rulePoints(r loyalty.EarnResult) map[string]int64 {
	out := map[string]int64{}
	for _, q := range r.Quote.Rules {
		out[q.RuleID] = q.Points
	}
	return out
}

// multiplied is the points earned over the base: a plan's 1.5 on 100
// base points is 50 more.
func multiplied(r loyalty.EarnResult) int64 { return rulePoints(r)["tier:gold"] }

// A member with a card in force earns the plan's multiplier through
// loyalty.Service with no rule written for the card; not before the card,
// not after its term, not after a pro-rata refund; and a purchase made in
// the term but reaching loyalty after the refund still earns it.
func TestPlanMultiplierEarnsThroughLoyalty(t *testing.T) {
	s := newCardShop(t, "m1", "m2")
	ctx := t.Context()
	_, err := s.cards.Buy(ctx, membership.BuyRequest{ID: "pay-1", MemberID: "m1", PlanID: "black-card", At: sh(2026, 1, 31, 10)})
	require.NoError(t, err)
	_, err = s.cards.Buy(ctx, membership.BuyRequest{ID: "pay-2", MemberID: "m2", PlanID: "black-card", At: sh(2026, 1, 31, 10)})
	require.NoError(t, err)

	before := s.earn(t, "m1-before", "m1", sh(2026, 1, 20, 12), sh(2026, 1, 31, 11))
	during := s.earn(t, "m1-during", "m1", sh(2026, 2, 5, 12), sh(2026, 2, 5, 12))
	lastHour := s.earn(t, "m1-last", "m1", sh(2027, 1, 31, 9), sh(2027, 1, 31, 9))
	after := s.earn(t, "m1-after", "m1", sh(2027, 1, 31, 10), sh(2027, 1, 31, 10))
	assert.Zero(t, multiplied(before), "no card yet")
	base := rulePoints(during)["base"]
	require.Equal(t, int64(100), base)
	assert.Equal(t, int64(50), multiplied(during), "the plan's 1.5 on the base points")
	assert.Equal(t, int64(50), multiplied(lastHour), "the term's last hour")
	assert.Zero(t, multiplied(after), "the term is over")
	assert.Equal(t, during.Quote.Total-before.Quote.Total+rulePoints(before)["first-purchase"], int64(50), "the card is the whole difference")

	// m2 is refunded pro rata on 1 March: purchases from then earn no
	// multiplier; one made on 20 February and synced later still does.
	refund, err := s.cards.Refund(ctx, membership.RefundRequest{ID: "ref-2", MemberID: "m2", TermID: "pay-2", At: sh(2026, 3, 1, 10)})
	require.NoError(t, err)
	require.Positive(t, refund.RefundMinor)
	require.Less(t, refund.RefundMinor, refund.FeeMinor, "pro rata, not the whole fee")
	afterRefund := s.earn(t, "m2-after", "m2", sh(2026, 3, 2, 12), sh(2026, 3, 2, 12))
	late := s.earn(t, "m2-late", "m2", sh(2026, 2, 20, 12), sh(2026, 3, 3, 12))
	assert.Zero(t, multiplied(afterRefund), "refunded: no multiplier")
	assert.Equal(t, int64(50), multiplied(late), "made during the term, synced after the refund")
}

// CheckProgram refuses a plan whose benefits would not earn as stated.
func TestCheckProgram(t *testing.T) {
	program := testProgram(t)
	check := func(mut func(*membership.Plan), prog *loyalty.Program) error {
		p := plan()
		mut(&p)
		s, err := membership.NewService(membership.NewMemoryStore(), nopCoupons{}, []membership.Plan{p})
		require.NoError(t, err)
		return s.CheckProgram(prog)
	}
	assert.NoError(t, check(func(*membership.Plan) {}, program), "gold multiplies by 1.5, as the plan says")
	assert.NoError(t, check(func(p *membership.Plan) { p.Benefits.EarnMultiplier = decimal.Zero }, program), "a tier without a stated multiplier")
	for name, c := range map[string]struct {
		mut   func(*membership.Plan)
		field string
	}{
		"unknown tier":              {func(p *membership.Plan) { p.Benefits.Tier = "diamond" }, "benefits.tier"},
		"multiplier the tier lacks": {func(p *membership.Plan) { p.Benefits.EarnMultiplier = decimal.NewFromInt(2) }, "benefits.earnMultiplier"},
		"multiplier without a tier": {func(p *membership.Plan) { p.Benefits.Tier = "" }, "benefits.earnMultiplier"},
	} {
		err := check(c.mut, program)
		assert.ErrorIs(t, err, membership.ErrBenefitUnreachable, name)
		assert.ErrorContains(t, err, c.field, name)
	}
	// A programme that also rewards the tag with the same multiplier would
	// pay it twice; with another factor it contradicts the plan.
	twice := testProgram(t)
	twice.EarnRules = append(twice.EarnRules, loyalty.EarnRule{ID: "paid-x", Kind: loyalty.KindMultiplier, Factor: decimal.RequireFromString("1.5"),
		Priority: 60, When: loyalty.Condition{MemberTags: []string{"paid-member"}}})
	assert.ErrorContains(t, check(func(*membership.Plan) {}, twice), "earned twice")
	byTag := testProgram(t) // the older wiring: the tag carries it, the tier none
	byTag.EarnRules = append(byTag.EarnRules, loyalty.EarnRule{ID: "paid-x", Kind: loyalty.KindMultiplier, Factor: decimal.NewFromInt(2),
		Priority: 60, When: loyalty.Condition{MemberTags: []string{"paid-member"}}})
	assert.NoError(t, check(func(p *membership.Plan) { p.Benefits.Tier, p.Benefits.EarnMultiplier = "silver", decimal.NewFromInt(2) }, byTag))
	assert.ErrorContains(t, check(func(*membership.Plan) {}, byTag), "multiplies by 2")
	assert.ErrorContains(t, check(func(p *membership.Plan) { p.Benefits.EarnMultiplier = decimal.NewFromInt(2) }, byTag), "earned twice",
		"gold's own 1.5 would add to the tag's 2")
	// Built on the loyalty service, NewService checks by itself.
	s := newCardShop(t, "m1")
	bad := plan()
	bad.Benefits.EarnMultiplier = decimal.NewFromInt(3)
	_, err := membership.NewService(membership.NewMemoryStore(), s.points, []membership.Plan{bad})
	assert.ErrorIs(t, err, membership.ErrBenefitUnreachable)
}
