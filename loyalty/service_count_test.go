package loyalty_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// What one operation may read from the store, whatever the member's
// history: the lots it spends or claws back (a 20-lot redemption reads a
// few more than 20 in spending order) and the records it touches.
var operationBudget = loyaltytest.Budget{MaxLots: 30, MaxRecords: 10, Forbid: loyaltytest.WholeHistory}

// longMember is one member with a long history, bought through the public
// service API, over a counting store.
type longMember struct {
	clock     *clock
	customers *customer.Service
	loyalty   *loyalty.Service
	store     *loyaltytest.CountingStore
	raw       loyalty.Store // the store under the counter, for the test's own reads
	member    string
	day       time.Time // the day after the last purchase
	paid      []string  // purchases a redemption paid for, half of them partly returned
}

// priorPurchases is the history the count test builds: 2,000 purchases
// (one a day for five and a half years), or 300 with -short.
func priorPurchases() int {
	if testing.Short() {
		return 300
	}
	return 2000
}

// newLongMember buys n purchases of 600 points each, one a day: every
// second one partly returned, every 40th (one of those) paid in part
// with points, a
// coupon obtained every 100th.
func newLongMember(t *testing.T, n int) *longMember {
	t.Helper()
	ctx := t.Context()
	lm := &longMember{clock: &clock{now: time.Date(2020, 1, 1, 9, 0, 0, 0, shanghai)}}
	program := testProgram(t, func(p *loyalty.Program) {
		noPending(p)
		// Each day's lot lapses on a day of its own, none during the history.
		p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireRolling, Days: 4000}
		p.Caps = loyalty.Caps{}
	})
	ids := 0
	lm.customers = customer.NewService(customer.NewMemoryStore(), &customer.Options{
		Clock: lm.clock.Now, Location: shanghai,
		NewID: func() string { ids++; return fmt.Sprintf("m%03d", ids) },
	})
	lm.raw = loyalty.NewMemoryStore()
	lm.store = loyaltytest.Counting(lm.raw)
	var err error
	lm.loyalty, err = loyalty.NewService(program, lm.store, lm.customers, &loyalty.Options{Clock: lm.clock.Now})
	require.NoError(t, err)
	c, err := lm.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Daily Coffee"}, Force: true, JoinedAt: lm.clock.Now()})
	require.NoError(t, err)
	lm.member = c.ID

	for i := range n {
		when := time.Date(2020, 1, 1, 10, 0, 0, 0, shanghai).AddDate(0, 0, i)
		lm.clock.set(when)
		id := fmt.Sprintf("p%05d", i)
		p := lm.purchase(t, id, when, line("BEANS", "coffee", 2, "300"))
		if i%40 == 38 { // an even one: partly returned too
			_, err := lm.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "r-" + id, MemberID: lm.member, Points: 500, PurchaseID: id, At: when})
			require.NoError(t, err)
			lm.paid = append(lm.paid, id)
		}
		_, err := lm.loyalty.Earn(ctx, p)
		require.NoError(t, err)
		if i%2 == 0 {
			lm.giveBack(t, id, "ret-"+id, when.Add(time.Hour))
		}
		if i%100 == 99 {
			_, err := lm.loyalty.ExchangeReward(ctx, loyalty.RewardRequest{ID: "cp-" + id, MemberID: lm.member, RewardID: "coupon-20", At: when})
			require.NoError(t, err)
		}
	}
	lm.day = time.Date(2020, 1, 1, 12, 0, 0, 0, shanghai).AddDate(0, 0, n)
	lm.clock.set(lm.day)
	return lm
}

// purchase records a purchase in the customer service.
func (lm *longMember) purchase(t *testing.T, id string, when time.Time, lines ...customer.Line) customer.Purchase {
	t.Helper()
	p, err := lm.customers.RecordPurchase(t.Context(), customer.Purchase{ID: id, CustomerID: lm.member, Store: "SH-02",
		Channel: customer.ChannelInStore, Time: when, Currency: "CNY", Lines: lines})
	require.NoError(t, err)
	return p
}

// giveBack returns one of a purchase's two bags and claws back its points.
func (lm *longMember) giveBack(t *testing.T, purchase, id string, when time.Time) loyalty.ReturnResult {
	t.Helper()
	ret, err := lm.customers.RecordReturn(t.Context(), customer.Return{ID: id, PurchaseID: purchase, Store: "SH-02", Time: when,
		Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}, Refund: dec("300")})
	require.NoError(t, err)
	res, err := lm.loyalty.Return(t.Context(), ret)
	require.NoError(t, err)
	return res
}

// firstLotsFree is the free points of the first n lots in spending order,
// read past the counter, in the programme's redemption steps of 100: a
// redemption of it draws from all n.
func (lm *longMember) firstLotsFree(t *testing.T, n int) int64 {
	t.Helper()
	var free int64
	for l, err := range lm.raw.SpendingLots(t.Context(), lm.member) {
		require.NoError(t, err)
		if n == 0 {
			break
		}
		free, n = free+l.Free(), n-1
	}
	return free - free%100
}

