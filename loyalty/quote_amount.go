package loyalty

import (
	"math/big"
	"strconv"

	"github.com/clientele-go/clientele/internal/jsonappend"
	"github.com/shopspring/decimal"
)

// amount is an exact decimal c × 10^exp whose coefficient fits an int64.
// Quotes keep their money this way and build a decimal.Decimal only when
// asked: a 50-line quote would otherwise allocate some 140 decimals (two
// allocations each) that most callers never read. It is canonical (no
// trailing zeros in c, zero is {0, 0}) so that equal amounts are equal
// structs, and a quote decoded from JSON equals the one encoded.
type amount struct {
	c   int64
	exp int32
}

// maxAmountExp bounds the exponents amounts accept from decoded JSON, so a
// crafted "1e999999999" is an error rather than a huge string.
const maxAmountExp = 40

// newAmount returns c × 10^exp in canonical form.
func newAmount(c int64, exp int32) amount {
	if c == 0 {
		return amount{}
	}
	for c%10 == 0 {
		c /= 10
		exp++
	}
	return amount{c, exp}
}

// amountOf converts d exactly, and false when its coefficient does not
// fit an int64 or its exponent is out of range.
func amountOf(d decimal.Decimal) (amount, bool) {
	if d.IsZero() {
		return amount{}, true
	}
	if e := d.Exponent(); e < -maxAmountExp || e > maxAmountExp {
		return amount{}, false
	}
	n := d.NumDigits()
	if n > 19 || n == 19 && !d.Coefficient().IsInt64() {
		return amount{}, false
	}
	a := newAmount(d.CoefficientInt64(), d.Exponent())
	// Written out (JSON has no exponent form for it) the integer part must
	// stay within 18 digits, or the text would not decode back.
	if a.exp > 0 && digits(a.c)+int(a.exp) > 18 {
		return amount{}, false
	}
	return a, true
}

// digits is the number of decimal digits of |c|.
func digits(c int64) int {
	n := 1
	for c >= 10 || c <= -10 {
		c /= 10
		n++
	}
	return n
}

// decimal returns the amount as a decimal.
func (a amount) decimal() decimal.Decimal {
	if a.c == 0 {
		return decimal.Zero
	}
	return decimal.New(a.c, a.exp)
}

// appendJSON appends the amount as decimal.Decimal encodes it in JSON: a
// quoted plain string without trailing zeros.
func (a amount) appendJSON(b []byte) []byte {
	var buf [24]byte
	u := uint64(a.c)
	if a.c < 0 {
		u = -u
	}
	digits := strconv.AppendUint(buf[:0], u, 10)
	b = append(b, '"')
	b = jsonappend.Plain(b, a.c < 0, digits, int(a.exp))
	return append(b, '"')
}

// rawPoints is a non-negative number of points × 10^18 (the quote's exact
// arithmetic), kept as the integer and made a decimal only when asked.
type rawPoints = u128

// rawDecimal returns raw points as a decimal without trailing zeros.
func rawDecimal(x rawPoints) decimal.Decimal {
	if x.isZero() {
		return decimal.Zero
	}
	return trimmed(x)
}

// appendRawJSON appends raw points the way their decimal encodes in JSON.
func appendRawJSON(b []byte, x rawPoints) []byte {
	var buf [48]byte
	var digits []byte
	switch whole, frac := x.divmod(rawScale); {
	case x.hi == 0:
		digits = strconv.AppendUint(buf[:0], x.lo, 10)
	case whole.hi == 0:
		// More than 18 points: the whole points, then the 18 digits of
		// the fraction.
		digits = strconv.AppendUint(buf[:0], whole.lo, 10)
		n := len(digits)
		digits = strconv.AppendUint(digits, frac+rawScale, 10) // "1" + 18 digits
		digits = append(digits[:n], digits[n+1:]...)
	default:
		digits = x.big().Append(buf[:0], 10)
	}
	b = append(b, '"')
	b = jsonappend.Plain(b, false, digits, -18)
	return append(b, '"')
}

func (x u128) big() *big.Int {
	v := new(big.Int).SetUint64(x.hi)
	v.Lsh(v, 64)
	return v.Or(v, new(big.Int).SetUint64(x.lo))
}

// rawOf converts a decimal number of points to raw points exactly, and
// false when it is negative, has more than 18 decimals or exceeds 128 bits.
func rawOf(d decimal.Decimal) (rawPoints, bool) {
	if d.IsZero() {
		return u128{}, true
	}
	if e := d.Exponent(); d.Sign() < 0 || e < -maxAmountExp || e > maxAmountExp {
		return u128{}, false
	}
	s := d.Shift(18)
	if !s.IsInteger() {
		return u128{}, false
	}
	v := s.BigInt()
	if v.BitLen() > 128 {
		return u128{}, false
	}
	lo := new(big.Int).And(v, new(big.Int).SetUint64(^uint64(0))).Uint64()
	return u128{hi: new(big.Int).Rsh(v, 64).Uint64(), lo: lo}, true
}
