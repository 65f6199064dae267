package customer

import (
	"errors"
	"fmt"
	"strings"
)

// Contract errors. Stores return them (or wrap them with %w); the service
// passes them on wrapped with context. Match them with errors.Is only.
var (
	// ErrNotFound: the customer, purchase, return or record does not exist.
	ErrNotFound = errors.New("customer: not found")
	// ErrConflict: a write named a version that is no longer current.
	ErrConflict = errors.New("customer: version conflict")
	// ErrAlreadyExists: a record with that ID already exists.
	ErrAlreadyExists = errors.New("customer: already exists")
	// ErrIdempotencyMismatch: a request reused the ID of an earlier request
	// with a different payload.
	ErrIdempotencyMismatch = errors.New("customer: idempotency key reused with a different payload")
	// ErrIdentityTaken: an identity (member number, phone, email or external
	// ID) is already held by another customer.
	ErrIdentityTaken = errors.New("customer: identity held by another customer")
)

// Business errors of the service.
var (
	// ErrInvalid is matched by every validation failure; the joined
	// *FieldError values say which fields.
	ErrInvalid = errors.New("customer: invalid input")
	// ErrLikelyDuplicate: registration found customers that are probably the
	// same person; see *DuplicateError for the candidates.
	ErrLikelyDuplicate = errors.New("customer: likely duplicate")
	// ErrErased: the identities belong to an erased customer, and the caller
	// did not allow re-creation.
	ErrErased = errors.New("customer: identities belong to an erased customer")
	// ErrOverReturn: a return asks for more than was bought minus what was
	// already returned.
	ErrOverReturn = errors.New("customer: return exceeds what remains of the purchase")
	// ErrMerged: the customer was merged into another and cannot be changed;
	// Get resolves it to the survivor.
	ErrMerged = errors.New("customer: merged into another customer")
	// ErrOutOfRange: a date, amount or quantity lies outside the documented
	// range (dates: internal/daterange, 1850 to 2199; amounts and
	// quantities: what loyalty can compute with exactly). Every such error
	// is also ErrInvalid and names its field.
	ErrOutOfRange = errors.New("customer: value out of range")
)

// FieldError reports one invalid field. It never quotes the value, so it is
// safe to log even when the field holds personal data.
type FieldError struct {
	Field   string // path of the field, e.g. "lines[2].quantity"
	Problem string // what is wrong, in words

	outOfRange bool // also matches ErrOutOfRange
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("customer: %s: %s", e.Field, e.Problem)
}

// Is makes every FieldError match ErrInvalid, and one reporting a value
// outside its documented range match ErrOutOfRange as well.
func (e *FieldError) Is(target error) bool {
	return target == ErrInvalid || (e.outOfRange && target == ErrOutOfRange)
}

// fieldErrors collects validation problems and joins them.
type fieldErrors []error

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

// addRange reports a value outside its documented range.
func (fe *fieldErrors) addRange(field, format string, args ...any) {
	*fe = append(*fe, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...), outOfRange: true})
}

func (fe fieldErrors) err() error { return errors.Join(fe...) }

// DuplicateError lists the customers a registration probably duplicates.
// It matches ErrLikelyDuplicate.
type DuplicateError struct {
	Candidates []Match
}

// Error implements error without any personal data.
func (e *DuplicateError) Error() string {
	ids := make([]string, len(e.Candidates))
	for i, m := range e.Candidates {
		ids[i] = m.CustomerID + " (" + strings.Join(reasonNames(m.Reasons), ", ") + ")"
	}
	return "customer: likely duplicate of " + strings.Join(ids, "; ")
}

// Is makes DuplicateError match ErrLikelyDuplicate.
func (e *DuplicateError) Is(target error) bool { return target == ErrLikelyDuplicate }

// OverReturnError names the purchase line that a return over-claims.
// It matches ErrOverReturn.
type OverReturnError struct {
	PurchaseID string
	Line       int    // 1-based line number
	Remaining  string // quantity still returnable, as a decimal string
}

// Error implements error.
func (e *OverReturnError) Error() string {
	return fmt.Sprintf("customer: return exceeds purchase %s line %d (remaining %s)", e.PurchaseID, e.Line, e.Remaining)
}

// Is makes OverReturnError match ErrOverReturn.
func (e *OverReturnError) Is(target error) bool { return target == ErrOverReturn }
