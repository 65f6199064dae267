package pricing

import "unsafe"

// lineCapacity is the capacity a Result's n lines are allocated with. Go
// allocates an object of 8, 16 or 24 KiB (with its 8-byte header) alone
// in a span of its size, so each such allocation takes a span from the
// heap under its lock and the sweeper gives it back each cycle; a 50-line
// basket's 8,008 bytes were that, about a twentieth of pricing's time.
// A few lines of spare capacity move such a slice into the next size
// class, which packs several objects per span (9,472 bytes: 6 in 56 KiB).
// Other sizes are left as they are. The table holds the runtime's size
// classes of go1.26 around those three; were they to change, a capacity
// would only be larger than it needs to be.
func lineCapacity(n int) int {
	const size = int(unsafe.Sizeof(Line{}))
	bytes := n*size + 8 // the header of an object with pointers
	for _, c := range [...]struct{ below, alone, next int }{
		{6912, 8192, 9472}, {14336, 16384, 18432}, {21760, 24576, 27264},
	} {
		if c.below < bytes && bytes <= c.alone {
			return (c.next - 8) / size
		}
	}
	return n
}
