package daterange

import "time"

// The accepted years, inclusive, in UTC.
const (
	// MinYear is the earliest accepted year: 1 January 1850 00:00 UTC is
	// the first accepted instant.
	MinYear = 1850
	// MaxYear is the latest accepted year: the last accepted instant is
	// the end of 31 December 2199 UTC.
	MaxYear = 2199
)

// Problem is the words a validation error uses for a date outside the
// range, so every package says the same thing.
const Problem = "must be between 1850-01-01 and 2199-12-31 (UTC)"

// Contains reports whether t lies within the accepted range, judged in
// UTC. The zero time is outside it: callers that give zero a meaning
// ("now", "not given") check for it first.
func Contains(t time.Time) bool {
	y := t.UTC().Year()
	return y >= MinYear && y <= MaxYear
}

// ContainsYear reports whether a calendar year (of a birthday, say) is
// within the accepted range.
func ContainsYear(year int) bool { return year >= MinYear && year <= MaxYear }
