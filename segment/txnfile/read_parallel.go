package txnfile

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"

	"github.com/clientele-go/clientele/internal/parallel"
)

// ReadTableAt is ReadTable over a file of size bytes read on workers
// goroutines (0 means runtime.GOMAXPROCS(0)); an *os.File and its Stat
// size serve. The rows after the header are cut into one piece per worker
// at line breaks, each piece is read into a table of its own, and the
// tables are joined in file order, so the result (the table, its order of
// customers, Stats and any error with its line) is exactly ReadTable's.
//
// Cutting at line breaks is only sound when no quoted field holds one: a
// file with any quote in its rows is read again by ReadTable on one
// goroutine, which costs a second pass over what was read. As with
// ReadTable, the table comes without its lookup index.
func ReadTableAt(r io.ReaderAt, size int64, f Format, workers int) (*Table, Stats, error) {
	var cols *shared
	pieces, headerLines, err := readPieces(r, size, f, workers, func(cuts []int64, bodyAt int64, perRow float64) func(int) *Table {
		cols = newShared(cuts, bodyAt, size, perRow)
		return cols.region
	})
	if err != nil || pieces == nil {
		if err == nil { // a quoted field: read again on one goroutine
			return ReadTable(io.NewSectionReader(r, 0, size), f)
		}
		return nil, Stats{}, err
	}
	return done(joinPieces(pieces, headerLines, f, cols))
}

// readPieces cuts the rows of the file after its header into one piece
// per worker at line breaks and reads each into the table tables returns
// for it (tables is called once, with the cuts and bytesPerRow's
// estimate). It returns the pieces and the header's lines, or no pieces
// and no error when a piece holds a quote (the file must then be read on
// one goroutine).
func readPieces(r io.ReaderAt, size int64, f Format, workers int,
	tables func(cuts []int64, bodyAt int64, perRow float64) func(int) *Table) ([]piece, int, error) {
	head, err := NewReader(io.NewSectionReader(r, 0, size), f)
	if err != nil {
		return nil, 0, err
	}
	bodyAt := head.base + int64(head.pos)
	cuts, err := cutAtLines(r, bodyAt, size, parallel.Workers(workers))
	if err != nil {
		return nil, 0, fmt.Errorf("txnfile: reading: %w", err)
	}
	perRow, err := bytesPerRow(r, bodyAt, size)
	if err != nil {
		return nil, 0, fmt.Errorf("txnfile: reading: %w", err)
	}
	pieces := make([]piece, len(cuts)-1)
	table := tables(cuts, bodyAt, perRow)
	parallel.Ranges(len(pieces), len(pieces), func(w, _, _ int) {
		rd := &Reader{src: io.NewSectionReader(r, cuts[w], cuts[w+1]-cuts[w]), f: f, buf: make([]byte, bufSize),
			ncols: head.ncols, col: head.col, last: head.last}
		pieces[w] = readPiece(rd, f, table(w))
		if t := pieces[w].tab; t != nil && w > 0 {
			t.index = nil // the join looks the later pieces' IDs up in the first's
		}
	})
	for _, p := range pieces {
		if p.quoted {
			return nil, 0, nil
		}
	}
	return pieces, head.line, nil
}

// shared is the columns every piece of ReadTableAt writes into: one array
// per column, cut into a region per piece sized by bytesPerRow's estimate
// of its rows. The join then moves each piece's rows down behind the
// previous piece's in place, so the rows are stored once and never copied
// into new columns; a piece that outgrows its region (an estimate short by
// more than its margin) gets columns of its own from append, and the join
// copies (10M-row file, two workers: 240 MB of columns made for 160 MB of
// rows before, when the first piece had room for the whole file and the
// others their own columns).
type shared struct {
	starts   []int // region w is [starts[w], starts[w+1])
	customer []int32
	day      []int32
	amount   []int64
}

