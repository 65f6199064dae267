package money_test

import (
	"fmt"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

func Example() {
	for _, code := range []string{"CNY", "JPY", "KWD"} {
		scale, _ := money.MinorUnits(code)
		fmt.Println(code, scale)
	}
	price := decimal.RequireFromString("19.995")
	rounded, _ := money.RoundToMinor(price, "CNY")
	fmt.Println(rounded.StringFixed(2), money.IsMinorUnitExact(price, 2), money.IsMinorUnitExact(rounded, 2))

	_, err := money.MinorUnits("RMB")
	fmt.Println(err)
	// Output:
	// CNY 2
	// JPY 0
	// KWD 3
	// 20.00 false true
	// money: not an ISO 4217 currency with a minor unit: unknown code
}

func ExampleRoundToMinor() {
	for _, s := range []string{"0.125", "-0.125", "0.135"} {
		d, _ := money.RoundToMinor(decimal.RequireFromString(s), "CNY")
		fmt.Println(s, "->", d)
	}
	yen, _ := money.RoundToMinor(decimal.RequireFromString("1234.5"), "JPY")
	fmt.Println("1234.5 JPY ->", yen)
	// Output:
	// 0.125 -> 0.13
	// -0.125 -> -0.13
	// 0.135 -> 0.14
	// 1234.5 JPY -> 1235
}
