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
