package clv

import (
	"reflect"
	"testing"
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
