package feedback_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/feedback"
)

// FuzzCalendar builds a calendar from the input (a zone with DST, up to
// two windows a weekday, one holiday) and checks the clock's laws: Between
// undoes Add, Add is monotonic, and a deadline with a pause leaves exactly
// the target of unpaused business time.
func FuzzCalendar(f *testing.F) {
	f.Add([]byte{9, 0, 12, 0, 13, 0, 18, 0}, int64(1773000000), int64(4*3600), int64(7200), int64(90000), uint8(0))
	f.Add([]byte{1, 0, 2, 30, 2, 30, 4, 0}, int64(1772934000), int64(3*3600), int64(600), int64(3600), uint8(1))
	f.Add([]byte{0, 0, 24, 0}, int64(1793509200), int64(25*3600), int64(0), int64(1), uint8(2))
	zones := []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Shanghai"}
	f.Fuzz(func(t *testing.T, hours []byte, startUnix, dSec, pauseOff, pauseLen int64, zone uint8) {
		loc, err := time.LoadLocation(zones[int(zone)%len(zones)])
		if err != nil {
			t.Skip(err)
		}
		var spans []feedback.Span
		for i := 0; i+3 < len(hours) && len(spans) < 2; i += 4 {
			a := feedback.ClockTime(int(hours[i])%25*60 + int(hours[i+1])%60)
			b := feedback.ClockTime(int(hours[i+2])%25*60 + int(hours[i+3])%60)
			spans = append(spans, feedback.Span{Start: min(a, 1440), End: min(b, 1440)})
		}
		c := feedback.Calendar{Location: loc, Exceptions: map[feedback.Date][]feedback.Span{}}
		for wd := range c.Week {
			if wd != int(time.Sunday) {
				c.Week[wd] = spans
			}
		}
		if c.Validate() != nil {
			return
		}
		start := time.Unix(1735689600+startUnix%(5*365*86400+1), 0) // 2025-2029
		c.Exceptions[feedback.DateOf(start, loc).AddDays(1)] = nil
		d := time.Duration(dSec%(200*3600)) * time.Second
		if d < 0 {
			d = -d
		}
		due, err := c.Add(start, d)
		if err != nil {
			t.Fatalf("Add(%s, %s): %v", start, d, err)
		}
		if got := c.Between(start, due); got != d {
			t.Fatalf("Between(%s, Add(.., %s) = %s) = %s", start, d, due, got)
		}
		if due.Before(start) {
			t.Fatalf("Add went back in time: %s -> %s", start, due)
		}
		later, err := c.Add(start, d+time.Minute)
		if err != nil || later.Before(due) {
			t.Fatalf("Add is not monotonic: %s then %s (%v)", due, later, err)
		}
		p := feedback.Interval{Start: start.Add(time.Duration(pauseOff%(100*3600)) * time.Second)}
		p.End = p.Start.Add(time.Duration(pauseLen%(100*3600)) * time.Second)
		if p.End.Before(p.Start) {
			p.Start, p.End = p.End, p.Start
		}
		dl, suspended, err := c.Deadline(start, d, []feedback.Interval{p})
		if err != nil || suspended {
			t.Fatalf("Deadline: %v %v", err, suspended)
		}
		if got := c.BetweenExcluding(start, dl, []feedback.Interval{p}); got != d {
			t.Fatalf("net business time to the deadline %s is %s, want %s (pause %v)", dl, got, d, p)
		}
	})
}
