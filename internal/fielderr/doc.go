// Package fielderr is the one field error type that validation speaks
// through: a field's path and the problem with it, matching its
// package's ErrInvalid sentinel. Packages export it under their own name
// (type FieldError = fielderr.Error), so errors.As works per package
// while the logic lives here; a List collects every problem so
// validation reports them at once.
//
// Packages older than this one (customer, loyalty, feedback, segment,
// metrics) still declare their own FieldError of the same shape.
package fielderr
