package clv

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFloatIndex: values are interned in order of first appearance, equal
// values (and -0 and +0) share an index, and growth keeps every index.
func TestFloatIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var f floatIndex
	want := map[float64]int32{}
	var order []float64
	for range 20_000 {
		v := float64(rng.IntN(5000)) / 7
		if rng.IntN(10) == 0 {
			v = rng.Float64() * 1e6
		}
		ix, ok := want[v]
		if !ok {
			ix = int32(len(order))
			want[v] = ix
			order = append(order, v)
		}
		require.Equal(t, ix, f.index(v), "value %v", v)
	}
	assert.Equal(t, order, f.vals)
	assert.Equal(t, f.index(0), f.index(math.Copysign(0, -1)))
}

func TestRadixSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, width := range []int{0, 1, 7, 8, 13, 24, 63, 64} {
		keys := make([]uint64, 3*radixMinKeys+77)
		for i := range keys {
			keys[i] = rng.Uint64()
			if width < 64 {
				keys[i] &= 1<<width - 1
			}
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		for _, workers := range []int{1, 2, 3} {
			assert.Equal(t, want, radixSort(slices.Clone(keys), width, workers), "width %d", width)
		}
	}
}

// TestMergeRule: whole-day times repeat and are merged; times in
// continuous units (a distinct T for every customer) never repeat, and the
// rows are kept one per customer.
func TestMergeRule(t *testing.T) {
	whole := synthBGNBD(20_000, synthTruth, 1, true)
	frac := synthBGNBD(20_000, synthTruth, 1, false)
	for i := range frac.Customers {
		frac.Customers[i].T += float64(i) / 1e6
	}
	d, err := newBGData(whole.Customers, false)
	require.NoError(t, err)
	assert.Less(t, len(d.rows), 20_000/2, "whole days: rows merged")
	d, err = newBGData(frac.Customers, false)
	require.NoError(t, err)
	assert.Equal(t, 20_000, len(d.rows), "continuous times: one row per customer")
	assert.Equal(t, 20_000, len(d.ts))
}

// TestMergeAndKeepFitAlike: the merged and the unmerged rows describe the
// same likelihood, so the fits agree (to the summation order's rounding),
// for BG/NBD, MBG/NBD and Pareto/NBD, and merging does not change which
// customers are counted.
func TestMergeAndKeepFitAlike(t *testing.T) {
	defer func(m int) { bgMerge = m }(bgMerge)
	s := synthBGNBD(3_000, synthTruth, 9, true)
	fits := map[int][]float64{}
	for _, mode := range []int{1, -1} {
		bgMerge = mode
		bg, err := FitBGNBD(s, nil)
		require.NoError(t, err)
		mbg, err := FitMBGNBD(s, nil)
		require.NoError(t, err)
		pnbd, err := FitParetoNBD(s, nil)
		require.NoError(t, err)
		assert.Equal(t, 3_000, bg.Customers)
		if mode == 1 {
			assert.Less(t, bg.DistinctRows, 3_000/2)
		} else {
			assert.Equal(t, 3_000, bg.DistinctRows)
		}
		m, mm, p := bg.Model, mbg.Model, pnbd.Model
		fits[mode] = []float64{m.R, m.Alpha, m.A, m.B, bg.LogLikelihood, mm.R, mm.Alpha, mm.A, mm.B, mbg.LogLikelihood,
			p.R, p.Alpha, p.S, p.Beta, pnbd.FitStats.LogLikelihood}
	}
	for i := range fits[1] {
		tol := 1e-6
		if i >= 10 { // Pareto/NBD: numerical gradient
			tol = 1e-5
		}
		assert.InEpsilon(t, fits[1][i], fits[-1][i], tol, "estimate %d", i)
	}
}

