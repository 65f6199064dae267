package pricing_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// randomOffer draws an offer of any kind over a random scope.
func randomOffer(r *rand.Rand, id string) pricing.Offer {
	money := func(max int64) decimal.Decimal { return decimal.New(1+r.Int64N(max), -2) }
	o := pricing.Offer{ID: id, Priority: r.IntN(3)}
	switch r.IntN(6) {
	case 0:
		o.Kind, o.Threshold, o.Amount, o.Repeat = pricing.KindSpendSave, money(30000), money(5000), r.IntN(2) == 0
	case 1:
		o.Kind, o.Amount = pricing.KindAmountOff, money(5000)
	case 2:
		o.Kind, o.Percent = pricing.KindPercentOff, decimal.New(1+r.Int64N(10000), -2)
	case 3:
		o.Kind, o.N, o.Amount = pricing.KindNForPrice, 2+r.IntN(3), money(20000)
	case 4:
		o.Kind, o.Buy, o.Get, o.Percent = pricing.KindBuyXGetY, 1+r.IntN(3), 1+r.IntN(2), decimal.New(r.Int64N(101), 0)
	default:
		o.Kind, o.Percent, o.When.DaysOfMonth = pricing.KindMemberDay, decimal.New(1+r.Int64N(30), 0), []int{8, 9 + r.IntN(20)}
	}
	switch r.IntN(6) {
	case 0:
		o.Scope.Categories = []string{fmt.Sprint("cat", r.IntN(4))}
	case 1:
		o.Scope.Brands = []string{fmt.Sprint("b", r.IntN(3))}
	case 2:
		o.Scope.SKUs = []string{fmt.Sprint("SKU", r.IntN(8)), fmt.Sprint("SKU", r.IntN(8))}
	case 3:
		o.Scope.ExcludeSKUs, o.Scope.ExcludeTags = []string{fmt.Sprint("SKU", r.IntN(8))}, []string{"tobacco"}
	}
	if r.IntN(4) == 0 {
		o.MinSpend = money(20000)
	}
	if r.IntN(4) == 0 {
		o.MaxDiscount = money(3000)
	}
	o.Stacking = []pricing.Stacking{"", "", "", pricing.StackExclusive, pricing.StackNoOtherCoupons}[r.IntN(5)]
	return o
}

func randomBasket(r *rand.Rand, lines, coupons int) pricing.Basket {
	b := pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: at}
	for i := range lines {
		it := pricing.Item{SKU: fmt.Sprint("SKU", i), Category: fmt.Sprint("cat", r.IntN(4)), Brand: fmt.Sprint("b", r.IntN(3)),
			Quantity: decimal.NewFromInt(1 + r.Int64N(5)), UnitPrice: decimal.New(r.Int64N(50000), -2)}
		if r.IntN(5) == 0 {
			it.Quantity = decimal.New(1+r.Int64N(3_000_000), -6) // sold by weight
		}
		if r.IntN(6) == 0 {
			it.Tags = []string{"tobacco"}
		}
		if r.IntN(4) == 0 {
			it.MemberPrice = it.UnitPrice.Mul(decimal.New(9, -1)).Round(2)
		}
		b.Items = append(b.Items, it)
	}
	if r.IntN(3) > 0 {
		b.Member = &pricing.Member{ID: "C1", Tier: "silver", TierDiscount: decimal.New(r.Int64N(1000), -2)}
	}
	for i := range coupons {
		b.Coupons = append(b.Coupons, pricing.Coupon{Ref: fmt.Sprint("K", i), Offer: randomOffer(r, fmt.Sprint("coupon", i))})
	}
	return b
}

// TestRandomBaskets prices random baskets under random rules and checks
// every result's invariants: shares sum to line discounts, lines to the
// order, applied decisions to the discount, no line below zero, a valid
// purchase, the same answer twice, and a full return refunding the total.
func TestRandomBaskets(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(uint64(seed), 15))
	runs := 1000
	if testing.Short() {
		runs = 200
	}
	for range runs {
		var promos []pricing.Offer
		for i := range r.IntN(8) {
			promos = append(promos, randomOffer(r, fmt.Sprint("p", i)))
		}
		e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY", Promotions: promos}, shanghai)
		require.NoError(t, err)
		b := randomBasket(r, 1+r.IntN(12), r.IntN(4))
		res, err := e.Price(b)
		require.NoError(t, err, "seed %d", seed)
		checkRepeatAndRefund(t, e, b, res, fmt.Sprint("seed ", seed))
	}
}

