package parallel

import (
	"fmt"
	"sync/atomic"
	"testing"
)

func TestRangesCoverOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		for _, w := range []int{1, 2, 3, 8, 2000} {
			seen := make([]int32, n)
			Ranges(n, w, func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&seen[i], 1)
				}
			})
			for i, s := range seen {
				if s != 1 {
					t.Fatalf("n=%d workers=%d: index %d visited %d times", n, w, i, s)
				}
			}
		}
	}
}

func TestChunksCoverOnce(t *testing.T) {
	for _, n := range []int{0, 1, 5, 300} {
		for _, w := range []int{1, 2, 7} {
			seen := make([]int32, n)
			Chunks(n, w, func(c int) { atomic.AddInt32(&seen[c], 1) })
			for i, s := range seen {
				if s != 1 {
					t.Fatalf("n=%d workers=%d: chunk %d run %d times", n, w, i, s)
				}
			}
		}
	}
}

func TestWorkersDefault(t *testing.T) {
	if Workers(0) < 1 || Workers(3) != 3 {
		t.Fatal("Workers")
	}
}

// Sums of fixed chunks added in chunk order are the same for any number
// of workers, the pattern the likelihoods use.
func ExampleChunks() {
	vals := make([]float64, 10_000)
	for i := range vals {
		vals[i] = 1 / float64(i+1)
	}
	sum := func(workers int) float64 {
		const chunk = 1000
		part := make([]float64, len(vals)/chunk)
		Chunks(len(part), workers, func(c int) {
			for _, v := range vals[c*chunk : (c+1)*chunk] {
				part[c] += v
			}
		})
		total := 0.0
		for _, p := range part {
			total += p
		}
		return total
	}
	fmt.Println(sum(1) == sum(4))
	// Output: true
}
