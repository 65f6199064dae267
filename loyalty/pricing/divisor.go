package pricing

import "math/bits"

// divisor divides by one number many times with a multiplication by its
// reciprocal instead of a division instruction, which on the machines
// pricing runs on takes tens of cycles: an allocation divides every
// line's product by the same total, and the divisions were most of its
// time. m is ⌊(2^64−1)/d⌋ ≥ (2^64−d)/d, so x×m/2^64 lies in (x/d − 1,
// x/d] for every x < 2^64: its high word is ⌊x/d⌋ or one less, and
// divmod corrects it.
type divisor struct{ d, m uint64 }

func newDivisor(d uint64) divisor { return divisor{d: d, m: ^uint64(0) / d} }

// divmod returns ⌊x/d⌋ and x mod d.
func (v divisor) divmod(x uint64) (q, r uint64) {
	q, _ = bits.Mul64(x, v.m)
	r = x - q*v.d
	if r >= v.d { // one correction at most, made without a branch
		q++
		r -= v.d
	}
	return q, r
}
