package txnfile

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
)

// Table is transactions in compact columns: customer IDs interned to
// dense indices in order of first appearance, and per transaction the
// customer index, the day number and the amount in minor units. Resident
// size is 16 bytes per transaction plus each customer's ID and an index
// entry once. segment.SummarizeTable and clv.SummarizeTable read it in
// parallel.
//
// The exported columns may be read freely; change them only through Add,
// which keeps them the same length and the index in step.
type Table struct {
	IDs      []string // customer IDs by index
	Customer []int32  // per transaction: index into IDs
	Day      []int32  // per transaction: days since 1970-01-01
	Amount   []int64  // per transaction: minor units
	// Places is the number of decimals of Amount (2 for cents); ReadTable
	// sets it from Format.Places.
	Places int
	index  *interner
	arena  *idArena // the IDs while the table is read (IDs is then empty)
	fold   Folder   // FoldAt: where the rows go instead of the columns
	sink   uint32   // keeps addBatch's loads alive
}

// NewTable returns an empty table with room for rows transactions of
// customers customers (hints, 0 if unknown).
func NewTable(rows, customers int) *Table {
	rows, customers = max(rows, 0), max(customers, 0)
	return &Table{
		IDs:      make([]string, 0, customers),
		Customer: make([]int32, 0, rows),
		Day:      make([]int32, 0, rows),
		Amount:   make([]int64, 0, rows),
		index:    newInterner(customers),
	}
}

// Len returns the number of transactions.
func (t *Table) Len() int { return len(t.Customer) }

// Add appends a transaction of the customer whose ID is customer (not
// empty). The ID is copied only the first time it is seen. It fails with
// ErrSyntax for an empty ID and ErrTooMany past 2^31-1 customers or rows.
func (t *Table) Add(customer []byte, day int32, amount int64) error {
	if len(customer) == 0 {
		return fmt.Errorf("%w: empty customer ID", ErrSyntax)
	}
	if t.index == nil { // a Table built by hand: index the IDs it has
		t.index = newInterner(len(t.IDs))
		for i, id := range t.IDs {
			if ix, slot, h := find(t.index, id, t.IDs[:i], nil); ix < 0 { // a repeated ID keeps its first index
				insert(t.index, slot, h, id, int32(i))
			}
		}
	}
	ix, slot, h := find(t.index, customer, t.IDs, nil)
	if ix < 0 {
		if len(t.IDs) == maxInt32 {
			return ErrTooMany
		}
		id := string(customer)
		ix = int32(len(t.IDs))
		t.IDs = append(t.IDs, id)
		insert(t.index, slot, h, id, ix)
	}
	if len(t.Customer) == maxInt32 {
		return ErrTooMany
	}
	t.Customer = append(t.Customer, ix)
	t.Day = append(t.Day, day)
	t.Amount = append(t.Amount, amount)
	return nil
}

const maxInt32 = math.MaxInt32

// Stats describes a ReadTable run.
type Stats struct {
	Rows    int     // data rows read, good and bad (the header not counted)
	BadRows int     // rows left out under SkipBadRows
	Errors  []error // the first MaxKeptErrors *RowErrors of the bad rows
}

// ReadTable reads a whole file into a Table, applying f.BadRows to rows
// that do not parse. Under RefuseBadRows the first bad row's *RowError is
// returned with no table; an error of the input itself is always final.
//
// The table comes without its lookup index (32 bytes a customer at a
// million customers, a fifth of the table), which the analyses do not use;
// Add rebuilds it on first use.
func ReadTable(r io.Reader, f Format) (*Table, Stats, error) {
	rd, err := NewReader(r, f)
	if err != nil {
		return nil, Stats{}, err
	}
	return done(readRows(rd, f, readingTable(nil, nil, nil)))
}

// readingTable returns an empty table to read into, with the given
// columns (nil: grown by append) and its IDs in an arena.
func readingTable(customer, day []int32, amount []int64) *Table {
	return &Table{Customer: customer, Day: day, Amount: amount, index: newInterner(0), arena: &idArena{}}
}

