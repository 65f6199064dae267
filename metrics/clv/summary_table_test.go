package clv

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/clientele-go/clientele/segment/txnfile"
	"github.com/shopspring/decimal"
)

// randomTable makes n rows of up to customers customers over about two
// years in no particular order, with some customers buying often enough
// to take the long sort; the seed is logged.
func randomTable(t *testing.T, seed uint64, n, customers int) *txnfile.Table {
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 17))
	tab := txnfile.NewTable(n, customers)
	tab.Places = 2
	for range n {
		c := r.IntN(customers)
		if r.IntN(20) == 0 {
			c = r.IntN(10) // heavy buyers
		}
		amt := r.Int64N(100000) - 1000 // a few negative lines
		if r.IntN(3000) == 0 {
			amt = math.MaxInt64 / 3 // forces the exact decimal path
		}
		if err := tab.Add(fmt.Appendf(nil, "c%d", c), 19000+int32(r.IntN(700)), amt); err != nil {
			t.Fatal(err)
		}
	}
	return tab
}

// tableTransactions yields the table's rows as Transactions at noon of
// their day in loc, the reference path.
func tableTransactions(tab *txnfile.Table, loc *time.Location) iter.Seq2[Transaction, error] {
	return func(yield func(Transaction, error) bool) {
		for i := range tab.Len() {
			y, m, d := time.Unix(int64(tab.Day[i])*86400, 0).UTC().Date()
			tx := Transaction{
				CustomerID: tab.IDs[tab.Customer[i]],
				Time:       time.Date(y, m, d, 12, 0, 0, 0, loc),
				Amount:     decimal.New(tab.Amount[i], -int32(tab.Places)),
			}
			if !yield(tx, nil) {
				return
			}
		}
	}
}

// TestSummarizeTableMatchesSummarize: the parallel table pass gives what
// Summarize gives on the same rows, for any worker count.
func TestSummarizeTableMatchesSummarize(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip(err)
	}
	defer func(n int) { minRowsPerWorker = n }(minRowsPerWorker)
	minRowsPerWorker = 1000
	for _, seed := range []uint64{1, 2} {
		tab := randomTable(t, seed, 40_000, 5_000)
		// Day 19600 of the 700 in the data, late in the evening: some rows fall after it.
		end := time.Date(1970, 1, 1, 23, 0, 0, 0, loc).AddDate(0, 0, 19600)
		p := SummaryParams{CalibrationEnd: end, Unit: Week, Location: loc}
		want, err := Summarize(tableTransactions(tab, loc), p)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]Summary{}
		for _, s := range want.Customers {
			byID[s.CustomerID] = s
		}
		var first Summaries
		for i, workers := range []int{1, 2, 3, 8, 0} {
			p.Workers = workers
			got, err := SummarizeTable(tab, p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Transactions != want.Transactions || len(got.Customers) != len(want.Customers) {
				t.Fatalf("workers %d: %d transactions %d customers, want %d %d", workers,
					got.Transactions, len(got.Customers), want.Transactions, len(want.Customers))
			}
			for _, s := range got.Customers {
				w := byID[s.CustomerID]
				if s.Frequency != w.Frequency || s.Recency != w.Recency || s.T != w.T ||
					!s.MonetaryValue.Equal(w.MonetaryValue) || s.Monetary != w.Monetary {
					t.Fatalf("workers %d: %+v, want %+v", workers, s, w)
				}
			}
			if i == 0 {
				first = got
			} else if !reflect.DeepEqual(got, first) {
				t.Fatalf("workers %d: result differs from one worker", workers)
			}
		}
	}
}

func TestSummarizeTableRefuses(t *testing.T) {
	tab := txnfile.NewTable(0, 0)
	if err := tab.Add([]byte("a"), 10, 1); err != nil {
		t.Fatal(err)
	}
	p := SummaryParams{CalibrationEnd: time.Unix(86400*20, 0), Unit: Day, Location: time.UTC}
	bad := *tab
	bad.Customer = []int32{5}
	if _, err := SummarizeTable(&bad, p); err == nil {
		t.Error("a customer index outside IDs was accepted")
	}
	bad = *tab
	bad.Places = -1
	if _, err := SummarizeTable(&bad, p); err == nil {
		t.Error("negative Places was accepted")
	}
	p.Workers = -1
	if _, err := SummarizeTable(tab, p); err == nil {
		t.Error("negative Workers was accepted")
	}
}
