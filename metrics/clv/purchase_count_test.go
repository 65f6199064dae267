package clv

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// References from mpmath 1.3.0 at 30 digits: BG/NBD by eq. 8 of Fader,
// Hardie & Lee (2005) as printed (1 minus the head of the negative
// binomial), Pareto/NBD by numerical integration (mpmath.quad) of the
// mixture over the death time τ in its original variable, which shares no
// step with the substituted quadrature of the code.
func TestProbabilityOfPurchasesAgainstMpmath(t *testing.T) {
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: Week}
	pn := ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: Week}
	sw := ParetoNBD{R: 0.8, Alpha: 15, S: 1.7, Beta: 5, Unit: Week}
	cases := []struct {
		n                       int
		bg39, pnbd39, swapped78 float64
	}{
		{0, 0.57378635209600940507, 0.59362503160238387022, 0.82783478105731933853},
		{1, 0.19939528083591145644, 0.16556294727717547759, 0.10998478634246659094},
		{2, 0.085429759539060758646, 0.082487184116316580857, 0.031370089220855624548},
		{5, 0.01796549386657904351, 0.021484828361821039227, 0.0036485139491522655451},
		{10, 0.0035904295401896731839, 0.0041934393320804204321, 0.00054392965072451335487},
		{30, 0.000070292799627704740694, 0.000018945028586309502836, 6.2135491470215447522e-6},
	}
	for _, tc := range cases {
		p, err := bg.ProbabilityOfPurchases(39, tc.n)
		require.NoError(t, err)
		assert.InEpsilon(t, tc.bg39, p, 1e-11, "BG/NBD n=%d", tc.n)
		p, err = pn.ProbabilityOfPurchases(39, tc.n)
		require.NoError(t, err)
		assert.InEpsilon(t, tc.pnbd39, p, 1e-11, "Pareto/NBD n=%d", tc.n)
		p, err = sw.ProbabilityOfPurchases(78, tc.n)
		require.NoError(t, err)
		assert.InEpsilon(t, tc.swapped78, p, 1e-11, "Pareto/NBD α>β n=%d", tc.n)
	}
}

// The probabilities form a distribution whose mean is the model's own
// E[X(t)]: a check that ties P(X(t) = n) to an independently derived
// closed form, at short and long horizons and for both α < β and α > β.
func TestProbabilityOfPurchasesIsADistributionWithTheRightMean(t *testing.T) {
	type model interface {
		ProbabilityOfPurchases(t float64, n int) (float64, error)
		ExpectedPurchases(t float64) (float64, error)
	}
	models := map[string]model{
		"BG/NBD":         BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: Week},
		"BG/NBD a>1":     BGNBD{R: 2, Alpha: 3, A: 3, B: 8, Unit: Week},
		"Pareto/NBD":     ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: Week},
		"Pareto/NBD α>β": ParetoNBD{R: 2, Alpha: 15, S: 1.7, Beta: 5, Unit: Week},
	}
	for name, m := range models {
		for _, horizon := range []float64{1, 39, 520} {
			sum, mean, tail := 0.0, 0.0, 0.0
			for n := 0; n < 20_000; n++ {
				p, err := m.ProbabilityOfPurchases(horizon, n)
				require.NoError(t, err)
				require.True(t, p >= 0 && p <= 1, "%s t=%g n=%d p=%g", name, horizon, n, p)
				sum += p
				mean += float64(n) * p
				if tail = p; n > 50 && p < 1e-17 {
					break
				}
			}
			assert.InDelta(t, 1, sum, 1e-9, "%s t=%g", name, horizon)
			want, err := m.ExpectedPurchases(horizon)
			require.NoError(t, err)
			// The mean converges more slowly: the BG/NBD at r < 1 has a
			// heavy tail, so allow for the part beyond the last term.
			assert.InEpsilon(t, want, mean, 1e-6, "%s t=%g tail=%g", name, horizon, tail)
		}
	}
}

func TestProbabilityOfPurchasesEdges(t *testing.T) {
	bg := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: Week}
	pn := ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: Week}
	for _, m := range []interface {
		ProbabilityOfPurchases(t float64, n int) (float64, error)
	}{bg, pn} {
		p, err := m.ProbabilityOfPurchases(0, 0)
		require.NoError(t, err)
		assert.Equal(t, 1.0, p)
		p, err = m.ProbabilityOfPurchases(0, 3)
		require.NoError(t, err)
		assert.Equal(t, 0.0, p)
		p, err = m.ProbabilityOfPurchases(39, 1_000_000)
		require.NoError(t, err)
		assert.True(t, p >= 0 && p < 1e-12, "far tail p=%g", p)
		_, err = m.ProbabilityOfPurchases(-1, 0)
		assert.ErrorIs(t, err, ErrInvalidInput)
		_, err = m.ProbabilityOfPurchases(1, -1)
		assert.ErrorIs(t, err, ErrInvalidInput)
		_, err = m.ProbabilityOfPurchases(math.NaN(), 1)
		assert.ErrorIs(t, err, ErrInvalidInput)
	}
}
