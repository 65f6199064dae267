package textcheck

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxID is the documented limit on IDs that callers supply (customer,
// purchase, complaint and request IDs): 128 bytes.
const MaxID = 128

// Label reports whether s is a one-line value: valid UTF-8 of at most max
// bytes without any control character (Unicode category Cc: C0, DEL and
// C1).
func Label(s string, max int) bool {
	return len(s) <= max && utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// ID reports whether s is a non-empty Label of at most MaxID bytes.
func ID(s string) bool { return s != "" && Label(s, MaxID) }

// Text reports whether s is free text: valid UTF-8 of at most max bytes
// without control characters other than tab, line feed and carriage
// return.
func Text(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
	})
}
