package clv_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele-go/clientele/metrics/clv"
	"github.com/clientele-go/clientele/segment/txnfile"
)

// The lifetimes summary straight from a TSV export: two purchases on one
// day make one purchase day, and the mean repeat spend is exact.
func ExampleSummarizeTable() {
	export := "customer\tday\tamount\n" +
		"a\t2025-01-02\t10.00\n" +
		"a\t2025-01-09\t4.00\n" +
		"a\t2025-01-09\t3.50\n" +
		"b\t2025-01-05\t20.00\n" +
		"a\t2025-01-20\t12.00\n"
	tab, _, err := txnfile.ReadTable(strings.NewReader(export), txnfile.TSV("customer", "day", "amount"))
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := clv.SummarizeTable(tab, clv.SummaryParams{
		CalibrationEnd: time.Date(2025, 1, 31, 18, 0, 0, 0, time.UTC),
		Unit:           clv.Day,
		Location:       time.UTC,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range s.Customers {
		fmt.Println(c.CustomerID, c.Frequency, c.Recency, c.T, c.MonetaryValue)
	}
	// Output:
	// a 2 18 29 9.75
	// b 0 0 26 0
}
