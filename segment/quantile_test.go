package segment

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func scores(vals []int64, bins int) []uint8 {
	out := make([]uint8, len(vals))
	quantileScores(vals, bins, out, new(sortScratch))
	return out
}

func TestQuantileScoresHandChecked(t *testing.T) {
	tests := []struct {
		name string
		vals []int64
		bins int
		want []uint8
	}{
		// 10 distinct values, 5 bins: two per bin.
		{"distinct", []int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 5, []uint8{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}},
		// Order does not matter.
		{"shuffled", []int64{100, 10, 90, 20, 80, 30, 70, 40, 60, 50}, 5, []uint8{5, 1, 5, 1, 4, 2, 4, 2, 3, 3}},
		// 7 of 10 bought once: worse=0 -> 1; F=2 has 7 worse -> 1+5*7/10=4;
		// F=3 has 8 worse -> 5; F=9 has 9 worse -> 5.
		{"most bought once", []int64{1, 1, 1, 1, 1, 1, 1, 2, 3, 9}, 5, []uint8{1, 1, 1, 1, 1, 1, 1, 4, 5, 5}},
		// All equal: everyone scores 1.
		{"all equal", []int64{5, 5, 5, 5}, 5, []uint8{1, 1, 1, 1}},
		// A tie straddling bins takes its lowest rank's bin.
		{"tie across bins", []int64{1, 2, 2, 2, 3}, 5, []uint8{1, 2, 2, 2, 5}},
		{"negative and extreme", []int64{math.MinInt64, -1, 0, math.MaxInt64}, 4, []uint8{1, 2, 3, 4}},
		{"single", []int64{42}, 5, []uint8{1}},
		{"three bins", []int64{3, 1, 2}, 3, []uint8{3, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, scores(tt.vals, tt.bins))
		})
	}
}

// TestQuantileScoresProperties checks on random data (logged seed) that
// equal values get equal scores, scores are monotone in the value, the
// worst value scores 1, scores stay in 1..bins, and a permutation of the
// input permutes the scores.
func TestQuantileScoresProperties(t *testing.T) {
	seed := uint64(20261122)
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	for trial := range 200 {
		n := 1 + r.IntN(300)
		bins := 2 + r.IntN(8)
		spread := int64(1 + r.IntN(20)) // small spreads force ties
		if trial%5 == 0 {
			spread = math.MaxInt64
		}
		vals := make([]int64, n)
		for i := range vals {
			vals[i] = r.Int64N(spread)
			if trial%7 == 0 {
				vals[i] -= spread / 2
			}
		}
		got := scores(vals, bins)
		minV := slices.Min(vals)
		for i := range vals {
			if got[i] < 1 || int(got[i]) > bins {
				t.Fatalf("trial %d: score %d out of 1..%d", trial, got[i], bins)
			}
			if vals[i] == minV && got[i] != 1 {
				t.Fatalf("trial %d: worst value scored %d", trial, got[i])
			}
			for j := range vals {
				if vals[i] == vals[j] && got[i] != got[j] {
					t.Fatalf("trial %d: equal values %d scored %d and %d", trial, vals[i], got[i], got[j])
				}
				if vals[i] < vals[j] && got[i] > got[j] {
					t.Fatalf("trial %d: %d < %d but scores %d > %d", trial, vals[i], vals[j], got[i], got[j])
				}
			}
		}
		perm := r.Perm(n)
		shuffled := make([]int64, n)
		for i, p := range perm {
			shuffled[i] = vals[p]
		}
		got2 := scores(shuffled, bins)
		for i, p := range perm {
			if got[p] != got2[i] {
				t.Fatalf("trial %d: order changed a score", trial)
			}
		}
	}
}

func TestRadixSortMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{0, 1, 2, 100, 5000} {
		vals := make([]int64, n)
		for i := range vals {
			vals[i] = int64(r.Uint64())
		}
		if n == 0 {
			continue
		}
		keys, idx := new(sortScratch).sortedIndex(vals)
		want := slices.Clone(vals)
		slices.Sort(want)
		for i := range keys {
			assert.Equal(t, want[i], vals[idx[i]])
			if i > 0 && keys[i] == keys[i-1] {
				assert.Less(t, idx[i-1], idx[i], "stable")
			}
		}
	}
}