// TestOperationsReadBoundedHistory: after a long history, every operation
// reads a bounded number of lots and records, and never a member's whole
// history (DESIGN §2: an operation costs what it touches).
func TestOperationsReadBoundedHistory(t *testing.T) {
	n := priorPurchases()
	lm := newLongMember(t, n)
	ctx := t.Context()
	day := lm.day
	all, err := loyalty.LoadWhole(ctx, lm.store, lm.member)
	require.NoError(t, err)
	lots := 0
	for range all.Points.AllLots() {
		lots++
	}
	require.GreaterOrEqual(t, lots, n, "the history holds a lot per purchase")
	t.Logf("history: %d purchases, %d lots, %d paid with points, balance %d", n, lots, len(lm.paid), all.Points.Available(day))

	returnable := lm.paid[len(lm.paid)/2]
	var couponID string
	ops := []struct {
		name   string
		budget loyaltytest.Budget
		run    func(t *testing.T)
	}{
		{"Earn", operationBudget, func(t *testing.T) {
			_, err := lm.loyalty.Earn(ctx, lm.purchase(t, "new-1", day, line("BEANS", "coffee", 1, "600")))
			require.NoError(t, err)
		}},
		{"Quote", operationBudget, func(t *testing.T) {
			_, err := lm.loyalty.Quote(ctx, customer.Purchase{ID: "quote-1", CustomerID: lm.member, Store: "SH-02",
				Channel: customer.ChannelInStore, Time: day, Currency: "CNY", Lines: []customer.Line{line("BEANS", "coffee", 1, "600")}})
			require.NoError(t, err)
		}},
		{"RedeemOneLot", operationBudget, func(t *testing.T) {
			_, err := lm.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "r-one", MemberID: lm.member, Points: 500, At: day})
			require.NoError(t, err)
		}},
		{"RedeemTwentyLots", operationBudget, func(t *testing.T) {
			_, err := lm.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "r-twenty", MemberID: lm.member, Points: lm.firstLotsFree(t, 20), At: day})
			require.NoError(t, err)
			require.GreaterOrEqual(t, lm.store.Counts()[loyaltytest.MethodSpendingLots].Items, 20, "the redemption draws twenty lots")
		}},
		{"HoldAndCommit", operationBudget, func(t *testing.T) {
			_, err := lm.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h-commit", MemberID: lm.member, Points: 500, At: day})
			require.NoError(t, err)
			_, err = lm.loyalty.CommitHold(ctx, lm.member, "h-commit", "")
			require.NoError(t, err)
		}},
		{"HoldAndRelease", operationBudget, func(t *testing.T) {
			_, err := lm.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h-release", MemberID: lm.member, Points: 500, At: day})
			require.NoError(t, err)
			_, err = lm.loyalty.ReleaseHold(ctx, lm.member, "h-release")
			require.NoError(t, err)
		}},
		{"ReturnOfAPaidPartlyReturnedPurchase", operationBudget, func(t *testing.T) {
			lm.giveBack(t, returnable, "ret-again-"+returnable, day)
		}},
		{"Adjust", operationBudget, func(t *testing.T) {
			for _, pts := range []int64{50, -50} {
				_, err := lm.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: fmt.Sprintf("adj%+d", pts), MemberID: lm.member, Points: pts,
					Reason: "correction", Actor: "staff-1", At: day})
				require.NoError(t, err)
			}
		}},
		{"Goodwill", operationBudget, func(t *testing.T) {
			require.NoError(t, lm.loyalty.GrantGoodwill(ctx, lm.member, 30, "complaint-1", "late delivery"))
		}},
		{"ObtainCoupon", operationBudget, func(t *testing.T) {
			res, err := lm.loyalty.ExchangeReward(ctx, loyalty.RewardRequest{ID: "cp-new", MemberID: lm.member, RewardID: "coupon-20", At: day})
			require.NoError(t, err)
			couponID = res.Coupon.ID
		}},
		{"UseCoupon", operationBudget, func(t *testing.T) {
			lm.purchase(t, "new-2", day, line("BEANS", "coffee", 1, "200"))
			_, err := lm.loyalty.UseCoupon(ctx, lm.member, couponID, "new-2", day)
			require.NoError(t, err)
		}},
		{"Balance", operationBudget, func(t *testing.T) {
			_, err := lm.loyalty.Balance(ctx, lm.member)
			require.NoError(t, err)
		}},
		{"ReviewTiers", loyaltytest.Budget{MaxLots: 30, MaxRecords: 10,
			// The batch lists accounts; it reads no member's history.
			Forbid: []string{loyaltytest.MethodAllLots, loyaltytest.MethodRecords, loyaltytest.MethodEntries}}, func(t *testing.T) {
			_, err := lm.loyalty.ReviewTiers(ctx, day.Add(time.Hour), "")
			require.NoError(t, err)
		}},
		{"ExpireOneDueLot", loyaltytest.Budget{MaxLots: 30, MaxRecords: 10,
			// The batch lists accounts; it reads no member's history.
			Forbid: []string{loyaltytest.MethodAllLots, loyaltytest.MethodRecords, loyaltytest.MethodEntries}}, func(t *testing.T) {
			_, err := lm.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: "soon", MemberID: lm.member, Points: 10,
				ExpiresAt: day.Add(time.Hour), Reason: "goodwill", Actor: "staff-1", At: day})
			require.NoError(t, err)
			lm.store.Reset()
			rep, err := lm.loyalty.Expire(ctx, day.Add(2*time.Hour), "")
			require.NoError(t, err)
			require.Equal(t, int64(10), rep.Points, "the one due lot expired")
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			lm.store.SetBudget(op.budget)
			op.run(t)
			t.Logf("%s", lm.store)
			lm.store.Check(t, op.name)
		})
	}
	lm.store.SetBudget(loyaltytest.Budget{})
	_, err = loyaltytest.CheckInvariants(ctx, lm.store, lm.member, nil)
	require.NoError(t, err)
}
