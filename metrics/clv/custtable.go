package clv

import (
	"errors"
	"hash/maphash"
	"math"
	"slices"
)

// custTable maps customer IDs to their running state. The states live in a
// dense slice in order of first appearance, each record exactly one 64-byte
// cache line holding the hash, an inline copy of IDs up to inlineKey bytes
// and the whole accumulator; an open-addressing index of 8-byte slots (a
// 32-bit hash tag and the dense index) finds them.
//
// With a million customers in random order the summary is bound by memory
// latency. The split keeps the index small (16 MB at a million customers,
// mostly cache-resident), so growing it rehashes 8-byte slots from the
// sequentially read records instead of moving whole states, and the result
// is read back in order without a random access per customer. Neither slice
// holds pointers, so the garbage collector never scans them.
type custTable struct {
	seed  maphash.Seed
	index []uint64 // tag<<32 | dense index; 0 marks an empty slot
	mask  uint64
	recs  [][]custRec // chunks of recChunk records
	n     int         // records in use
	ids   []string    // by dense index, for comparing long IDs and the result
}

// recChunk records (1 MiB) make one chunk: growing the table appends a
// chunk and never copies the records already written.
const recChunk = 1 << 14

// rec returns the record of dense index ix.
func (x *custTable) rec(ix int32) *custRec { return &x.recs[ix/recChunk][ix%recChunk] }

// inlineKey is the longest ID kept inside its record.
const inlineKey = 15

// custRec is exactly 64 bytes (checked by a test).
type custRec struct {
	hash uint64
	klen uint8 // length of an inline key, or longKey
	key  [inlineKey]byte
	st   custState
}

// custState is the per-customer state of the single pass.
type custState struct {
	money       moneyAcc
	first, last int32 // day indices (days since 1970-01-01 in the location)
	days        int32 // distinct days seen in stream order (exact unless disordered)
	disordered  bool  // a day earlier than last arrived after it
}

const longKey = 255

// tagBit is set in every hash so that an index slot is never zero.
const tagBit = 1 << 32

// errTooManyCustomers stops a pass whose dense indices would overflow.
var errTooManyCustomers = errors.New("more than 2^31-1 customers")

// newCustTable returns a table sized for hint customers at an index load of
// at most one half.
func newCustTable(hint int) *custTable {
	x := &custTable{seed: maphash.MakeSeed(), ids: make([]string, 0, hint)}
	size := 1 << 10
	for size < 2*hint {
		size *= 2
	}
	x.rehash(size)
	return x
}

// rehash rebuilds the index at size slots from the records.
func (x *custTable) rehash(size int) {
	x.index = make([]uint64, size)
	x.mask = uint64(size - 1)
	for ix := range int32(x.n) {
		x.place(x.rec(ix).hash, ix)
	}
}

// place puts a slot for hash h and index ix in the first free position.
func (x *custTable) place(h uint64, ix int32) {
	p := h & x.mask
	for x.index[p] != 0 {
		p = (p + 1) & x.mask
	}
	x.index[p] = h&^0xFFFFFFFF | uint64(uint32(ix))
}

// hash returns the table hash of id, with tagBit set.
func (x *custTable) hash(id string) uint64 { return maphash.String(x.seed, id) | tagBit }

// touch loads the index slot of each hash in slots, and the record of each
// item in recs whose index slot (loaded by an earlier touch) carries its
// tag, and returns a value that depends on the loads. The loads are
// independent of each other, so the processor overlaps their cache misses;
// the lookups that follow then find the lines in cache. Go has no prefetch
// instruction, and this is the portable way to get the same memory-level
// parallelism. It is only a hint: a stale slot costs time, not correctness.
func (x *custTable) touch(slots, recs []pending) uint64 {
	var acc uint64
	for i := range max(len(slots), len(recs)) {
		if i < len(slots) {
			acc += x.index[slots[i].h&x.mask]
		}
		if i < len(recs) {
			acc += x.touchRec(recs[i].h)
		}
	}
	return acc
}

// touchRec follows the probe sequence of h to the first slot carrying its
// tag and loads that record. At a load of one half about a third of the
// lookups do not find their key in the home slot, so stopping there would
// leave them a cache miss.
func (x *custTable) touchRec(h uint64) uint64 {
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		v := x.index[p]
		if v == 0 {
			return 0
		}
		if v>>32 == h>>32 {
			return x.rec(int32(uint32(v))).hash
		}
	}
}

// lookup returns the dense index of id (whose hash is h), appending a zero
// record when absent.
func (x *custTable) lookup(id string, h uint64) (ix int32, inserted bool, err error) {
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		v := x.index[p]
		if v == 0 {
			break
		}
		if v>>32 == h>>32 && x.matches(int32(uint32(v)), id) {
			return int32(uint32(v)), false, nil
		}
	}
	if x.n == math.MaxInt32 {
		return 0, false, errTooManyCustomers
	}
	ix = int32(x.n)
	if ix%recChunk == 0 {
		x.recs = append(x.recs, make([]custRec, recChunk))
	}
	r := x.rec(ix)
	r.hash, r.klen = h, longKey
	if len(id) <= inlineKey {
		r.klen = uint8(copy(r.key[:], id))
	}
	x.n++
	if len(x.ids) == cap(x.ids) { // double: append's 1.25 growth copies too often
		x.ids = slices.Grow(x.ids, max(len(x.ids), 1024))
	}
	x.ids = append(x.ids, id)
	if 2*x.n > len(x.index) { // keep the load at most one half
		x.rehash(2 * len(x.index))
	} else {
		x.place(h, ix)
	}
	return ix, true, nil
}

// matches reports whether record ix holds id.
func (x *custTable) matches(ix int32, id string) bool {
	r := x.rec(ix)
	if r.klen == longKey {
		return x.ids[ix] == id
	}
	return int(r.klen) == len(id) && string(r.key[:r.klen]) == id
}

// dayLog is an append-only list of (customer, day) keys kept in fixed-size
// chunks, so growing it never copies what was already written.
type dayLog struct {
	chunks [][]uint64
	cur    []uint64
}

const dayLogChunk = 1 << 16

func (l *dayLog) add(k uint64) {
	if len(l.cur) == cap(l.cur) {
		if l.cur != nil {
			l.chunks = append(l.chunks, l.cur)
		}
		l.cur = make([]uint64, 0, dayLogChunk)
	}
	l.cur = append(l.cur, k)
}

// all yields every key in insertion order.
func (l *dayLog) all(yield func(uint64)) {
	for _, c := range l.chunks {
		for _, k := range c {
			yield(k)
		}
	}
	for _, k := range l.cur {
		yield(k)
	}
}
