package clv

import (
	"errors"
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
	// Customers is the sample size; DistinctRows the number of rows the
	// likelihood was summed over: the distinct (x, t_x, T) rows when
	// merging them paid, else one per customer.
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
	set, d, err := prepareFit(s, opts, false)
	if err != nil {
		return BGNBDFit{}, err
	}
	res, err := d.problem("BG/NBD").solve(set)
	p := res.params
	fit := BGNBDFit{
		Model:         BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3], Unit: s.Unit},
		LogLikelihood: res.ll,
		Customers:     d.n,
		DistinctRows:  len(d.rows),
		Intervals:     res.intervals,
		Diagnostics:   res.diag,
	}
	return fit, err
}

// bgStarts are the deterministic starting points. Alpha is a time scale,
// so it starts at r times the mean age per repeat purchase, which makes the
// starts independent of the unit.
func bgStarts(d *bgData) [][]float64 {
	scale := d.timeScale()
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
	return validateParams("BGNBD", m.Unit, []string{"R", "Alpha", "A", "B"}, m.R, m.Alpha, m.A, m.B)
}

// validateParams reports every parameter of a model that is not a positive
// finite number, and a missing unit, as field errors named model.Name.
func validateParams(model string, u Unit, names []string, vals ...float64) error {
	var errs []error
	for i, v := range vals {
		if !finite(v) || v <= 0 {
			errs = append(errs, fieldErr(model+"."+names[i], -1, "must be positive and finite"))
		}
	}
	if !u.Valid() {
		errs = append(errs, fieldErr(model+".Unit", -1, "duration must be positive"))
	}
	return errors.Join(errs...)
}
