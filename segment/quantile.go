package segment

import (
	"math"
	"math/bits"
)

// Quantile scoring and its tie policy.
//
// Customers are ranked from worst to best value. A customer whose value
// is beaten by L of the N scored customers (L customers have a strictly
// worse value) gets
//
//	score = 1 + ⌊bins × L / N⌋
//
// so every customer in a group of equal values gets the score of the
// group's lowest rank. Consequences, all tested: equal values get equal
// scores whatever the input order; scores never decrease as values
// improve; the worst value always scores 1; and when one value is shared
// by more than N/bins customers (most customers bought once, say) the
// scores that group would have spanned stay empty rather than splitting
// equal customers arbitrarily. Nothing about the group depends on the
// order customers arrive.

// quantileScores writes into out[i] the score of vals[i], where a larger
// value is better. It sorts (value, index) pairs with an LSD radix sort,
// which for the int64 keys of RFM is several times faster than a
// comparison sort and needs O(n) extra memory.
func quantileScores(vals []int64, bins int, out []uint8, sc *sortScratch) {
	if len(vals) == 0 {
		return
	}
	keys := sc.raw(len(vals))
	for i, v := range vals {
		keys[i] = uint64(v)
	}
	sk, idx := sc.sortedRaw()
	scoreSorted(sk, idx, bins, out)
}

// scoreSorted writes the scores of sorted keys and their indices into out.
func scoreSorted[K uint32 | uint64](keys []K, idx []int32, bins int, out []uint8) {
	n := len(keys)
	for start := 0; start < n; {
		end := start + 1
		for end < n && keys[end] == keys[start] {
			end++
		}
		score := uint8(1 + int64(bins)*int64(start)/int64(n))
		for _, j := range idx[start:end] {
			out[j] = score
		}
		start = end
	}
}

// sortScratch holds the buffers of sortedIndex so that scoring several
// dimensions allocates them once: at a million customers they are 24 MB,
// and fresh memory costs a page fault per 4 KB. The zero value is ready;
// the slices sortedIndex returns are valid until its next call.
type sortScratch struct {
	keys, tmpK     []uint64
	keys32, tmpK32 []uint32
	idx, tmpI      []int32
}

// scoreBy writes into out[k] the score of val(k) among the n values
// (n >= 1) val gives. When the values span less than 2^32 (days, purchase
// counts, most monetary totals) the keys are 32 bits, the offset from the
// smallest value: the sort's buffers are then 16 bytes a value, not 24 (8
// MB less a dimension at a million customers) and it moves half the
// bytes.
func (sc *sortScratch) scoreBy(n, bins int, val func(k int) int64, out []uint8) {
	keys := grow(sc.keys32, n)
	sc.keys32 = keys
	lo, hi := val(0), val(0)
	for k := range keys {
		v := val(k)
		keys[k] = uint32(v) // the low bits: v - lo below fits them when hi - lo does
		lo, hi = min(lo, v), max(hi, v)
	}
	if uint64(hi)-uint64(lo) > math.MaxUint32 { // exact: hi >= lo
		wide := sc.raw(n)
		for k := range wide {
			wide[k] = uint64(val(k))
		}
		sk, idx := sc.sortedRaw()
		scoreSorted(sk, idx, bins, out)
		return
	}
	sc.idx = grow(sc.idx, n)
	sc.tmpK32, sc.tmpI = grow(sc.tmpK32, n), grow(sc.tmpI, n)
	idx := sc.idx
	var maxKey uint32
	for i := range keys {
		keys[i] -= uint32(lo)
		idx[i] = int32(i)
		maxKey = max(maxKey, keys[i])
	}
	sk, si := radixSort(keys, idx, sc.tmpK32, sc.tmpI, bits.Len32(maxKey))
	scoreSorted(sk, si, bins, out)
}

// grow returns s resized to n, reusing its array when large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// sortedIndex returns the values shifted to unsigned keys, sorted
// ascending, with the index each came from.
func (sc *sortScratch) sortedIndex(vals []int64) ([]uint64, []int32) {
	keys := sc.raw(len(vals))
	for i, v := range vals {
		keys[i] = uint64(v)
	}
	return sc.sortedRaw()
}

// raw returns a buffer of n keys for the caller to fill with int64
// values (their bits) before sortedRaw, so a caller that computes the
// values needs no slice of its own for them (8 MB a million customers).
func (sc *sortScratch) raw(n int) []uint64 {
	sc.keys = grow(sc.keys, n)
	return sc.keys
}

// sortedRaw is sortedIndex of the int64 values written into raw's buffer
// (at least one).
func (sc *sortScratch) sortedRaw() ([]uint64, []int32) {
	keys := sc.keys
	n := len(keys)
	lo := int64(keys[0])
	for _, k := range keys {
		lo = min(lo, int64(k))
	}
	sc.idx = grow(sc.idx, n)
	sc.tmpK, sc.tmpI = grow(sc.tmpK, n), grow(sc.tmpI, n)
	idx := sc.idx
	var maxKey uint64
	for i, v := range keys {
		k := v - uint64(lo) // exact even across the int64 range
		keys[i] = k
		idx[i] = int32(i)
		maxKey = max(maxKey, k)
	}
	return radixSort(keys, idx, sc.tmpK, sc.tmpI, bits.Len64(maxKey))
}

// radixSort sorts keys ascending (carrying idx along, stably) using 11-bit
// digits, only as many passes as the widest key needs, with tmpK and tmpI
// (as long as keys) as the other buffers. It returns the sorted slices,
// which may be either pair.
func radixSort[K uint32 | uint64](keys []K, idx []int32, tmpK []K, tmpI []int32, width int) ([]K, []int32) {
	const digit = 11
	const buckets = 1 << digit
	var count [buckets]int
	for shift := 0; shift < width; shift += digit {
		count = [buckets]int{}
		for _, k := range keys {
			count[(k>>shift)&(buckets-1)]++
		}
		sum := 0
		for b := range count {
			c := count[b]
			count[b] = sum
			sum += c
		}
		for i, k := range keys {
			b := (k >> shift) & (buckets - 1)
			p := count[b]
			count[b]++
			tmpK[p] = k
			tmpI[p] = idx[i]
		}
		keys, tmpK = tmpK, keys
		idx, tmpI = tmpI, idx
	}
	return keys, idx
}
