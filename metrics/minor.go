package metrics

import (
	"math"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// Summing a million decimals allocates millions of big.Ints. Till amounts
// are whole numbers of the currency's minor unit, so sums run in int64
// minor units while that is exact, and fall back to decimal for any amount
// with finer precision or a sum that would overflow: the result is the
// same exact decimal either way, only faster.

// pow10 is money.Pow10.
var pow10 = money.Pow10

// toMinor returns d in minor units of scale, if that is exact and fits.
func toMinor(d decimal.Decimal, scale int32) (int64, bool) {
	e := d.Exponent()
	if e > 0 || e < -scale || d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	mul := pow10[scale+e] // scale ≤ 4 for every ISO 4217 currency
	if c > math.MaxInt64/mul || c < math.MinInt64/mul {
		return 0, false
	}
	return c * mul, true
}

// purchaseMinor is Purchase.Total in minor units, if exact and in range.
func purchaseMinor(p *customer.Purchase, scale int32) (int64, bool) {
	var sum int64
	for i := range p.Lines {
		v, ok := toMinor(p.Lines[i].Total, scale)
		if !ok {
			return 0, false
		}
		if sum, ok = addInt64(sum, v); !ok {
			return 0, false
		}
	}
	disc, ok := toMinor(p.OrderDiscount, scale)
	if !ok {
		return 0, false
	}
	return addInt64(sum, -disc)
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// minorSum is an exact running total of money in one currency.
type minorSum struct {
	units int64           // in minor units
	rest  decimal.Decimal // what did not fit in units
}

func (s *minorSum) addUnits(v int64, scale int32) {
	if sum, ok := addInt64(s.units, v); ok {
		s.units = sum
		return
	}
	s.rest = s.rest.Add(decimal.New(v, -scale))
}

func (s *minorSum) addDecimal(d decimal.Decimal, scale int32) {
	if v, ok := toMinor(d, scale); ok {
		s.addUnits(v, scale)
		return
	}
	s.rest = s.rest.Add(d)
}

func (s *minorSum) value(scale int32) decimal.Decimal {
	return decimal.New(s.units, -scale).Add(s.rest)
}

// saleAmounts are a purchase's gross, refunds and net.
type saleAmounts struct {
	grossUnits, refundUnits int64
	exact                   bool
	gross, refund           decimal.Decimal // set when not exact
}

func amountsOf(p *customer.Purchase, refund decimal.Decimal, scale int32) saleAmounts {
	g, gok := purchaseMinor(p, scale)
	r, rok := toMinor(refund, scale)
	if _, nok := addInt64(g, -r); gok && rok && nok {
		return saleAmounts{grossUnits: g, refundUnits: r, exact: true}
	}
	return saleAmounts{gross: p.Total(), refund: refund}
}

func (a saleAmounts) addGross(s *minorSum, scale int32) {
	if a.exact {
		s.addUnits(a.grossUnits, scale)
		return
	}
	s.addDecimal(a.gross, scale)
}

func (a saleAmounts) addRefund(s *minorSum, scale int32) {
	if a.exact {
		s.addUnits(a.refundUnits, scale)
		return
	}
	s.addDecimal(a.refund, scale)
}

func (a saleAmounts) addNet(s *minorSum, scale int32) {
	if a.exact {
		s.addUnits(a.grossUnits-a.refundUnits, scale)
		return
	}
	s.addDecimal(a.gross.Sub(a.refund), scale)
}
