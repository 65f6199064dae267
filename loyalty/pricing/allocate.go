package pricing

import (
	"math/bits"
)

// allocate splits off over weights w by the largest-remainder method:
// each share is floor(off × w[i] / Σw), and the minor units those floors
// leave over go one each to the lines with the largest remainders, the
// earlier line first among equal remainders. The shares sum to off
// exactly and none exceeds its weight. total must be Σw and at most
// factlimit.MaxAmountMinor (< 2^40), and off at most total. out and keys
// are scratch space of len(w).
func allocate(off, total int64, w, out []int64, keys *[]uint64) {
	clear(out)
	if off <= 0 || total <= 0 {
		return
	}
	var given int64
	ks := (*keys)[:0]
	div := newDivisor(uint64(total))
	for i, v := range w {
		if v <= 0 {
			continue
		}
		var q, r uint64
		if hi, lo := bits.Mul64(uint64(off), uint64(v)); hi == 0 {
			q, r = div.divmod(lo)
		} else {
			q, r = bits.Div64(hi, lo, uint64(total)) // hi < total: off ≤ total
		}
		out[i] = int64(q)
		given += int64(q)
		// Sort key: the largest remainder first, then the earlier line.
		// r < total < 2^40 and i < 2^11, so the key fits 51 bits and one
		// integer sort replaces a comparison closure (a third of pricing's
		// time before).
		ks = append(ks, (uint64(1<<40)-1-r)<<11|uint64(i))
	}
	*keys = ks
	left := off - given
	if left == 0 {
		return
	}
	smallest(ks, int(left))
	for _, k := range ks[:left] {
		out[k&(1<<11-1)]++
	}
}

// smallest reorders keys so that its k smallest come first, in any
// order (quickselect: linear on average, where a sort of 50 keys per
// offer was a fifth of pricing's time). Keys are distinct. The partition
// is Lomuto's without a branch on the comparison (every element is
// swapped, the boundary advances by the comparison's outcome): remainders
// are random, and a mispredicted branch per key cost more than the swaps.
func smallest(keys []uint64, k int) {
	lo, hi := 0, len(keys) // the k-th smallest lies in keys[lo:hi]
	for hi-lo > 1 && lo < k && k < hi {
		// Median of three as the pivot keeps sorted input linear; it goes
		// to the end while the rest is partitioned.
		mid, last := lo+(hi-lo)/2, hi-1
		if keys[mid] < keys[lo] {
			keys[mid], keys[lo] = keys[lo], keys[mid]
		}
		if keys[last] < keys[lo] {
			keys[last], keys[lo] = keys[lo], keys[last]
		}
		if keys[mid] < keys[last] {
			keys[mid], keys[last] = keys[last], keys[mid]
		}
		pivot, store := keys[last], lo
		for i := lo; i < last; i++ {
			x := keys[i]
			keys[i] = keys[store]
			keys[store] = x
			if x < pivot {
				store++
			}
		}
		keys[store], keys[last] = pivot, keys[store]
		// keys[lo:store] < pivot = keys[store] < keys[store+1:hi].
		switch {
		case k <= store:
			hi = store
		case k > store+1:
			lo = store + 1
		default:
			return
		}
	}
}

// mulDivRound returns a × b / c rounded half up, for non-negative a, b
// and positive c, and false when the result does not fit an int64.
func mulDivRound(a, b, c int64) (int64, bool) {
	if a < 0 || b < 0 || c <= 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	if r >= uint64(c)-r {
		q++
	}
	if q > 1<<62 {
		return 0, false
	}
	return int64(q), true
}

// percentOf is mulDivRound(v, pct, 100*100): v × pct hundredths of a
// percent, rounded half up. When the product fits a word, as it does for
// every amount under ten million units, it divides by the constant,
// which the compiler turns into a multiplication (the division
// instruction was a fifth of buy X get Y's time).
func percentOf(v, pct int64) (int64, bool) {
	if hi, lo := bits.Mul64(uint64(v), uint64(pct)); hi == 0 && v >= 0 && pct >= 0 {
		q, r := lo/(100*100), lo%(100*100)
		if r >= 100*100-r {
			q++
		}
		return int64(q), true // q < 2^64 / 10^4 < 2^62
	}
	return mulDivRound(v, pct, 100*100)
}

// mulDivFloor returns a × b / c rounded down, for non-negative a, b and
// positive c, and false when the result does not fit an int64.
func mulDivFloor(a, b, c int64) (int64, bool) {
	if a < 0 || b < 0 || c <= 0 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q), q <= 1<<62
}