// TestPowerTables: the likelihood and gradient with power tables equal the
// per-row softplus to rounding, including groups whose exponents are too
// large for the tables (they fall back to softplus), and tables are used.
func TestPowerTables(t *testing.T) {
	s := synthBGNBD(20_000, synthTruth, 2, true)
	s.Customers = append(s.Customers,
		Summary{Frequency: 900, Recency: 300, T: 350}, Summary{Frequency: 900, Recency: 2, T: 350})
	for _, modified := range []bool{false, true} {
		d, err := newBGData(s.Customers, modified)
		require.NoError(t, err)
		for _, p := range [][4]float64{{0.25, 30, 0.8, 2.5}, {2, 3, 0.1, 9}, {0.05, 400, 5, 0.3}} {
			w := d.newWork()
			require.NotEmpty(t, w.tabbed)
			var g, gRef [4]float64
			ll := d.logLik(p, &g, w)
			used := 0
			for _, gt := range w.groups {
				if gt.pow >= 0 {
					used++
				}
			}
			assert.Positive(t, used, "power tables used")
			w.tabbed = nil
			ref := d.logLik(p, &gRef, w)
			assert.InEpsilon(t, ref, ll, 1e-12, "modified=%v %v", modified, p)
			for i := range g {
				assert.InEpsilon(t, gRef[i], g[i], 1e-9, "modified=%v %v gradient %d", modified, p, i)
			}
		}
	}
}

// TestGGData: the Gamma-Gamma rows are the distinct (x, m̄) pairs of the
// repeat buyers with their counts, in order of x then m̄, whether x is
// dense (counting sort) or sparse (a sort).
func TestGGData(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, sparse := range []bool{false, true} {
		var cs []Summary
		want := map[[2]float64]float64{}
		for range 3000 {
			x := rng.IntN(6)
			if sparse && x == 5 {
				x = 10_000_000
			}
			m := float64(1 + rng.IntN(40))
			c := Summary{Frequency: x, T: 2, Monetary: m}
			if x > 0 {
				c.Recency = 1
			}
			cs = append(cs, c)
			if x > 0 {
				want[[2]float64{float64(x), m}]++
			}
		}
		d, err := newGGData(cs)
		require.NoError(t, err)
		require.Len(t, d.rows, len(want), "sparse=%v", sparse)
		total := 0.0
		for i, r := range d.rows {
			assert.Equal(t, want[[2]float64{r.x, r.m}], r.w, "sparse=%v row %v", sparse, r)
			assert.Equal(t, math.Log(r.m), r.lnM)
			total += r.w
			if i > 0 {
				p := d.rows[i-1]
				assert.True(t, p.x < r.x || p.x == r.x && p.m < r.m, "sparse=%v order at %d", sparse, i)
			}
		}
		assert.Equal(t, float64(d.n), total)
	}
}

// TestTabulationWorkers: the tabulation over several chunks of customers
// is the same for any number of workers, merged or kept one per customer.
func TestTabulationWorkers(t *testing.T) {
	defer func(m int) { bgMerge = m }(bgMerge)
	s := synthBGNBDWide(3*tabChunk+123, wideTruth, 3)
	for _, mode := range []int{1, -1} {
		bgMerge = mode
		first, err := newBGDataOn(s.Customers, false, 1)
		require.NoError(t, err)
		for _, workers := range []int{2, 3, 8} {
			d, err := newBGDataOn(s.Customers, false, workers)
			require.NoError(t, err)
			assert.Equal(t, first.ts, d.ts)
			assert.Equal(t, first.txs, d.txs)
			assert.Equal(t, first.rows, d.rows)
			assert.Equal(t, first.groups, d.groups)
			assert.Equal(t, [2]float64{first.meanX, first.meanT}, [2]float64{d.meanX, d.meanT})
		}
	}
	bad := slices.Clone(s.Customers)
	bad[2*tabChunk+5].Recency = -1
	_, err := newBGDataOn(bad, false, 3)
	require.ErrorIs(t, err, ErrInvalidInput)
}
