package txnfile

// dayCache keeps the date part of the last date parsed and its day
// number. A till export is in time order, so most rows repeat the previous
// row's date and differ only in the time of day: comparing up to 16 bytes
// replaces the date's parsing and the calendar arithmetic, and only the
// time of day is still checked.
type dayCache struct {
	key [16]byte
	n   int // length of the date part in key; 0 when empty
	day int32
}

// parse is parseDay(b, order): the same day or problem for any b.
func (c *dayCache) parse(b []byte, order DateOrder) (int32, string) {
	// The date part parses alike wherever it is followed by its end, a
	// space or a 'T' (the parser stops at a non-digit), so equal bytes
	// there give the cached day.
	if n := c.n; n > 0 && len(b) >= n && string(b[:n]) == string(c.key[:n]) {
		if problem := afterDate(b[n:]); problem != "not a date" {
			if problem != "" {
				return 0, problem
			}
			return c.day, ""
		}
	}
	day, end, problem := parseDate(b, order)
	if problem == "" && end <= len(c.key) {
		c.n = copy(c.key[:], b[:end])
		c.day = day
	}
	return day, problem
}
