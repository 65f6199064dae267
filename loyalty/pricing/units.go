package pricing

import (
	"math"
	"math/bits"

	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// pow10 is money.Pow10.
var pow10 = money.Pow10

// scaledWithin is factlimit.Scaled(d, scale), accepted only within
// ±limit, with a fast path for the common case: a coefficient of at most
// 18 digits (so exact in an int64) scaled up by a power of ten within
// the limit is one multiplication, where factlimit.Scaled multiplies by
// ten per digit with an overflow check each time (a basket's quantities,
// 1 scaled to 1000000, were a twentieth of pricing's time). Every other
// value takes factlimit's path, so the answers are the same.
func scaledWithin(d decimal.Decimal, scale int32, limit int64) (int64, bool) {
	if d.IsZero() {
		return 0, true // a basket's member prices mostly
	}
	if shift := d.Exponent() + scale; shift >= 0 && shift < int32(len(pow10)) && d.NumDigits() <= 18 {
		// |c| × 10^shift within limit, by a 128-bit product (a division
		// of the limit by the power took as long as the rest).
		c := d.CoefficientInt64()
		abs := uint64(c)
		if c < 0 {
			abs = -abs
		}
		if hi, lo := bits.Mul64(abs, uint64(pow10[shift])); hi == 0 && lo <= uint64(limit) {
			return c * pow10[shift], true
		}
	}
	v, ok := factlimit.Scaled(d, scale)
	return v, ok && -limit <= v && v <= limit
}

// amountOf is factlimit.Amount by way of scaledWithin.
func amountOf(d decimal.Decimal, scale int32) (int64, bool) {
	return scaledWithin(d, scale, factlimit.MaxAmountMinor)
}

// scaled is factlimit.Scaled by way of scaledWithin: with no limit of
// its own, the fast path answers as factlimit does.
func scaled(d decimal.Decimal, scale int32) (int64, bool) {
	return scaledWithin(d, scale, math.MaxInt64)
}

// quantityOf is factlimit.Quantity by way of scaledWithin.
func quantityOf(q decimal.Decimal) (int64, bool) {
	return scaledWithin(q, factlimit.QuantityScale, factlimit.MaxQuantity*1_000_000)
}
