package pricing_test

import (
	"fmt"
	"github.com/clientele-go/clientele/customer"
	"math/rand/v2"
	"testing"

	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
)

// BenchmarkPrice prices a 50-line basket under 20 promotions with 3
// coupons presented (issue 15's target: 30 µs), in two shapes:
//
//   - Shop: a shop's promotions, most scoped to a category, a brand or
//     a few SKUs (10 categories in the basket), three over the whole
//     basket (满减, 每满减, a member day that is not today); three
//     coupons, one of which falls short of its minimum;
//   - EveryOfferEveryLine: random offers, two thirds over the whole
//     basket, all combinable: every offer touches every line, 24
//     apply, the worst case for the allocation.
func BenchmarkPrice(b *testing.B) {
	b.Run("Shop", benchShop)
	b.Run("EveryOfferEveryLine", benchEveryLine)
}

func benchShop(b *testing.B) {
	pct := func(id string, p int64, sc pricing.Scope) pricing.Offer {
		return pricing.Offer{ID: id, Kind: pricing.KindPercentOff, Percent: decimal.NewFromInt(p), Scope: sc}
	}
	cat := func(i int) pricing.Scope { return pricing.Scope{Categories: []string{fmt.Sprint("cat", i)}} }
	var promos []pricing.Offer
	for i := range 8 {
		promos = append(promos, pct(fmt.Sprint("cat-pct-", i), int64(5+i), cat(i)))
	}
	promos = append(promos,
		pricing.Offer{ID: "b2g1", Kind: pricing.KindBuyXGetY, Buy: 2, Get: 1, Scope: cat(8)},
		pricing.Offer{ID: "3for99", Kind: pricing.KindNForPrice, N: 3, Amount: decimal.NewFromInt(99), Scope: cat(9)},
		pricing.Offer{ID: "brand-a", Kind: pricing.KindPercentOff, Percent: decimal.NewFromInt(3), Scope: pricing.Scope{Brands: []string{"b0"}}},
		pricing.Offer{ID: "brand-b", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(10), MinSpend: decimal.NewFromInt(100), Scope: pricing.Scope{Brands: []string{"b1"}}},
	)
	for i := range 5 {
		promos = append(promos, pct(fmt.Sprint("sku-", i), 10, pricing.Scope{SKUs: []string{fmt.Sprint("SKU", i*7), fmt.Sprint("SKU", i*7+1), fmt.Sprint("SKU", i*7+2)}}))
	}
	promos = append(promos,
		pricing.Offer{ID: "500-30", Kind: pricing.KindSpendSave, Threshold: decimal.NewFromInt(500), Amount: decimal.NewFromInt(30), Priority: -1},
		pricing.Offer{ID: "every-1000", Kind: pricing.KindSpendSave, Threshold: decimal.NewFromInt(1000), Amount: decimal.NewFromInt(50), Repeat: true, Priority: -1},
		pricing.Offer{ID: "member-day", Kind: pricing.KindMemberDay, Percent: decimal.NewFromInt(10), When: pricing.When{DaysOfMonth: []int{18, 28}}},
	)
	e := engine(b, promos...)
	r := rand.New(rand.NewPCG(15, 16))
	basket := pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: at,
		Member: &pricing.Member{ID: "C1", Tier: "gold", TierDiscount: decimal.NewFromInt(2)}}
	for i := range 50 {
		basket.Items = append(basket.Items, pricing.Item{SKU: fmt.Sprint("SKU", i), Name: fmt.Sprint("item ", i),
			Category: fmt.Sprint("cat", i%10), Brand: fmt.Sprint("b", i%5), Quantity: decimal.NewFromInt(1 + r.Int64N(3)),
			UnitPrice: decimal.New(100+r.Int64N(20000), -2)})
	}
	basket.Coupons = []pricing.Coupon{
		{Ref: "K1", Offer: pricing.Offer{ID: "c20", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(100)}},
		{Ref: "K2", Offer: pricing.Offer{ID: "c-cat3", Kind: pricing.KindPercentOff, Percent: decimal.NewFromInt(15), Scope: cat(3)}},
		{Ref: "K3", Offer: pricing.Offer{ID: "c-big", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(300), MinSpend: decimal.NewFromInt(100000)}},
	}
	loop(b, e, basket)
}

func benchEveryLine(b *testing.B) {
	r := rand.New(rand.NewPCG(15, 15))
	var promos []pricing.Offer
	for i := range 20 {
		o := randomOffer(r, fmt.Sprint("p", i))
		o.Stacking = "" // every offer is considered in full
		o.MinSpend = decimal.Zero
		promos = append(promos, o)
	}
	e := engine(b, promos...)
	basket := randomBasket(r, 50, 3)
	for i := range basket.Coupons {
		basket.Coupons[i].Offer.Stacking = ""
	}
	loop(b, e, basket)
}

// loop prices basket in the benchmark loop, reporting the process's CPU
// time per operation and how many offers applied.
func loop(b *testing.B, e *pricing.Engine, basket pricing.Basket) {
	res, err := e.Price(basket)
	if err != nil {
		b.Fatal(err)
	}
	applied := len(res.Applied())
	b.ReportAllocs()
	n, c0 := 0, cpuTime()
	for b.Loop() {
		if _, err := e.Price(basket); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(n), "cpu-ns/op")
	b.ReportMetric(float64(applied), "applied/op")
}
