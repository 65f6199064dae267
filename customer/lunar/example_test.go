package lunar_test

import (
	"fmt"

	"github.com/clientele-go/clientele/customer/lunar"
)

func ExampleFromGregorian() {
	d, err := lunar.FromGregorian(2024, 9, 17)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d, "(Mid-Autumn)")
	m, day, _ := lunar.NewYear(2026)
	fmt.Println("Chinese New Year 2026:", m, day)
	// Output:
	// 2024-08-15 (Mid-Autumn)
	// Chinese New Year 2026: February 17
}

// A member born on the 10th day of the leap 6th month of 2025 keeps the
// birthday in the ordinary 6th month of 2026, which has no leap 6th month.
func ExampleAnniversary() {
	for _, year := range []int{2025, 2026} {
		y, m, d, err := lunar.Anniversary(year, 6, true, 10)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d: %04d-%02d-%02d\n", year, y, int(m), d)
	}
	// Output:
	// 2025: 2025-08-03
	// 2026: 2026-07-23
}
