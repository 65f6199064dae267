package segment

import "math/bits"

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

// scoreSorted writes the scores of sortedRaw's keys and indices into out.
func scoreSorted(keys []uint64, idx []int32, bins int, out []uint8) {
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
	keys, tmpK []uint64
	idx, tmpI  []int32
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
func radixSort(keys []uint64, idx []int32, tmpK []uint64, tmpI []int32, width int) ([]uint64, []int32) {
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
