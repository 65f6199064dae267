package postgres

import (
	"sync"
	"time"

	"github.com/clientele-go/clientele/loyalty"
)

// An earn reads, in turn, the purchase with its holder (customer store)
// and then the earn's replay record, the holder's account header and the
// purchase's record (loyalty store, loyalty.Prefetcher): two statements,
// two round trips, one after the other, though the second needs nothing
// the first does not already name. GetPurchaseHolder therefore reads the
// loyalty rows an earn of the purchase would prefetch in the same
// statement, and keeps them here for the Prefetch that follows; that
// Prefetch takes them instead of reading, so an earn is two statements
// (this one and the save), not three.
//
// What Prefetch returns this way is a snapshot of one instant, as the
// contract asks, only an earlier one: the holder read's. A write landing
// in between moves the account's version, so the save's compare-and-set
// refuses what the service built on the snapshot and the service reads
// again (a taken entry is gone, so that read is fresh). A kept entry is
// used once, by a Prefetch asking exactly what an earn of that purchase
// asks for that holder ("earn:<purchase ID>", its purchase record), and
// only for a second; anything else reads as before. An entry nobody takes
// (a purchase whose holder was merged, a quote) is dropped when newer
// ones push it out.

// earnRead is one holder read's loyalty rows: the Prefetch columns.
type earnRead struct {
	at               time.Time
	opMember, opHash *string
	opResult         []byte
	version          *int64
	header, state    []byte
	record           []byte // the purchase's record, if it has one
	hasRecord        bool
}

// earnReadTTL bounds how long a kept read may wait for its Prefetch.
const earnReadTTL = time.Second

// earnReads keeps the latest holder reads, at most len(ring) of them.
type earnReads struct {
	mu   sync.Mutex
	byID map[earnKey]*earnRead
	ring [256]struct {
		key earnKey
		e   *earnRead
	}
	next int
}

// earnKey names a kept read: the purchase and its holder.
type earnKey struct{ purchase, member string }

func (r *earnReads) put(k earnKey, e *earnRead) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = make(map[earnKey]*earnRead, len(r.ring))
	}
	old := &r.ring[r.next]
	if old.e != nil && r.byID[old.key] == old.e {
		delete(r.byID, old.key)
	}
	old.key, old.e = k, e
	r.next = (r.next + 1) % len(r.ring)
	r.byID[k] = e
}

// take returns and forgets the read kept for k, if there is a fresh one.
func (r *earnReads) take(k earnKey) *earnRead {
	r.mu.Lock()
	e := r.byID[k]
	if e != nil {
		delete(r.byID, k)
	}
	r.mu.Unlock()
	if e == nil || time.Since(e.at) > earnReadTTL {
		return nil
	}
	return e
}

// earnPrefetch returns the key of a kept read that q asks for exactly: an
// earn's prefetch of its purchase's record.
func earnPrefetch(q loyalty.Prefetch) (earnKey, bool) {
	if q.Kind != loyalty.RecordPurchase || len(q.Keys) != 1 || q.OperationKey != "earn:"+q.Keys[0] {
		return earnKey{}, false
	}
	return earnKey{purchase: q.Keys[0], member: q.MemberID}, true
}
