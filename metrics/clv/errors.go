package clv

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers test with errors.Is and never with the message text.
var (
	// ErrInvalidInput reports an argument that breaks a documented
	// precondition; the concrete error is a *FieldError naming the field.
	ErrInvalidInput = errors.New("clv: invalid input")
	// ErrNoData reports an input without a single usable observation.
	ErrNoData = errors.New("clv: no data")
	// ErrNotConverged reports a maximum-likelihood fit whose optimiser did not
	// meet its convergence test; the concrete error is a *NotConvergedError.
	ErrNotConverged = errors.New("clv: fit did not converge")
	// ErrNotIdentified reports a maximum-likelihood fit whose optimiser
	// stopped, but not at an interior maximum the data identify: a
	// parameter ran to 0 or infinity, or the likelihood is flat in some
	// direction (the observed information is singular). The concrete error
	// is a *NotIdentifiedError; the numbers it returns are not estimates.
	ErrNotIdentified = errors.New("clv: parameters not identified by the data")
	// ErrNonPositiveMonetary reports a repeat buyer whose mean spend is zero
	// or negative, which the Gamma-Gamma model cannot describe.
	ErrNonPositiveMonetary = errors.New("clv: non-positive monetary value")
	// ErrMeanUndefined reports a Gamma-Gamma fit with q <= 1: the population
	// mean spend p*v/(q-1) does not exist.
	ErrMeanUndefined = errors.New("clv: gamma-gamma mean undefined (q <= 1)")
	// ErrUnitMismatch reports a model and data (or horizon) measured in
	// different time units.
	ErrUnitMismatch = errors.New("clv: time unit mismatch")
	// ErrSyntax reports a malformed line in a CDNOW file.
	ErrSyntax = errors.New("clv: syntax error")
	// ErrNumerical reports a special function whose series did not converge
	// or whose result is not a finite number.
	ErrNumerical = errors.New("clv: numerical failure")
)

// FieldError is one invalid field. Index is the position of the offending
// record in its input (transaction or customer), or -1 when the field is not
// part of a list. It never contains personal data: only field names, indices
// and the reason.
type FieldError struct {
	Field  string
	Index  int
	Reason string
}

// Error implements error.
func (e *FieldError) Error() string {
	if e.Index >= 0 {
		return fmt.Sprintf("clv: %s[%d]: %s", e.Field, e.Index, e.Reason)
	}
	return fmt.Sprintf("clv: %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalidInput.
func (e *FieldError) Unwrap() error { return ErrInvalidInput }

func fieldErr(field string, index int, reason string) error {
	return &FieldError{Field: field, Index: index, Reason: reason}
}

// NotConvergedError carries the diagnostics of a failed fit.
type NotConvergedError struct {
	Model       string
	Diagnostics Diagnostics
}

// Error implements error.
func (e *NotConvergedError) Error() string {
	d := e.Diagnostics
	return fmt.Sprintf("clv: %s fit did not converge after %d iterations (log-likelihood %g, gradient norm %.3g): %s",
		e.Model, d.Iterations, d.LogLikelihood, d.GradientNorm, d.Message)
}

// Unwrap returns ErrNotConverged.
func (e *NotConvergedError) Unwrap() error { return ErrNotConverged }

// NotIdentifiedError reports a fit that stopped at the edge of the
// parameter space or on a flat ridge of the likelihood. Typical causes are
// too few customers, no repeat purchases at all (nothing identifies the
// dropout process), or data whose heterogeneity vanishes (shape parameters
// growing without bound).
type NotIdentifiedError struct {
	Model string
	// AtBoundary names the parameters that ran towards 0 or infinity;
	// empty when the cause is only a singular information matrix.
	AtBoundary []string
	// Singular is true when the observed information (the Hessian of the
	// log-likelihood) is not positive definite at the result.
	Singular    bool
	Diagnostics Diagnostics
}

// Error implements error.
func (e *NotIdentifiedError) Error() string {
	why := ""
	if len(e.AtBoundary) > 0 {
		why = "parameters at the boundary of the space: " + strings.Join(e.AtBoundary, ", ")
	}
	if e.Singular {
		if why != "" {
			why += "; "
		}
		why += "observed information not positive definite"
	}
	return fmt.Sprintf("clv: %s fit is not identified by the data (%s; log-likelihood %g)", e.Model, why, e.Diagnostics.LogLikelihood)
}

// Unwrap returns ErrNotIdentified.
func (e *NotIdentifiedError) Unwrap() error { return ErrNotIdentified }

// ParseError locates a malformed line of a CDNOW file.
type ParseError struct {
	Line   int
	Field  string
	Reason string
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("clv: cdnow line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// Unwrap returns ErrSyntax.
func (e *ParseError) Unwrap() error { return ErrSyntax }

// joinFlat joins errors like errors.Join but splices in the members of
// already joined errors, so a caller sees one flat list of field errors.
func joinFlat(errs ...error) error {
	var out []error
	for _, e := range errs {
		if e == nil {
			continue
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			out = append(out, j.Unwrap()...)
			continue
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}
