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

// smallDivisors are the divisors of the unit counts most lines have.
var smallDivisors = func() (t [64]divisor) {
	for d := 1; d < len(t); d++ {
		t[d] = newDivisor(uint64(d))
	}
	return t
}()

// divideBy returns ⌊x/d⌋ for d ≥ 1, by a reciprocal for the small d a
// line's unit count mostly is (a division instruction per line was a
// tenth of the unit offers' time).
func divideBy(d int64, x uint64) uint64 {
	if d >= 1 && d < int64(len(smallDivisors)) {
		q, _ := smallDivisors[d].divmod(x)
		return q
	}
	return x / uint64(d)
}

// ofUnits is mulDivRound(v, part, units): the value of part of a line's
// units, rounded half up. When the product fits a word and units is one
// of the small divisors, as it is for nearly every line a unit offer
// splits, it divides by the reciprocal: the 128-bit division it replaces
// takes up to a hundred cycles, once per split line of every unit offer.
func ofUnits(v, part, units int64) (int64, bool) {
	if hi, lo := bits.Mul64(uint64(v), uint64(part)); hi == 0 && v >= 0 && part >= 0 && units >= 1 && units < int64(len(smallDivisors)) {
		q, r := smallDivisors[units].divmod(lo)
		if r >= uint64(units)-r {
			q++
		}
		if q <= 1<<62 {
			return int64(q), true
		}
	}
	return mulDivRound(v, part, units)
}
