package clv

import (
	"errors"
	"fmt"
	"math"
)

// FitOptions tune the maximum-likelihood optimiser. A nil *FitOptions means
// the defaults, which reproduce the published CDNOW estimates.
type FitOptions struct {
	// MaxIterations bounds BFGS iterations per starting point (default 500).
	MaxIterations int
	// GradientTolerance is the convergence test: the largest absolute
	// component of the gradient of the mean log-likelihood per customer
	// with respect to the log-parameters (default 1e-9).
	GradientTolerance float64
	// Workers bounds the goroutines that evaluate the BG/NBD, MBG/NBD and
	// Gamma-Gamma likelihoods; 0 means runtime.GOMAXPROCS(0). The fit is the same to
	// the last bit for any value: the work is cut into fixed chunks whose
	// sums are added in order.
	Workers int
}

func (o *FitOptions) settings() (optSettings, error) {
	s := defaultOpt
	if o == nil {
		return s, nil
	}
	var errs []error
	if o.MaxIterations < 0 {
		errs = append(errs, fieldErr("FitOptions.MaxIterations", -1, "negative"))
	} else if o.MaxIterations > 0 {
		s.maxIter = o.MaxIterations
	}
	if o.Workers < 0 {
		errs = append(errs, fieldErr("FitOptions.Workers", -1, "negative"))
	}
	s.workers = o.Workers
	if o.GradientTolerance < 0 || math.IsNaN(o.GradientTolerance) {
		errs = append(errs, fieldErr("FitOptions.GradientTolerance", -1, "must be >= 0"))
	} else if o.GradientTolerance > 0 {
		s.gtol = o.GradientTolerance
		s.stallTol = math.Max(s.stallTol, o.GradientTolerance)
	}
	return s, errors.Join(errs...)
}

// logStarts turns starting points given as natural parameters into log
// space, the optimiser's coordinates.
func logStarts(points [][]float64) [][]float64 {
	out := make([][]float64, len(points))
	for i, p := range points {
		out[i] = make([]float64, len(p))
		for j, v := range p {
			out[i][j] = math.Log(v)
		}
	}
	return out
}

// boundaryNote names parameters that ran off towards 0 or infinity, the
// usual reason a likelihood has no interior maximum (for BG/NBD, a and b
// growing together means a dropout probability with no heterogeneity).
func boundaryNote(names []string, x []float64) string {
	note := ""
	for i, v := range x {
		if v > math.Log(1e6) || v < math.Log(1e-6) {
			if note == "" {
				note = "; parameters at the boundary of the space:"
			}
			note += fmt.Sprintf(" %s=%.3g", names[i], math.Exp(v))
		}
	}
	return note
}

// boundaryRatio is how far (a factor of a million either way) a parameter
// may move from its natural scale before the fit counts it as having run to
// 0 or infinity. Shape parameters have scale 1; time scales (α, β) are
// measured against the data's mean age per purchase, so the rule does not
// depend on the unit.
const boundaryRatio = 1e6

// mlProblem is one maximum-likelihood fit over log-parameters, shared by
// every model: the objective is the mean negative log-likelihood per
// customer, so the gradient tolerance means the same at any sample size.
type mlProblem struct {
	model  string      // named in errors: "BG/NBD", "Pareto/NBD", ...
	names  []string    // parameter names, in order
	fn     objective   // mean negative log-likelihood in log-parameters
	weight float64     // number of customers the objective is divided by
	starts [][]float64 // deterministic starting points, natural scale
	scales []float64   // natural scale of each parameter for the boundary test
}

// mlResult is the outcome of mlProblem.solve.
type mlResult struct {
	params    []float64 // natural scale
	ll        float64
	intervals []Interval
	diag      Diagnostics
}

// solve runs the multi-start BFGS search and classifies the end point:
// not converged (*NotConvergedError), converged but not identified
// (*NotIdentifiedError: a parameter at the boundary or a singular
// information matrix) or a proper interior maximum (nil error). The best
// point is returned in every case for inspection.
func (p *mlProblem) solve(set optSettings) (mlResult, error) {
	res, diag := multiStart(p.fn, logStarts(p.starts), set)
	out := mlResult{params: make([]float64, len(res.x)), ll: -res.f * p.weight}
	for i, v := range res.x {
		out.params[i] = math.Exp(v)
	}
	diag.LogLikelihood = out.ll
	if !diag.Converged {
		diag.Message += boundaryNote(p.names, res.x)
		out.diag = diag
		return out, &NotConvergedError{Model: p.model, Diagnostics: diag}
	}
	ivs, ok := intervals(p.fn, res.x, p.weight, p.names)
	out.intervals = ivs
	var at []string
	for i, v := range out.params {
		if r := v / p.scales[i]; r > boundaryRatio || r < 1/boundaryRatio {
			at = append(at, fmt.Sprintf("%s=%.3g", p.names[i], v))
		}
	}
	if !ok {
		diag.Message += "; Hessian not positive definite, no confidence intervals"
	}
	diag.AtBoundary = at
	diag.Identified = ok && len(at) == 0
	out.diag = diag
	if !diag.Identified {
		return out, &NotIdentifiedError{Model: p.model, AtBoundary: at, Singular: !ok, Diagnostics: diag}
	}
	return out, nil
}

// prepareFit checks the options and the summaries of a fit on (x, t_x, T)
// and aggregates them (modified selects the MBG/NBD tabulation).
func prepareFit(s Summaries, opts *FitOptions, modified bool) (optSettings, *bgData, error) {
	set, err := opts.settings()
	if err != nil {
		return set, nil, err
	}
	if !s.Unit.Valid() {
		return set, nil, fieldErr("Summaries.Unit", -1, "duration must be positive")
	}
	d, err := newBGDataOn(s.Customers, modified, set.workers)
	if d != nil {
		d.workers = set.workers
	}
	return set, d, err
}

// fieldErrors collects the field errors of one data set, keeping the first
// maxFieldErrors so a badly broken file does not produce a million-line
// error; the last entry then says how many were left out.
type fieldErrors struct {
	errs []error
	more int
}

func (l *fieldErrors) add(err error) {
	if len(l.errs) < maxFieldErrors {
		l.errs = append(l.errs, err)
	} else {
		l.more++
	}
}

func (l *fieldErrors) join() error {
	if l.more > 0 {
		l.errs = append(l.errs, fmt.Errorf("%w: and %d more invalid fields", ErrInvalidInput, l.more))
	}
	return errors.Join(l.errs...)
}

// FitStats are what every fit reports besides its model.
type FitStats struct {
	// LogLikelihood is the maximised total log-likelihood.
	LogLikelihood float64
	// Customers is the sample size; DistinctRows the number of rows the
	// likelihood was summed over: the distinct rows when merging them paid,
	// else one per customer.
	Customers    int
	DistinctRows int
	// Intervals are the standard errors and 95% confidence intervals of
	// the parameters, in the model's order.
	Intervals   []Interval
	Diagnostics Diagnostics
}

func (r mlResult) stats(customers, rows int) FitStats {
	return FitStats{LogLikelihood: r.ll, Customers: customers, DistinctRows: rows, Intervals: r.intervals, Diagnostics: r.diag}
}
