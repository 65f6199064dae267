package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConditionalExpectedAverageProfit(t *testing.T) {
	g := GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	mean, err := g.Mean()
	require.NoError(t, err)
	assert.InDelta(t, 6.25*15.44/2.74, mean, 1e-12)
	cases := []struct {
		x    int
		mbar float64
		want float64
	}{
		{0, 0, mean},
		{1, 10, 6.25 * (15.44 + 10) / (6.25 + 2.74)},
		{2, 22.35, 6.25 * (15.44 + 44.70) / (12.5 + 2.74)},
		{1000, 50, 6.25 * (15.44 + 50000) / (6250 + 2.74)},
	}
	for _, tc := range cases {
		got, err := g.ConditionalExpectedAverageProfit(tc.x, tc.mbar)
		require.NoError(t, err)
		assert.InEpsilon(t, tc.want, got, 1e-14)
	}
	// A weighted mean: always between the population mean and the
	// customer's own mean.
	got, err := g.ConditionalExpectedAverageProfit(5, 100)
	require.NoError(t, err)
	assert.True(t, got > mean && got < 100)
}

func TestGammaGammaRefusesBadInput(t *testing.T) {
	g := GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	_, err := g.ConditionalExpectedAverageProfit(2, 0)
	assert.ErrorIs(t, err, ErrNonPositiveMonetary)
	_, err = g.ConditionalExpectedAverageProfit(2, -3)
	assert.ErrorIs(t, err, ErrNonPositiveMonetary)
	_, err = g.ConditionalExpectedAverageProfit(-1, 3)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = g.ConditionalExpectedAverageProfit(1, math.NaN())
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = GammaGamma{P: 1, Q: 0.9, V: 1}.Mean()
	assert.ErrorIs(t, err, ErrMeanUndefined)
	_, err = GammaGamma{P: 1, Q: 0.9, V: 1}.ConditionalExpectedAverageProfit(0, 0)
	assert.ErrorIs(t, err, ErrMeanUndefined)
	// q <= 1 still gives conditional means for repeat buyers.
	v, err := GammaGamma{P: 1, Q: 0.9, V: 1}.ConditionalExpectedAverageProfit(3, 10)
	require.NoError(t, err)
	assert.InEpsilon(t, (1+30)/2.9, v, 1e-14)
	_, err = GammaGamma{P: 0.05, Q: 0.5, V: 1}.ConditionalExpectedAverageProfit(1, 10)
	assert.ErrorIs(t, err, ErrMeanUndefined)
	_, err = GammaGamma{P: -1, Q: 2, V: math.Inf(1)}.Mean()
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2)
}

func TestFitGammaGammaRefusesNonPositiveMonetary(t *testing.T) {
	s := Summaries{Unit: Week, Customers: []Summary{
		{CustomerID: "a", Frequency: 2, Recency: 3, T: 5, Monetary: 10},
		{CustomerID: "b", Frequency: 1, Recency: 2, T: 5, Monetary: 0},
		{CustomerID: "c", Frequency: 0, T: 5}, // not a repeat buyer: ignored
		{CustomerID: "d", Frequency: 3, Recency: 4, T: 5, Monetary: -2},
	}}
	_, err := FitGammaGamma(s, nil)
	require.ErrorIs(t, err, ErrNonPositiveMonetary)
	assert.ErrorIs(t, err, ErrInvalidInput)
	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "Summary.Monetary", fe.Field)
	assert.Equal(t, 1, fe.Index)
	assert.Contains(t, err.Error(), "2 repeat buyers")
	assert.Contains(t, err.Error(), "Summary.Monetary[3]")
}

// Data drawn with q = 0.8 (customer mean spends so heavy-tailed that the
// population mean does not exist): the fit must say so instead of
// returning a mean silently.
func TestFitGammaGammaReportsUndefinedMean(t *testing.T) {
	s := synthBGNBD(20_000, BGNBD{R: 0.5, Alpha: 10, A: 0.8, B: 2.5, Unit: Day}, 6, true)
	synthSpend(s, GammaGamma{P: 4, Q: 0.8, V: 5}, 7)
	fit, err := FitGammaGamma(s, nil)
	require.ErrorIs(t, err, ErrMeanUndefined)
	t.Logf("fit %+v", fit.Model)
	assert.InDelta(t, 0.8, fit.Model.Q, 0.1)
	assert.True(t, fit.Diagnostics.Converged)
	_, err = fit.Model.Mean()
	assert.ErrorIs(t, err, ErrMeanUndefined)
}
