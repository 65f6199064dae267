package clv

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reference values computed with mpmath 1.3.0 (mp.dps = 40, mpmath.hyp2f1)
// and rounded to 20 significant digits. They cover every path: the plain
// series, the 1-z connection formula (non-integer c-a-b), the logarithmic
// form (integer c-a-b = 0, 1, 2), a near-integer c-a-b (series fallback),
// Pfaff for z < 0, a terminating polynomial and large parameters.
func TestHyp2F1AgainstMpmath(t *testing.T) {
	cases := []struct{ a, b, c, z, want float64 }{
		{1, 1, 2, 0.5, 1.3862943611198906188},
		{1, 1, 2, 0.99, 4.6516870565536267891},
		{0.5, 0.5, 1.5, 0.95, 1.3802311542699660083},
		{1, 1, 3, 0.97, 1.8382469190783303301},
		{2.2, 0.7, 3.1, 0.3, 1.1873644298892161284},
		{2.2, 0.7, 3.1, 0.93, 2.751864279764339791},
		{2.2, 0.7, 3.1, 0.999, 5.3642216746419086752},
		{3.0, 2.0, 5.0, 0.98, 20.929221047421297831},
		{0.24, 2.43, 2.22, 0.47, 1.1855270290686594366},
		{1.45, -0.207, 3.22, 0.47, 0.95028296879632036914},
		{1.45, -0.207, 3.22, 0.995, 0.86534411301110776925},
		{50.2, 30.4, 80.6, 0.95, 30047257928276249.598},
		{1.5, 2.5, 3.0, -0.7, 0.50954358237505149255},
		{-3, 2.5, 1.5, 0.96, -0.0030080000000000051728},
		{0.3, 0.4, 0.7000001, 0.97, 1.6495670330856770017},
		{5.5, 6.5, 3.0, 0.92, 36457407752.995323028},
		{1, 2, 3, 0.9999, 16.424165412793489927},
	}
	for _, tc := range cases {
		got, err := hyp2f1(tc.a, tc.b, tc.c, tc.z)
		require.NoError(t, err, "2F1(%g,%g;%g;%g)", tc.a, tc.b, tc.c, tc.z)
		assert.InEpsilon(t, tc.want, got, 1e-11, "2F1(%g,%g;%g;%g)", tc.a, tc.b, tc.c, tc.z)
	}
}

// Closed forms: 2F1(1,1;2;z) = -ln(1-z)/z, 2F1(a,b;b;z) = (1-z)^-a and
// 2F1(1/2,1/2;3/2;z^2) = asin(z)/z, over the whole interval up to z near 1.
func TestHyp2F1ClosedForms(t *testing.T) {
	for _, z := range []float64{0.01, 0.3, 0.6, 0.89, 0.91, 0.97, 0.995, 0.99999} {
		got, err := hyp2f1(1, 1, 2, z)
		require.NoError(t, err)
		assert.InEpsilon(t, -math.Log1p(-z)/z, got, 1e-12, "log form z=%g", z)

		got, err = hyp2f1(0.37, 2.5, 2.5, z)
		require.NoError(t, err)
		assert.InEpsilon(t, math.Pow(1-z, -0.37), got, 1e-12, "power form z=%g", z)

		x := math.Sqrt(z)
		got, err = hyp2f1(0.5, 0.5, 1.5, z)
		require.NoError(t, err)
		assert.InEpsilon(t, math.Asin(x)/x, got, 1e-12, "asin form z=%g", z)
	}
}

func TestHyp2F1RejectsBadArguments(t *testing.T) {
	for _, tc := range [][4]float64{{1, 1, 2, 1}, {1, 1, 2, 1.5}, {1, 1, -2, 0.5}, {math.NaN(), 1, 2, 0.5}, {1, 1, 0, 0.3}} {
		_, err := hyp2f1(tc[0], tc[1], tc[2], tc[3])
		assert.True(t, errors.Is(err, ErrNumerical), "%v", tc)
	}
}

func TestDigamma(t *testing.T) {
	// mpmath.digamma at 30 digits.
	cases := []struct{ x, want float64 }{
		{0.001, -1000.57557193181027965475671066},
		{0.5, -1.963510026021423479440976333},
		{1, -0.577215664901532860606512090082},
		{2.5, 0.703156640645243187225690333668},
		{7, 1.87278433509846713939348790992},
		{9.99, 2.25070037283120112197865012705},
		{10, 2.25175258906672110764745616389},
		{33.3, 3.49046723852024277728041822284},
		{1000, 6.90725519564881205205000611425},
		{-0.5, 0.0364899739785765205590236670012},
		{-2.3, 3.31732315756182273911447868935},
	}
	for _, tc := range cases {
		assert.InDelta(t, tc.want, digamma(tc.x), 1e-13*math.Max(1, math.Abs(tc.want)), "x=%g", tc.x)
	}
	assert.True(t, math.IsNaN(digamma(0)))
	assert.True(t, math.IsNaN(digamma(-3)))
}

// Near z = 1 the transformed formulas must agree with the plain series
// (which still converges there, slowly) over a spread of parameters,
// including integer c-a-b for the logarithmic form.
func TestHyp2F1TransformationsAgreeWithSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 400 {
		a := 0.05 + 4*rng.Float64()
		b := -0.9 + 5*rng.Float64()
		c := a + b + 0.3 + 4*rng.Float64()
		if i%4 == 0 {
			c = a + b + float64(rng.IntN(4)) // integer c-a-b: logarithmic case
		}
		z := 0.91 + 0.06*rng.Float64()
		got, err := hyp2f1(a, b, c, z)
		require.NoError(t, err, "2F1(%g,%g;%g;%g)", a, b, c, z)
		want, err := hypSeries(a, b, c, z, hypMaxTerms)
		require.NoError(t, err)
		assert.InDelta(t, want, got, 1e-10*math.Max(1, math.Abs(want)), "2F1(%g,%g;%g;%g)", a, b, c, z)
	}
}
