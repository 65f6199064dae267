package clv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fader & Hardie (2013) report p = 6.25, q = 3.74, v = 15.44 for the 946
// CDNOW repeat buyers, fitted on unrounded mean spends. On this file, whose
// zbar is rounded to cents, the maximum is p = 6.2488, q = 3.7446,
// v = 15.4477 (the figures lifetimes prints as 6.25, 3.74, 15.45), so the
// published values are checked to +-0.01 and the maximum itself to 5e-4.
func TestFitGammaGammaReproducesCDNOW(t *testing.T) {
	s := cdnowSummaries(readCDNOWSummary(t, "cdnow_customers_summary_with_transactions.csv"))
	fit, err := FitGammaGamma(s, nil)
	require.NoError(t, err)
	m := fit.Model
	t.Logf("p=%.6f q=%.6f v=%.6f LL=%.4f diag=%+v rows=%d", m.P, m.Q, m.V, fit.LogLikelihood, fit.Diagnostics, fit.DistinctRows)
	assert.Equal(t, 946, fit.Customers)
	assert.InDelta(t, 6.25, m.P, 0.01)
	assert.InDelta(t, 3.74, m.Q, 0.01)
	assert.InDelta(t, 15.44, m.V, 0.01)
	assert.InDelta(t, 6.2488, m.P, 0.0005)
	assert.InDelta(t, 3.7446, m.Q, 0.0005)
	assert.InDelta(t, 15.4477, m.V, 0.0005)
	assert.True(t, fit.Diagnostics.Converged)
}
