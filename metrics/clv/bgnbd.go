package clv

import (
	"errors"
	"math"
)

// BGNBD is a fitted beta-geometric/NBD model (Fader, Hardie & Lee 2005).
// While alive a customer buys as a Poisson process with rate λ ~
// Gamma(R, Alpha); after each purchase the customer drops out with
// probability p ~ Beta(A, B). Alpha and every time argument are in Unit.
type BGNBD struct {
	R, Alpha, A, B float64
	Unit           Unit
}

// BGNBDFit is the result of FitBGNBD.
type BGNBDFit struct {
	Model BGNBD
	// LogLikelihood is the maximised total log-likelihood.
	LogLikelihood float64
	// Customers is the sample size; DistinctRows the number of distinct
	// (x, t_x, T) rows after aggregation.
	Customers    int
	DistinctRows int
	// Intervals are the standard errors and 95% confidence intervals of
	// r, alpha, a and b, in that order.
	Intervals   []Interval
	Diagnostics Diagnostics
}

// FitBGNBD estimates (r, α, a, b) by maximum likelihood on the customers'
// (Frequency, Recency, T). The search runs BFGS on the log-parameters with
// the analytic gradient from several fixed starting points, stopping once
// two converged runs agree. If no run passes the gradient test the error is
// a *NotConvergedError (errors.Is ErrNotConverged) with the diagnostics, and
// the best point found is still returned in the fit for inspection.
func FitBGNBD(s Summaries, opts *FitOptions) (BGNBDFit, error) {
	set, err := opts.settings()
	if err != nil {
		return BGNBDFit{}, err
	}
	if !s.Unit.Valid() {
		return BGNBDFit{}, fieldErr("Summaries.Unit", -1, "duration must be positive")
	}
	d, err := newBGData(s.Customers)
	if err != nil {
		return BGNBDFit{}, err
	}
	work := d.newWork()
	fn := func(x, grad []float64) float64 {
		var p [4]float64
		for i := range p {
			p[i] = math.Exp(x[i])
		}
		var g [4]float64
		ll := d.logLik(p, &g, work)
		for i := range grad { // chain rule to log space, scaled per customer
			grad[i] = -g[i] * p[i] / d.weight
		}
		return -ll / d.weight
	}
	res, diag := multiStart(fn, logStarts(bgStarts(d)), set)
	fit := BGNBDFit{
		Model:         BGNBD{R: math.Exp(res.x[0]), Alpha: math.Exp(res.x[1]), A: math.Exp(res.x[2]), B: math.Exp(res.x[3]), Unit: s.Unit},
		LogLikelihood: -res.f * d.weight,
		Customers:     d.n,
		DistinctRows:  len(d.rows),
	}
	diag.LogLikelihood = fit.LogLikelihood
	if diag.Converged {
		var ok bool
		if fit.Intervals, ok = intervals(fn, res.x, d.weight, bgNames); !ok {
			diag.Message += "; Hessian not positive definite, no confidence intervals"
		}
	}
	fit.Diagnostics = diag
	if !diag.Converged {
		diag.Message += boundaryNote(bgNames, res.x)
		fit.Diagnostics = diag
		return fit, &NotConvergedError{Model: "BG/NBD", Diagnostics: diag}
	}
	return fit, nil
}

var bgNames = []string{"r", "alpha", "a", "b"}

// bgStarts are the deterministic starting points. Alpha is a time scale,
// so it starts at r times the mean age per repeat purchase, which makes the
// starts independent of the unit.
func bgStarts(d *bgData) [][]float64 {
	scale := math.Max(d.meanT, 1e-3) / math.Max(d.meanX, 0.05)
	return [][]float64{
		{1, scale, 1, 1},
		{0.5, 0.5 * scale, 0.5, 2},
		{2, 2 * scale, 2, 5},
		{0.1, 0.1 * scale, 0.2, 0.5},
	}
}

// Validate reports parameters that are not positive finite numbers or a
// missing unit.
func (m BGNBD) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"BGNBD.R", m.R}, {"BGNBD.Alpha", m.Alpha}, {"BGNBD.A", m.A}, {"BGNBD.B", m.B}} {
		if !finite(f.v) || f.v <= 0 {
			errs = append(errs, fieldErr(f.name, -1, "must be positive and finite"))
		}
	}
	if !m.Unit.Valid() {
		errs = append(errs, fieldErr("BGNBD.Unit", -1, "duration must be positive"))
	}
	return errors.Join(errs...)
}
