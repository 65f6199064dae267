package feedback

import (
	"errors"
	"fmt"
)

// Contract errors. Stores return them (or wrap them with %w); the service
// passes them on wrapped with context. Match them with errors.Is only.
var (
	// ErrNotFound: the complaint, response, review, survey or follow-up
	// does not exist.
	ErrNotFound = errors.New("feedback: not found")
	// ErrConflict: a write named a version that is no longer current.
	ErrConflict = errors.New("feedback: version conflict")
	// ErrAlreadyExists: a record with that ID already exists.
	ErrAlreadyExists = errors.New("feedback: already exists")
	// ErrIdempotencyMismatch: a request reused the ID of an earlier request
	// with a different payload.
	ErrIdempotencyMismatch = errors.New("feedback: idempotency key reused with a different payload")
)

// Business errors of the service.
var (
	// ErrInvalid is matched by every validation failure; the joined
	// *FieldError values say which fields.
	ErrInvalid = errors.New("feedback: invalid input")
	// ErrIllegalTransition: the action is not allowed in the record's
	// current state; see *TransitionError.
	ErrIllegalTransition = errors.New("feedback: illegal transition")
	// ErrNoPolicy: no SLA policy covers the complaint's priority.
	ErrNoPolicy = errors.New("feedback: no SLA target for the priority")
	// ErrNoGranter: a goodwill-points remedy was recorded but the service
	// has no GoodwillGranter to grant the points.
	ErrNoGranter = errors.New("feedback: no goodwill granter configured")
)

// FieldError reports one invalid field. It never quotes the value, so it is
// safe to log even when the field holds personal data.
type FieldError struct {
	Field   string // path of the field, e.g. "answers[2].score"
	Problem string // what is wrong, in words
}

// Error implements error.
func (e *FieldError) Error() string {
	return fmt.Sprintf("feedback: %s: %s", e.Field, e.Problem)
}

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// fieldErrors collects validation problems and joins them.
type fieldErrors []error

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (fe fieldErrors) err() error { return errors.Join(fe...) }

// TransitionError says which action a record's state refused. It matches
// ErrIllegalTransition. It names the record itself, so the service
// returns it without wrapping it again; NextStatus, which has no record,
// leaves ID empty and the message names none.
type TransitionError struct {
	Record string // "complaint", "review" or "follow-up"
	ID     string // empty from NextStatus
	From   string // the state the record was in
	Action string // what was asked
}

// Error implements error.
func (e *TransitionError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("feedback: %s: cannot %s when %s", e.Record, e.Action, e.From)
	}
	return fmt.Sprintf("feedback: %s %s: cannot %s when %s", e.Record, e.ID, e.Action, e.From)
}

// Is makes TransitionError match ErrIllegalTransition.
func (e *TransitionError) Is(target error) bool { return target == ErrIllegalTransition }
