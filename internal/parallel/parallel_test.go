package parallel

import (
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
