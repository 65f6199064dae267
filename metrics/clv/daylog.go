package clv

// custState is the per-customer state of the single pass.
type custState struct {
	money       moneyAcc
	first, last int32 // day indices (days since 1970-01-01 in the location)
	days        int32 // distinct days seen in stream order (exact unless disordered)
	disordered  bool  // a day earlier than last arrived after it
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
