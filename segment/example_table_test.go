package segment_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele-go/clientele/segment"
	"github.com/clientele-go/clientele/segment/txnfile"
)

// From a till's CSV export to RFM scores: read the file into the compact
// table, fold it on every core, score.
func ExampleSummarizeTable() {
	export := `member,date,total
amy,2025-02-27,120.00
ben,2025-01-30,49.99
amy,2025-02-12,80.00
cat,2024-11-02,15.00
ben,2025-02-01,-10.00
`
	tab, _, err := txnfile.ReadTable(strings.NewReader(export), txnfile.CSV("member", "date", "total"))
	if err != nil {
		fmt.Println(err)
		return
	}
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	sums, err := segment.SummarizeTable(tab, asOf, 0) // 0: runtime.GOMAXPROCS(0) workers
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := segment.ScoreRFM(sums, asOf, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Results {
		fmt.Println(r.CustomerID, r.RecencyDays, r.Frequency, r.Monetary, r.Score.Code(), r.Score.Segment)
	}
	// Output:
	// amy 2 2 20000 444 champions
	// ben 30 1 3999 212 hibernating
	// cat 119 1 1500 111 lost
}

// The same from the file itself, without a table of its rows: an *os.File
// and its Stat().Size() serve as the reader and size.
func ExampleSummarizeFile() {
	export := `member,date,total
amy,2025-02-27,120.00
ben,2025-01-30,49.99
amy,2025-02-12,80.00
cat,2024-11-02,15.00
ben,2025-02-01,-10.00
`
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	sums, stats, err := segment.SummarizeFile(strings.NewReader(export), int64(len(export)),
		txnfile.CSV("member", "date", "total"), asOf, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(stats.Rows, "rows")
	for _, s := range sums {
		fmt.Println(s.CustomerID, s.Purchases, s.Monetary)
	}
	// Output:
	// 5 rows
	// amy 2 20000
	// ben 1 3999
	// cat 1 1500
}
