package clv

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFitWorkersIdentical: the BG/NBD and MBG/NBD fits are the same to
// the last bit for any worker count (the data has many chunks of rows).
func TestFitWorkersIdentical(t *testing.T) {
	defer func(n int) { bgChunk = n }(bgChunk)
	bgChunk = 512
	s := synthBGNBD(15_000, synthTruth, 7, false) // fractional recencies: ~one row per customer
	m := synthBGNBDVariant(10_000, synthTruth, 8, true, false)
	var bg BGNBDFit
	var mbg MBGNBDFit
	for i, workers := range []int{1, 2, 3, 0} {
		opts := &FitOptions{Workers: workers}
		fit, err := FitBGNBD(s, opts)
		if err != nil {
			t.Fatal(err)
		}
		if fit.DistinctRows <= 2*bgChunk {
			t.Fatalf("only %d distinct rows: the test needs several chunks", fit.DistinctRows)
		}
		mfit, err := FitMBGNBD(m, opts)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			bg, mbg = fit, mfit
			continue
		}
		if !reflect.DeepEqual(fit, bg) || !reflect.DeepEqual(mfit, mbg) {
			t.Fatalf("workers %d: fit differs from one worker:\n%+v\n%+v", workers, fit.Model, bg.Model)
		}
	}
	if _, err := FitBGNBD(s, &FitOptions{Workers: -1}); err == nil {
		t.Error("negative Workers accepted")
	}
}

// TestFitWorkersIdenticalPaths: the same holds with power tables (whole
// days: few distinct T and t_x) on merged rows and on rows kept one per
// customer.
func TestFitWorkersIdenticalPaths(t *testing.T) {
	defer func(n, m int) { bgChunk, bgMerge = n, m }(bgChunk, bgMerge)
	bgChunk = 256
	s := synthBGNBD(20_000, synthTruth, 5, true)
	for _, mode := range []int{1, -1} {
		bgMerge = mode
		d, err := newBGData(s.Customers, false)
		require.NoError(t, err)
		require.NotEmpty(t, d.newWork().tabbed, "power tables in use")
		require.Greater(t, len(d.rows), 4*bgChunk)
		var first BGNBDFit
		for i, workers := range []int{1, 2, 3, 0} {
			fit, err := FitBGNBD(s, &FitOptions{Workers: workers})
			require.NoError(t, err)
			if i == 0 {
				first = fit
				continue
			}
			require.True(t, reflect.DeepEqual(fit, first), "merge mode %d, workers %d: %+v vs %+v", mode, workers, fit.Model, first.Model)
		}
	}
}

// TestFitGammaGammaWorkersIdentical: the Gamma-Gamma fit is the same to
// the last bit for any worker count (the data has many chunks of rows).
func TestFitGammaGammaWorkersIdentical(t *testing.T) {
	defer func(n int) { ggChunk = n }(ggChunk)
	ggChunk = 256
	s := synthBGNBD(10_000, synthTruth, 11, true)
	synthSpend(s, GammaGamma{P: 6, Q: 4, V: 15}, 12)
	var first GammaGammaFit
	for i, workers := range []int{1, 2, 3, 0} {
		fit, err := FitGammaGamma(s, &FitOptions{Workers: workers})
		require.NoError(t, err)
		require.Greater(t, fit.DistinctRows, 4*ggChunk)
		if i == 0 {
			first = fit
			continue
		}
		require.True(t, reflect.DeepEqual(fit, first), "workers %d: %+v vs %+v", workers, fit.Model, first.Model)
	}
}
