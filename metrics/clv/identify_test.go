package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Data that cannot identify the BG/NBD parameters used to come back as a
// converged fit with a nil error and parameters like a = 1e-16 or
// r = 1e8. Each case must now fail with ErrNotIdentified, say why, and
// still hand back the point it stopped at.
func TestFitBGNBDRefusesUnidentifiedData(t *testing.T) {
	rows := readCDNOWSummary(t, "cdnow_customers_summary.csv")
	var noRepeat []Summary
	for i := range 200 {
		noRepeat = append(noRepeat, Summary{T: float64(10 + i%20)})
	}
	cases := []struct {
		name     string
		s        Summaries
		boundary bool // some parameter ran to 0 or infinity
	}{
		{"one customer", Summaries{Unit: Week, Customers: []Summary{{Frequency: 2, Recency: 10, T: 30}}}, true},
		{"no repeat purchase", Summaries{Unit: Week, Customers: noRepeat}, false},
		{"first 10 CDNOW customers", cdnowSummaries(rows[:10]), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fit, err := FitBGNBD(tc.s, nil)
			require.ErrorIs(t, err, ErrNotIdentified)
			var ni *NotIdentifiedError
			require.True(t, errors.As(err, &ni))
			assert.Equal(t, "BG/NBD", ni.Model)
			assert.False(t, fit.Diagnostics.Identified)
			assert.Equal(t, fit.Diagnostics, ni.Diagnostics)
			assert.True(t, len(ni.AtBoundary) > 0 || ni.Singular, "a reason is given")
			if tc.boundary {
				assert.NotEmpty(t, fit.Diagnostics.AtBoundary)
				assert.Contains(t, err.Error(), "boundary")
			}
			assert.False(t, errors.Is(err, ErrNotConverged), "a converged but unidentified fit is its own failure")
		})
	}
}

func TestFitsOnCDNOWAreIdentified(t *testing.T) {
	s := cdnowSummaries(readCDNOWSummary(t, "cdnow_customers_summary.csv"))
	fit, err := FitBGNBD(s, nil)
	require.NoError(t, err)
	assert.True(t, fit.Diagnostics.Identified)
	assert.Empty(t, fit.Diagnostics.AtBoundary)
}

// With a + b = 1 the factor (a+b+x-1)/(a-1) of eq. 9 and 10 meets a
// hypergeometric function with c = 0 at x = 0: the textbook form is 0/0 but
// the limit is finite. References from mpmath 1.3.0 at 40 digits, with b
// nudged by ±1e-20 (both sides agree to 20 digits) and eq. 9/10 as printed.
func TestExpectedPurchasesAtAPlusBEqualsOne(t *testing.T) {
	m := BGNBD{R: 0.5, Alpha: 2, A: 0.4, B: 0.6, Unit: Week}
	e, err := m.ExpectedPurchases(10)
	require.NoError(t, err)
	assert.InEpsilon(t, 1.3799334429099885546, e, 1e-12)
	for _, tc := range []struct{ t, want float64 }{
		{10, 0.53924097041742666862},  // z <= 0.95: the series
		{1000, 11.697899791647752430}, // z > 0.95: the c -> 0 limit of 2F1
	} {
		got, err := m.ConditionalExpectedPurchases(tc.t, 0, 0, 5)
		require.NoError(t, err)
		assert.InEpsilon(t, tc.want, got, 1e-10, "t=%g", tc.t)
	}
	got, err := m.ConditionalExpectedPurchases(52, 3, 20, 40)
	require.NoError(t, err)
	assert.InEpsilon(t, 1.4372367473784123217, got, 1e-10)
	// Continuity: b just off 0.6 on either side gives the same value.
	for _, b := range []float64{0.6 - 1e-9, 0.6 + 1e-9} {
		m.B = b
		near, err := m.ConditionalExpectedPurchases(1000, 0, 0, 5)
		require.NoError(t, err)
		assert.InDelta(t, 11.697899791647752430, near, 1e-6, "b=%v", b)
	}
	// The whole base values without error.
	_, err = LifetimeValues(BGNBD{R: 0.5, Alpha: 2, A: 0.5, B: 0.5, Unit: Week}, GammaGamma{P: 6, Q: 4, V: 15},
		Summaries{Unit: Week, Customers: []Summary{{T: 20}, {Frequency: 2, Recency: 5, T: 20, Monetary: 10}}},
		Horizon{Periods: 12, Period: Week.Duration, Places: 2})
	require.NoError(t, err)
	assert.False(t, math.IsNaN(e))
}
