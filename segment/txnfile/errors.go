package txnfile

import (
	"errors"
	"fmt"
)

// Errors of the package; match them with errors.Is.
var (
	// ErrFormat: the Format is invalid or the header does not have the
	// columns it names.
	ErrFormat = errors.New("txnfile: bad format")
	// ErrSyntax: a row does not parse; the *RowError says where.
	ErrSyntax = errors.New("txnfile: bad row")
	// ErrTooMany: more than 2^31-1 customers or rows for a Table.
	ErrTooMany = errors.New("txnfile: too many rows or customers for a table")
)

// RowError is one bad row: its line in the file (1-based, the header is
// line 1; a quoted field may span lines, and Line is where the row starts),
// the column by header name ("" when the row as a whole is wrong, such as
// a wrong number of fields) and the problem. It never quotes the value.
type RowError struct {
	Line    int
	Column  string
	Problem string
}

// Error implements error.
func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("txnfile: line %d: %s", e.Line, e.Problem)
	}
	return fmt.Sprintf("txnfile: line %d, column %q: %s", e.Line, e.Column, e.Problem)
}

// Is makes every RowError match ErrSyntax.
func (e *RowError) Is(target error) bool { return target == ErrSyntax }
