package fielderr

import (
	"errors"
	"fmt"
)

// Error reports one invalid field. It matches the sentinel it was made
// with (the package's ErrInvalid) and prefixes its package name.
type Error struct {
	Field   string // path of the field, e.g. "topUps[2].bonus"
	Problem string // what is wrong, in words
	pkg     string
	is      error
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s: %s", e.pkg, e.Field, e.Problem) }

// Is makes the error match the sentinel it was made with.
func (e *Error) Is(target error) bool { return e.is != nil && target == e.is }

// Kind is one package's field errors: their message prefix and the
// sentinel they match.
type Kind struct {
	pkg string
	is  error
}

// NewKind returns the field errors of package pkg, matching sentinel.
func NewKind(pkg string, sentinel error) Kind { return Kind{pkg: pkg, is: sentinel} }

// New returns one field error (for a caller that fails at once).
func (k Kind) New(field, problem string) *Error {
	return &Error{Field: field, Problem: problem, pkg: k.pkg, is: k.is}
}

// List returns an empty list of problems of this kind.
func (k Kind) List() *List { return &List{kind: k} }

// New returns a field error of package pkg that matches sentinel.
func New(pkg string, sentinel error, field, problem string) *Error {
	return NewKind(pkg, sentinel).New(field, problem)
}

// List collects the problems of one validation, so that it reports every
// problem at once.
type List struct {
	kind Kind
	errs []error
}

// NewList returns an empty list for package pkg whose errors match
// sentinel.
func NewList(pkg string, sentinel error) *List { return NewKind(pkg, sentinel).List() }

// Add records a problem with the field, the problem formatted with args.
func (l *List) Add(field, format string, args ...any) {
	l.errs = append(l.errs, l.kind.New(field, fmt.Sprintf(format, args...)))
}

// Len is the number of problems recorded.
func (l *List) Len() int { return len(l.errs) }

// Err returns the problems joined, or nil.
func (l *List) Err() error { return errors.Join(l.errs...) }
