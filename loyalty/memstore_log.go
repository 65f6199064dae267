package loyalty

import (
	"fmt"
	"sort"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// entryLog is one account's entries in Seq order, each encoded as in an
// earn record (its time as an instant, in UTC when read: the contract
// keeps instants, not zones). Entries are the bulk of what a busy store
// keeps, and as structs they are nine pointers each that every garbage
// collection traces; as bytes they are none, and a third of the size.
type entryLog struct {
	data []byte  // the encoded entries, one after another
	seqs []int64 // each entry's Seq, ascending
	offs []int   // where each entry starts in data
}

// append encodes e at the end of the log (which cannot fail: times are
// written as instants, which every time has).
func (l *entryLog) append(e *ledger.Entry) {
	w := recWriter{b: l.data, instants: true}
	w.entry(e)
	l.offs = append(l.offs, len(l.data))
	l.seqs = append(l.seqs, e.Seq)
	l.data = w.b
}

// after decodes up to limit entries with Seq > seq, in Seq order.
func (l *entryLog) after(seq int64, limit int) ([]ledger.Entry, error) {
	i := sort.Search(len(l.seqs), func(i int) bool { return l.seqs[i] > seq })
	n := min(limit, len(l.seqs)-i)
	if n <= 0 {
		return nil, nil
	}
	out := make([]ledger.Entry, n)
	// The batch's bytes become one string that the entries' strings are
	// cut from: one allocation, not one per string.
	end := len(l.data)
	if i+n < len(l.offs) {
		end = l.offs[i+n]
	}
	region := l.data[l.offs[i]:end]
	d := recReader{b: region, instants: true, text: string(region)}
	for k := range out {
		var e ledger.Entry // decoded on the stack, then copied in one move
		d.entry(&e)
		out[k] = e
	}
	if d.err != nil {
		return nil, fmt.Errorf("loyalty: memory store: %w", d.err)
	}
	return out, nil
}

// opTable holds the recorded operations: a map from key to position, and
// the operations in chunks that are never copied. A map of whole
// operations leaves every table it outgrows behind as garbage; this one
// leaves only keys and positions.
type opTable struct {
	index  map[string]int
	chunks [][]Operation
}

const opChunk = 1024

func newOpTable() opTable { return opTable{index: map[string]int{}} }

func (t *opTable) get(key string) (Operation, bool) {
	i, ok := t.index[key]
	if !ok {
		return Operation{}, false
	}
	return t.chunks[i/opChunk][i%opChunk], true
}

func (t *opTable) has(key string) bool {
	_, ok := t.index[key]
	return ok
}

// add records op, whose key must be new.
func (t *opTable) add(op Operation) {
	n := len(t.index)
	if n%opChunk == 0 {
		t.chunks = append(t.chunks, make([]Operation, 0, opChunk))
	}
	last := &t.chunks[len(t.chunks)-1]
	*last = append(*last, op)
	t.index[op.Key] = n
}
