package txnfile

import (
	"testing"
	"time"
)

// TestDayNumbers checks DayOf and Date against the time package for
// every day of years 0 to 9999.
func TestDayNumbers(t *testing.T) {
	start := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	first := int32(start.Unix() / 86400)
	if start.Unix()%86400 != 0 {
		first--
	}
	for d := first; ; d++ {
		tm := time.Unix(int64(d)*86400, 0).UTC()
		if tm.Year() > 9999 {
			break
		}
		y, m, md := Date(d)
		if y != tm.Year() || m != tm.Month() || md != tm.Day() {
			t.Fatalf("Date(%d) = %d-%d-%d, time says %s", d, y, m, md, tm)
		}
		if got := DayOf(y, m, md); got != d {
			t.Fatalf("DayOf(%d, %d, %d) = %d, want %d", y, m, md, got, d)
		}
	}
}
