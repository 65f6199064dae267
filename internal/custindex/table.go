package custindex

import (
	"errors"
	"hash/maphash"
	"math"
	"slices"
)

// InlineKey is the longest ID a record holds itself; longer IDs are
// compared against the caller's string, one more memory access.
const InlineKey = 15

// ErrFull reports a table that already holds 2^31-1 customers.
var ErrFull = errors.New("more than 2^31-1 customers")

// Table maps customer IDs to records of type R, created zero on first
// sight. The zero value is not usable; call New.
type Table[R any] struct {
	seed   maphash.Seed
	index  []uint64 // tag<<32 | position; 0 marks an empty slot
	mask   uint64
	chunks [][]record[R]
	n      int
	ids    []string // by position
}

// record is the stored form of one customer: its hash (to rehash without
// reading the ID), an inline copy of short IDs and the caller's record.
// With a 40-byte R it is one 64-byte cache line.
type record[R any] struct {
	hash uint64
	klen uint8 // length of an inline key, or longKey
	key  [InlineKey]byte
	r    R
}

const longKey = 255

// chunkLen records make a chunk: growing the table appends a chunk and
// never copies the records already written.
const chunkLen = 1 << 14

// tagBit is set in every hash, so an index slot is never zero.
const tagBit = 1 << 32

// New returns a table sized for hint customers (0 if unknown) at an index
// load of at most one half; it grows past the hint as needed.
func New[R any](hint int) *Table[R] {
	hint = max(0, min(hint, math.MaxInt32))
	t := &Table[R]{seed: maphash.MakeSeed(), ids: make([]string, 0, hint)}
	size := 1 << 10
	for size < 2*hint {
		size *= 2
	}
	t.rehash(size)
	return t
}

// Hash returns the table's hash of id, which Lookup and Pipeline take.
func (t *Table[R]) Hash(id string) uint64 { return maphash.String(t.seed, id) | tagBit }

// Len returns the number of customers.
func (t *Table[R]) Len() int { return t.n }

// ID returns the ID of the customer at position i.
func (t *Table[R]) ID(i int) string { return t.ids[i] }

// At returns the record at position i (0 <= i < Len), in order of first
// appearance. The pointer stays valid as the table grows.
func (t *Table[R]) At(i int) *R { return &t.rec(i).r }

func (t *Table[R]) rec(i int) *record[R] { return &t.chunks[i/chunkLen][i%chunkLen] }

// Lookup returns the position of id, whose hash h came from Hash, adding a
// zero record when id is new. Callers refuse empty IDs before they get
// here; the table itself treats "" as any other key.
func (t *Table[R]) Lookup(id string, h uint64) (pos int, added bool, err error) {
	for p := h & t.mask; ; p = (p + 1) & t.mask {
		v := t.index[p]
		if v == 0 {
			break
		}
		if v>>32 == h>>32 && t.holds(int(uint32(v)), id) {
			return int(uint32(v)), false, nil
		}
	}
	if t.n == math.MaxInt32 {
		return 0, false, ErrFull
	}
	pos = t.n
	if pos%chunkLen == 0 {
		t.chunks = append(t.chunks, make([]record[R], chunkLen))
	}
	r := t.rec(pos)
	r.hash, r.klen = h, longKey
	if len(id) <= InlineKey {
		r.klen = uint8(copy(r.key[:], id))
	}
	t.n++
	if len(t.ids) == cap(t.ids) { // double: append's 1.25 growth copies too often
		t.ids = slices.Grow(t.ids, max(len(t.ids), 1024))
	}
	t.ids = append(t.ids, id)
	if 2*t.n > len(t.index) { // keep the load at most one half
		t.rehash(2 * len(t.index))
	} else {
		t.place(h, pos)
	}
	return pos, true, nil
}

// holds reports whether the record at pos is id's.
func (t *Table[R]) holds(pos int, id string) bool {
	r := t.rec(pos)
	if r.klen == longKey {
		return t.ids[pos] == id
	}
	return int(r.klen) == len(id) && string(r.key[:r.klen]) == id
}

// rehash rebuilds the index at size slots from the records, read in order.
func (t *Table[R]) rehash(size int) {
	t.index = make([]uint64, size)
	t.mask = uint64(size - 1)
	for pos := range t.n {
		t.place(t.rec(pos).hash, pos)
	}
}

// place puts the slot of hash h and position pos in the first free slot
// of its probe sequence.
func (t *Table[R]) place(h uint64, pos int) {
	p := h & t.mask
	for t.index[p] != 0 {
		p = (p + 1) & t.mask
	}
	t.index[p] = h&^math.MaxUint32 | uint64(uint32(pos))
}

// touchSlot loads the home index slot of h.
func (t *Table[R]) touchSlot(h uint64) uint64 { return t.index[h&t.mask] }

// touchRecord follows the probe sequence of h to the first slot carrying
// its tag and loads that record. At a load of one half about a third of
// lookups do not find their key in the home slot, so stopping there would
// leave them a cache miss.
func (t *Table[R]) touchRecord(h uint64) uint64 {
	for p := h & t.mask; ; p = (p + 1) & t.mask {
		v := t.index[p]
		if v == 0 {
			return 0
		}
		if v>>32 == h>>32 {
			return t.rec(int(uint32(v))).hash
		}
	}
}
