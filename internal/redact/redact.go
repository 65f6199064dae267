package redact

import (
	"fmt"
	"io"
	"log/slog"
)

// Format writes s whatever the verb, flags, width or precision: a type
// holding personal data implements fmt.Formatter with it, passing its
// String (or its GoString for %#v).
func Format(f fmt.State, verb rune, s, gos string) {
	if verb == 'v' && f.Flag('#') {
		s = gos
	}
	_, _ = io.WriteString(f, s)
}

// Value is the slog value of a type that shows only its description.
func Value(s string) slog.Value { return slog.StringValue(s) }
