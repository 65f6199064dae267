package coupon

import (
	"errors"

	"github.com/clientele-go/clientele/internal/fielderr"

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

// FieldError reports one invalid field at its path; it matches
// ErrInvalid. It never quotes the value, so it is safe to log.
type FieldError = fielderr.Error

// fields makes this package's field errors.
var fields = fielderr.NewKind("coupon", ErrInvalid)

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
