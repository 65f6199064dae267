package clv

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	cdnowCalEnd  = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)
	cdnowHoldEnd = time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)
)

func cdnowHoldout(t *testing.T) *Holdout {
	t.Helper()
	recs := readCDNOWFile(t, "CDNOW_sample.txt")
	h, err := SplitHoldout(CDNOWTransactions(recs), HoldoutParams{CalibrationEnd: cdnowCalEnd, HoldoutEnd: cdnowHoldEnd, Unit: Week, Location: time.UTC})
	require.NoError(t, err)
	return h
}

// The split's counts agree with a direct count over the records: distinct
// purchase days per customer, the first one removed, split at the
// calibration end.
func TestSplitHoldoutCountsCDNOW(t *testing.T) {
	recs := readCDNOWFile(t, "CDNOW_sample.txt")
	h := cdnowHoldout(t)
	require.Len(t, h.Calibration.Customers, 2357)
	assert.InDelta(t, 39, h.Length, 1e-12)
	assert.Equal(t, time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC), h.FirstDay)
	assert.Len(t, h.RepeatsByDay, 546)

	days := map[string]map[time.Time]bool{}
	for _, r := range recs {
		id := r.Transaction().CustomerID
		if days[id] == nil {
			days[id] = map[time.Time]bool{}
		}
		days[id][r.Date] = true
	}
	wantHold, wantCal := 0, 0
	for i, c := range h.Calibration.Customers {
		var first time.Time
		for d := range days[c.CustomerID] {
			if first.IsZero() || d.Before(first) {
				first = d
			}
		}
		hold := 0
		for d := range days[c.CustomerID] {
			if d.After(cdnowCalEnd) && !d.After(cdnowHoldEnd) {
				hold++
			}
		}
		require.Equal(t, hold, h.Purchases[i], "customer %s", c.CustomerID)
		wantHold += hold
		wantCal += c.Frequency
	}
	total := 0
	for _, n := range h.RepeatsByDay {
		total += n
	}
	assert.Equal(t, wantCal+wantHold, total)
	t.Logf("calibration repeat purchases %d, holdout %d", wantCal, wantHold)
}

// The validation table and the tracking series for the published BG/NBD
// and Pareto/NBD parameters (Fader, Hardie & Lee 2005, Figures 2 and 3).
// Both models track the cumulative repeat purchases within a few percent
// over the 39-week holdout, as the paper's figures show; the per-frequency
// means are checked for what the paper reports in words: predictions rise
// with calibration frequency and stay close to the actual means for the
// well-populated low frequencies.
func TestValidationAndTrackingCDNOW(t *testing.T) {
	h := cdnowHoldout(t)
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: Week}
	pn := ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: Week}
	for _, m := range []PurchaseModel{bg, pn} {
		rows, err := ValidationTable(m, h, 7)
		require.NoError(t, err)
		require.Len(t, rows, 8)
		n := 0
		for i, r := range rows {
			t.Logf("%s x=%d%s n=%d actual=%.3f predicted=%.3f", m.ModelName(), r.Frequency, map[bool]string{true: "+"}[r.OrMore], r.Customers, r.Actual, r.Predicted)
			n += r.Customers
			if i > 0 {
				assert.Greater(t, r.Predicted, rows[i-1].Predicted)
			}
		}
		assert.Equal(t, 2357, n)
		assert.Equal(t, 1411, rows[0].Customers, "1,411 of the 2,357 made no repeat purchase")
		assert.InDelta(t, rows[0].Actual, rows[0].Predicted, 0.1)
		assert.InDelta(t, rows[1].Actual, rows[1].Predicted, 0.2)

		tr, err := Tracking(m, h)
		require.NoError(t, err)
		require.Len(t, tr, 78)
		assert.Equal(t, cdnowCalEnd, tr[38].End)
		assert.Equal(t, cdnowHoldEnd, tr[77].End)
		last := tr[77]
		t.Logf("%s week 39: actual %d predicted %.1f; week 78: actual %d predicted %.1f", m.ModelName(), tr[38].Actual, tr[38].Predicted, last.Actual, last.Predicted)
		assert.InEpsilon(t, float64(last.Actual), last.Predicted, 0.05)
		assert.InEpsilon(t, float64(tr[38].Actual), tr[38].Predicted, 0.05)
	}
}

