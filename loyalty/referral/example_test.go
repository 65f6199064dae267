package referral_test

import (
	"fmt"

	"github.com/clientele-go/clientele/loyalty/referral"
)

// A customer types a code from a poster: case and hyphens are forgiven,
// and O, I and L read as 0, 1 and 1; a mistyped symbol (O for D) or a
// wrong check symbol is caught.
func ExampleNormaliseCode() {
	for _, typed := range []string{"k7q2-m9hd-q", "K7Q2M9HDQ", "K7Q2M9HOQ", "K7Q2M9HDX"} {
		if code, ok := referral.NormaliseCode(typed); ok {
			fmt.Println(typed, "→", code)
		} else {
			fmt.Println(typed, "→ refused")
		}
	}
	// Output:
	// k7q2-m9hd-q → K7Q2M9HDQ
	// K7Q2M9HDQ → K7Q2M9HDQ
	// K7Q2M9HOQ → refused
	// K7Q2M9HDX → refused
}
