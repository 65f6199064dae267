package daterange

import (
	"testing"
	"time"
)

func TestContains(t *testing.T) {
	cases := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"zero", time.Time{}, false},
		{"first instant", time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"just before", time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond), false},
		{"legacy placeholder", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"last instant", time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond), true},
		{"just after", time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		// Judged in UTC: 2200-01-01 01:00 in Shanghai is still 2199 in UTC.
		{"zone", time.Date(2200, 1, 1, 1, 0, 0, 0, time.FixedZone("CST", 8*3600)), true},
	}
	for _, c := range cases {
		if got := Contains(c.t); got != c.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", c.name, c.t, got, c.want)
		}
	}
}

func TestContainsYear(t *testing.T) {
	for year, want := range map[int]bool{0: false, MinYear - 1: false, MinYear: true, 1900: true, MaxYear: true, MaxYear + 1: false, 9999: false} {
		if got := ContainsYear(year); got != want {
			t.Errorf("ContainsYear(%d) = %v, want %v", year, got, want)
		}
	}
}
