package metrics

import "time"

// periodNumber numbers calendar periods so consecutive periods differ by
// one: months since year 0, days since 1970-01-01, Monday-based weeks
// since the week of 1970-01-01. Numbering by the civil date in loc keeps
// the hot loops of cohort tables free of period arithmetic.
func periodNumber(t time.Time, g Granularity, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	switch g {
	case Month:
		return int64(y)*12 + int64(m) - 1
	case Week:
		return floorDiv(civilDay(y, m, d)+3, 7) // 1970-01-01 was a Thursday
	default:
		return civilDay(y, m, d)
	}
}

// periodByNumber is the inverse of periodNumber.
func periodByNumber(n int64, g Granularity, loc *time.Location) Period {
	var start time.Time
	switch g {
	case Month:
		start = time.Date(int(floorDiv(n, 12)), time.Month(n-12*floorDiv(n, 12)+1), 1, 0, 0, 0, 0, loc)
	case Week:
		y, m, d := time.Unix((7*n-3)*86400, 0).UTC().Date()
		start = time.Date(y, m, d, 0, 0, 0, 0, loc)
	default:
		y, m, d := time.Unix(n*86400, 0).UTC().Date()
		start = time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	return Period{Granularity: g, Start: start, End: advance(start, g, 1)}
}

func civilDay(y int, m time.Month, d int) int64 {
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
