package metrics

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWilsonIntervalPublished(t *testing.T) {
	// Published 95% Wilson score intervals: 8/10 is the textbook example;
	// the others are Newcombe (1998), Statistics in Medicine 17, Table II,
	// method 3 (score interval without continuity correction).
	tests := []struct {
		k, n         int
		lower, upper float64
	}{
		{8, 10, 0.490, 0.943},
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	}
	for _, tc := range tests {
		iv := WilsonInterval(tc.k, tc.n)
		tol := 0.0005
		if tc.k != 8 {
			tol = 0.00005
		}
		assert.InDelta(t, tc.lower, iv.Lower, tol, "%d/%d lower", tc.k, tc.n)
		assert.InDelta(t, tc.upper, iv.Upper, tol, "%d/%d upper", tc.k, tc.n)
		assert.Equal(t, MethodWilson, iv.Method)
		assert.Equal(t, 0.95, iv.Level)
	}
}

func TestWilsonIntervalNone(t *testing.T) {
	for _, c := range [][2]int{{0, 0}, {-1, 5}, {6, 5}} {
		assert.True(t, WilsonInterval(c[0], c[1]).IsZero(), "%v", c)
	}
	all := WilsonInterval(10, 10)
	assert.Equal(t, 1.0, all.Upper, "never above 1")
	assert.Less(t, all.Lower, 1.0)
}

func TestStudentTQuantile(t *testing.T) {
	// Two-sided 95% critical values of Student's t, from any printed table.
	tests := map[int]float64{1: 12.706, 2: 4.303, 4: 2.776, 9: 2.262, 29: 2.045, 100: 1.984}
	for df, want := range tests {
		assert.InDelta(t, want, tQuantile975(df), 0.0005, "df %d", df)
	}
	assert.InDelta(t, 1.959964, tQuantile975(1<<30), 1e-6, "large df is the normal quantile")
}

func TestRegIncBetaKnownValues(t *testing.T) {
	// I_x(1, 1) = x; I_x(a, 1) = x^a; I_½(a, a) = ½.
	assert.InDelta(t, 0.3, regIncBeta(0.3, 1, 1), 1e-12)
	assert.InDelta(t, math.Pow(0.6, 2.5), regIncBeta(0.6, 2.5, 1), 1e-12)
	assert.InDelta(t, 0.5, regIncBeta(0.5, 7, 7), 1e-12)
	assert.Equal(t, 0.0, regIncBeta(0, 2, 3))
	assert.Equal(t, 1.0, regIncBeta(1, 2, 3))
}

func TestAdjustedWaldNPS(t *testing.T) {
	// 5 promoters, 3 passives, 2 detractors (n = 10, raw NPS 30).
	// Adjusted: n' = 13, p' = 5.75/13 = 0.442308, d' = 2.75/13 = 0.211538,
	// NPS' = 0.230769, var = p' + d' − NPS'² = 0.600592,
	// se = √(0.600592/13) = 0.214940, ±1.959964·se = ±0.421275,
	// so [−19.05, 65.20] in NPS points.
	iv := AdjustedWaldNPS(5, 3, 2)
	assert.InDelta(t, -19.05, iv.Lower, 0.005)
	assert.InDelta(t, 65.20, iv.Upper, 0.005)
	assert.Equal(t, MethodAdjustedWald, iv.Method)

	// All promoters: the raw Wald interval would collapse to [100, 100];
	// the pseudo-observations keep it honest, clipped at 100.
	// n' = 23, p' = 20.75/23, d' = 0.75/23, NPS' = 0.869565,
	// var = 0.934783 − 0.756144 = 0.178639, se = 0.088130, lower = 0.696835.
	all := AdjustedWaldNPS(20, 0, 0)
	assert.InDelta(t, 69.68, all.Lower, 0.005)
	assert.Equal(t, 100.0, all.Upper)

	assert.True(t, AdjustedWaldNPS(0, 0, 0).IsZero())
	assert.True(t, AdjustedWaldNPS(-1, 2, 0).IsZero())
}
