package ledger

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error an operation returns matches one of these
// with errors.Is; typed errors carry the data and unwrap to their sentinel.
var (
	// ErrInvalid reports a malformed argument (empty ID, non-positive points,
	// unknown policy...). The concrete error is a *FieldError naming the field.
	ErrInvalid = errors.New("ledger: invalid argument")
	// ErrInsufficientPoints reports a spend larger than the available
	// points. The concrete error is an *InsufficientPointsError.
	ErrInsufficientPoints = errors.New("ledger: insufficient points")
	// ErrNotFound reports an unknown lot, hold, redemption or purchase.
	ErrNotFound = errors.New("ledger: not found")
	// ErrIdempotencyMismatch reports an operation ID reused with a
	// different payload: the original result stands and nothing is written.
	ErrIdempotencyMismatch = errors.New("ledger: operation ID reused with a different payload")
	// ErrHoldClosed reports committing a released hold or releasing a
	// committed hold: a hold ends exactly once.
	ErrHoldClosed = errors.New("ledger: hold already ended the other way")
	// ErrOverRefund reports a refund or clawback larger than what is left of
	// the redemption or purchase it corrects.
	ErrOverRefund = errors.New("ledger: more than the original operation left to correct")
	// ErrMergeConflict reports a merge whose accounts share a lot or
	// operation ID, or a merge of an account into itself.
	ErrMergeConflict = errors.New("ledger: accounts cannot be merged")
	// ErrInvariant reports a broken ledger invariant (see CheckInvariants).
	ErrInvariant = errors.New("ledger: invariant violated")
)

// FieldError names the argument that is wrong. It matches ErrInvalid.
type FieldError struct {
	Field  string // argument name, e.g. "points"
	Reason string // what is wrong with it
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("ledger: invalid %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func invalid(field, reason string) error { return &FieldError{Field: field, Reason: reason} }

// InsufficientPointsError carries what was asked and what could be spent.
// It matches ErrInsufficientPoints.
type InsufficientPointsError struct {
	Requested int64
	Available int64
}

func (e *InsufficientPointsError) Error() string {
	return fmt.Sprintf("ledger: insufficient points: requested %d, available %d", e.Requested, e.Available)
}

// Unwrap returns ErrInsufficientPoints.
func (e *InsufficientPointsError) Unwrap() error { return ErrInsufficientPoints }

// OverRefundError carries what was asked and what is left to correct. It
// matches ErrOverRefund.
type OverRefundError struct {
	ID        string // the redemption or purchase being corrected
	Requested int64
	Left      int64
}

func (e *OverRefundError) Error() string {
	return fmt.Sprintf("ledger: %q has %d points left to correct, %d requested", e.ID, e.Left, e.Requested)
}

// Unwrap returns ErrOverRefund.
func (e *OverRefundError) Unwrap() error { return ErrOverRefund }

func notFound(what, id string) error { return fmt.Errorf("%w: %s %q", ErrNotFound, what, id) }

func mismatch(what, id string) error {
	return fmt.Errorf("%w: %s %q", ErrIdempotencyMismatch, what, id)
}
