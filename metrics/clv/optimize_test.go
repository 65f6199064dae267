package clv

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rosenbrock(x, g []float64) float64 {
	f := 0.0
	for i := range g {
		g[i] = 0
	}
	for i := 0; i+1 < len(x); i++ {
		a, b := 1-x[i], x[i+1]-x[i]*x[i]
		f += a*a + 100*b*b
		g[i] += -2*a - 400*x[i]*b
		g[i+1] += 200 * b
	}
	return f
}

func TestBFGSMinimisesRosenbrock(t *testing.T) {
	for _, x0 := range [][]float64{{-1.2, 1}, {-1.2, 1, -1.2, 1}, {3, -2, 0.5}} {
		r := bfgs(rosenbrock, x0, defaultOpt)
		require.True(t, r.converged, "%v: %s", x0, r.msg)
		for i, v := range r.x {
			assert.InDelta(t, 1, v, 1e-6, "x0=%v coordinate %d", x0, i)
		}
		assert.Less(t, r.iter, 200)
	}
}

func TestBFGSQuadraticIsExact(t *testing.T) {
	// f = 1/2 x'Ax - b'x with A positive definite: minimum at A^-1 b.
	a := [][]float64{{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 2}}
	b := []float64{1, 2, 3}
	fn := func(x, g []float64) float64 {
		f := 0.0
		for i := range x {
			g[i] = dot(a[i], x) - b[i]
			f += 0.5*x[i]*dot(a[i], x) - b[i]*x[i]
		}
		return f
	}
	r := bfgs(fn, []float64{0, 0, 0}, defaultOpt)
	require.True(t, r.converged)
	for i := range a {
		assert.InDelta(t, b[i], dot(a[i], r.x), 1e-8)
	}
}

// A function that is +Inf (or NaN) outside a region makes the line search
// back off instead of failing or returning a non-finite point.
func TestBFGSBacksOffFromNonFiniteRegion(t *testing.T) {
	fn := func(x, g []float64) float64 {
		if x[0] <= 0 {
			g[0] = math.NaN()
			return math.Inf(1)
		}
		// minimum of x - 10 ln x at x = 10; steep barrier at 0
		g[0] = 1 - 10/x[0]
		return x[0] - 10*math.Log(x[0])
	}
	r := bfgs(fn, []float64{0.01}, optSettings{maxIter: 200, gtol: 1e-10, stallTol: 1e-6, maxStep: 1e6})
	require.True(t, r.converged, r.msg)
	assert.InDelta(t, 10, r.x[0], 1e-7)
}

func TestBFGSReportsNonConvergence(t *testing.T) {
	r := bfgs(rosenbrock, []float64{-1.2, 1}, optSettings{maxIter: 3, gtol: 1e-12, stallTol: 1e-12, maxStep: 3})
	assert.False(t, r.converged)
	assert.Equal(t, "iteration limit reached", r.msg)
	assert.Greater(t, r.gnorm, 1e-12)

	bad := func(x, g []float64) float64 { g[0] = 0; return math.NaN() }
	r = bfgs(bad, []float64{1}, defaultOpt)
	assert.False(t, r.converged)
	assert.Contains(t, r.msg, "not finite")
}

// Two starts that agree stop the search; a start that fails does not hide
// a later one that converges.
func TestMultiStart(t *testing.T) {
	res, d := multiStart(rosenbrock, [][]float64{{-1.2, 1}, {2, 2}, {0, 0}}, defaultOpt)
	assert.True(t, d.Converged)
	assert.Equal(t, 2, d.Starts)
	assert.InDelta(t, 1, res.x[0], 1e-6)

	// f has a NaN start point and a good one.
	fn := func(x, g []float64) float64 {
		if x[0] > 100 {
			g[0] = 0
			return math.NaN()
		}
		g[0] = 2 * (x[0] - 3)
		return (x[0] - 3) * (x[0] - 3)
	}
	res, d = multiStart(fn, [][]float64{{200}, {0}}, defaultOpt)
	assert.True(t, d.Converged)
	assert.Equal(t, 1, d.Best)
	assert.InDelta(t, 3, res.x[0], 1e-8)
}

func TestFitBGNBDNotConvergedCarriesDiagnostics(t *testing.T) {
	s := synthBGNBD(2000, BGNBD{R: 0.3, Alpha: 10, A: 0.7, B: 3, Unit: Day}, 5, false)
	fit, err := FitBGNBD(s, &FitOptions{MaxIterations: 2})
	require.ErrorIs(t, err, ErrNotConverged)
	var nc *NotConvergedError
	require.True(t, errors.As(err, &nc))
	assert.False(t, nc.Diagnostics.Converged)
	assert.Equal(t, "iteration limit reached", nc.Diagnostics.Message)
	assert.Greater(t, nc.Diagnostics.GradientNorm, 1e-9)
	assert.Equal(t, 4, nc.Diagnostics.Starts)
	assert.Equal(t, nc.Diagnostics, fit.Diagnostics, "the best point is still returned")
	assert.Contains(t, err.Error(), "BG/NBD")
}

