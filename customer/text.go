package customer

import "github.com/clientele-go/clientele/internal/textcheck"

// validText reports whether free text (an address line, a note, an
// interaction summary) is valid UTF-8 of at most max bytes without control
// characters other than tab, line feed and carriage return (see
// internal/textcheck): a NUL byte would be cut off or refused by many
// databases, so text holding one is refused before anything is stored.
func validText(s string, max int) bool { return textcheck.Text(s, max) }

// validLabel reports whether a one-line value (an ID, SKU, name, tag or
// store code) is valid UTF-8 of at most max bytes without any control
// character: such values are keys, printed on receipts and compared
// byte-wise, where a hidden NUL or line break makes two values that look
// equal differ.
func validLabel(s string, max int) bool { return textcheck.Label(s, max) }

// checkRequestID reports a caller's request ID that is not a valid key:
// empty is allowed (no idempotency asked for).
func checkRequestID(fe *fieldErrors, id string) {
	if !validLabel(id, maxIDLen) {
		fe.add("requestId", "at most %d bytes of valid UTF-8 without control characters", maxIDLen)
	}
}
