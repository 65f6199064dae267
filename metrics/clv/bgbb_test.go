package clv

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// donationsDir is the shared donations data directory, relative to this
// package (beside cdnowDir).
const donationsDir = "../../../shared/data/donations"

// readDonations reads donations.csv (frequency,recency,periods,weights),
// skipping the test when the data directory is absent.
func readDonations(t testing.TB) []DiscreteSummary {
	t.Helper()
	p := filepath.Join(donationsDir, "donations.csv")
	f, err := os.Open(p)
	if err != nil {
		t.Skipf("donations data not found at %s: %v", p, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"frequency", "recency", "periods", "weights"}, recs[0])
	var rows []DiscreteSummary
	for _, rec := range recs[1:] {
		var v [4]int
		for i := range v {
			v[i], err = strconv.Atoi(rec[i])
			require.NoError(t, err)
		}
		rows = append(rows, DiscreteSummary{Frequency: v[0], Recency: v[1], Periods: v[2], Count: v[3]})
	}
	return rows
}

// Fader, Hardie & Shang (2010), section 4: on the 11,104 donors of the
// 1995 cohort over six annual opportunities, α = 1.204, β = 0.750,
// γ = 0.657, δ = 2.783.
func TestFitBGBBReproducesDonations(t *testing.T) {
	rows := readDonations(t)
	fit, err := FitBGBB(rows, nil)
	require.NoError(t, err)
	m := fit.Model
	t.Logf("alpha=%.6f beta=%.6f gamma=%.6f delta=%.6f LL=%.4f diag=%+v", m.Alpha, m.Beta, m.Gamma, m.Delta, fit.LogLikelihood, fit.Diagnostics)
	t.Logf("intervals %+v", fit.Intervals)
	assert.Equal(t, 11104, fit.Customers)
	assert.Equal(t, 22, fit.DistinctRows)
	assert.InDelta(t, 1.204, m.Alpha, 0.0005)
	assert.InDelta(t, 0.750, m.Beta, 0.0005)
	assert.InDelta(t, 0.657, m.Gamma, 0.0005)
	assert.InDelta(t, 2.783, m.Delta, 0.0005)
	assert.True(t, fit.Diagnostics.Identified)
}

// References from mpmath 1.3.0 at 40 digits with the paper's equations 5,
// 7, 11 and 13 as printed (gamma functions and beta functions directly).
// The log-likelihood of the donations data at the published parameters is
// -33225.581754518579329 (the paper prints -33,225.6).
func TestBGBBAgainstMpmath(t *testing.T) {
	m := BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	ll := 0.0
	for _, r := range readDonations(t) {
		v, err := m.LogLikelihood(r.Frequency, r.Recency, r.Periods)
		require.NoError(t, err)
		ll += float64(r.Count) * v
	}
	assert.InEpsilon(t, -33225.581754518579329, ll, 1e-13)
	cases := []struct {
		x, tx, n    int
		alive, next float64 // P(alive at n+1), E[X(n, n+5)]
	}{
		{0, 0, 6, 0.10801658416867419518, 0.072802877475043012434},
		{3, 4, 6, 0.43946285705575648715, 1.0342284984211044896},
		{6, 6, 6, 0.93040254237288135593, 3.7521156075998147524},
		{2, 6, 6, 0.93040254237288135593, 1.6687643540740986211},
		{1, 1, 6, 0.069408093206549673556, 0.085635398337870302167},
	}
	for _, tc := range cases {
		p, err := m.ProbabilityAlive(tc.x, tc.tx, tc.n)
		require.NoError(t, err)
		assert.InEpsilon(t, tc.alive, p, 1e-12, "%+v", tc)
		e, err := m.ConditionalExpectedTransactions(5, tc.x, tc.tx, tc.n)
		require.NoError(t, err)
		assert.InEpsilon(t, tc.next, e, 1e-12, "%+v", tc)
	}
	for _, tc := range []struct {
		n    int
		want float64
	}{{6, 2.2196313934872988569}, {11, 3.3875711110646219909}, {0, 0}} {
		e, err := m.ExpectedTransactions(tc.n)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, e, 1e-12*tc.want, "n=%d", tc.n)
	}
	// A long history: 400 opportunities, quiet for the last 200.
	p, err := m.ProbabilityAlive(30, 200, 400)
	require.NoError(t, err)
	assert.InEpsilon(t, 3.792533908644295373e-9, p, 1e-10)
	e, err := m.ConditionalExpectedTransactions(20, 30, 200, 400)
	require.NoError(t, err)
	assert.InEpsilon(t, 5.7996433411656842141e-9, e, 1e-10)
}

// γ = 1 is a removable singularity of eq. 7 and 13 (δ/(γ-1) times a
// difference that vanishes); the references take γ = 1 + 1e-30 at 90
// digits.
func TestBGBBExpectationsAtGammaEqualsOne(t *testing.T) {
	m := BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 1, Delta: 2.783}
	e, err := m.ExpectedTransactions(6)
	require.NoError(t, err)
	assert.InEpsilon(t, 1.7767175290766637737, e, 1e-13)
	c, err := m.ConditionalExpectedTransactions(5, 3, 4, 6)
	require.NoError(t, err)
	assert.InEpsilon(t, 0.72523897545066216123, c, 1e-13)
	m.Gamma = 1 + 1e-10
	near, err := m.ExpectedTransactions(6)
	require.NoError(t, err)
	assert.InEpsilon(t, e, near, 1e-9)
}

func TestBGBBRejectsInvalidInput(t *testing.T) {
	cases := []struct {
		name  string
		row   DiscreteSummary
		field string
	}{
		{"no periods", DiscreteSummary{Periods: 0, Count: 1}, "DiscreteSummary.Periods"},
		{"no count", DiscreteSummary{Periods: 6}, "DiscreteSummary.Count"},
		{"frequency above recency", DiscreteSummary{Frequency: 3, Recency: 2, Periods: 6, Count: 1}, "DiscreteSummary.Frequency"},
		{"recency beyond periods", DiscreteSummary{Frequency: 1, Recency: 7, Periods: 6, Count: 1}, "DiscreteSummary.Recency"},
		{"recency without transactions", DiscreteSummary{Frequency: 0, Recency: 2, Periods: 6, Count: 1}, "DiscreteSummary.Recency"},
		{"transactions without recency", DiscreteSummary{Frequency: 1, Recency: 0, Periods: 6, Count: 1}, "DiscreteSummary.Frequency"},
		{"negative frequency", DiscreteSummary{Frequency: -1, Periods: 6, Count: 1}, "DiscreteSummary.Frequency"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FitBGBB([]DiscreteSummary{{Periods: 6, Count: 3}, tc.row}, nil)
			require.ErrorIs(t, err, ErrInvalidInput)
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.field, fe.Field)
			assert.Equal(t, 1, fe.Index)
		})
	}
	_, err := FitBGBB(nil, nil)
	assert.ErrorIs(t, err, ErrNoData)
	_, err = BGBB{Alpha: 1, Beta: 1, Gamma: 0, Delta: 1}.ExpectedTransactions(3)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = BGBB{Alpha: 1, Beta: 1, Gamma: 1, Delta: 1}.ConditionalExpectedTransactions(-1, 0, 0, 3)
	assert.ErrorIs(t, err, ErrInvalidInput)
}
