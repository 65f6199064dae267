package metrics

import (
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// RoundingRule names how every rounded money figure is rounded: to the
// currency's minor unit (the ISO 4217 scale CLDR gives through
// x/text/currency, shared with the other packages: 2 for CNY and EUR, 0
// for JPY and KRW, 3 for KWD), halves away from zero.
// Sums of money are exact and never rounded; only quotients (averages,
// per-customer figures) are.
const RoundingRule = "minor-unit, half away from zero"

// Money computations accept one currency per call. Mixing is an error
// (ErrMixedCurrency) rather than a silent sum of yuan and dollars, and a
// per-currency grouping would make every result a map; a chain that sells
// in several currencies filters with PurchasesIn and ReturnsIn and calls
// once per currency.

// currencyGuard remembers the first currency seen and rejects any other.
type currencyGuard struct {
	code  string
	scale int32
}

// check takes the record's kind and ID apart so the hot path builds no
// string; the name is put together only for an error.
func (g *currencyGuard) check(kind, id, code string) error {
	if g.code != "" {
		if code != g.code {
			return fieldErr(ErrMixedCurrency, kind+" "+id, "Currency", "%q after %q", code, g.code)
		}
		return nil
	}
	scale, err := money.MinorUnits(code)
	if err != nil {
		return fieldErr(ErrCurrency, kind+" "+id, "Currency", "%q: %v", code, err)
	}
	g.code, g.scale = code, scale
	return nil
}

// perHead divides an exact total by a positive count and rounds to the
// minor unit; with no count it is zero (no division on a zero divisor).
func perHead(total decimal.Decimal, n int, scale int32) decimal.Decimal {
	if n <= 0 {
		return decimal.Zero
	}
	return total.DivRound(decimal.NewFromInt(int64(n)), scale)
}

// ratio is a/b as a float64, 0 when b is zero: shares of money are
// statistics, so they leave decimal here, explicitly.
func ratio(a, b decimal.Decimal) float64 {
	if b.IsZero() {
		return 0
	}
	return a.DivRound(b, 12).InexactFloat64()
}

// PurchasesIn passes on only the purchases in one currency, so a
// multi-currency stream can be measured one currency at a time.
func PurchasesIn(purchases iter.Seq2[customer.Purchase, error], code string) iter.Seq2[customer.Purchase, error] {
	return func(yield func(customer.Purchase, error) bool) {
		for p, err := range purchases {
			if err == nil && p.Currency != code {
				continue
			}
			if !yield(p, err) {
				return
			}
		}
	}
}

// ReturnsIn passes on only the returns in one currency.
func ReturnsIn(returns iter.Seq2[customer.Return, error], code string) iter.Seq2[customer.Return, error] {
	return func(yield func(customer.Return, error) bool) {
		for r, err := range returns {
			if err == nil && r.Currency != code {
				continue
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

// refundIndex sums refunds per purchase ID. Refunds count against the
// purchase they reference, in its period, whenever they happened before
// the cut-off; later ones are left out so a figure "as of" a time never
// changes afterwards.
type refundIndex struct {
	byPurchase map[string]decimal.Decimal
	used       map[string]bool
}

func indexRefunds(returns iter.Seq2[customer.Return, error], cutoff time.Time, g *currencyGuard) (refundIndex, error) {
	idx := refundIndex{byPurchase: map[string]decimal.Decimal{}, used: map[string]bool{}}
	if returns == nil {
		return idx, nil
	}
	for r, err := range returns {
		if err != nil {
			return refundIndex{}, readErr("returns", err)
		}
		if !r.Time.Before(cutoff) {
			continue
		}
		if err := g.check("return", r.ID, r.Currency); err != nil {
			return refundIndex{}, err
		}
		idx.byPurchase[r.PurchaseID] = idx.byPurchase[r.PurchaseID].Add(r.Refund)
	}
	return idx, nil
}

// take returns the refunds of a purchase and marks them matched.
func (x refundIndex) take(purchaseID string) decimal.Decimal {
	v, ok := x.byPurchase[purchaseID]
	if ok {
		x.used[purchaseID] = true
	}
	return v
}

// unmatched counts purchases with refunds that no purchase in the stream
// claimed (their purchase lies outside the analysed range).
func (x refundIndex) unmatched() int { return len(x.byPurchase) - len(x.used) }
