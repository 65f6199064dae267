package segment

import "hash/maphash"

// custTable is an open-addressing hash table from customer ID to the
// customer's running RFM totals, held in the slot itself. A slot is one
// 64-byte cache line and holds no pointers: IDs of up to 16 bytes sit in
// the slot, so a lookup costs one random memory access (plus reading the
// ID to hash it), where a map[string]int32 into a []Summary costs three,
// and the garbage collector never scans the table. On 10M purchases of
// 1M customers, memory latency is nearly all the cost, so this matters.
// Longer IDs match on hash, length and first 16 bytes and are confirmed
// against ids, one more access.
type custTable struct {
	seed  maphash.Seed
	slots []slot
	mask  uint64
	ids   []string // by order of first appearance
}

// slot holds one customer; hash 0 marks an empty slot.
type slot struct {
	hash      uint64
	key       [16]byte // the ID's first 16 bytes
	keyLen    int32
	order     int32 // index into ids
	first     int64
	last      int64
	monetary  int64
	purchases int64
}

func newCustTable(expected int) *custTable {
	n := 1024
	for n < expected*4/3+1 {
		n <<= 1
	}
	return &custTable{seed: maphash.MakeSeed(), slots: make([]slot, n), mask: uint64(n - 1), ids: make([]string, 0, expected)}
}

// hash returns the table hash of id; never 0, which marks empty slots.
func (t *custTable) hash(id string) uint64 { return maphash.String(t.seed, id) | 1 }

// touch loads the cache line where a probe for hash h starts and returns
// part of it, so that a batch of touches overlaps its memory misses (see
// Summarizer.addBatch); the caller keeps the result so it is not elided.
func (t *custTable) touch(h uint64) uint64 { return t.slots[h&t.mask].hash }

func (t *custTable) matches(s *slot, id string, h uint64) bool {
	if s.hash != h || int(s.keyLen) != len(id) {
		return false
	}
	n := min(len(id), len(s.key))
	if string(s.key[:n]) != id[:n] {
		return false
	}
	return len(id) <= len(s.key) || t.ids[s.order] == id
}

// get returns the slot of id with hash h, adding an empty one if id is
// new.
func (t *custTable) get(id string, h uint64) *slot {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.hash == 0 {
			if (len(t.ids)+1)*4 > len(t.slots)*3 {
				t.grow()
				return t.get(id, h)
			}
			*s = slot{hash: h, keyLen: int32(len(id)), order: int32(len(t.ids))}
			copy(s.key[:], id)
			t.ids = append(t.ids, id)
			return s
		}
		if t.matches(s, id, h) {
			return s
		}
	}
}

// grow doubles the table, re-placing slots by their stored hashes. Old
// slots are read in index order, so the writes land in two nearly
// sequential runs of the new table; the cost that remains is the fresh
// memory itself, which is why NewSummarizer takes a size hint.
func (t *custTable) grow() {
	old := t.slots
	t.slots = make([]slot, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for i := range old {
		if old[i].hash == 0 {
			continue
		}
		j := old[i].hash & t.mask
		for t.slots[j].hash != 0 {
			j = (j + 1) & t.mask
		}
		t.slots[j] = old[i]
	}
}

// summaries returns the totals in order of first appearance.
func (t *custTable) summaries() []Summary {
	out := make([]Summary, len(t.ids))
	for i := range t.slots {
		s := &t.slots[i]
		if s.hash != 0 {
			out[s.order] = Summary{CustomerID: t.ids[s.order], First: s.first, Last: s.last, Purchases: s.purchases, Monetary: s.monetary}
		}
	}
	return out
}