func TestFitOptionsValidation(t *testing.T) {
	_, err := FitBGNBD(Summaries{Unit: Week}, &FitOptions{MaxIterations: -1, GradientTolerance: math.NaN()})
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2)
	_, err = FitBGNBD(Summaries{Unit: Week}, nil)
	assert.ErrorIs(t, err, ErrNoData)
	_, err = FitBGNBD(Summaries{Customers: []Summary{{T: 1}}}, nil)
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = FitGammaGamma(Summaries{Unit: Week, Customers: []Summary{{T: 1}}}, nil)
	assert.ErrorIs(t, err, ErrNoData)
}

// The analytic gradients agree with central finite differences (BG/NBD,
// its MBG/NBD variant, Gamma-Gamma).
func TestLikelihoodGradients(t *testing.T) {
	s := synthBGNBD(500, BGNBD{R: 0.4, Alpha: 8, A: 0.9, B: 2, Unit: Day}, 9, true)
	for _, modified := range []bool{false, true} {
		d, err := newBGData(s.Customers, modified)
		require.NoError(t, err)
		w := d.newWork()
		p := [4]float64{0.37, 7.5, 1.3, 2.2}
		var g [4]float64
		d.logLik(p, &g, w)
		for i := range p {
			h := 1e-6 * p[i]
			up, dn := p, p
			up[i] += h
			dn[i] -= h
			num := (d.logLik(up, nil, w) - d.logLik(dn, nil, w)) / (2 * h)
			assert.InEpsilon(t, num, g[i], 1e-5, "modified=%v parameter %d", modified, i)
		}
	}

	synthSpend(s, GammaGamma{P: 5, Q: 3, V: 10}, 4)
	gd, err := newGGData(s.Customers)
	require.NoError(t, err)
	q := [3]float64{4.2, 2.7, 11}
	var gg, tmp [3]float64
	gd.logLik(q[0], q[1], q[2], &gg)
	for i := range q {
		h := 1e-6 * q[i]
		up, dn := q, q
		up[i] += h
		dn[i] -= h
		num := (gd.logLik(up[0], up[1], up[2], &tmp) - gd.logLik(dn[0], dn[1], dn[2], &tmp)) / (2 * h)
		assert.InEpsilon(t, num, gg[i], 1e-5, "Gamma-Gamma parameter %d", i)
	}
}

// Data whose dropout probability is the same for everyone has no interior
// maximum: a and b grow without bound. The fit must fail loudly and say
// why, not return huge numbers as if they were estimates. Whether the
// search stops short of the gradient test (ErrNotConverged) or passes it
// far out where the likelihood is flat (ErrNotIdentified) depends on the
// last bits of the sums; either is a refusal naming the boundary.
func TestFitBGNBDReportsBoundarySupremum(t *testing.T) {
	var cs []Summary
	for i := range 300 {
		x := i % 10 / 2
		T := float64(200 + 10*(i%7))
		tx := float64(x) * T / 5 * 0.9
		if i%3 == 0 && x > 0 {
			tx /= 3
		}
		cs = append(cs, Summary{CustomerID: "c", Frequency: x, Recency: tx, T: T})
	}
	fit, err := FitBGNBD(Summaries{Unit: Day, Customers: cs}, nil)
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrNotConverged) || errors.Is(err, ErrNotIdentified), "%v", err)
	assert.False(t, fit.Diagnostics.Identified)
	assert.Contains(t, err.Error(), "boundary")
	assert.Greater(t, fit.Model.A, 1e6)
}

// TestMultiStartWarmCurvature: a start after a converged run begins with
// that run's curvature estimate, so on an ill-conditioned quadratic it
// needs fewer iterations than from scratch, and still reaches the minimum
// on its own.
func TestMultiStartWarmCurvature(t *testing.T) {
	c := []float64{1, 30, 0.2, 8}
	m := []float64{1, -2, 0.5, 3}
	fn := func(x, grad []float64) float64 {
		f := 0.0
		for i := range x {
			d := x[i] - m[i]
			f += c[i] * d * d
			grad[i] = 2 * c[i] * d
		}
		return f
	}
	starts := [][]float64{{0, 0, 0, 0}, {3, 1, -2, 0}}
	cold := bfgs(fn, starts[0], defaultOpt).iter + bfgs(fn, starts[1], defaultOpt).iter
	res, d := multiStart(fn, starts, defaultOpt)
	require.True(t, d.Converged)
	assert.Equal(t, 2, d.Starts)
	assert.Less(t, d.Iterations, cold)
	for i := range m {
		assert.InDelta(t, m[i], res.x[i], 1e-8)
	}
}
