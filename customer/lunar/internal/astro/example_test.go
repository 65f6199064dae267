package astro_test

import (
	"fmt"

	"github.com/clientele-go/clientele/customer/lunar/internal/astro"
)

// The first new moon of 2000 (k = 0, 6 January 18:14 UTC) falls on 7
// January in China's time; the December solstice of 2025 on the 21st.
func Example() {
	y, m, d := astro.JDNToDate(astro.ChinaDay(astro.NewMoon(0)))
	fmt.Printf("new moon %04d-%02d-%02d\n", y, m, d)
	y, m, d = astro.JDNToDate(astro.ChinaDay(astro.SolarTerm(270, float64(astro.DateToJDN(2025, 12, 21)))))
	fmt.Printf("winter solstice %04d-%02d-%02d\n", y, m, d)
	// Output:
	// new moon 2000-01-07
	// winter solstice 2025-12-21
}
