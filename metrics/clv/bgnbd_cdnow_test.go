package clv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fader, Hardie & Lee (2005), Table/Section 5: r = 0.243, α = 4.414,
// a = 0.793, b = 2.426, LL = -9582.4 on the 2,357 CDNOW sample customers.
func TestFitBGNBDReproducesCDNOW(t *testing.T) {
	s := cdnowSummaries(readCDNOWSummary(t, "cdnow_customers_summary.csv"))
	require.Len(t, s.Customers, 2357)
	fit, err := FitBGNBD(s, nil)
	require.NoError(t, err)
	m := fit.Model
	t.Logf("r=%.6f alpha=%.6f a=%.6f b=%.6f LL=%.4f diag=%+v rows=%d", m.R, m.Alpha, m.A, m.B, fit.LogLikelihood, fit.Diagnostics, fit.DistinctRows)
	assert.InDelta(t, 0.243, m.R, 0.0005)
	assert.InDelta(t, 4.414, m.Alpha, 0.0005)
	assert.InDelta(t, 0.793, m.A, 0.0005)
	assert.InDelta(t, 2.426, m.B, 0.0005)
	assert.InDelta(t, -9582.4, fit.LogLikelihood, 0.05)
	assert.True(t, fit.Diagnostics.Converged)
	assert.Equal(t, Week, m.Unit)
	assert.Equal(t, 2357, fit.Customers)
}
