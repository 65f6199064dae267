package loyalty

import (
	"errors"
	"fmt"
)

// Errors of the pure rule engine. Match them with errors.Is.
var (
	// ErrInvalid is matched by every validation failure of a program or of
	// an input to a pure function; the joined *FieldError values name the
	// fields.
	ErrInvalid = errors.New("loyalty: invalid input")
	// ErrCurrencyMismatch: a purchase or order is in another currency than
	// the program.
	ErrCurrencyMismatch = errors.New("loyalty: currency does not match the program")
	// ErrOutOfRange: an amount or quantity is beyond what the engine can
	// compute exactly (see MaxAmountMinor and MaxQuantity).
	ErrOutOfRange = errors.New("loyalty: amount out of range")
)

// RangeError reports one field whose amount or quantity is beyond what
// the engine computes exactly: it matches ErrOutOfRange, and never quotes
// the value.
type RangeError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *RangeError) Error() string { return fmt.Sprintf("loyalty: %s: %s", e.Field, e.Problem) }

// Is makes every RangeError match ErrOutOfRange.
func (e *RangeError) Is(target error) bool { return target == ErrOutOfRange }

// FieldError reports one invalid field. It never quotes the value, so it is
// safe to log.
type FieldError struct {
	Field   string // path of the field, e.g. "earnRules[2].rate"
	Problem string // what is wrong, in words
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("loyalty: %s: %s", e.Field, e.Problem)
}

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// fieldErrors collects validation problems so that validation reports every
// problem at once.
type fieldErrors []error

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (fe fieldErrors) err() error { return errors.Join(fe...) }
