package fielderr_test

import (
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/internal/fielderr"
)

// A package declares its sentinel and kind once, then validation adds
// every problem and returns them joined.
func ExampleList() {
	errInvalid := errors.New("shop: invalid input")
	fields := fielderr.NewKind("shop", errInvalid)
	fe := fields.List()
	fe.Add("items[0].sku", "required")
	fe.Add("currency", "must be an ISO 4217 code")
	err := fe.Err()
	fmt.Println(errors.Is(err, errInvalid))
	fmt.Println(err)
	// Output:
	// true
	// shop: items[0].sku: required
	// shop: currency: must be an ISO 4217 code
}
