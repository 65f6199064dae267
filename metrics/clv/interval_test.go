package clv

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInvertSPD(t *testing.T) {
	a := [][]float64{{4, 2, 0.6}, {2, 5, 1}, {0.6, 1, 3}}
	inv, ok := invertSPD(a)
	require.True(t, ok)
	for i := range a {
		for j := range a {
			s := 0.0
			for k := range a {
				s += a[i][k] * inv[k][j]
			}
			want := 0.0
			if i == j {
				want = 1
			}
			assert.InDelta(t, want, s, 1e-12)
		}
	}
	_, ok = invertSPD([][]float64{{1, 2}, {2, 1}})
	assert.False(t, ok, "indefinite")
	_, ok = invertSPD([][]float64{{0, 0}, {0, 1}})
	assert.False(t, ok, "singular")
}

func TestFitIntervalsOnCDNOW(t *testing.T) {
	s := cdnowSummaries(readCDNOWSummary(t, "cdnow_customers_summary.csv"))
	fit, err := FitBGNBD(s, nil)
	require.NoError(t, err)
	require.Len(t, fit.Intervals, 4)
	est := []float64{fit.Model.R, fit.Model.Alpha, fit.Model.A, fit.Model.B}
	for i, iv := range fit.Intervals {
		t.Logf("%s = %.4f (se %.4f) [%.4f, %.4f]", iv.Name, iv.Estimate, iv.StdErr, iv.Lower, iv.Upper)
		assert.Equal(t, bgNames[i], iv.Name)
		assert.Equal(t, est[i], iv.Estimate)
		assert.True(t, iv.StdErr > 0 && iv.StdErr < iv.Estimate, "%s se %g", iv.Name, iv.StdErr)
		assert.True(t, iv.Lower < iv.Estimate && iv.Estimate < iv.Upper)
		assert.Greater(t, iv.Lower, 0.0)
	}
}

// The reported standard errors match the spread of estimates across
// independent samples drawn from the model: the Hessian is scaled right.
func TestStdErrMatchesSamplingSpread(t *testing.T) {
	truth := BGNBD{R: 0.5, Alpha: 10, A: 0.8, B: 2.5, Unit: Day}
	const reps = 30
	var logR, seR []float64
	for rep := range reps {
		s := synthBGNBD(3000, truth, uint64(100+rep), false)
		fit, err := FitBGNBD(s, nil)
		require.NoError(t, err)
		logR = append(logR, math.Log(fit.Model.R))
		seR = append(seR, fit.Intervals[0].StdErr/fit.Intervals[0].Estimate)
	}
	mean, sd := meanSD(logR)
	meanSE, _ := meanSD(seR)
	t.Logf("ln r: mean %.4f (truth %.4f), spread %.4f, mean reported se %.4f", mean, math.Log(truth.R), sd, meanSE)
	assert.InDelta(t, 1, sd/meanSE, 0.35)
}

func meanSD(v []float64) (float64, float64) {
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	ss := 0.0
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return m, math.Sqrt(ss / float64(len(v)-1))
}
