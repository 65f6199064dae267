package pricing

import "github.com/clientele-go/clientele/internal/textcheck"

// label is textcheck.Label with a fast path for printable ASCII: bytes
// 0x20 to 0x7E are valid UTF-8 and none is a control character, so such
// a string needs only its length checked. Everything else takes the full
// check. A basket of 50 items has 200 such strings, and the full check
// was a tenth of pricing's time.
func label(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return textcheck.Label(s, max)
		}
	}
	return true
}

// id is textcheck.ID by way of label.
func id(s string) bool { return s != "" && label(s, textcheck.MaxID) }
