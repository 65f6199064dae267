package storedvalue

import "math/bits"

// mulDiv returns a×b / c and its remainder for non-negative a, b and
// positive c, exact in 128 bits: amounts are at most MaxAmountMinor, so
// the quotient fits when b <= c.
func mulDiv(a, b, c int64) (int64, uint64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, r := bits.Div64(hi, lo, uint64(c))
	return int64(q), r
}
