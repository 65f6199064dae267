package loyalty

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every line gets the floor or the ceiling of its exact share, and the
// lines add up to the rule's rounded total, for every rounding.
func TestDistributeRaw(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 2000 {
		n := 1 + rng.IntN(60)
		raw := make([]u128, n)
		var sum u128
		for i := range raw {
			if rng.IntN(5) == 0 {
				continue // a line the rule did not touch
			}
			raw[i] = mul64(rng.Uint64N(5000), rawScale/1000).add(u128{0, rng.Uint64N(rawScale / 1000)})
			sum = sum.add(raw[i])
		}
		for _, r := range []Rounding{RoundFloor, RoundHalfUp, RoundCeil} {
			total, ok := roundRaw(sum, r)
			require.True(t, ok)
			out := make([]int64, n)
			distributeRaw(total, raw, out)
			var got int64
			for i, v := range out {
				whole, frac := raw[i].divmod(rawScale)
				lo := int64(whole.lo)
				hi := lo
				if frac > 0 {
					hi++
				}
				require.True(t, v >= lo && v <= hi, "trial %d %s line %d: %d not in [%d, %d]", trial, r, i, v, lo, hi)
				got += v
			}
			assert.Equal(t, total, got, "trial %d %s", trial, r)
		}
	}
}

// allocate is exact and proportional to within one unit.
func TestAllocateLargestRemainder(t *testing.T) {
	out := make([]int64, 3)
	rem := make([]uint64, 3)
	allocate(1000, []int64{1, 1, 1}, out, rem, nil)
	assert.Equal(t, []int64{334, 333, 333}, out)
	allocate(10, []int64{0, 5, 0}, out, rem, nil)
	assert.Equal(t, []int64{0, 10, 0}, out)
	allocate(7, []int64{0, 0, 0}, out, rem, nil)
	assert.Equal(t, []int64{0, 0, 0}, out)
	allocate(100, []int64{3, 3, 1}, out, rem, make([]int, 0, 3))
	assert.Equal(t, []int64{43, 43, 14}, out) // 42.86, 42.86, 14.29
}

func TestSplitPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	for trial := range 2000 {
		n := 1 + rng.IntN(40)
		weights := make([]int64, n)
		var w int64
		for i := range weights {
			if rng.IntN(4) > 0 {
				weights[i] = rng.Int64N(1_000_000)
				w += weights[i]
			}
		}
		total := rng.Int64N(100_000)
		out := make([]int64, n)
		splitPoints(total, weights, out)
		var sum int64
		for i, v := range out {
			exact := float64(total) * float64(weights[i]) / float64(max(w, 1))
			require.True(t, float64(v) > exact-1 && float64(v) < exact+1, "trial %d line %d: %d vs %.3f", trial, i, v, exact)
			if weights[i] == 0 {
				require.Zero(t, v)
			}
			sum += v
		}
		if w > 0 {
			assert.Equal(t, total, sum, "trial %d", trial)
		} else {
			assert.Zero(t, sum)
		}
	}
}
