package clv

import "hash/maphash"

// idIndex maps customer IDs to dense indices. It is an open-addressing
// table whose slots hold the hash, the index and, for IDs of up to
// inlineKey bytes, the ID itself: a lookup of a short ID touches one cache
// line instead of chasing the string pointer the way a map[string]int32
// does, which matters when ten million transactions hit a million
// customers in random order. Slots hold no pointers, so the collector never
// scans the table.
type idIndex struct {
	seed  maphash.Seed
	slots []idSlot
	mask  uint64
	n     int
}

const inlineKey = 19

type idSlot struct {
	hash uint64 // 0 marks an empty slot
	ix   int32
	klen uint8 // length of an inline key, or longKey
	key  [inlineKey]byte
}

const longKey = 255

func newIDIndex() *idIndex {
	x := &idIndex{seed: maphash.MakeSeed()}
	x.resize(1 << 10)
	return x
}

func (x *idIndex) resize(size int) {
	old := x.slots
	x.slots = make([]idSlot, size)
	x.mask = uint64(size - 1)
	for i := range old {
		if old[i].hash != 0 {
			p := old[i].hash & x.mask
			for x.slots[p].hash != 0 {
				p = (p + 1) & x.mask
			}
			x.slots[p] = old[i]
		}
	}
}

// lookup returns the index of id, inserting it as next when absent; ids
// holds every inserted ID by index (for the comparison of long IDs).
func (x *idIndex) lookup(id string, next int32, ids []string) (int32, bool) {
	h := maphash.String(x.seed, id) | 1
	p := h & x.mask
	for {
		sl := &x.slots[p]
		if sl.hash == 0 {
			break
		}
		if sl.hash == h {
			if sl.klen == longKey {
				if ids[sl.ix] == id {
					return sl.ix, false
				}
			} else if int(sl.klen) == len(id) && string(sl.key[:sl.klen]) == id {
				return sl.ix, false
			}
		}
		p = (p + 1) & x.mask
	}
	sl := &x.slots[p]
	sl.hash, sl.ix = h, next
	if len(id) <= inlineKey {
		sl.klen = uint8(copy(sl.key[:], id))
	} else {
		sl.klen = longKey
	}
	x.n++
	if 2*x.n > len(x.slots) { // keep the load at most one half
		x.resize(2 * len(x.slots))
	}
	return next, true
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
