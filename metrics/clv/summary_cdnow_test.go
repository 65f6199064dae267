package clv

import (
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readCDNOWFile(t testing.TB, name string) []CDNOWRecord {
	t.Helper()
	f, err := os.Open(cdnowFile(t, name))
	require.NoError(t, err)
	defer f.Close()
	recs, err := ReadCDNOW(f)
	require.NoError(t, err)
	return recs
}

var cdnowCalibrationEnd = time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)

// The summary of CDNOW_sample.txt must equal the published summaries for
// every customer: frequency exactly, recency and T (weeks) and the mean
// repeat spend to the files' two decimals.
func TestSummarizeReproducesCDNOWSummary(t *testing.T) {
	recs := readCDNOWFile(t, "CDNOW_sample.txt")
	require.Len(t, recs, 6919)
	want := readCDNOWSummary(t, "cdnow_customers_summary_with_transactions.csv")
	plain := readCDNOWSummary(t, "cdnow_customers_summary.csv")
	got, err := Summarize(CDNOWTransactions(recs), SummaryParams{CalibrationEnd: cdnowCalibrationEnd, Unit: Week, Location: time.UTC})
	require.NoError(t, err)
	require.Len(t, got.Customers, len(want))
	assert.Equal(t, Week, got.Unit)
	assert.Equal(t, 6919, got.Transactions)
	byID := make(map[string]Summary, len(got.Customers))
	for _, c := range got.Customers {
		byID[c.CustomerID] = c
	}
	for i, w := range want {
		c, ok := byID[w.id]
		require.True(t, ok, "customer %s missing", w.id)
		assert.Equal(t, w.x, c.Frequency, "frequency of %s", w.id)
		assert.Equal(t, plain[i].x, c.Frequency, "frequency of %s", w.id)
		assert.InDelta(t, w.tx, round2(c.Recency), 1e-9, "recency of %s", w.id)
		assert.InDelta(t, plain[i].tx, round2(c.Recency), 1e-9, "recency of %s", w.id)
		assert.InDelta(t, w.T, round2(c.T), 1e-9, "T of %s", w.id)
		assert.InDelta(t, w.zb, c.MonetaryValue.Round(2).InexactFloat64(), 1e-9, "zbar of %s", w.id)
	}
}

func round2(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return v
}

// Fitting both models on the summary built here from the raw sample (exact
// mean spends, not the rounded file) reproduces the papers as well:
// BG/NBD as on the summary file, Gamma-Gamma p = 6.25, q = 3.74,
// v = 15.44 with LL = -4055.92 (CLVTools' reference value -4055.9177).
func TestModelsOnSummaryFromCDNOWTransactions(t *testing.T) {
	recs := readCDNOWFile(t, "CDNOW_sample.txt")
	s, err := Summarize(CDNOWTransactions(recs), SummaryParams{CalibrationEnd: cdnowCalibrationEnd, Unit: Week, Location: time.UTC})
	require.NoError(t, err)
	bg, err := FitBGNBD(s, nil)
	require.NoError(t, err)
	assert.InDelta(t, 0.243, bg.Model.R, 0.0005)
	assert.InDelta(t, 4.414, bg.Model.Alpha, 0.0005)
	assert.InDelta(t, 0.793, bg.Model.A, 0.0005)
	assert.InDelta(t, 2.426, bg.Model.B, 0.0005)
	gg, err := FitGammaGamma(s, nil)
	require.NoError(t, err)
	t.Logf("gamma-gamma on exact spends: %+v LL=%.4f", gg.Model, gg.LogLikelihood)
	assert.Equal(t, 946, gg.Customers)
	assert.InDelta(t, 6.25, gg.Model.P, 0.005)
	assert.InDelta(t, 3.74, gg.Model.Q, 0.005)
	assert.InDelta(t, 15.44, gg.Model.V, 0.005)
	assert.InDelta(t, -4055.9177, gg.LogLikelihood, 0.01)
	assert.False(t, math.IsNaN(gg.LogLikelihood))
}

// The master file (23,570 customers, with its header line) parses and
// summarises; ten times the sample's customers.
func TestReadCDNOWMaster(t *testing.T) {
	recs := readCDNOWFile(t, "CDNOW_master.txt")
	require.Len(t, recs, 69659)
	assert.Equal(t, "1", recs[0].MasterID)
	assert.Empty(t, recs[0].SampleID)
	s, err := Summarize(CDNOWTransactions(recs), SummaryParams{CalibrationEnd: cdnowCalibrationEnd, Unit: Week, Location: time.UTC})
	require.NoError(t, err)
	assert.Len(t, s.Customers, 23570)
}
