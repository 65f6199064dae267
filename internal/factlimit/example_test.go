package factlimit_test

import (
	"fmt"

	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/shopspring/decimal"
)

func ExampleQuantity() {
	for _, q := range []string{"1.5", "0.1234567"} {
		micro, ok := factlimit.Quantity(decimal.RequireFromString(q))
		fmt.Println(q, micro, ok)
	}
	// Output:
	// 1.5 1500000 true
	// 0.1234567 0 false
}
