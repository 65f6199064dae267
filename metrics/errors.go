package metrics

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns for bad input is (or
// wraps) one of these, so callers test with errors.Is.
var (
	// ErrInvalidScore: a Score has an unknown kind, a value outside its
	// scale, or (where periods are used) no time.
	ErrInvalidScore = errors.New("metrics: invalid score")
	// ErrInvalidArgument: a window, rule, option or location is unusable.
	ErrInvalidArgument = errors.New("metrics: invalid argument")
	// ErrMixedCurrency: one money computation met two currencies. Filter the
	// stream with OnlyCurrency first and compute once per currency.
	ErrMixedCurrency = errors.New("metrics: mixed currencies")
	// ErrCurrency: a purchase or return names no currency or one that is not
	// an ISO 4217 code.
	ErrCurrency = errors.New("metrics: unknown currency")
	// ErrUnsorted: a purchase stream was not in time order (oldest first),
	// which the single-pass computations rely on.
	ErrUnsorted = errors.New("metrics: purchases not sorted by time")
)

// FieldError says which field of which record or argument is wrong. It
// unwraps to one of the sentinels above. It never holds personal data:
// only field names, IDs and the offending number or code.
type FieldError struct {
	Record string // "score", "purchase p-17", "window", "options", ...
	Field  string // "Value", "Currency", "To", ...
	Reason string
	Err    error // the sentinel
}

// Error says which sentinel, record and field, and why.
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s.%s: %s", e.Err, e.Record, e.Field, e.Reason)
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(sentinel error, record, field, format string, args ...any) error {
	return &FieldError{Record: record, Field: field, Reason: fmt.Sprintf(format, args...), Err: sentinel}
}

// readErr wraps an error yielded by an input iterator once, with what was
// being read.
func readErr(what string, err error) error {
	return fmt.Errorf("metrics: reading %s: %w", what, err)
}
