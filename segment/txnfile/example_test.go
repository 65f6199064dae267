package txnfile_test

import (
	"fmt"
	"strings"

	"github.com/clientele-go/clientele/segment/txnfile"
)

// A till export with extra columns, read by header name into the compact
// table.
func Example() {
	export := `receipt,member,date,total,store
r1,M-1001,2024-03-05 09:12,12.50,north
r2,M-2002,2024-03-05 10:40,8.00,north
r3,M-1001,2024-03-09 17:03,-2.50,south
`
	tab, st, err := txnfile.ReadTable(strings.NewReader(export), txnfile.CSV("member", "date", "total"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(st.Rows, "rows of", len(tab.IDs), "customers")
	for i := range tab.Len() {
		fmt.Println(tab.IDs[tab.Customer[i]], tab.Day[i], tab.Amount[i])
	}
	// Output:
	// 3 rows of 2 customers
	// M-1001 19787 1250
	// M-2002 19787 800
	// M-1001 19791 -250
}

// A bad row names its line and column, never the value.
func Example_badRow() {
	export := "member,date,total\nM-1001,2024-02-30,12.50\n"
	_, _, err := txnfile.ReadTable(strings.NewReader(export), txnfile.CSV("member", "date", "total"))
	fmt.Println(err)
	// Output:
	// txnfile: line 2, column "date": no such date
}
