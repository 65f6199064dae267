package redact_test

import (
	"fmt"

	"github.com/clientele-go/clientele/internal/redact"
)

type phone struct{ Number string }

func (p phone) String() string                { return "phone{<redacted>}" }
func (p phone) Format(f fmt.State, verb rune) { redact.Format(f, verb, p.String(), p.String()) }

func ExampleFormat() {
	p := phone{Number: "+8613800138000"}
	fmt.Printf("%v %d %x\n", p, p, p)
	// Output: phone{<redacted>} phone{<redacted>} phone{<redacted>}
}
