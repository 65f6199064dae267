package txnfile

import (
	"hash/maphash"
	"math/bits"
)

// interner maps customer IDs to dense indices. It is a Go map's job, but
// at a million customers a map lookup costs two or three cache misses
// (its control word, the key's string header, the key's bytes), and in a
// profile of ReadTable on such a file it took half the time. Here a slot
// holds the hash tag, the index and the key itself when it fits in eight
// bytes (see inlineKey: IDs of up to 8 bytes, and numbers of up to 18
// digits such as card and phone numbers), so a lookup is one miss; other
// keys are compared with the stored ID.
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

// islot is one slot: 16 bytes, four to a cache line (32 MB at a million
// IDs; 24-byte slots with 15 bytes inline took 48 MB a reader, which
// ReadTableAt holds once per worker while it reads).
type islot struct {
	tag uint32 // high bits of the hash and the key's kind (inlineKey); 0 marks an empty slot
	idx int32
	key uint64 // the key when it is inline
}

// inlineKey returns the low bits of a key's tag, which say how the key is
// held, and the key as a slot holds it: a key of 1 to 8 bytes as its
// bytes (kind = its length); a key of 9 to 18 decimal digits as its value
// with its length in the top 4 bits (kind numericKey: 10^18 < 2^60, and
// the length keeps leading zeros apart); any other key not at all
// (longKey), to be compared with the stored ID.
func inlineKey[K string | []byte](key K) (kind uint32, word uint64) {
	n := len(key)
	if n >= 1 && n <= 8 {
		for i := n - 1; i >= 0; i-- {
			word = word<<8 | uint64(key[i])
		}
		return uint32(n), word
	}
	if n < 9 || n > 18 {
		return longKey, 0
	}
	for i := range n {
		c := key[i]
		if c < '0' || c > '9' {
			return longKey, 0
		}
		word = word*10 + uint64(c-'0')
	}
	return numericKey, word | uint64(n-9)<<60
}

const (
	numericKey = 9
	longKey    = 15
	kindBits   = 0xf
)

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

// home is the first slot probed for a key of tag tag.
func (in *interner) home(tag uint32) uint64 { return uint64(tag >> in.shift) }

// tagOf is the tag of a key of the given kind and hash h.
func tagOf(h uint64, kind uint32) uint32 { return uint32(h>>32)&^kindBits | kind }

// find returns the index of key among the IDs (ids, or arena when it is
// not nil), or -1 and the slot where it would go; and key's hash, for
// insert.
func find[K string | []byte](in *interner, key K, ids []string, arena *idArena) (int32, uint64, uint64) {
	var h uint64
	switch k := any(key).(type) {
	case string:
		h = maphash.String(in.seed, k)
	case []byte:
		h = maphash.Bytes(in.seed, k)
	}
	ix, p := findHashed(in, h, key, ids, arena)
	return ix, p, h
}

// touch loads the home slot of hash h: a hint that brings its cache line
// in while other loads are in flight.
// (The kind bits of the tag are not known here; below 2^28 slots the
// shift drops them anyway.)
func (in *interner) touch(h uint64) uint32 { return in.slots[in.home(uint32(h>>32))].tag }

// findHashed is find with the key's hash already computed.
func findHashed[K string | []byte](in *interner, h uint64, key K, ids []string, arena *idArena) (int32, uint64) {
	kind, word := inlineKey(key)
	tag := tagOf(h, kind)
	for p := in.home(tag); ; p = (p + 1) & in.mask {
		s := &in.slots[p]
		if s.tag == 0 {
			return -1, p
		}
		if s.tag != tag {
			continue
		}
		if kind != longKey {
			if s.key == word {
				return s.idx, p
			}
		} else if arena != nil && string(arena.get(s.idx)) == string(key) || arena == nil && ids[s.idx] == string(key) {
			return s.idx, p
		}
	}
}

// insert puts id, the index-th ID, of hash h, in slot p that find
// returned, growing the table past half full.
func insert[K string | []byte](in *interner, p, h uint64, id K, index int32) {
	kind, word := inlineKey(id)
	in.slots[p] = islot{tag: tagOf(h, kind), idx: index, key: word}
	in.n++
	if 2*in.n > len(in.slots) && len(in.slots) < maxSlots {
		old := in.slots
		in.setSize(2 * len(old))
		for i := range old {
			if old[i].tag == 0 {
				continue
			}
			q := in.home(old[i].tag)
			for in.slots[q].tag != 0 {
				q = (q + 1) & in.mask
			}
			in.slots[q] = old[i]
		}
	}
}
