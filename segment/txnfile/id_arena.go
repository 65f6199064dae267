package txnfile

// idArena holds the customer IDs of a table being read: their bytes back
// to back and where each ends, 8 bytes a customer beside its bytes, where
// a []string grown by append holds a 16-byte header a customer (and up to
// as much again in the capacity it doubled into) and an allocation per
// ID. The strings are made once, when the table is done: one string of
// all the bytes and a substring of it per ID, in a slice of the exact
// length.
type idArena struct {
	data []byte
	ends []int // ID i is data[ends[i-1]:ends[i]]
}

func (a *idArena) len() int { return len(a.ends) }

// get returns ID i's bytes, valid until the next add.
func (a *idArena) get(i int32) []byte {
	lo := 0
	if i > 0 {
		lo = a.ends[i-1]
	}
	return a.data[lo:a.ends[i]]
}

func (a *idArena) add(id []byte) {
	a.data = append(a.data, id...)
	a.ends = append(a.ends, len(a.data))
}

// strings returns the IDs as strings.
func (a *idArena) strings() []string {
	all := string(a.data)
	out := make([]string, len(a.ends))
	lo := 0
	for i, hi := range a.ends {
		out[i] = all[lo:hi]
		lo = hi
	}
	return out
}
