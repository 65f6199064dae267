package segment

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/clientele-go/clientele/segment/txnfile"
)

// randomTable makes n rows of up to customers customers over about a
// year, with one row in eight a refund; the seed is logged.
func randomTable(t *testing.T, seed uint64, n, customers int) *txnfile.Table {
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 17))
	tab := txnfile.NewTable(n, customers)
	for range n {
		id := fmt.Appendf(nil, "c%d", r.IntN(customers))
		amt := r.Int64N(50000)
		if r.IntN(8) == 0 {
			amt = -amt - 1
		}
		if err := tab.Add(id, 19700+int32(r.IntN(400)), amt); err != nil {
			t.Fatal(err)
		}
	}
	return tab
}

// tableTxns yields the table's rows as Txns, the reference path.
func tableTxns(tab *txnfile.Table) iter.Seq2[Txn, error] {
	return func(yield func(Txn, error) bool) {
		for i := range tab.Len() {
			tx := Txn{CustomerID: tab.IDs[tab.Customer[i]], Unix: int64(tab.Day[i]) * 86400, Net: tab.Amount[i]}
			if tx.Net < 0 {
				tx.Net, tx.Refund = -tx.Net, true
			}
			if !yield(tx, nil) {
				return
			}
		}
	}
}

// TestSummarizeTableMatchesSummarize: the parallel table pass gives what
// the streaming Summarize gives on the same rows, for any worker count.
func TestSummarizeTableMatchesSummarize(t *testing.T) {
	defer func(n int) { minRowsPerWorker = n }(minRowsPerWorker)
	minRowsPerWorker = 1000
	for _, seed := range []uint64{1, 2, 3} {
		tab := randomTable(t, seed, 40_000, 3_000)
		asOf := time.Unix(int64(19700+300)*86400+3600, 0).UTC() // some rows fall after it
		want, err := Summarize(tableTxns(tab), asOf, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Summarize orders by first Txn on or before asOf, the table by
		// first row; compare as sets keyed by ID, then the table's order.
		byID := map[string]Summary{}
		for _, s := range want {
			byID[s.CustomerID] = s
		}
		for _, workers := range []int{1, 2, 3, 7, 0} {
			got, err := SummarizeTable(tab, asOf, workers)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("workers %d: %d summaries, want %d", workers, len(got), len(want))
			}
			for _, s := range got {
				if byID[s.CustomerID] != s {
					t.Fatalf("workers %d: %+v, want %+v", workers, s, byID[s.CustomerID])
				}
			}
			first, err := SummarizeTable(tab, asOf, 1)
			if err != nil || !reflect.DeepEqual(got, first) {
				t.Fatalf("workers %d: result differs from one worker (%v)", workers, err)
			}
		}
	}
}

func TestSummarizeTableOverflow(t *testing.T) {
	tab := txnfile.NewTable(0, 0)
	for _, amt := range []int64{math.MaxInt64, 5, -3} {
		if err := tab.Add([]byte("big"), 19700, amt); err != nil {
			t.Fatal(err)
		}
	}
	for _, workers := range []int{1, 3} {
		if _, err := SummarizeTable(tab, time.Unix(19800*86400, 0), workers); !errors.Is(err, ErrOverflow) {
			t.Errorf("workers %d: err = %v, want ErrOverflow", workers, err)
		}
	}
}

// TestScoreRFMWorkers: the scores are the same whatever the worker count.
func TestScoreRFMWorkers(t *testing.T) {
	tab := randomTable(t, 9, 60_000, 10_000)
	asOf := time.Unix(20200*86400, 0).UTC()
	sums, err := SummarizeTable(tab, asOf, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want RFMReport
	for i, workers := range []int{1, 2, 3, 0} {
		rep, err := ScoreRFM(sums, asOf, &RFMConfig{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			want = rep
			continue
		}
		if !reflect.DeepEqual(rep, want) {
			t.Fatalf("workers %d: report differs from one worker", workers)
		}
	}
}