// Price keeps its invariants for any offer and basket the fuzzer draws:
// an invalid one is ErrInvalid, never a panic; a valid one has shares
// summing to lines and lines to the order, a valid purchase, the same
// answer twice, and a full return refunding exactly the total.
func FuzzPrice(f *testing.F) {
	f.Add(uint8(0), "5", "10", "100", 3, 2, 1, "2", "168.00", "0.5", "19.99", uint8(0), true)
	f.Add(uint8(3), "0", "99", "0", 3, 0, 0, "7", "12.30", "1", "0.01", uint8(1), false)
	f.Add(uint8(4), "50", "0", "0", 0, 2, 1, "5", "33.33", "3", "0", uint8(2), true)
	f.Add(uint8(1), "0", "1000000", "0.01", 0, 0, 0, "0.000001", "99999999.99", "999999", "1", uint8(0), true)
	f.Fuzz(func(t *testing.T, kind uint8, pct, amount, minSpend string, n, buy, get int,
		qty1, price1, qty2, price2 string, stacking uint8, member bool) {
		dec := func(s string) decimal.Decimal {
			v, err := decimal.NewFromString(s)
			if err != nil {
				return decimal.Zero
			}
			return v
		}
		kinds := []pricing.Kind{pricing.KindSpendSave, pricing.KindAmountOff, pricing.KindPercentOff, pricing.KindNForPrice, pricing.KindBuyXGetY, pricing.KindMemberDay}
		o := pricing.Offer{ID: "p", Kind: kinds[int(kind)%len(kinds)], Percent: dec(pct), Amount: dec(amount), MinSpend: dec(minSpend),
			N: n, Buy: buy, Get: get, Stacking: []pricing.Stacking{"", pricing.StackExclusive, pricing.StackNoOtherCoupons}[int(stacking)%3]}
		switch o.Kind {
		case pricing.KindSpendSave:
			o.Threshold = o.MinSpend
		case pricing.KindMemberDay:
			o.When.DaysOfMonth = []int{8}
		}
		e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY", Promotions: []pricing.Offer{o}}, shanghai)
		if err != nil {
			require.ErrorIs(t, err, pricing.ErrInvalid)
			return
		}
		coupon := o
		coupon.ID = "c"
		b := basket(pricing.Item{SKU: "A", Category: "tea", Quantity: dec(qty1), UnitPrice: dec(price1)},
			pricing.Item{SKU: "B", Category: "cup", Quantity: dec(qty2), UnitPrice: dec(price2), MemberPrice: dec(price2).Div(decimal.NewFromInt(2)).Round(2)})
		b.Coupons = []pricing.Coupon{{Ref: "****0001", Offer: coupon}}
		if member {
			b.Member = &pricing.Member{ID: "M", Tier: "gold", TierDiscount: decimal.NewFromInt(3)}
		}
		res, err := e.Price(b)
		if err != nil {
			require.ErrorIs(t, err, pricing.ErrInvalid)
			return
		}
		checkRepeatAndRefund(t, e, b, res, "")
	})
}

// checkRepeatAndRefund checks a priced basket: the result is valid,
// pricing the basket again gives the same amounts, and returning every
// line refunds exactly what the purchase cost.
func checkRepeatAndRefund(t *testing.T, e *pricing.Engine, b pricing.Basket, res pricing.Result, what string) {
	t.Helper()
	checkResult(t, res)
	again, err := e.Price(b)
	require.NoError(t, err, what)
	require.Equal(t, amounts(res), amounts(again), what)
	p := res.Purchase("P", "")
	var all []customer.ReturnLine
	for i, l := range p.Lines {
		all = append(all, customer.ReturnLine{Line: i + 1, Quantity: l.Quantity})
	}
	refund, err := pricing.Refund(p, nil, all)
	require.NoError(t, err, what)
	require.True(t, refund.Equal(p.Total()), "%s: refund %s of %s", what, refund, p.Total())
}
