package segment

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/segment/txnfile"
)

// tableCSV writes a table as a CSV file with a column the reader skips;
// quote puts the first customer's ID in quotes.
func tableCSV(tab *txnfile.Table, quote bool) []byte {
	var b bytes.Buffer
	b.WriteString("receipt,customer,date,amount\n")
	for i := range tab.Len() {
		id := tab.IDs[tab.Customer[i]]
		if quote && i == 0 {
			id = `"` + id + `"`
		}
		y, m, d := txnfile.Date(tab.Day[i])
		a, sign := tab.Amount[i], ""
		if a < 0 {
			a, sign = -a, "-"
		}
		fmt.Fprintf(&b, "%d,%s,%04d-%02d-%02d,%s%d.%02d\n", i, id, y, m, d, sign, a/100, a%100)
	}
	return b.Bytes()
}

// TestSummarizeFileMatchesTable: folding the file as it is read gives
// SummarizeTable's summaries of the table read from it, in the same order,
// with the same stats, for any worker count and a file read again on one
// goroutine (a quote).
func TestSummarizeFileMatchesTable(t *testing.T) {
	defer func(n int) { minRowsPerWorker = n }(minRowsPerWorker)
	minRowsPerWorker = 1000
	f := txnfile.CSV("customer", "date", "amount")
	for _, seed := range []uint64{1, 2, 3} {
		for _, quote := range []bool{false, true} {
			data := tableCSV(randomTable(t, seed, 150_000, 100_000), quote) // 78,000 customers: two blocks
			asOf := time.Unix(int64(19700+300)*86400+3600, 0).UTC()         // some rows fall after it
			for _, workers := range []int{1, 2, 3, 7, 0} {
				tab, wst, err := txnfile.ReadTableAt(bytes.NewReader(data), int64(len(data)), f, workers)
				if err != nil {
					t.Fatal(err)
				}
				want, err := SummarizeTable(tab, asOf, workers)
				if err != nil {
					t.Fatal(err)
				}
				got, gst, err := SummarizeFile(bytes.NewReader(data), int64(len(data)), f, asOf, workers)
				if err != nil {
					t.Fatalf("workers %d: %v", workers, err)
				}
				if fmt.Sprint(gst) != fmt.Sprint(wst) {
					t.Fatalf("workers %d: stats %v, want %v", workers, gst, wst)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d, quote %v, workers %d: summaries differ from SummarizeTable's", seed, quote, workers)
				}
			}
		}
	}
}

// TestSummarizeFileErrors: a bad row is the reader's error with its line;
// sums past int64, in one piece or only once the pieces are merged, are
// ErrOverflow naming the customer.
func TestSummarizeFileErrors(t *testing.T) {
	f := txnfile.CSV("customer", "date", "amount")
	asOf := time.Unix(19800*86400, 0)
	bad := "customer,date,amount\nc1,2024-01-01,1\nc2,2024-02-30,1\n"
	_, _, err := SummarizeFile(strings.NewReader(bad), int64(len(bad)), f, asOf, 2)
	var re *txnfile.RowError
	if !errors.As(err, &re) || re.Line != 3 {
		t.Errorf("bad row: err = %v", err)
	}
	row := "big,2024-01-01,92233720368547758.07\n" // math.MaxInt64 cents
	var b strings.Builder
	b.WriteString("customer,date,amount\n" + row)
	for range 2000 {
		b.WriteString("small,2024-01-01,1\n")
	}
	b.WriteString(row)
	over := b.String()
	for _, workers := range []int{1, 2} { // one piece, or each piece's sum fitting and their merge not
		_, _, err := SummarizeFile(strings.NewReader(over), int64(len(over)), f, asOf, workers)
		if !errors.Is(err, ErrOverflow) || !strings.Contains(err.Error(), "big") {
			t.Errorf("workers %d: err = %v, want ErrOverflow naming big", workers, err)
		}
	}
}