func newShared(cuts []int64, bodyAt, size int64, perRow float64) *shared {
	s := &shared{starts: make([]int, len(cuts))}
	for w := range len(cuts) - 1 {
		s.starts[w+1] = s.starts[w] + roomFor(cuts[w+1]-cuts[w], perRow)
	}
	if n := s.starts[len(cuts)-1]; n > 0 && n <= maxHint {
		s.customer, s.day, s.amount = make([]int32, n), make([]int32, n), make([]int64, n)
	} else {
		clear(s.starts)
	}
	return s
}

// region returns an empty table whose columns are piece w's region.
func (s *shared) region(w int) *Table {
	lo, hi := s.starts[w], s.starts[w+1]
	return readingTable(s.customer[lo:lo:hi], s.day[lo:lo:hi], s.amount[lo:lo:hi])
}

// inRegion reports whether piece w's table still writes into its region.
func (s *shared) inRegion(w int, t *Table) bool {
	lo, hi := s.starts[w], s.starts[w+1]
	return hi > lo && cap(t.Customer) == hi-lo && cap(t.Day) == hi-lo && cap(t.Amount) == hi-lo &&
		&t.Customer[:1][0] == &s.customer[lo] && &t.Day[:1][0] == &s.day[lo] && &t.Amount[:1][0] == &s.amount[lo]
}

// piece is what one worker read: its table, stats and lines, and the
// error that stopped it, with line numbers counted from the piece's start.
type piece struct {
	tab    *Table
	st     Stats
	lines  int
	err    error
	quoted bool
}

func readPiece(rd *Reader, f Format, t *Table) piece {
	var p piece
	p.tab, p.st, p.err = readRows(rd, f, t)
	p.lines, p.quoted = rd.line, rd.quoted
	return p
}

// cutAtLines returns workers+1 offsets from start to size, each inner one
// just after a line break (pieces may be empty).
func cutAtLines(r io.ReaderAt, start, size int64, workers int) ([]int64, error) {
	cuts := []int64{start}
	buf := make([]byte, 64<<10)
	for w := 1; w < workers; w++ {
		at := max(start+(size-start)*int64(w)/int64(workers), cuts[len(cuts)-1])
		for at < size {
			n, err := r.ReadAt(buf[:min(int64(len(buf)), size-at)], at)
			if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
				at += int64(i) + 1
				break
			}
			at += int64(n)
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			if n == 0 {
				at = size
			}
		}
		cuts = append(cuts, min(at, size))
	}
	return append(cuts, size), nil
}

// joinPieces joins the pieces' tables in file order and renumbers their
// lines after the header's.
func joinPieces(pieces []piece, headerLines int, f Format, cols *shared) (*Table, Stats, error) {
	st, err := joinStats(pieces, headerLines)
	if err != nil {
		return nil, st, err
	}
	rows := 0
	inPlace := true
	for w, p := range pieces {
		rows += p.tab.Len()
		inPlace = inPlace && (p.tab.Len() == 0 || cols.inRegion(w, p.tab))
	}
	if rows > maxInt32 {
		return nil, st, ErrTooMany
	}
	out := pieces[0].tab
	first := *out
	// The rows stay where the pieces wrote them when every piece kept to
	// its region and the regions hold not much more than the rows
	// (bytesPerRow's estimate was close); otherwise columns of the exact
	// length, since regions or append would leave up to a quarter more
	// capacity than rows resident.
	if inPlace && len(cols.customer) <= rows+rows/maxSlack {
		out.Customer, out.Day, out.Amount = cols.customer[:0], cols.day[:0], cols.amount[:0]
	} else {
		out.Customer, out.Day, out.Amount = make([]int32, 0, rows), make([]int32, 0, rows), make([]int64, 0, rows)
	}
	out.Customer = append(out.Customer, first.Customer...) // in place: a copy onto itself
	out.Day = append(out.Day, first.Day...)
	out.Amount = append(out.Amount, first.Amount...)
	for _, p := range pieces[1:] {
		if err := out.appendTable(p.tab); err != nil {
			return nil, st, err
		}
	}
	out.Places = f.Places
	return out, st, nil
}