// Comparing fitted models on the split: the comparison's log-likelihood
// is the fit's own, AIC and BIC follow from it, and the holdout errors are
// those of the per-customer conditional expectations.
func TestCompareModelsCDNOW(t *testing.T) {
	h := cdnowHoldout(t)
	bg, err := FitBGNBD(h.Calibration, nil)
	require.NoError(t, err)
	mbg, err := FitMBGNBD(h.Calibration, nil)
	require.NoError(t, err)
	pn, err := FitParetoNBD(h.Calibration, nil)
	require.NoError(t, err)
	cmp, err := CompareModels(h, bg.Model, mbg.Model, pn.Model)
	require.NoError(t, err)
	require.Len(t, cmp, 3)
	for i, want := range []float64{bg.LogLikelihood, mbg.LogLikelihood, pn.LogLikelihood} {
		c := cmp[i]
		t.Logf("%+v", c)
		assert.InEpsilon(t, want, c.LogLikelihood, 1e-9, c.Model)
		assert.InDelta(t, 8-2*c.LogLikelihood, c.AIC, 1e-9)
		assert.Greater(t, c.BIC, c.AIC)
		assert.Equal(t, 2357, c.Customers)
		assert.Greater(t, c.HoldoutRMSE, c.HoldoutMAE)
		// All three under-predict the 1,882 holdout purchase days by 12
		// to 16% (1,577 to 1,666); the tracking series shows the same gap.
		assert.InEpsilon(t, float64(c.HoldoutActual), c.HoldoutPredicted, 0.2)
	}
	// The sum of the conditional expectations and the growth of the
	// unconditional tracking prediction over the holdout are two routes to
	// the same aggregate; they agree to 2% on CDNOW.
	tr, err := Tracking(bg.Model, h)
	require.NoError(t, err)
	assert.InEpsilon(t, tr[77].Predicted-tr[38].Predicted, cmp[0].HoldoutPredicted, 0.02)
	assert.Equal(t, []string{"BG/NBD", "MBG/NBD", "Pareto/NBD"}, []string{cmp[0].Model, cmp[1].Model, cmp[2].Model})
}

func TestHoldoutRejectsBadInput(t *testing.T) {
	h := &Holdout{Calibration: Summaries{Unit: Day}}
	_, err := ValidationTable(BGNBD{R: 1, Alpha: 1, A: 1, B: 1, Unit: Week}, h, 7)
	assert.ErrorIs(t, err, ErrUnitMismatch)
	_, err = Tracking(ParetoNBD{R: 1, Alpha: 1, S: 1, Beta: 1, Unit: Week}, h)
	assert.ErrorIs(t, err, ErrUnitMismatch)
	_, err = CompareModels(h)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = ValidationTable(BGNBD{R: 1, Alpha: 1, A: 1, B: 1, Unit: Day}, h, 0)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = SplitHoldout(nil, HoldoutParams{CalibrationEnd: cdnowCalEnd, Unit: Week, Location: time.UTC})
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = SplitHoldout(CDNOWTransactions(nil), HoldoutParams{CalibrationEnd: cdnowCalEnd, HoldoutEnd: cdnowCalEnd.Add(time.Hour), Unit: Week, Location: time.UTC})
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "HoldoutParams.HoldoutEnd", fe.Field)
	_, err = Tracking(BGNBD{R: 1, Alpha: 1, A: 1, B: 1, Unit: UnitOf(36 * time.Hour)}, &Holdout{Calibration: Summaries{Unit: UnitOf(36 * time.Hour)}, unitDays: 1.5})
	assert.ErrorIs(t, err, ErrInvalidInput)
}
