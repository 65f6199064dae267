package loyalty_test

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty"
)

func ExampleExpiryPolicy_ExpiresAt() {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	newYork, _ := time.LoadLocation("America/New_York")
	earned := time.Date(2026, 1, 31, 20, 0, 0, 0, time.UTC) // 1 Feb 04:00 in Shanghai

	rolling := loyalty.ExpiryPolicy{Kind: loyalty.ExpireRolling, Months: 1}
	fmt.Println(rolling.ExpiresAt(earned, shanghai).In(shanghai).Format(time.RFC3339))
	fmt.Println(rolling.ExpiresAt(earned, newYork).In(newYork).Format(time.RFC3339))

	yearEnd := loyalty.ExpiryPolicy{Kind: loyalty.ExpirePeriodEnd, Unit: loyalty.PeriodYear}
	fmt.Println(yearEnd.ExpiresAt(earned, shanghai).In(shanghai).Format(time.RFC3339))

	// Spring forward in New York: the lot still lapses at local midnight.
	daily := loyalty.ExpiryPolicy{Kind: loyalty.ExpireRolling, Days: 1}
	fmt.Println(daily.ExpiresAt(time.Date(2026, 3, 7, 12, 0, 0, 0, newYork), newYork).Format(time.RFC3339))
	// Output:
	// 2026-03-02T00:00:00+08:00
	// 2026-03-01T00:00:00-05:00
	// 2027-01-01T00:00:00+08:00
	// 2026-03-09T00:00:00-04:00
}