// done finishes a table read from a file: its IDs become strings, and it
// goes without its lookup index.
func done(t *Table, st Stats, err error) (*Table, Stats, error) {
	if t != nil {
		t.IDs, t.arena = t.arena.strings(), nil
		t.index = nil
	}
	return t, st, err
}

// readRows reads the rows of rd into t, an empty table, under f.BadRows.
func readRows(rd *Reader, f Format, t *Table) (*Table, Stats, error) {
	var st Stats
	t.Places = f.Places
	var b rowBatch
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return t, st, t.addBatch(&b)
		}
		if err == nil {
			st.Rows++
			if b.add(&rec) {
				if err := t.addBatch(&b); err != nil {
					return nil, st, err
				}
			}
			continue
		}
		// Only here, off the good rows' path: errors.As makes its target
		// escape, and a target declared for every row cost an 8-byte
		// allocation a row (76 MB of garbage for a 10M-row file).
		var rowErr *RowError
		if errors.As(err, &rowErr) {
			st.Rows++
			if f.BadRows == RefuseBadRows {
				return nil, st, rowErr
			}
			st.BadRows++
			if len(st.Errors) < MaxKeptErrors {
				st.Errors = append(st.Errors, rowErr)
			}
			continue
		}
		return nil, st, fmt.Errorf("txnfile: reading: %w", err)
	}
}

// batchLen rows make a batch of readRows: their index slots are loaded
// together, so their cache misses overlap instead of coming one after
// another (Go has no prefetch instruction; loads whose results are kept
// are the portable way to the same effect).
const batchLen = 64

// rowBatch holds parsed rows until their customers are looked up. The
// IDs are copied out of the reader's buffer, which the next Read reuses.
type rowBatch struct {
	n      int
	arena  []byte
	ends   [batchLen]int
	days   [batchLen]int32
	amts   [batchLen]int64
	lines  [batchLen]int
	hashes [batchLen]uint64
	ixs    [batchLen]int32 // the rows' customers, for Table.fold
}

// add queues a row and reports whether the batch is full.
func (b *rowBatch) add(r *Record) bool {
	b.arena = append(b.arena, r.Customer...)
	b.ends[b.n], b.days[b.n], b.amts[b.n], b.lines[b.n] = len(b.arena), r.Day, r.Amount, r.Line
	b.n++
	return b.n == batchLen
}

// addBatch adds the queued rows in order and empties the batch.
func (t *Table) addBatch(b *rowBatch) error {
	in := t.index
	var sink uint32
	start := 0
	for i := range b.n {
		b.hashes[i] = maphash.Bytes(in.seed, b.arena[start:b.ends[i]])
		start = b.ends[i]
	}
	// The loads in a loop of their own: with the hashing between them,
	// only the few that fit the processor's window were in flight at once
	// (a profile put 70 ns a row on them at a million customers).
	for _, h := range b.hashes[:b.n] {
		sink += in.touch(h)
	}
	t.sink += sink
	start = 0
	for i := range b.n {
		id := b.arena[start:b.ends[i]]
		start = b.ends[i]
		ix, slot := findHashed(in, b.hashes[i], id, nil, t.arena)
		if ix < 0 {
			if t.arena.len() == maxInt32 {
				return fmt.Errorf("%w (line %d)", ErrTooMany, b.lines[i])
			}
			ix = int32(t.arena.len())
			t.arena.add(id)
			insert(in, slot, b.hashes[i], id, ix)
		}
		if t.fold != nil {
			b.ixs[i] = ix
			continue
		}
		if len(t.Customer) == maxInt32 {
			return fmt.Errorf("%w (line %d)", ErrTooMany, b.lines[i])
		}
		t.Customer = append(t.Customer, ix)
		t.Day = append(t.Day, b.days[i])
		t.Amount = append(t.Amount, b.amts[i])
	}
	if t.fold != nil && b.n > 0 {
		t.fold.Fold(b.ixs[:b.n], b.days[:b.n], b.amts[:b.n])
	}
	b.n, b.arena = 0, b.arena[:0]
	return nil
}
