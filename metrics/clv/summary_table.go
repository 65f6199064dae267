package clv

import (
	"slices"

	"github.com/clientele-go/clientele/internal/parallel"
	"github.com/clientele-go/clientele/segment/txnfile"
)

// SummarizeTable is Summarize over a compact transaction table (see
// txnfile), on p.Workers goroutines (0 means runtime.GOMAXPROCS(0)). Each
// row is a purchase on its day, which is already a calendar day (txnfile
// reads the date as written), of Amount minor units at t.Places decimals;
// p.Location only places p.CalibrationEnd on a day. The result equals
// Summarize's on the same rows given as Transactions at any time of their
// day in p.Location, except that Customers are in the order of t.IDs
// (first appearance in the table) and customers with no row on or before
// the calibration end are left out.
//
// The rows are bucketed by customer with a counting sort (the table
// interned the IDs, so there is no hashing): each worker counts a piece of
// the rows, the counts give every worker its own place in each customer's
// bucket, the workers scatter their rows there, and then each customer's
// few rows are sorted by day and summed, by customer range. Buckets hold
// the rows in table order whatever the worker count, and every sum is
// exact, so the result is identical for any number of workers. Memory is
// 12 bytes per row on or before the calibration end plus 4 bytes per
// customer per worker.
func SummarizeTable(t *txnfile.Table, p SummaryParams) (Summaries, error) {
	if err := p.validate(); err != nil {
		return Summaries{}, err
	}
	if t.Places < 0 || t.Places > 18 {
		return Summaries{}, fieldErr("Table.Places", -1, "must be 0 to 18")
	}
	rows := len(t.Customer)
	if len(t.Day) != rows || len(t.Amount) != rows {
		return Summaries{}, fieldErr("Table", -1, "columns of different lengths")
	}
	clock := dayClock{loc: p.Location}
	endDay, err := clock.day(p.CalibrationEnd)
	if err != nil {
		return Summaries{}, fieldErrWrap("SummaryParams.CalibrationEnd", -1, err)
	}
	nc := len(t.IDs)
	workers := parallel.Workers(p.Workers)
	workers = max(1, min(workers, rows/minRowsPerWorker+1))
	// Count: counts[w][c] is how many rows of piece w customer c has.
	counts := make([][]int32, workers)
	badRow := make([]int, workers)
	parallel.Ranges(rows, workers, func(w, lo, hi int) {
		cnt := make([]int32, nc)
		badRow[w] = -1
		for i := lo; i < hi; i++ {
			c := t.Customer[i]
			if c < 0 || int(c) >= nc {
				badRow[w] = i
				return
			}
			if t.Day[i] <= endDay {
				cnt[c]++
			}
		}
		counts[w] = cnt
	})
	for _, i := range badRow {
		if i >= 0 {
			return Summaries{}, fieldErr("Table.Customer", i, "not an index into IDs")
		}
	}
	// Offsets: start[c] is where customer c's bucket begins; counts[w][c]
	// becomes where piece w writes its first row of c.
	start := make([]int, nc+1)
	for c := range nc {
		at := start[c]
		for w := range workers {
			n := counts[w][c]
			counts[w][c] = int32(at)
			at += int(n)
		}
		start[c+1] = at
	}
	days := make([]int32, start[nc])
	amts := make([]int64, start[nc])
	parallel.Ranges(rows, workers, func(w, lo, hi int) {
		next := counts[w]
		for i := lo; i < hi; i++ {
			if t.Day[i] > endDay {
				continue
			}
			c := t.Customer[i]
			days[next[c]], amts[next[c]] = t.Day[i], t.Amount[i]
			next[c]++
		}
	})
	counts = nil
	out := Summaries{
		Unit:           p.Unit,
		CalibrationEnd: p.CalibrationEnd,
		Location:       p.Location.String(),
		Transactions:   rows,
		Customers:      make([]Summary, nc),
	}
	perDay := 1 / p.Unit.Days()
	places := int32(t.Places)
	parallel.Ranges(nc, workers, func(_, lo, hi int) {
		var bigs bigStore
		for c := lo; c < hi; c++ {
			d, a := days[start[c]:start[c+1]], amts[start[c]:start[c+1]]
			if len(d) == 0 {
				continue
			}
			sortByDay(d, a)
			var money moneyAcc
			distinct := int32(1)
			for i := range d {
				if i > 0 && d[i] != d[i-1] {
					distinct++
				}
				money.add(amount{coef: a[i], exp: -places, fits: true}, d[i] == d[0], &bigs)
			}
			s := &out.Customers[c]
			s.CustomerID = t.IDs[c]
			s.Frequency = int(distinct) - 1
			s.Recency = float64(d[len(d)-1]-d[0]) * perDay
			s.T = float64(endDay-d[0]) * perDay
			if s.Frequency > 0 {
				s.MonetaryValue = money.mean(int64(s.Frequency), MonetaryPlaces, bigs)
				s.Monetary = s.MonetaryValue.InexactFloat64()
			}
		}
	})
	kept := out.Customers[:0]
	for c := range out.Customers {
		if start[c+1] > start[c] {
			kept = append(kept, out.Customers[c])
		}
	}
	out.Customers = slices.Clip(kept)
	return out, nil
}

// sortByDay sorts a customer's rows by day, carrying the amounts. Most
// customers have a handful of rows, where insertion sort beats any other.
func sortByDay(d []int32, a []int64) {
	if len(d) > 32 {
		idx := make([]int, len(d))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(i, j int) int { return int(d[i]) - int(d[j]) })
		dd, aa := slices.Clone(d), slices.Clone(a)
		for k, i := range idx {
			d[k], a[k] = dd[i], aa[i]
		}
		return
	}
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j] < d[j-1]; j-- {
			d[j], d[j-1] = d[j-1], d[j]
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// minRowsPerWorker keeps small tables on fewer goroutines: below some
// sixty thousand rows a goroutine and its per-customer table cost more
// than they save. Tests lower it to run many workers on small data.
var minRowsPerWorker = 1 << 16
