package segment

import (
	"fmt"
	"math"
	"time"

	"github.com/clientele-go/clientele/internal/parallel"
	"github.com/clientele-go/clientele/segment/txnfile"
)

// SummarizeTable folds a compact transaction table (see txnfile) into
// Summaries on workers goroutines (0 means runtime.GOMAXPROCS(0)). A row
// with Amount >= 0 is a purchase of that value, a negative Amount a refund
// of its magnitude; a row whose day starts after asOf is skipped, as
// Summarize skips a Txn after asOf, with the day's midnight UTC as the
// Txn's time (so First and Last are midnights). Summaries are in the
// order of t.IDs (first appearance in the table), leaving out customers
// with no row on or before asOf.
//
// Each worker folds a contiguous piece of the rows into its own table
// indexed by customer (the table interned the IDs, so there is no
// hashing); the pieces are then merged by customer range. Every total is
// an integer sum, min or max, so the result is the same for any number of
// workers. Purchases and refunds are summed apart and a customer whose
// purchases or refunds exceed int64 fails with ErrOverflow (a partial sum
// of non-negative terms cannot overflow unless the whole does, so that
// too is independent of workers). Memory is 32 bytes per customer per
// worker.
func SummarizeTable(t *txnfile.Table, asOf time.Time, workers int) ([]Summary, error) {
	if len(t.Day) != len(t.Customer) || len(t.Amount) != len(t.Customer) {
		return nil, &FieldError{Field: "table", Problem: "columns of different lengths"}
	}
	nc := len(t.IDs)
	lastDay := lastDayOf(asOf)
	workers = parallel.Workers(workers)
	workers = max(1, min(workers, len(t.Customer)/minRowsPerWorker+1))
	parts := make([][]dayTotals, workers)
	bad := make([]error, workers)
	sinks := make([]int32, workers) // keeps the loads ahead alive
	parallel.Ranges(len(t.Customer), workers, func(w, lo, hi int) {
		acc := make([]dayTotals, nc)
		var sink int32
		for i := lo; i < hi; i++ {
			if (i-lo)%foldAhead == 0 {
				// Load the totals of the next foldAhead rows' customers in a
				// loop of their own, so their cache misses overlap instead of
				// coming one a row (a million customers' totals are 32 MB).
				for _, c := range t.Customer[i:min(i+foldAhead, hi)] {
					if c >= 0 && int(c) < nc {
						sink += acc[c].rows
					}
				}
			}
			d := t.Day[i]
			if d > lastDay {
				continue
			}
			c := t.Customer[i]
			if c < 0 || int(c) >= nc {
				bad[w] = &FieldError{Field: fmt.Sprintf("table.customer[%d]", i), Problem: "not an index into IDs"}
				return
			}
			if !acc[c].add(d, t.Amount[i]) {
				bad[w] = fmt.Errorf("%w: customer %s", ErrOverflow, t.IDs[c])
				return
			}
		}
		parts[w] = acc
		sinks[w] = sink
	})
	for _, err := range bad {
		if err != nil {
			return nil, err
		}
	}
	merged := parts[0]
	overflow := make([]int32, workers) // 1 + the first overflowing customer of each range
	parallel.Ranges(nc, workers, func(w, lo, hi int) {
		for c := lo; c < hi; c++ {
			m := &merged[c]
			for _, p := range parts[1:] {
				if !m.merge(&p[c]) {
					overflow[w] = int32(c) + 1
					return
				}
			}
		}
	})
	for _, c := range overflow {
		if c != 0 {
			return nil, fmt.Errorf("%w: customer %s", ErrOverflow, t.IDs[c-1])
		}
	}
	return appendSummaries(make([]Summary, 0, nc), merged, t.IDs), nil
}

// lastDayOf is the day number of asOf's day: rows of later days are
// skipped.
func lastDayOf(asOf time.Time) int32 {
	if d := floorDiv(asOf.Unix(), 86400); d < math.MaxInt32 {
		return int32(max(d, math.MinInt32))
	}
	return math.MaxInt32
}

// appendSummaries appends the summary of every customer of totals that
// has a row, totals[c] being the customer of ID ids[c].
func appendSummaries(out []Summary, totals []dayTotals, ids []string) []Summary {
	for c := range totals {
		m := &totals[c]
		if m.rows == 0 {
			continue
		}
		s := Summary{CustomerID: ids[c], Purchases: int64(m.purchases), Monetary: int64(m.gross) - int64(m.refunded)}
		if m.purchases > 0 {
			s.First, s.Last = int64(m.first)*86400, int64(m.last)*86400
		}
		out = append(out, s)
	}
	return out
}

// foldAhead rows' totals are loaded ahead of SummarizeTable's fold.
const foldAhead = 64

// dayTotals is one customer's totals over a piece of a table: 32 bytes,
// two to a cache line.
type dayTotals struct {
	first, last     int32 // days of the first and latest purchase
	rows, purchases int32
	gross, refunded uint64 // minor units, each at most MaxInt64
}

// add folds one row, of day d and amount amt (a refund when negative),
// into a and reports false when a sum leaves int64.
func (a *dayTotals) add(d int32, amt int64) bool {
	a.rows++
	if amt >= 0 {
		a.gross += uint64(amt)
		if a.purchases == 0 || d < a.first {
			a.first = d
		}
		if a.purchases == 0 || d > a.last {
			a.last = d
		}
		a.purchases++
	} else {
		a.refunded += uint64(-amt)
	}
	return a.gross <= math.MaxInt64 && a.refunded <= math.MaxInt64
}

// merge adds o into a and reports false when a sum leaves int64. It keeps
// the order of first appearance: a's rows come from an earlier piece.
func (a *dayTotals) merge(o *dayTotals) bool {
	if o.rows == 0 {
		return true
	}
	if o.purchases > 0 {
		if a.purchases == 0 || o.first < a.first {
			a.first = o.first
		}
		if a.purchases == 0 || o.last > a.last {
			a.last = o.last
		}
	}
	if a.rows > math.MaxInt32-o.rows { // only a file's pieces can get here
		return false
	}
	a.rows += o.rows
	a.purchases += o.purchases
	a.gross += o.gross
	a.refunded += o.refunded
	return a.gross <= math.MaxInt64 && a.refunded <= math.MaxInt64
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// minRowsPerWorker keeps small tables on fewer goroutines: below some
// sixty thousand rows a goroutine and its per-customer table cost more
// than they save. Tests lower it to run many workers on small data.
var minRowsPerWorker = 1 << 16
