package segment

import (
	"fmt"
	"math"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// Money in this package is int64 minor units of one currency (cents for
// EUR and USD, fen for CNY, yen for JPY) at a declared scale, so sums over
// millions of purchases are exact and allocation-free. Converting from
// decimal.Decimal is exact or an error (ErrCurrency): nothing is rounded
// silently. Amounts leave the package as decimal.Decimal again (see
// Amount).

// DefaultScale is the number of decimal places of a minor unit when an
// Options value leaves Scale at zero and the currency is not known: two.
const DefaultScale = 2

// currencyScales are the ISO 4217 currencies whose minor unit is not 1/100.
var currencyScales = map[string]int32{
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0, "PYG": 0,
	"BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "IQD": 3, "LYD": 3, "TND": 3,
}

// ScaleOf returns the number of decimal places of the currency's minor
// unit per ISO 4217 (2 for currencies this package does not list).
func ScaleOf(currency string) int32 {
	if s, ok := currencyScales[currency]; ok {
		return s
	}
	return DefaultScale
}

// ToMinor converts an amount to minor units at scale. It fails with
// ErrCurrency if the amount has more decimal places than the scale allows
// and with ErrOverflow if it does not fit in int64.
func ToMinor(d decimal.Decimal, scale int32) (int64, error) {
	if !saneDecimal(d) {
		return 0, ErrOverflow
	}
	if v, ok, err := toMinorFast(d, scale); ok {
		return v, err
	}
	shifted := d.Shift(scale)
	if !shifted.Equal(shifted.Truncate(0)) {
		return 0, fmt.Errorf("%w: %s has more than %d decimal places", ErrCurrency, d.String(), scale)
	}
	bi := shifted.BigInt()
	if !bi.IsInt64() {
		return 0, ErrOverflow
	}
	return bi.Int64(), nil
}

// pow10 is money.Pow10.
var pow10 = money.Pow10

// toMinorFast converts without allocating when the coefficient fits in
// int64, which is every realistic amount; ok false sends the caller to the
// big-number path.
func toMinorFast(d decimal.Decimal, scale int32) (v int64, ok bool, err error) {
	if d.NumDigits() > 18 {
		return 0, false, nil
	}
	c, shift := d.CoefficientInt64(), d.Exponent()+scale
	switch {
	case shift >= 0 && shift <= 18:
		m := pow10[shift]
		if c > math.MaxInt64/m || c < math.MinInt64/m {
			return 0, true, ErrOverflow
		}
		return c * m, true, nil
	case shift < 0 && shift >= -18:
		m := pow10[-shift]
		if c%m != 0 {
			return 0, true, fmt.Errorf("%w: %s has more than %d decimal places", ErrCurrency, d.String(), scale)
		}
		return c / m, true, nil
	}
	return 0, false, nil
}

// purchaseMinor is Purchase.Total in minor units: the line totals less
// the order discount, each converted exactly and summed in int64 with
// overflow checks, which avoids the allocations of decimal sums. If a
// component is finer than the minor unit it falls back to converting the
// decimal total, so the result always equals ToMinor(p.Total(), scale).
func purchaseMinor(p customer.Purchase, scale int32) (int64, error) {
	sum, err := ToMinor(p.OrderDiscount, scale)
	if err != nil {
		return ToMinor(p.Total(), scale)
	}
	sum = -sum
	for _, l := range p.Lines {
		v, err := ToMinor(l.Total, scale)
		if err != nil {
			return ToMinor(p.Total(), scale)
		}
		var ok bool
		if sum, ok = addMoney(sum, v); !ok {
			return 0, ErrOverflow
		}
	}
	return sum, nil
}

// Amount converts minor units at scale back to a decimal amount.
func Amount(minor int64, scale int32) decimal.Decimal {
	return decimal.New(minor, -scale)
}

// addMoney adds two amounts in minor units, reporting overflow.
func addMoney(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// clampAdd adds with saturation; used only where a prior check proved the
// totals fit, so it is a guard, not a policy.
func clampAdd(a, b int64) int64 {
	if s, ok := addMoney(a, b); ok {
		return s
	}
	if b > 0 {
		return math.MaxInt64
	}
	return math.MinInt64
}

// saneDecimal reports whether d's exponent is small enough that shifting,
// comparing and printing it cannot blow up (1e999999999 is a valid
// decimal whose expansion would take a gigabyte).
func saneDecimal(d decimal.Decimal) bool {
	e := d.Exponent()
	return e >= -40 && e <= 40
}
