package segment

import "hash/maphash"

// custTable is an open-addressing hash table from customer ID to the
// customer's running RFM totals, stored in the slot itself. A slot is one
// 64-byte cache line, so folding a Txn costs one random memory access
// (plus reading the ID to hash it), where a map[string]int32 into a
// []Summary costs three: the map's control word, its key slot and the
// summary. On 10M purchases of 1M customers that is the difference that
// matters.
type custTable struct {
	seed  maphash.Seed
	slots []slot
	mask  uint64
	used  int
}

// slot holds one customer; hash 0 marks an empty slot.
type slot struct {
	hash      uint64
	id        string
	first     int64
	last      int64
	purchases int64
	monetary  int64
	order     int32 // position of the customer's first Txn among customers
	_         int32
}

func newCustTable(expected int) *custTable {
	n := 1024
	for n < expected*4/3+1 {
		n <<= 1
	}
	return &custTable{seed: maphash.MakeSeed(), slots: make([]slot, n), mask: uint64(n - 1)}
}

// get returns the slot of id, adding an empty one if id is new.
func (t *custTable) get(id string) *slot {
	h := maphash.String(t.seed, id) | 1
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.hash == h && s.id == id {
			return s
		}
		if s.hash == 0 {
			if (t.used+1)*4 > len(t.slots)*3 {
				t.grow()
				return t.get(id)
			}
			*s = slot{hash: h, id: id, order: int32(t.used)}
			t.used++
			return s
		}
	}
}

// grow doubles the table, re-placing slots by their stored hashes.
func (t *custTable) grow() {
	old := t.slots
	t.slots = make([]slot, 2*len(old))
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.hash == 0 {
			continue
		}
		i := s.hash & t.mask
		for t.slots[i].hash != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = s
	}
}

// summaries returns the totals in order of first appearance.
func (t *custTable) summaries() []Summary {
	out := make([]Summary, t.used)
	for _, s := range t.slots {
		if s.hash != 0 {
			out[s.order] = Summary{CustomerID: s.id, First: s.first, Last: s.last, Purchases: s.purchases, Monetary: s.monetary}
		}
	}
	return out
}
