package feedback

import "github.com/clientele-go/clientele/internal/textcheck"

// MaxIDLen is the limit on IDs a caller supplies (complaint, remedy and
// request IDs, and the customer, store, staff, purchase and interaction
// IDs an intake names): 128 bytes of valid UTF-8 without control
// characters, as customer IDs are.
const MaxIDLen = textcheck.MaxID

// checkID reports an ID that is not a valid key; empty is allowed where
// the field is optional (required fields are checked by their callers).
func checkID(fe *fieldErrors, field, id string) {
	if !textcheck.Label(id, MaxIDLen) {
		fe.add(field, "must be at most %d bytes of valid UTF-8 without control characters", MaxIDLen)
	}
}

// checkText reports free text that is too long, not valid UTF-8 or holds
// control characters other than tab and line breaks.
func checkText(fe *fieldErrors, field, s string) {
	if !textcheck.Text(s, maxText) {
		fe.add(field, "must not exceed %d bytes of valid UTF-8 without control characters", maxText)
	}
}
