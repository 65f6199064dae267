package txnfile

import "math"

// The field parsers below are the reason the package exists: at ten
// million rows, time.Parse and decimal.NewFromString per row cost more
// than the analysis they feed. Each returns a problem in words, or "".

// parseDay returns the day number (days since 1970-01-01) of the calendar
// date at the start of b, in the given order, and checks any time of day
// that follows.
func parseDay(b []byte, order DateOrder) (int32, string) {
	day, _, problem := parseDate(b, order)
	return day, problem
}

// parseDate is parseDay that also returns the length of the date part,
// where a time of day may follow.
func parseDate(b []byte, order DateOrder) (int32, int, string) {
	var parts [3]int
	var widths [3]int
	i := 0
	var sep byte
	for p := range 3 {
		start := i
		v := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' && i-start < 4 {
			v = v*10 + int(b[i]-'0')
			i++
		}
		if i == start {
			return 0, 0, "not a date"
		}
		parts[p], widths[p] = v, i-start
		if p == 2 {
			break
		}
		if i >= len(b) || (b[i] != '-' && b[i] != '/' && b[i] != '.') || (sep != 0 && b[i] != sep) {
			return 0, 0, "not a date"
		}
		sep = b[i]
		i++
	}
	var y, m, d, yw int
	switch order {
	case YMD:
		y, m, d, yw = parts[0], parts[1], parts[2], widths[0]
		if widths[1] > 2 || widths[2] > 2 {
			return 0, 0, "not a date"
		}
	case DMY:
		d, m, y, yw = parts[0], parts[1], parts[2], widths[2]
		if widths[0] > 2 || widths[1] > 2 {
			return 0, 0, "not a date"
		}
	default:
		m, d, y, yw = parts[0], parts[1], parts[2], widths[2]
		if widths[0] > 2 || widths[1] > 2 {
			return 0, 0, "not a date"
		}
	}
	if yw != 4 {
		return 0, 0, "year must have four digits"
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, "no such date"
	}
	if problem := afterDate(b[i:]); problem != "" {
		return 0, 0, problem
	}
	return daysFromCivil(y, m, d), i, ""
}

// afterDate checks what follows a date: nothing, or a time of day after a
// space or a 'T'.
func afterDate(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if b[0] != ' ' && b[0] != 'T' {
		return "not a date"
	}
	if !timeOfDay(b[1:]) {
		return "bad time of day after the date"
	}
	return ""
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is Howard Hinnant's days_from_civil: the proleptic
// Gregorian date as days since 1970-01-01. Years here are 0..9999, so
// the result fits an int32.
func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// timeOfDay checks HH:MM[:SS[.fraction]] with an optional zone (Z, ±HH,
// ±HH:MM or ±HHMM).
func timeOfDay(b []byte) bool {
	two := func(lim int) bool {
		if len(b) < 2 || !digit(b[0]) || !digit(b[1]) || int(b[0]-'0')*10+int(b[1]-'0') > lim {
			return false
		}
		b = b[2:]
		return true
	}
	if !two(23) || len(b) == 0 || b[0] != ':' {
		return false
	}
	b = b[1:]
	if !two(59) {
		return false
	}
	if len(b) > 0 && b[0] == ':' {
		b = b[1:]
		if !two(60) { // a leap second is a valid time stamp
			return false
		}
		if len(b) > 0 && b[0] == '.' {
			b = b[1:]
			n := 0
			for n < len(b) && digit(b[n]) {
				n++
			}
			if n == 0 {
				return false
			}
			b = b[n:]
		}
	}
	switch {
	case len(b) == 0:
		return true
	case len(b) == 1 && b[0] == 'Z':
		return true
	case b[0] == '+' || b[0] == '-':
		b = b[1:]
		if !two(23) {
			return false
		}
		if len(b) > 0 && b[0] == ':' {
			b = b[1:]
		}
		return len(b) == 0 || (two(59) && len(b) == 0)
	}
	return false
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// parseMinor returns the amount in b as an integer of minor units at
// places decimals, exactly.
func parseMinor(b []byte, places int, mark byte) (int64, string) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	var v uint64
	const limit = math.MaxInt64 // magnitudes up to MaxInt64 (and -MaxInt64)
	digits, frac := 0, -1
	for _, c := range b {
		switch {
		case digit(c):
			digits++
			if frac >= 0 {
				if frac == places {
					if c != '0' {
						return 0, "more decimals than the minor unit has"
					}
					continue
				}
				frac++
			}
			if v > (limit-uint64(c-'0'))/10 {
				return 0, "amount out of range"
			}
			v = v*10 + uint64(c-'0')
		case c == mark && frac < 0:
			frac = 0
		default:
			return 0, "not an amount"
		}
	}
	if digits == 0 {
		return 0, "not an amount"
	}
	for range places - max(frac, 0) {
		if v > limit/10 {
			return 0, "amount out of range"
		}
		v *= 10
	}
	if neg {
		return -int64(v), ""
	}
	return int64(v), ""
}
