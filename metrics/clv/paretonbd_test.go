package clv

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// References from mpmath 1.3.0 at 40 digits with the textbook formulas:
// P(alive) = 1/(1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0) with A0 from
// mpmath.hyp2f1 in the branch the note prescribes (α < β for the published
// CDNOW parameters, α >= β for the second set), and Schmittlein et al.'s
// eq. 17 and 22 for the expectations.
func TestParetoNBDPredictionsAgainstMpmath(t *testing.T) {
	cdnow := ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: Week}
	swapped := ParetoNBD{R: 0.8, Alpha: 15, S: 1.7, Beta: 5, Unit: Week}
	cases := []struct {
		name        string
		m           ParetoNBD
		t           float64
		x           int
		tx, T       float64
		alive, cond float64
	}{
		{"cdnow id 1", cdnow, 39, 2, 30.43, 38.86, 0.8691675591530111916, 1.4551231932576024225},
		{"cdnow no repeat", cdnow, 39, 0, 0, 38.86, 0.2952866046168941497, 0.10708146821530884558},
		{"cdnow frequent", cdnow, 52, 7, 35.71, 38.86, 0.95092005782485182096, 5.9906635674641464891},
		{"cdnow x=500", cdnow, 39, 500, 38, 38.86, 0.11361662059836024724, 37.293863421095112967},
		{"cdnow long history", cdnow, 100, 30, 300, 365, 0.12187283507373446366, 0.92136079271068222506},
		{"alpha>beta id 1", swapped, 39, 2, 30.43, 38.86, 0.63717731172901348362, 0.74587424439673218059},
		{"alpha>beta no repeat", swapped, 39, 0, 0, 38.86, 0.010804443590658264071, 0.0036135966062308232737},
		{"alpha>beta frequent", swapped, 52, 7, 35.71, 38.86, 0.85223074671076318974, 3.2595354341497847918},
		{"alpha>beta x=500", swapped, 39, 500, 38, 38.86, 0.068293523120496473552, 14.298520886980841744},
		{"alpha>beta long history", swapped, 100, 30, 300, 365, 0.039800744736347911451, 0.2629170858375030197},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.m.ProbabilityAlive(tc.x, tc.tx, tc.T)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.alive, p, 1e-11)
			e, err := tc.m.ConditionalExpectedPurchases(tc.t, tc.x, tc.tx, tc.T)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.cond, e, 1e-11)
		})
	}
	e, err := cdnow.ExpectedPurchases(39)
	require.NoError(t, err)
	assert.InEpsilon(t, 1.213002844281015733, e, 1e-13)
	e, err = swapped.ExpectedPurchases(39)
	require.NoError(t, err)
	assert.InEpsilon(t, 0.29782715826655682565, e, 1e-13)
}

// s = 1 is a removable singularity of eq. 17 and 22: the limit is
// r β/α ln(1 + t/β).
func TestParetoNBDExpectationAtSEqualsOne(t *testing.T) {
	m := ParetoNBD{R: 0.5, Alpha: 10, S: 1, Beta: 12, Unit: Week}
	e, err := m.ExpectedPurchases(39)
	require.NoError(t, err)
	assert.InEpsilon(t, 0.5*12/10*math.Log1p(39.0/12), e, 1e-14)
	m.S = 1 + 1e-9
	near, err := m.ExpectedPurchases(39)
	require.NoError(t, err)
	assert.InEpsilon(t, e, near, 1e-8)
}

// Frequencies in the millions must neither overflow nor lose the answer:
// the textbook series in (β-α)/(β+y) with parameter r+x overflows here.
func TestParetoNBDStaysFiniteForHugeFrequencies(t *testing.T) {
	for _, m := range []ParetoNBD{
		{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: Week},
		{R: 0.8, Alpha: 15, S: 1.7, Beta: 5, Unit: Week},
	} {
		for _, x := range []int{1_000, 100_000, 10_000_000} {
			ll, err := m.LogLikelihood(x, 38, 39)
			require.NoError(t, err)
			assert.True(t, finite(ll), "x=%d ll=%g", x, ll)
			p, err := m.ProbabilityAlive(x, 38, 39)
			require.NoError(t, err)
			assert.True(t, p >= 0 && p <= 1, "x=%d p=%g", x, p)
			e, err := m.ConditionalExpectedPurchases(52, x, 38, 39)
			require.NoError(t, err)
			assert.True(t, finite(e) && e >= 0, "x=%d e=%g", x, e)
		}
	}
}

func TestParetoNBDRejectsInvalidInput(t *testing.T) {
	m := ParetoNBD{R: 0.5, Alpha: 10, S: 0.6, Beta: 12, Unit: Week}
	_, err := m.ProbabilityAlive(2, 11, 10)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = ParetoNBD{R: 1, Alpha: 1, S: -1, Beta: 1, Unit: Week}.ExpectedPurchases(1)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "ParetoNBD.S", fe.Field)
	_, err = m.ConditionalExpectedPurchases(math.Inf(1), 0, 0, 10)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = FitParetoNBD(Summaries{}, nil)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = FitParetoNBD(Summaries{Unit: Week}, nil)
	assert.ErrorIs(t, err, ErrNoData)
}

// Data drawn from the Pareto/NBD recover its parameters, and the fit does
// at least as well as the truth on its own data.
func TestFitParetoNBDRecoversSyntheticParameters(t *testing.T) {
	truth := ParetoNBD{R: 0.6, Alpha: 20, S: 0.8, Beta: 40, Unit: Day}
	s := synthParetoNBD(5_000, truth, 3)
	fit, err := FitParetoNBD(s, nil)
	require.NoError(t, err)
	m := fit.Model
	t.Logf("fit %+v diag %+v", m, fit.Diagnostics)
	assert.InEpsilon(t, truth.R, m.R, 0.15)
	assert.InEpsilon(t, truth.Alpha, m.Alpha, 0.2)
	assert.InEpsilon(t, truth.S, m.S, 0.35)
	assert.InEpsilon(t, truth.Beta, m.Beta, 0.6)
	d, err := newBGData(s.Customers, false)
	require.NoError(t, err)
	llTruth, err := paretoLogLik(d, [4]float64{truth.R, truth.Alpha, truth.S, truth.Beta}, nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, fit.LogLikelihood, llTruth)
}
