package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Newcombe (1998), table II, example (a): 56/70 against 48/80, difference
// 0.2; method 10 gives 0.0524 to 0.3339.
func TestRateUpliftNewcombeExample(t *testing.T) {
	u := RateUplift(56, 70, 48, 80)
	assert.InDelta(t, 0.2, u.Difference, 1e-12)
	assert.InDelta(t, 0.0524, u.CI.Lower, 5e-5)
	assert.InDelta(t, 0.3339, u.CI.Upper, 5e-5)
	assert.Equal(t, MethodNewcombe, u.CI.Method)
	assert.True(t, u.Significant())
	// Example (h) of the same table: 10/10 against 0/10, interval 0.6075 to 1.
	u = RateUplift(10, 10, 0, 10)
	assert.InDelta(t, 0.6075, u.CI.Lower, 5e-5)
	assert.InDelta(t, 1.0, u.CI.Upper, 5e-5)
	assert.True(t, RateUplift(1, 0, 0, 5).CI.IsZero())
}

// A hand-computed Welch interval: treated 1..5 (mean 3, variance 2.5),
// control four 2s (no spread): difference 1, standard error √(2.5/5),
// ν = 4, t = 2.776445, so 1 ± 1.963243.
func TestMeanUpliftWelch(t *testing.T) {
	u := MeanUplift([]float64{1, 2, 3, 4, 5}, []float64{2, 2, 2, 2})
	assert.InDelta(t, 1.0, u.Difference, 1e-12)
	assert.InDelta(t, 0.5, u.Relative, 1e-12)
	assert.InDelta(t, 1-1.963243, u.CI.Lower, 1e-5)
	assert.InDelta(t, 1+1.963243, u.CI.Upper, 1e-5)
	assert.False(t, u.Significant())
	assert.True(t, MeanUplift([]float64{1}, []float64{1, 2}).CI.IsZero())
}

// Coverage: over many simulated experiments with a known effect, the 95%
// interval holds it about 95% of the time (seeded; the band is 4 sigma of
// a binomial over the runs).
func TestMeanUpliftCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2026))
	runs, hits := 2000, 0
	if testing.Short() {
		runs = 400
	}
	for range runs {
		tr := make([]float64, 40)
		co := make([]float64, 25)
		for i := range tr {
			tr[i] = 12 + 6*rng.NormFloat64() // effect 2, wider spread
		}
		for i := range co {
			co[i] = 10 + 3*rng.NormFloat64()
		}
		u := MeanUplift(tr, co)
		if u.CI.Lower <= 2 && 2 <= u.CI.Upper {
			hits++
		}
	}
	rate := float64(hits) / float64(runs)
	assert.InDelta(t, 0.95, rate, 4*math.Sqrt(0.95*0.05/float64(runs)))
}
