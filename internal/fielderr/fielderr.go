package fielderr

import (
	"errors"
	"fmt"
)

// Error reports one invalid field. It never quotes the value, so it is
// safe to log.
type Error struct {
	Field   string // the field's path: "promotions[2].percent"
	Problem string // what is wrong, in words
	// pkg prefixes the message ("pricing"); is is the sentinel the error
	// matches.
	pkg string
	is  error
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s: %s", e.pkg, e.Field, e.Problem) }

// Is makes the error match its package's sentinel.
func (e *Error) Is(target error) bool { return target == e.is }

// Kind is one package's field errors: their message prefix and the
// sentinel they match.
type Kind struct {
	pkg string
	is  error
}

// NewKind returns the field errors of package pkg, matching is.
func NewKind(pkg string, is error) Kind { return Kind{pkg: pkg, is: is} }

// New returns one field error (for a caller that fails at once).
func (k Kind) New(field, problem string) *Error {
	return &Error{Field: field, Problem: problem, pkg: k.pkg, is: k.is}
}

// List returns an empty list of problems of this kind.
func (k Kind) List() *List { return &List{kind: k} }

// List collects the problems of one validation.
type List struct {
	kind Kind
	errs []error
}

// Add records a problem with field, the problem formatted with args.
func (l *List) Add(field, format string, args ...any) {
	l.errs = append(l.errs, l.kind.New(field, fmt.Sprintf(format, args...)))
}

// Len is the number of problems recorded.
func (l *List) Len() int { return len(l.errs) }

// Err joins every problem, nil when there is none.
func (l *List) Err() error { return errors.Join(l.errs...) }
