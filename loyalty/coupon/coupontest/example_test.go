package coupontest_test

import (
	"fmt"
	"strings"

	"github.com/clientele-go/clientele/loyalty/coupon/coupontest"
)

// The races the kit runs against an adapter: the ones a till depends on.
func ExampleRuleNames() {
	for _, name := range coupontest.RuleNames() {
		if strings.HasPrefix(name, "Service/") || strings.Contains(name, "Concurrent") {
			fmt.Println(name)
		}
	}
	// Output:
	// Save/ConcurrentSameVersionOneWins
	// Service/ConcurrentHoldsNeverExceedTheLimit
	// Service/ConcurrentHoldsByOneCustomerNeverExceedTheirLimit
	// Service/ConcurrentCommitAndReleaseOfOneHoldOneWins
	// Service/ConcurrentRetriesOfOneHoldTakeOneUse
}
