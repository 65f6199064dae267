package clv

import (
	"math"
	"testing"
)

// ulpsApart is how many float64 steps lie between a and b (same sign).
func ulpsApart(a, b float64) uint64 {
	x, y := math.Float64bits(a), math.Float64bits(b)
	if x > y {
		return x - y
	}
	return y - x
}

// log1pMaxULP is the error log1p is allowed against math.Log1p (itself
// within an ulp of the true value).
const log1pMaxULP = 3

func checkLog1p(t *testing.T, u float64) {
	t.Helper()
	got, want := log1p(u), math.Log1p(u)
	if math.IsNaN(want) {
		if !math.IsNaN(got) {
			t.Fatalf("log1p(%g) = %g, want NaN", u, got)
		}
		return
	}
	if d := ulpsApart(got, want); d > log1pMaxULP {
		t.Fatalf("log1p(%g) = %.17g, math.Log1p %.17g: %d ulps apart", u, got, want, d)
	}
}

// TestLog1pRange: across every binade a double has, at the table's steps
// and their midpoints, and at the edges.
func TestLog1pRange(t *testing.T) {
	for _, u := range []float64{0, math.SmallestNonzeroFloat64, 1e-300, 1e-17, 0x1p-53, 0x1p-52, 1e-9,
		1.0 / 512, 1.0 / 256, 0.5, 1, 1 - 0x1p-53, 2, 3, 1e15, 0x1p53 - 1, 0x1p53, 1e300,
		math.MaxFloat64, math.Inf(1), math.NaN(), -0.5, -1} {
		checkLog1p(t, u)
	}
	for e := -1074; e <= 1023; e++ {
		for j := range 513 {
			checkLog1p(t, math.Ldexp(1+float64(j)/512, e))
		}
	}
	for y := 1.0; y < 2; y += 1.0 / 4096 { // 1+u just above and below each step
		checkLog1p(t, math.Nextafter(y, 3)-1)
		checkLog1p(t, math.Nextafter(y, 0)-1)
	}
}

// FuzzLog1p: log1p agrees with math.Log1p within log1pMaxULP ulps.
func FuzzLog1p(f *testing.F) {
	for _, u := range []float64{0, 1e-12, 0.003, 0.7, 1.5, 40, 1e20} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u float64) { checkLog1p(t, math.Abs(u)) })
}

func log1pInputs() []float64 {
	us := make([]float64, 4096)
	for i, x := 0, 1e-6; i < len(us); i, x = i+1, x*1.006 {
		us[i] = x
	}
	return us
}

var log1pSink float64

// BenchmarkLog1p: the table's log1p against math.Log1p, per call on
// values from 1e-6 to 4e4.
func BenchmarkLog1p(b *testing.B) {
	us := log1pInputs()
	s := 0.0
	for b.Loop() {
		for _, u := range us {
			s += log1p(u)
		}
	}
	log1pSink = s
}

func BenchmarkLog1pMath(b *testing.B) {
	us := log1pInputs()
	s := 0.0
	for b.Loop() {
		for _, u := range us {
			s += math.Log1p(u)
		}
	}
	log1pSink = s
}
