package pricing

import (
	"math/bits"
)

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
	if c == 1 { // a count times an amount: no 128-bit division by one
		if lo > 1<<62 {
			return 0, false
		}
		return int64(lo), true
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

// ofQuantity returns qty millionths of a unit times price, rounded half
// up and rounded down: mulDivRound(qty, price, 1000000) and
// mulDivFloor's, and ok as mulDivRound's. When the product fits a word,
// as it does for every line under 18 million minor units, it divides by
// the constant, which the compiler turns into a multiplication; two
// 128-bit divisions per line were a thirtieth of pricing's time.
func ofQuantity(qty, price int64) (round, floor int64, ok bool) {
	if hi, lo := bits.Mul64(uint64(qty), uint64(price)); hi == 0 && qty >= 0 && price >= 0 {
		q, r := lo/1_000_000, lo%1_000_000
		round = int64(q) // q < 2^64 / 10^6 < 2^45
		if r >= 1_000_000-r {
			round++
		}
		return round, int64(q), true
	}
	round, ok = mulDivRound(qty, price, 1_000_000)
	floor, _ = mulDivFloor(qty, price, 1_000_000)
	return round, floor, ok
}
