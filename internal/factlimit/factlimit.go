package factlimit

import (
	"math"

	"github.com/shopspring/decimal"
)

const (
	// MaxLines bounds the lines of one purchase or return.
	MaxLines = 1000
	// MaxAmountMinor bounds the sum of a purchase's line amounts (and any
	// one amount), in the currency's minor unit: 10^12, ten billion CNY.
	MaxAmountMinor = 1_000_000_000_000
	// MaxQuantity bounds the total quantity of a purchase, in units.
	MaxQuantity = 1_000_000_000
	// MaxPoints bounds the points of one operation (an earn, a
	// redemption, a goodwill grant), so no sequence of operations a shop
	// could perform overflows int64 sums: loyalty's ledger bound.
	MaxPoints = 1_000_000_000_000
	// QuantityScale is the number of decimals a quantity may have:
	// goods sold by weight are exact to the milligram of a kilogram.
	QuantityScale = 6
)

// Scaled returns d × 10^scale as an int64 when that is exact and fits
// comfortably, and false otherwise: a 7th decimal of a quantity at scale
// 6, a fraction of a cent at scale 2, or 1e400 at any scale. It never
// allocates in proportion to d's exponent, so hostile input is cheap.
func Scaled(d decimal.Decimal, scale int32) (int64, bool) {
	if d.IsZero() {
		return 0, true
	}
	if e := d.Exponent(); e < -30 || e > 30 || d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	for shift := int(d.Exponent()) + int(scale); shift != 0; {
		if shift > 0 {
			if c > math.MaxInt64/10 || c < math.MinInt64/10 {
				return 0, false
			}
			c *= 10
			shift--
			continue
		}
		if c%10 != 0 {
			return 0, false
		}
		c /= 10
		shift++
	}
	return c, true
}

// Amount reports whether d is an amount exact in a currency with minor
// unit scale and within ±MaxAmountMinor of it, returning it in minor
// units.
func Amount(d decimal.Decimal, scale int32) (int64, bool) {
	v, ok := Scaled(d, scale)
	return v, ok && v >= -MaxAmountMinor && v <= MaxAmountMinor
}

// Quantity reports whether q has at most QuantityScale decimals and lies
// within ±MaxQuantity, returning it in millionths.
func Quantity(q decimal.Decimal) (int64, bool) {
	v, ok := Scaled(q, QuantityScale)
	const limit = MaxQuantity * 1_000_000
	return v, ok && v >= -limit && v <= limit
}

// Sane reports whether d is small enough in digits and exponent for
// decimal arithmetic on it to be cheap (a unit price, which may be finer
// than the currency's minor unit).
func Sane(d decimal.Decimal) bool {
	if d.IsZero() {
		return true
	}
	e := d.Exponent()
	return e >= -30 && e <= 30 && d.NumDigits() <= 30
}
