package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lifetimesCDNOW are the BG/NBD parameters lifetimes reports for the CDNOW
// sample (weeks); the reference values below were computed from them with
// mpmath 1.3.0 at 40 digits using eq. 10 of Fader, Hardie & Lee (2005) and
// mpmath.hyp2f1 directly (no transformations).
var lifetimesCDNOW = BGNBD{R: 0.242593, Alpha: 4.413532, A: 0.792919, B: 2.425881, Unit: Week}

func TestConditionalExpectedPurchasesAgainstMpmath(t *testing.T) {
	cases := []struct {
		name           string
		t              float64
		x              int
		tx, T          float64
		want, wantLive float64
	}{
		// Customer 1 of the CDNOW sample; the paper reports 1.226 for the
		// 39-week forecast.
		{"cdnow id 1, 39 weeks", 39, 2, 30.43, 38.86, 1.2259061082739760653, 0.72660831501681839922},
		{"no repeat purchase", 39, 0, 0, 38.86, 0.19478102631617065847, 1},
		{"frequent buyer", 52, 7, 35.71, 38.86, 5.6272250472827214662, 0.86008068014364872772},
		{"long horizon z near 1", 1000, 2, 30.43, 38.86, 10.120917824882822021, 0.72660831501681839922},
		{"large frequency", 39, 500, 38, 38.86, 9.2203474830199329932, 0.026798700403293552457},
		{"long history, far horizon", 5000, 30, 300, 365, 11.436535566450658118, 0.10218569797606144577},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lifetimesCDNOW.ConditionalExpectedPurchases(tc.t, tc.x, tc.tx, tc.T)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, got, 1e-10)
			live, err := lifetimesCDNOW.ProbabilityAlive(tc.x, tc.tx, tc.T)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.wantLive, live, 1e-12)
		})
	}
}

func TestExpectedPurchasesAgainstMpmath(t *testing.T) {
	for _, tc := range []struct{ t, want float64 }{
		{39, 1.1950142171521761317},
		{78, 1.8579628226071864408},
		{1000, 6.5729087077097925814},
		{0, 0},
	} {
		got, err := lifetimesCDNOW.ExpectedPurchases(tc.t)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, got, 1e-10*math.Max(1, tc.want), "t=%g", tc.t)
	}
}

// At a = 1 the textbook formula is 0/0; the series form has no singularity,
// so values just around 1 must agree with each other and with a = 1.
func TestExpectedPurchasesContinuousAtAEqualsOne(t *testing.T) {
	m := BGNBD{R: 0.5, Alpha: 5, A: 1, B: 2, Unit: Week}
	at1, err := m.ConditionalExpectedPurchases(52, 3, 20, 40)
	require.NoError(t, err)
	for _, a := range []float64{1 - 1e-12, 1 + 1e-9, 1 - 1e-6, 1 + 1e-4} {
		m.A = a
		got, err := m.ConditionalExpectedPurchases(52, 3, 20, 40)
		require.NoError(t, err)
		assert.InDelta(t, at1, got, 2*math.Abs(a-1)+1e-12, "a=%g", a) // smooth: |dE/da| < 2 here
	}
	// Far from 1 on both sides the general 2F1 path is used for z > 0.95.
	for _, a := range []float64{0.999, 1.001} {
		m.A = a
		near, err := m.ConditionalExpectedPurchases(5000, 3, 20, 40)
		require.NoError(t, err)
		m.A = 1
		exact, err := m.ConditionalExpectedPurchases(5000, 3, 20, 40)
		require.NoError(t, err)
		assert.InEpsilon(t, exact, near, 1e-2, "a=%g", a)
	}
}

// Large counts must not overflow: lifetimes users hit inf/nan here.
func TestPredictionsStayFiniteForHugeFrequencies(t *testing.T) {
	for _, x := range []int{1_000, 100_000, 10_000_000} {
		ll, err := lifetimesCDNOW.LogLikelihood(x, 38, 39)
		require.NoError(t, err)
		assert.False(t, math.IsInf(ll, 0) || math.IsNaN(ll), "x=%d ll=%g", x, ll)
		e, err := lifetimesCDNOW.ConditionalExpectedPurchases(52, x, 38, 39)
		require.NoError(t, err)
		assert.True(t, finite(e) && e >= 0, "x=%d e=%g", x, e)
		p, err := lifetimesCDNOW.ProbabilityAlive(x, 38, 39)
		require.NoError(t, err)
		assert.True(t, p >= 0 && p <= 1, "x=%d p=%g", x, p)
	}
}

func TestPredictionsRejectInvalidInput(t *testing.T) {
	cases := []struct {
		name  string
		m     BGNBD
		x     int
		tx, T float64
		field string
	}{
		{"negative x", lifetimesCDNOW, -1, 0, 10, "x"},
		{"recency beyond T", lifetimesCDNOW, 2, 11, 10, "t_x"},
		{"recency without repeats", lifetimesCDNOW, 0, 3, 10, "t_x"},
		{"NaN T", lifetimesCDNOW, 0, 0, math.NaN(), "T"},
		{"zero r", BGNBD{R: 0, Alpha: 1, A: 1, B: 1, Unit: Week}, 0, 0, 1, "BGNBD.R"},
		{"no unit", BGNBD{R: 1, Alpha: 1, A: 1, B: 1}, 0, 0, 1, "BGNBD.Unit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.m.ConditionalExpectedPurchases(10, tc.x, tc.tx, tc.T)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidInput)
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tc.field, fe.Field)
			_, err = tc.m.ProbabilityAlive(tc.x, tc.tx, tc.T)
			assert.ErrorIs(t, err, ErrInvalidInput)
		})
	}
	_, err := lifetimesCDNOW.ExpectedPurchases(-1)
	assert.ErrorIs(t, err, ErrInvalidInput)
}
