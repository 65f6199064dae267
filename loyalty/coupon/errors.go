package coupon

import (
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/pricing"
)

// Contract errors of a Store; adapters return or wrap them (%w).
var (
	ErrNotFound            = errors.New("coupon: not found")
	ErrConflict            = errors.New("coupon: version conflict")
	ErrAlreadyExists       = errors.New("coupon: already exists")
	ErrIdempotencyMismatch = errors.New("coupon: request ID reused with a different request")
)

// Errors of the service.
var (
	// ErrInvalid is matched by every validation failure; the joined
	// [*FieldError] values name the fields.
	ErrInvalid = errors.New("coupon: invalid input")
	// ErrRefused is matched by a [*RefusedError]: the code cannot be
	// used (unknown, used up, another member's, ...).
	ErrRefused = errors.New("coupon: code refused")
	// ErrHoldClosed: a commit or release of a hold already committed or
	// released the other way.
	ErrHoldClosed = errors.New("coupon: hold already closed")
	// ErrCodeTaken: an import or a generic code names a code that exists.
	ErrCodeTaken = errors.New("coupon: code already exists")
	// ErrUnavailable: the store kept conflicting; the request may be
	// retried with the same ID.
	ErrUnavailable = errors.New("coupon: too many concurrent changes, retry")
)

// FieldError reports one invalid field at its path. It never quotes the
// value, so it is safe to log.
type FieldError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string { return fmt.Sprintf("coupon: %s: %s", e.Field, e.Problem) }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// RefusedError says why a code cannot be used, in pricing's words so the
// till explains it beside the offers that did not apply. It never names
// the code.
type RefusedError struct {
	Reason pricing.Reason
}

// Error implements error.
func (e *RefusedError) Error() string { return "coupon: code refused: " + string(e.Reason) }

// Is makes every RefusedError match ErrRefused.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

type fieldErrors []error

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (fe fieldErrors) err() error { return errors.Join(fe...) }
