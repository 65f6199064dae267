package clv

import "hash/maphash"

// custTable maps customer IDs to their running state. It is an
// open-addressing table whose 64-byte slots hold the hash, the dense index,
// an inline copy of IDs up to inlineKey bytes and the customer's whole
// accumulator, so folding in a transaction of a short ID touches a single
// cache line. With a million customers in random order the summary is
// bound by memory latency, and a map[string]int32 plus a separate state
// slice costs three or four cache misses per transaction instead of one.
// Slots hold no pointers, so the garbage collector never scans the table.
type custTable struct {
	seed  maphash.Seed
	slots []custSlot
	mask  uint64
	n     int
}

const inlineKey = 11

// custSlot is exactly 64 bytes (checked by a test).
type custSlot struct {
	hash uint64 // 0 marks an empty slot
	ix   int32  // dense index in order of first appearance
	klen uint8  // length of an inline key, or longKey
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

// newCustTable returns a table sized for hint customers at a load of at
// most one half.
func newCustTable(hint int) *custTable {
	x := &custTable{seed: maphash.MakeSeed()}
	size := 1 << 10
	for size < 2*hint {
		size *= 2
	}
	x.resize(size)
	return x
}

func (x *custTable) resize(size int) {
	old := x.slots
	x.slots = make([]custSlot, size)
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

// lookup returns the slot of id, inserting a zero state with index next
// when absent; ids holds every inserted ID by index (for comparing long
// IDs). The pointer is valid until the next insertion.
func (x *custTable) lookup(id string, next int32, ids []string) (*custSlot, bool) {
	return x.lookupHashed(id, x.hash(id), next, ids)
}

// hash returns the non-zero table hash of id.
func (x *custTable) hash(id string) uint64 { return maphash.String(x.seed, id) | 1 }

// touch loads the home slot of each hash and returns a value that depends
// on them. The loads are independent, so the processor overlaps their cache
// misses; the lookups that follow then find the lines in cache. Go has no
// prefetch instruction, and this is the portable way to get the same
// memory-level parallelism.
func (x *custTable) touch(hs []uint64) uint64 {
	var acc uint64
	for _, h := range hs {
		acc += x.slots[h&x.mask].hash
	}
	return acc
}

// lookupHashed is lookup with the hash already computed.
func (x *custTable) lookupHashed(id string, h uint64, next int32, ids []string) (*custSlot, bool) {
	p := h & x.mask
	for {
		sl := &x.slots[p]
		if sl.hash == 0 {
			break
		}
		if sl.hash == h {
			if sl.klen == longKey {
				if ids[sl.ix] == id {
					return sl, false
				}
			} else if int(sl.klen) == len(id) && string(sl.key[:sl.klen]) == id {
				return sl, false
			}
		}
		p = (p + 1) & x.mask
	}
	if 2*(x.n+1) > len(x.slots) { // keep the load at most one half
		x.resize(2 * len(x.slots))
		p = h & x.mask
		for x.slots[p].hash != 0 {
			p = (p + 1) & x.mask
		}
	}
	sl := &x.slots[p]
	sl.hash, sl.ix = h, next
	if len(id) <= inlineKey {
		sl.klen = uint8(copy(sl.key[:], id))
	} else {
		sl.klen = longKey
	}
	x.n++
	return sl, true
}

// byIndex returns the slot position of every dense index.
func (x *custTable) byIndex() []int32 {
	pos := make([]int32, x.n)
	for i := range x.slots {
		if x.slots[i].hash != 0 {
			pos[x.slots[i].ix] = int32(i)
		}
	}
	return pos
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
