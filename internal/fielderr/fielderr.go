// Package fielderr is the one field-validation error type that packages
// export as an alias (type FieldError = fielderr.Error), so that every
// package reports "path: problem" the same way and errors.As works per
// package. The value of the field is never quoted, so errors are safe to
// log.
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

// New returns a field error of package pkg that matches sentinel.
func New(pkg string, sentinel error, field, problem string) *Error {
	return &Error{Field: field, Problem: problem, pkg: pkg, is: sentinel}
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%s: %s: %s", e.pkg, e.Field, e.Problem) }

// Is makes the error match the sentinel it was made with.
func (e *Error) Is(target error) bool { return e.is != nil && target == e.is }

// List collects the problems of one validation, so that it reports every
// problem at once.
type List struct {
	pkg  string
	is   error
	errs []error
}

// NewList returns an empty list for package pkg whose errors match
// sentinel.
func NewList(pkg string, sentinel error) *List { return &List{pkg: pkg, is: sentinel} }

// Add records a problem with the field.
func (l *List) Add(field, format string, args ...any) {
	l.errs = append(l.errs, New(l.pkg, l.is, field, fmt.Sprintf(format, args...)))
}

// Err returns the problems joined, or nil.
func (l *List) Err() error { return errors.Join(l.errs...) }
