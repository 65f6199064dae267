package txnfile

import "strings"

// idArena holds the customer IDs of a table being read: their bytes back
// to back in chunks, and where each ends, 8 bytes a customer beside its
// bytes, where a []string grown by append holds a 16-byte header a
// customer (and up to as much again in the capacity it grew into) and an
// allocation per ID. The strings are made once, when the table is done:
// one string of all the bytes and a substring of it per ID, in a slice of
// the exact length.
//
// Both the bytes and the ends are kept in fixed-size chunks rather than
// slices grown by append: append grows a large slice by a quarter at a
// time, each growth copying into a new array and leaving the old one as
// garbage, which came to about four times the final size allocated (130
// MB for the two readers of a million customers' IDs), all of it
// counting towards the heap the collector lets grow before it runs.
type idArena struct {
	data [][]byte   // chunks of arenaChunk bytes (one ID's length for a longer ID), filled in order
	ends [][]uint64 // ID i ends at ends[i>>endsBits][i&endsMask]: its chunk<<32 | its end in the chunk
	n    int
}

const (
	arenaChunk = 64 << 10
	endsBits   = 13 // 8,192 ends, 64 KiB, a chunk
	endsMask   = 1<<endsBits - 1
)

func (a *idArena) len() int { return a.n }

func (a *idArena) end(i int) uint64 { return a.ends[i>>endsBits][i&endsMask] }

// get returns ID i's bytes: from the previous ID's end, or from the start
// of its chunk when the previous ID is in an earlier one (an ID is never
// split between chunks).
func (a *idArena) get(i int32) []byte {
	e := a.end(int(i))
	lo := uint64(0)
	if i > 0 {
		if p := a.end(int(i) - 1); p>>32 == e>>32 {
			lo = p & (1<<32 - 1)
		}
	}
	return a.data[e>>32][lo : e&(1<<32-1)]
}

// add appends an ID (not empty).
func (a *idArena) add(id []byte) {
	last := len(a.data) - 1
	if last < 0 || len(a.data[last])+len(id) > cap(a.data[last]) {
		a.data = append(a.data, make([]byte, 0, max(arenaChunk, len(id))))
		last++
	}
	a.data[last] = append(a.data[last], id...)
	if a.n&endsMask == 0 {
		a.ends = append(a.ends, make([]uint64, 1<<endsBits))
	}
	a.ends[a.n>>endsBits][a.n&endsMask] = uint64(last)<<32 | uint64(len(a.data[last]))
	a.n++
}

// strings returns the IDs as strings.
func (a *idArena) strings() []string {
	size := 0
	for _, c := range a.data {
		size += len(c)
	}
	var b strings.Builder
	b.Grow(size)
	base := make([]int, len(a.data)) // where each chunk starts in all
	for k, c := range a.data {
		base[k] = b.Len()
		b.Write(c)
	}
	all := b.String()
	out := make([]string, a.n)
	for i := range out {
		e := a.end(i)
		lo := 0
		if i > 0 {
			if p := a.end(i - 1); p>>32 == e>>32 {
				lo = int(p & (1<<32 - 1))
			}
		}
		k := int(e >> 32)
		out[i] = all[base[k]+lo : base[k]+int(e&(1<<32-1))]
	}
	return out
}
