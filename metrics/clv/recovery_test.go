package clv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fitting data drawn from the model recovers its parameters, and the fitted
// log-likelihood is at least the log-likelihood at the true parameters (a
// maximum-likelihood fit can never do worse than the truth on its own data).
// The MBG/NBD case draws data with the dropout coin tossed at time 0 too.
func TestFitBGNBDRecoversSyntheticParameters(t *testing.T) {
	truth := BGNBD{R: 0.25, Alpha: 30, A: 0.8, B: 2.5, Unit: Day}
	for _, modified := range []bool{false, true} {
		s := synthBGNBDVariant(30_000, truth, 1, modified, false)
		var m BGNBD
		var ll float64
		var diag Diagnostics
		if modified {
			fit, err := FitMBGNBD(s, nil)
			require.NoError(t, err)
			m, ll, diag = BGNBD(fit.Model), fit.LogLikelihood, fit.Diagnostics
		} else {
			fit, err := FitBGNBD(s, nil)
			require.NoError(t, err)
			m, ll, diag = fit.Model, fit.LogLikelihood, fit.Diagnostics
		}
		t.Logf("modified=%v fit %+v diag %+v", modified, m, diag)
		assert.InEpsilon(t, truth.R, m.R, 0.1)
		assert.InEpsilon(t, truth.Alpha, m.Alpha, 0.15)
		assert.InEpsilon(t, truth.A, m.A, 0.3)
		assert.InEpsilon(t, truth.B, m.B, 0.3)
		d, err := newBGData(s.Customers, modified)
		require.NoError(t, err)
		llTruth := d.logLik([4]float64{truth.R, truth.Alpha, truth.A, truth.B}, nil, d.newWork())
		assert.GreaterOrEqual(t, ll, llTruth)
	}
}

func TestFitGammaGammaRecoversSyntheticParameters(t *testing.T) {
	truth := GammaGamma{P: 6, Q: 4, V: 15}
	s := synthBGNBD(40_000, BGNBD{R: 0.5, Alpha: 10, A: 0.8, B: 2.5, Unit: Day}, 2, true)
	synthSpend(s, truth, 3)
	fit, err := FitGammaGamma(s, nil)
	require.NoError(t, err)
	t.Logf("fit %+v n=%d diag %+v", fit.Model, fit.Customers, fit.Diagnostics)
	assert.InEpsilon(t, truth.P, fit.Model.P, 0.1)
	assert.InEpsilon(t, truth.Q, fit.Model.Q, 0.15)
	assert.InEpsilon(t, truth.V, fit.Model.V, 0.2)
	gd, err := newGGData(s.Customers)
	require.NoError(t, err)
	var g [3]float64
	assert.GreaterOrEqual(t, fit.LogLikelihood, gd.logLik(truth.P, truth.Q, truth.V, &g))
}
