package pricing_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
)

// BenchmarkPrice prices a 50-line basket under 20 promotions with 3
// coupons presented (issue 15's target: 30 µs).
func BenchmarkPrice(b *testing.B) {
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
	res, err := e.Price(basket)
	if err != nil {
		b.Fatal(err)
	}
	applied := len(res.Applied())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Price(basket); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(applied), "applied/op")
}
