package loyalty

import (
	"sort"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// entryLog is one account's entries in Seq order, held in chunks that are
// never copied: appending to a slice that doubles leaves the old arrays
// as garbage at every growth, and entries are the bulk of what a busy
// store keeps. Chunks double up to maxChunk entries, so a member with few
// entries wastes little.
type entryLog struct {
	chunks [][]ledger.Entry
}

const maxChunk = 256

func (l *entryLog) append(e ledger.Entry) {
	if n := len(l.chunks); n == 0 || len(l.chunks[n-1]) == cap(l.chunks[n-1]) {
		size := 4
		if n > 0 {
			size = min(2*cap(l.chunks[n-1]), maxChunk)
		}
		l.chunks = append(l.chunks, make([]ledger.Entry, 0, size))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, e)
}

// after copies up to limit entries with Seq > seq, in Seq order.
func (l *entryLog) after(seq int64, limit int) []ledger.Entry {
	c := sort.Search(len(l.chunks), func(i int) bool {
		ch := l.chunks[i]
		return ch[len(ch)-1].Seq > seq
	})
	var out []ledger.Entry
	for ; c < len(l.chunks) && len(out) < limit; c++ {
		ch := l.chunks[c]
		i := sort.Search(len(ch), func(i int) bool { return ch[i].Seq > seq })
		for _, e := range ch[i:min(len(ch), i+limit-len(out))] {
			if out == nil {
				out = make([]ledger.Entry, 0, limit)
			}
			out = append(out, cloneEntry(e))
		}
	}
	return out
}
