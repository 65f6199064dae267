package txnfile

import (
	"errors"
	"fmt"
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
	index  map[string]int32
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
		index:    make(map[string]int32, customers),
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
	if t.index == nil {
		t.index = make(map[string]int32)
	}
	ix, ok := t.index[string(customer)] // no allocation: the compiler reads the bytes
	if !ok {
		if len(t.IDs) == maxInt32 {
			return ErrTooMany
		}
		id := string(customer)
		ix = int32(len(t.IDs))
		t.IDs = append(t.IDs, id)
		t.index[id] = ix
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
func ReadTable(r io.Reader, f Format) (*Table, Stats, error) {
	rd, err := NewReader(r, f)
	if err != nil {
		return nil, Stats{}, err
	}
	return readRows(rd, f)
}

// readRows reads the rows of rd into a new table under f.BadRows.
func readRows(rd *Reader, f Format) (*Table, Stats, error) {
	var st Stats
	t := NewTable(0, 0)
	t.Places = f.Places
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return t, st, nil
		}
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
		if err != nil {
			return nil, st, fmt.Errorf("txnfile: reading: %w", err)
		}
		st.Rows++
		if err := t.Add(rec.Customer, rec.Day, rec.Amount); err != nil {
			return nil, st, fmt.Errorf("%w (line %d)", err, rec.Line)
		}
	}
}
