package segment

import (
	"errors"
	"fmt"
)

// Errors of the package. Match them with errors.Is.
var (
	// ErrInvalid is matched by every validation failure; the joined
	// *FieldError values say which fields.
	ErrInvalid = errors.New("segment: invalid input")
	// ErrOverflow: a money total does not fit in int64 minor units.
	ErrOverflow = errors.New("segment: money total overflows int64 minor units")
	// ErrCurrency: an amount is in a currency other than the analysis
	// currency, or is finer than the currency's minor unit.
	ErrCurrency = errors.New("segment: amount not in the analysis currency")
	// ErrOrder: a stream that must be sorted by time went backwards.
	ErrOrder = errors.New("segment: stream not in time order")
)

// FieldError reports one invalid field of a configuration or rule. It
// never quotes personal data.
type FieldError struct {
	Field   string // path of the field, e.g. "rule.and[2].spent.days"
	Problem string // what is wrong, in words
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("segment: %s: %s", e.Field, e.Problem)
}

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// problems collects validation problems so that all are reported at once.
type problems []error

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (p problems) err() error { return errors.Join(p...) }

// asFieldError reports whether err is or wraps problems already typed as
// field errors (a rule nested in an audience reports its own paths).
func asFieldError(err error, target **FieldError) bool {
	return errors.As(err, target)
}
