package txnfile

import (
	"hash/maphash"
	"math"
	"math/bits"
)

// interner maps customer IDs to dense indices. It is a Go map's job, but
// at a million customers a map lookup costs two or three cache misses
// (its control word, the key's string header, the key's bytes), and in a
// profile of ReadTable on such a file it took half the time. Here a slot
// holds the hash tag, the index and the key itself when it is short (15
// bytes covers member numbers, phone numbers and UUIDs without dashes),
// so a lookup is one miss; longer keys are compared with the stored ID.
//
// A slot's home is the top bits of its tag, so growing the table moves
// slots by their tags alone: no ID is hashed again or even read (at a
// million customers the growths re-hashed two million IDs, a cache miss
// each).
type interner struct {
	seed  maphash.Seed
	slots []islot // open addressing, linear probing, load at most 1/2
	mask  uint64
	shift uint // a tag's home slot is tag >> shift
	n     int
}

// islot is one slot: 24 bytes, so a cache line holds most of a probe.
type islot struct {
	tag  uint32 // high bits of the hash with the low bit set; 0 marks an empty slot
	idx  int32
	klen uint8 // key length, or longKey when the key is not inline
	key  [15]byte
}

const longKey = math.MaxUint8

// maxSlots bounds the table: the home is taken from the tag's top 31 bits.
// Past 2^30 IDs the load may exceed 1/2 (probing still finds every ID).
const maxSlots = 1 << 31

func newInterner(hint int) *interner {
	in := &interner{seed: maphash.MakeSeed()}
	size := 1 << 10
	for size < 2*hint && size < maxSlots {
		size *= 2
	}
	in.setSize(size)
	return in
}

func (in *interner) setSize(size int) {
	in.slots, in.mask = make([]islot, size), uint64(size-1)
	in.shift = uint(32 - bits.Len(uint(size-1)))
}

// home is the first slot probed for hash h.
func (in *interner) home(h uint64) uint64 { return uint64(tagOf(h) >> in.shift) }

func tagOf(h uint64) uint32 { return uint32(h>>32) | 1 }

// find returns the index of key among ids, or -1 and the slot where it
// would go; and key's hash, for insert.
func find[K string | []byte](in *interner, key K, ids []string) (int32, uint64, uint64) {
	var h uint64
	switch k := any(key).(type) {
	case string:
		h = maphash.String(in.seed, k)
	case []byte:
		h = maphash.Bytes(in.seed, k)
	}
	ix, p := findHashed(in, h, key, ids)
	return ix, p, h
}

// touch loads the home slot of hash h: a hint that brings its cache line
// in while other loads are in flight.
func (in *interner) touch(h uint64) uint32 { return in.slots[in.home(h)].tag }

// findHashed is find with the key's hash already computed.
func findHashed[K string | []byte](in *interner, h uint64, key K, ids []string) (int32, uint64) {
	tag := tagOf(h)
	for p := in.home(h); ; p = (p + 1) & in.mask {
		s := &in.slots[p]
		if s.tag == 0 {
			return -1, p
		}
		if s.tag != tag {
			continue
		}
		if s.klen == longKey {
			if ids[s.idx] == string(key) {
				return s.idx, p
			}
		} else if int(s.klen) == len(key) && string(s.key[:s.klen]) == string(key) {
			return s.idx, p
		}
	}
}

// insert puts id, the index-th ID, of hash h, in slot p that find
// returned, growing the table past half full.
func (in *interner) insert(p, h uint64, id string, index int32) {
	in.place(p, tagOf(h), id, index)
	in.n++
	if 2*in.n > len(in.slots) && len(in.slots) < maxSlots {
		old := in.slots
		in.setSize(2 * len(old))
		for i := range old {
			if old[i].tag == 0 {
				continue
			}
			q := uint64(old[i].tag >> in.shift)
			for in.slots[q].tag != 0 {
				q = (q + 1) & in.mask
			}
			in.slots[q] = old[i]
		}
	}
}

func (in *interner) place(p uint64, tag uint32, id string, index int32) {
	s := &in.slots[p]
	s.tag, s.idx, s.klen = tag, index, longKey
	if len(id) <= len(s.key) {
		s.klen = uint8(copy(s.key[:], id))
	}
}
