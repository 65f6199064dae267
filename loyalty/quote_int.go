package loyalty

import (
	"cmp"
	"math"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"
)

// u128 is an unsigned 128-bit integer. Quotes compute in integers scaled by
// 10^18 so that rounding happens exactly once per rule, where the rule
// says, and so that a 50-line basket needs no big-number allocation.
type u128 struct{ hi, lo uint64 }

func mul64(a, b uint64) u128 {
	hi, lo := bits.Mul64(a, b)
	return u128{hi, lo}
}

func (x u128) add(y u128) u128 {
	lo, c := bits.Add64(x.lo, y.lo, 0)
	hi, _ := bits.Add64(x.hi, y.hi, c)
	return u128{hi, lo}
}

// mulSmall multiplies by b; callers keep operands within the documented
// limits, so the product fits in 128 bits.
func (x u128) mulSmall(b uint64) u128 {
	hi, lo := bits.Mul64(x.lo, b)
	return u128{x.hi*b + hi, lo}
}

// divmod divides by d > 0.
func (x u128) divmod(d uint64) (u128, uint64) {
	if x.hi == 0 { // one hardware division instead of two
		return u128{0, x.lo / d}, x.lo % d
	}
	qhi := x.hi / d
	r := x.hi % d
	qlo, r := bits.Div64(r, x.lo, d)
	return u128{qhi, qlo}, r
}

func (x u128) less(y u128) bool {
	return x.hi < y.hi || (x.hi == y.hi && x.lo < y.lo)
}

func (x u128) isZero() bool { return x.hi == 0 && x.lo == 0 }

func (x u128) clampInt64() int64 {
	if x.hi != 0 || x.lo > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(x.lo)
}

// decimal returns x × 10^exp as a decimal.
func (x u128) decimal(exp int32) decimal.Decimal {
	if x.hi == 0 {
		if x.lo <= math.MaxInt64 {
			return decimal.New(int64(x.lo), exp)
		}
	}
	return decimal.NewFromBigInt(x.big(), exp)
}

const rawScale = 1_000_000_000_000_000_000 // 10^18: one point

var pow10 = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// roundRaw turns a raw total (points × 10^18) into whole points, and false
// when they exceed MaxQuotePoints.
func roundRaw(total u128, r Rounding) (int64, bool) {
	q, rem := total.divmod(rawScale)
	if q.hi != 0 || q.lo > MaxQuotePoints {
		return 0, false
	}
	n := int64(q.lo)
	switch r {
	case RoundCeil:
		if rem > 0 {
			n++
		}
	case RoundHalfUp:
		if rem >= rawScale/2 {
			n++
		}
	}
	return n, true
}

// distributeRaw splits a rule's whole points over its lines, whose exact
// shares are raw[i] (× 10^18). Each line gets the whole points its running
// sum crosses, floor(C_i) − floor(C_i−1): the lines add up to floor(sum),
// every line is within one point of its exact share, and no sort is
// needed. When the rule rounded up (total = floor(sum) + 1) the extra
// point goes to the line with the largest fraction that was not already
// carried up, ties to the earlier line, so no line exceeds the ceiling of
// its share.
func distributeRaw(total int64, raw []u128, out []int64) {
	var cum u128
	var prev int64
	for i, r := range raw {
		if r.isZero() {
			out[i] = 0
			continue
		}
		cum = cum.add(r)
		q, _ := cum.divmod(rawScale)
		c := q.clampInt64()
		out[i], prev = c-prev, c
	}
	if total <= prev {
		return
	}
	best, bestRem := -1, uint64(0)
	for i, r := range raw {
		if r.isZero() {
			continue
		}
		whole, frac := r.divmod(rawScale)
		if frac > bestRem && out[i] == whole.clampInt64() {
			best, bestRem = i, frac
		}
	}
	if best >= 0 {
		out[best] += total - prev
	}
}

// splitPoints splits total points (≥ 0) over weights (≥ 0) by running
// sums, like distributeRaw: out[i] = floor(total·C_i/W) − floor(total·C_i−1/W).
// The shares add up to total when any weight is positive, each is within
// one point of its exact share, and lines of zero weight get nothing.
func splitPoints(total int64, weights []int64, out []int64) {
	var w uint64
	for _, x := range weights {
		w += uint64(max(x, 0))
	}
	if w == 0 || total <= 0 {
		clear(out)
		return
	}
	var cum uint64
	var prev int64
	for i, x := range weights {
		if x <= 0 {
			out[i] = 0
			continue
		}
		cum += uint64(x)
		q, _ := mul64(uint64(total), cum).divmod(w)
		c := q.clampInt64()
		out[i], prev = c-prev, c
	}
}

// allocate splits total (≥ 0) over weights (≥ 0) in proportion, exactly:
// the shares sum to total when any weight is positive (largest remainder,
// ties to the earlier index); all zero otherwise.
func allocate(total int64, weights []int64, out []int64, rem []uint64, order []int) {
	var w uint64
	for _, x := range weights {
		w += uint64(max(x, 0))
	}
	if w == 0 || total <= 0 {
		clear(out)
		return
	}
	var sum int64
	for i, x := range weights {
		q, m := mul64(uint64(total), uint64(max(x, 0))).divmod(w)
		out[i] = q.clampInt64()
		rem[i] = m
		sum += out[i]
	}
	spreadRemainder(total-sum, out, rem, order)
}

// spreadRemainder adds one to the k entries with the largest remainders,
// ties to the earlier index.
func spreadRemainder(k int64, out []int64, rem []uint64, order []int) {
	if k <= 0 {
		return
	}
	if k <= 4 {
		// Few units to hand out (the usual case): pick maxima directly.
		for ; k > 0; k-- {
			best := -1
			for i, r := range rem {
				if r > 0 && (best < 0 || r > rem[best]) {
					best = i
				}
			}
			if best < 0 {
				break
			}
			out[best]++
			rem[best] = 0
		}
	} else {
		order = order[:0]
		for i := range out {
			if rem[i] > 0 {
				order = append(order, i)
			}
		}
		slices.SortFunc(order, func(a, b int) int {
			if rem[a] != rem[b] {
				return cmp.Compare(rem[b], rem[a])
			}
			return cmp.Compare(a, b)
		})
		for _, i := range order {
			if k == 0 {
				break
			}
			out[i]++
			k--
		}
	}
	// Only reachable if a caller broke the invariant; keep totals exact by
	// giving the rest to the first lines rather than losing points.
	for i := 0; k > 0 && len(out) > 0; i = (i + 1) % len(out) {
		out[i]++
		k--
	}
}
