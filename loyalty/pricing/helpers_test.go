package pricing_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var shanghai = time.FixedZone("CST", 8*3600)

// at is 2026-03-08 10:00 in Shanghai, the 8th of the month.
var at = time.Date(2026, 3, 8, 10, 0, 0, 0, shanghai)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func item(sku, cat string, qty int64, price string) pricing.Item {
	return pricing.Item{SKU: sku, Name: sku, Category: cat, Brand: "B-" + cat, Quantity: decimal.NewFromInt(qty), UnitPrice: d(price)}
}

func basket(items ...pricing.Item) pricing.Basket {
	return pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: at, Items: items}
}

func engine(t testing.TB, promos ...pricing.Offer) *pricing.Engine {
	t.Helper()
	e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY", Promotions: promos}, shanghai)
	require.NoError(t, err)
	return e
}

// price prices b and checks the invariants every result must keep.
func price(t *testing.T, e *pricing.Engine, b pricing.Basket) pricing.Result {
	t.Helper()
	r, err := e.Price(b)
	require.NoError(t, err)
	checkResult(t, r)
	return r
}

// checkResult checks that shares sum to line discounts, lines to the
// order, decisions to the discount, and that the purchase is valid.
func checkResult(t testing.TB, r pricing.Result) {
	t.Helper()
	gross, disc, total := decimal.Zero, decimal.Zero, decimal.Zero
	for i, l := range r.Lines {
		s := decimal.Zero
		for _, sh := range r.Shares(i) {
			require.True(t, sh.Amount.IsPositive(), "line %d: share of %s", i, sh.Offer)
			s = s.Add(sh.Amount)
		}
		require.True(t, s.Equal(l.Discount()), "line %d: shares %s, discount %s", i, s, l.Discount())
		require.True(t, l.Gross().Sub(l.Discount()).Equal(l.Total()), "line %d", i)
		require.False(t, l.Total().IsNegative(), "line %d", i)
		gross, disc, total = gross.Add(l.Gross()), disc.Add(l.Discount()), total.Add(l.Total())
	}
	require.True(t, gross.Equal(r.Gross) && disc.Equal(r.Discount) && total.Equal(r.Total))
	applied := decimal.Zero
	for _, dc := range r.Decisions {
		require.Equal(t, dc.Applied, dc.Reason == "", "decision %s: applied %v, reason %q", dc.Offer, dc.Applied, dc.Reason)
		if dc.Applied {
			applied = applied.Add(dc.Amount())
		} else {
			require.True(t, dc.Amount().IsZero(), "decision %s", dc.Offer)
		}
	}
	require.True(t, applied.Equal(r.Discount), "decisions %s, discount %s", applied, r.Discount)
	require.NoError(t, customer.ValidatePurchase(r.Purchase("P1", "S-01")))
}

func decision(t *testing.T, r pricing.Result, offer string) pricing.Decision {
	t.Helper()
	for _, dc := range r.Decisions {
		if dc.Offer == offer {
			return dc
		}
	}
	t.Fatalf("no decision for %s", offer)
	return pricing.Decision{}
}

func amounts(r pricing.Result) []string {
	out := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		out[i] = l.Discount().StringFixed(2)
	}
	return out
}
