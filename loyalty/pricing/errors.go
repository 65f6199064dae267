package pricing

import (
	"errors"
	"fmt"
)

// ErrInvalid is matched by every validation failure of rules, an offer or
// a basket; the joined [*FieldError] values name the fields.
var ErrInvalid = errors.New("pricing: invalid input")

// FieldError reports one invalid field at its path ("promotions[2].percent",
// "basket.items[0].unitPrice"). It never quotes the value, so it is safe
// to log.
type FieldError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string { return fmt.Sprintf("pricing: %s: %s", e.Field, e.Problem) }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// fieldErrors collects every problem, so validation reports them at once.
type fieldErrors []error

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (fe fieldErrors) err() error { return errors.Join(fe...) }
