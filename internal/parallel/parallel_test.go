package parallel

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
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

// TestNoGoroutineOutlivesTheCall: every goroutine has ended when Ranges
// and Chunks return.
func TestNoGoroutineOutlivesTheCall(t *testing.T) {
	before := runtime.NumGoroutine()
	var n atomic.Int64
	Ranges(1000, 8, func(_, lo, hi int) { n.Add(int64(hi - lo)) })
	Chunks(50, 8, func(int) { n.Add(1) })
	if n.Load() != 1050 {
		t.Fatalf("%d units of work, want 1050", n.Load())
	}
	// A goroutine that has called Done may take a moment to exit; one
	// that is still working or blocked never does.
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	if after > before {
		t.Fatalf("goroutines: %d before, %d after", before, after)
	}
}
