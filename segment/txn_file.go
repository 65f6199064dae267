package segment

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/clientele-go/clientele/internal/parallel"
	"github.com/clientele-go/clientele/segment/txnfile"
)

// SummarizeFile reads a transaction file of size bytes (CSV, TSV or any
// txnfile.Format; an *os.File and its Stat size serve) and folds it into
// Summaries at asOf on workers goroutines (0 means runtime.GOMAXPROCS(0)),
// without keeping its rows. The summaries, their order and Stats are those
// of SummarizeTable on the table txnfile.ReadTableAt reads from the same
// file (a row's day after asOf is skipped, a negative Amount is a refund),
// for any number of workers; a bad row fails as ReadTableAt fails (under
// f.BadRows), and sums past int64 fail with ErrOverflow naming a customer.
//
// Each worker folds the rows of its piece of the file into its own totals
// as it parses them (txnfile.FoldAt), so memory grows with the customers
// and not with the rows: per worker, 32 bytes and an index slot or two a
// customer it sees, where reading the table first holds 16 bytes a row
// (160 MB at ten million rows) and then SummarizeTable's totals besides.
// Use the table path when the rows are needed again (clv.SummarizeTable,
// other cut-off dates).
func SummarizeFile(r io.ReaderAt, size int64, f txnfile.Format, asOf time.Time, workers int) ([]Summary, txnfile.Stats, error) {
	lastDay := lastDayOf(asOf)
	var parts []*foldTotals
	fd, st, err := txnfile.FoldAt(r, size, f, workers, func(n int) []txnfile.Folder {
		parts = make([]*foldTotals, n)
		folders := make([]txnfile.Folder, n)
		for p := range parts {
			parts[p] = &foldTotals{lastDay: lastDay}
			folders[p] = parts[p]
		}
		return folders
	})
	if err != nil {
		return nil, st, err
	}
	for p, ft := range parts {
		if ft.overflow != 0 {
			return nil, st, fmt.Errorf("%w: customer %s", ErrOverflow, fd.IDs[fd.Remap[p][ft.overflow-1]])
		}
	}
	nc := len(fd.IDs)
	merged := parts[0] // piece 0 numbers its customers as fd.IDs does
	merged.cover(int32(nc) - 1)
	// The later pieces' totals are merged in piece order, so each customer's
	// are combined in file order; each worker takes a range of customers.
	workers = parallel.Workers(workers)
	overflow := make([]int32, workers) // 1 + a customer whose sums left int64
	parallel.Ranges(nc, workers, func(w, lo, hi int) {
		for p, ft := range parts[1:] {
			for c, g := range fd.Remap[p+1] {
				if int(g) >= lo && int(g) < hi && !merged.at(g).merge(ft.at(int32(c))) {
					overflow[w] = g + 1
					return
				}
			}
		}
	})
	for _, c := range overflow {
		if c != 0 {
			return nil, st, fmt.Errorf("%w: customer %s", ErrOverflow, fd.IDs[c-1])
		}
	}
	parts = nil
	out := make([]Summary, 0, nc)
	for b, block := range merged.blocks {
		lo := b << foldBlockBits
		out = appendSummaries(out, block[:min(len(block), nc-lo)], fd.IDs[lo:])
	}
	return out, st, nil
}

// foldBlockBits: a piece's totals are kept in blocks of 2^16 customers,
// made as customers appear, so they never grow by copying (append's
// growth leaves the old array behind while the new is filled, up to four
// times the final size allocated in all).
const (
	foldBlockBits = 16
	foldBlockLen  = 1 << foldBlockBits
)

// foldTotals is one piece's totals by the piece's customer numbers, a
// txnfile.Folder.
type foldTotals struct {
	lastDay  int32
	blocks   [][]dayTotals
	overflow int32 // 1 + the first customer whose totals left int64 (the fold then stops)
	sink     int32 // keeps the loads ahead alive
}

func (ft *foldTotals) at(c int32) *dayTotals {
	return &ft.blocks[c>>foldBlockBits][c&(foldBlockLen-1)]
}

// cover makes blocks up to customer c's.
func (ft *foldTotals) cover(c int32) {
	for int(c)>>foldBlockBits >= len(ft.blocks) {
		ft.blocks = append(ft.blocks, make([]dayTotals, foldBlockLen))
	}
}

// Fold adds a batch of rows as SummarizeTable folds a row.
func (ft *foldTotals) Fold(customer, day []int32, amount []int64) {
	if ft.overflow != 0 {
		return
	}
	// Customers are numbered as they first appear, so the batch's largest
	// is the one whose block is needed last; its totals are loaded in a
	// loop of their own, as in SummarizeTable, so the misses overlap.
	var top, sink int32
	for _, c := range customer {
		top = max(top, c)
	}
	ft.cover(top)
	for _, c := range customer {
		sink += ft.at(c).rows
	}
	ft.sink += sink
	for i, c := range customer {
		d := day[i]
		if d > ft.lastDay {
			continue
		}
		a := ft.at(c)
		// rows: a piece of a file, unlike a table, may hold 2^31 rows of one customer.
		if !a.add(d, amount[i]) || a.rows == math.MaxInt32 {
			ft.overflow = c + 1
			return
		}
	}
}