// joinStats adds up the pieces' stats, their kept errors' lines
// renumbered after the header's and the pieces before, and returns the
// first piece's error that stopped it, if any.
func joinStats(pieces []piece, headerLines int) (Stats, error) {
	var st Stats
	base := headerLines
	for _, p := range pieces {
		st.Rows += p.st.Rows
		st.BadRows += p.st.BadRows
		for _, e := range p.st.Errors {
			if len(st.Errors) < MaxKeptErrors {
				re := *e.(*RowError)
				re.Line += base
				st.Errors = append(st.Errors, &re)
			}
		}
		if p.err != nil {
			var re *RowError
			if errors.As(p.err, &re) {
				moved := *re
				moved.Line += base
				return st, &moved
			}
			return st, p.err
		}
		base += p.lines
	}
	return st, nil
}

// maxSlack: a joined table keeps the first piece's columns when their
// spare capacity is at most 1/maxSlack of its rows.
const maxSlack = 8

// bytesPerRow estimates the mean length of the rows of the body [at, size)
// from up to eight samples of 16 KiB spread over it (row lengths drift
// through a file: receipt numbers grow, for one); 0 if it finds no line
// break.
func bytesPerRow(r io.ReaderAt, at, size int64) (float64, error) {
	const samples, sampleLen = 8, 16 << 10
	buf := make([]byte, sampleLen)
	var read, lines int64
	for k := range int64(samples) {
		off := at + (size-at)*k/samples
		n, err := r.ReadAt(buf[:min(sampleLen, size-off)], off)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 && k > 0 { // skip the partial first row
			n = copy(buf, buf[i+1:n])
		}
		if j := bytes.LastIndexByte(buf[:n], '\n'); j >= 0 {
			read += int64(j + 1)
			lines += int64(bytes.Count(buf[:j+1], []byte{'\n'}))
		}
	}
	if lines == 0 {
		return 0, nil
	}
	return float64(read) / float64(lines), nil
}

// maxHint bounds roomFor (2^28 rows, 4 GiB of columns): a larger file
// grows its columns as it is read rather than on a guess.
const maxHint = 1 << 28

// roomFor is the rows to make room for in span bytes of rows of mean
// length perRow: the estimate and 1/32 more, or 0 without an estimate.
func roomFor(span int64, perRow float64) int {
	if perRow <= 0 {
		return 0
	}
	n := float64(span) / perRow
	return int(min(n+n/32+64, maxHint))
}

// appendTable appends o's rows, interning its customers into t's; both
// are tables being read, their IDs in arenas. o's
// columns may lie in t's arrays past t's rows (a later region of the same
// shared columns): each row is read before the append writes over it.
func (t *Table) appendTable(o *Table) error {
	remap, err := t.internFrom(o)
	if err != nil {
		return err
	}
	n := len(t.Customer)
	t.Customer = append(t.Customer, o.Customer...)
	for i, c := range t.Customer[n:] {
		t.Customer[n+i] = remap[c]
	}
	t.Day = append(t.Day, o.Day...)
	t.Amount = append(t.Amount, o.Amount...)
	return nil
}

// internFrom interns o's customers into t's, o's first customer first,
// and returns where each of o's customers went.
func (t *Table) internFrom(o *Table) ([]int32, error) {
	remap := make([]int32, o.arena.len())
	var hashes [batchLen]uint64
	for lo := 0; lo < len(remap); lo += batchLen {
		batch := hashes[:min(batchLen, len(remap)-lo)]
		// As in addBatch: the hashes, then the slots' loads together, then
		// the lookups (one ID after another, each a cache miss, cost the
		// join 100 ns an ID at a million customers).
		for k := range batch {
			batch[k] = maphash.Bytes(t.index.seed, o.arena.get(int32(lo+k)))
		}
		var sink uint32
		for _, h := range batch {
			sink += t.index.touch(h)
		}
		t.sink += sink
		for k, h := range batch {
			id := o.arena.get(int32(lo + k))
			ix, slot := findHashed(t.index, h, id, nil, t.arena)
			if ix < 0 {
				if t.arena.len() == maxInt32 {
					return nil, ErrTooMany
				}
				ix = int32(t.arena.len())
				t.arena.add(id)
				insert(t.index, slot, h, id, ix)
			}
			remap[lo+k] = ix
		}
	}
	return remap, nil
}
