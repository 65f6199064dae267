package pricing

import "hash/maphash"

// keyKind is the item field a scope key is matched against.
type keyKind uint8

const (
	keySKU keyKind = iota
	keyCategory
	keyBrand
	keyTag
)

// keyTable maps a (field, string) key to a small index: the scope index's
// one table for SKUs, categories, brands and tags, built once per engine
// and read for every item of every basket. Open addressing over a seeded
// hash, at most half full: a lookup hashes the string once and usually
// compares one slot, where a basket's three or four Go map lookups per
// item were a tenth of pricing's time. The seed is random per table, so
// no choice of keys makes lookups slow.
type keyTable struct {
	seed  maphash.Seed
	slots []keySlot // a power of two long
	kinds uint8     // bit k: some key of kind k is held
}

type keySlot struct {
	key  string
	kind keyKind
	val  int32 // the index plus one; zero: an empty slot
}

// newKeyTable holds room for n keys.
func newKeyTable(n int) keyTable {
	size := 8
	for size < 2*n {
		size *= 2
	}
	return keyTable{seed: maphash.MakeSeed(), slots: make([]keySlot, size)}
}

func (t *keyTable) hash(kind keyKind, key string) uint64 {
	return maphash.String(t.seed, key) ^ uint64(kind)*0x9e3779b97f4a7c15
}

// put maps (kind, key) to v ≥ 0; the key must not be held yet, and the
// table must have room (newKeyTable's n).
func (t *keyTable) put(kind keyKind, key string, v int) {
	mask := uint64(len(t.slots) - 1)
	for h := t.hash(kind, key) & mask; ; h = (h + 1) & mask {
		if s := &t.slots[h]; s.val == 0 {
			*s = keySlot{key: key, kind: kind, val: int32(v) + 1}
			t.kinds |= 1 << kind
			return
		}
	}
}

// get returns the index of (kind, key), or −1.
func (t *keyTable) get(kind keyKind, key string) int {
	if t.kinds&(1<<kind) == 0 {
		return -1 // no key of this kind: no string hashed
	}
	mask := uint64(len(t.slots) - 1)
	for h := t.hash(kind, key) & mask; ; h = (h + 1) & mask {
		s := &t.slots[h]
		if s.val == 0 {
			return -1
		}
		if s.kind == kind && s.key == key {
			return int(s.val) - 1
		}
	}
}
