package loyalty

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// entryLog is one account's entries in Seq order, each encoded as in an
// earn record (its time as an instant, in UTC when read: the contract
// keeps instants, not zones). Entries are the bulk of what a busy store
// keeps, and as structs they are nine pointers each that every garbage
// collection traces; as bytes they are none, and a third of the size.
// The bytes sit in chunks that double in size and are never copied, so
// the log leaves no garbage behind as it grows.
type entryLog struct {
	chunks [][]byte
	seqs   []int64 // each entry's Seq, ascending
	at     []entryAt
}

// entryAt is where an entry starts: its chunk and its offset there.
type entryAt struct{ chunk, off int32 }

const (
	firstLogChunk = 512
	maxLogChunk   = 16 << 10
)

// append encodes e at the end of the log (which cannot fail: times are
// written as instants, which every time has).
func (l *entryLog) append(e *ledger.Entry) {
	need := entrySizeBound(e)
	n := len(l.chunks)
	if n == 0 || cap(l.chunks[n-1])-len(l.chunks[n-1]) < need {
		size := firstLogChunk
		if n > 0 {
			size = min(2*cap(l.chunks[n-1]), maxLogChunk)
		}
		l.chunks = append(l.chunks, make([]byte, 0, max(size, need)))
		n++
	}
	last := &l.chunks[n-1]
	l.at = append(l.at, entryAt{chunk: int32(n - 1), off: int32(len(*last))})
	l.seqs = append(l.seqs, e.Seq)
	w := recWriter{b: *last, instants: true} // fits: never reallocates
	w.entry(e)
	*last = w.b
}

// entrySizeBound bounds the encoded size of e: its strings, and at most
// ten bytes for each varint.
func entrySizeBound(e *ledger.Entry) int {
	const varint = binary.MaxVarintLen64
	n := len(e.ID) + len(e.Account) + len(e.Kind) + len(e.Reference) + len(e.Purchase) + len(e.Corrects) + len(e.Reason) + len(e.Actor)
	n += 8*varint + 7*varint + 2*varint + varint // the strings' lengths, seven integers, the time, the draws' count
	for _, d := range e.Draws {
		n += len(d.LotID) + 4*varint
	}
	return n
}

// after decodes up to limit entries with Seq > seq, in Seq order.
func (l *entryLog) after(seq int64, limit int) ([]ledger.Entry, error) {
	i := sort.Search(len(l.seqs), func(i int) bool { return l.seqs[i] > seq })
	n := min(limit, len(l.seqs)-i)
	if n <= 0 {
		return nil, nil
	}
	out := make([]ledger.Entry, 0, n)
	for len(out) < n {
		// The entries of one chunk in the batch: their bytes become one
		// string that their strings are cut from (one allocation, not one
		// per string).
		first := l.at[i+len(out)]
		k := len(out)
		for k < n && l.at[i+k].chunk == first.chunk {
			k++
		}
		ch := l.chunks[first.chunk]
		end := len(ch)
		if i+k < len(l.at) && l.at[i+k].chunk == first.chunk {
			end = int(l.at[i+k].off)
		}
		region := ch[first.off:end]
		d := recReader{b: region, instants: true, text: string(region)}
		for range k - len(out) {
			var e ledger.Entry // decoded on the stack, then copied in one move
			d.entry(&e)
			out = append(out, e)
		}
		if d.err != nil {
			return nil, fmt.Errorf("loyalty: memory store: %w", d.err)
		}
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