// TestQuantileScoresMatchTheDefinition compares the radix-sorted scores
// with the policy computed literally, L counted by binary search over a
// sorted copy, on inputs large enough to exercise every radix pass
// with few, many and adversarially ordered ties.
func TestQuantileScoresMatchTheDefinition(t *testing.T) {
	seed := uint64(7041)
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	gens := map[string]func(n int) []int64{
		"distinct":   func(n int) []int64 { return randVals(r, n, math.MaxInt64) },
		"few values": func(n int) []int64 { return randVals(r, n, 3) },
		"mostly ones": func(n int) []int64 {
			v := randVals(r, n, 40)
			for i := range v {
				if i%10 != 0 {
					v[i] = 1
				}
			}
			return v
		},
		"ascending":  func(n int) []int64 { v := randVals(r, n, 1000); slices.Sort(v); return v },
		"descending": func(n int) []int64 { v := randVals(r, n, 1000); slices.Sort(v); slices.Reverse(v); return v },
		"organ pipe": func(n int) []int64 {
			v := make([]int64, n)
			for i := range v {
				v[i] = int64(min(i, n-i))
			}
			return v
		},
		"all equal": func(n int) []int64 { return make([]int64, n) },
	}
	for _, name := range slices.Sorted(maps.Keys(gens)) { // a fixed order, so the seed replays
		gen := gens[name]
		for _, n := range []int{1, 2, 25, 26, 1000, 50_000} {
			for _, bins := range []int{2, 5, 10} {
				vals := gen(n)
				in := slices.Clone(vals)
				got := scores(vals, bins)
				assert.Equal(t, in, vals, "%s: the input is left as it was", name)
				sorted := slices.Clone(vals)
				slices.Sort(sorted)
				for i, v := range vals {
					worse, _ := slices.BinarySearch(sorted, v)
					if want := uint8(1 + bins*worse/n); got[i] != want {
						t.Fatalf("%s n=%d bins=%d: value %d scored %d, want %d", name, n, bins, v, got[i], want)
					}
				}
			}
		}
	}
}

func randVals(r *rand.Rand, n int, spread int64) []int64 {
	v := make([]int64, n)
	for i := range v {
		v[i] = r.Int64N(spread)
	}
	return v
}

// TestScoreByMatchesQuantileScores: scoring through 32-bit keys (values
// spanning less than 2^32, negative ones and near the int64 ends among
// them) or through the 64-bit fallback (wider spans) gives the scores of
// quantileScores, with one scratch reused across both.
func TestScoreByMatchesQuantileScores(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var sc sortScratch
	for _, span := range []int64{1, 5, 1000, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64} {
		for _, base := range []int64{0, -1 << 40, math.MinInt64, math.MaxInt64 - span} {
			n := 1 + r.IntN(3000)
			vals := make([]int64, n)
			for i := range vals {
				vals[i] = base + r.Int64N(span)
				if i%97 == 0 {
					vals[i] = base + span - 1 // the widest span, every time
				}
			}
			want := scores(vals, 5)
			got := make([]uint8, n)
			sc.scoreBy(n, 5, func(k int) int64 { return vals[k] }, got)
			if !slices.Equal(got, want) {
				t.Fatalf("span %d, base %d: scores differ", span, base)
			}
		}
	}
}

// FuzzScoreBy: for any values, scoring through scoreBy (32-bit keys when
// they fit) gives quantileScores' scores.
func FuzzScoreBy(f *testing.F) {
	f.Add(int64(0), []byte{1, 2, 3, 3, 9}, uint8(5), uint8(0))
	f.Add(int64(math.MinInt64), []byte{0, 255, 7}, uint8(3), uint8(40))
	f.Add(int64(math.MaxInt64-1<<33), []byte{200, 1, 200, 0}, uint8(9), uint8(31))
	f.Fuzz(func(t *testing.T, base int64, steps []byte, bins, shift uint8) {
		if len(steps) == 0 {
			return
		}
		bins = 2 + bins%8
		vals := make([]int64, len(steps))
		for i, s := range steps {
			vals[i] = base + int64(s)<<(shift%56) // wraps at the int64 ends: any values
		}
		want := scores(vals, int(bins))
		got := make([]uint8, len(vals))
		new(sortScratch).scoreBy(len(vals), int(bins), func(k int) int64 { return vals[k] }, got)
		if !slices.Equal(got, want) {
			t.Fatalf("scores %v, want %v", got, want)
		}
	})
}
