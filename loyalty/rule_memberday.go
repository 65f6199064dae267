package loyalty

import (
	"fmt"
	"time"
)

// MemberDays is a shop's recurring member day (会员日): the days of each
// month on which a rule applies, by day of the month or by a weekday's
// place in it. A date is a member day when any listed day or weekday
// matches, read in the programme's zone.
type MemberDays struct {
	// MonthDays are days of the month, 1 to 31, or counted from the end:
	// -1 is the last day, -2 the day before. A day the month lacks (the
	// 31st in April) does not occur that month; use -1 for "the last day".
	MonthDays []int `json:"monthDays,omitempty"`
	// Weekdays are weekdays by their place in the month: the first
	// Wednesday, the last Friday.
	Weekdays []NthWeekday `json:"weekdays,omitempty"`
}

// NthWeekday is the N-th given weekday of a month: N is 1 to 5 counted
// from the start, or -1 to -5 from the end (-1 is the last). A fifth
// weekday the month lacks does not occur that month.
type NthWeekday struct {
	N       int     `json:"n"`
	Weekday Weekday `json:"weekday"`
}

// String writes "last fri", "1st wed".
func (w NthWeekday) String() string {
	if w.N == -1 {
		return "last " + w.Weekday.String()
	}
	return fmt.Sprintf("%d %s", w.N, w.Weekday)
}

// IsZero reports whether no day is listed.
func (m MemberDays) IsZero() bool { return len(m.MonthDays) == 0 && len(m.Weekdays) == 0 }

// Contains reports whether d is a member day.
func (m MemberDays) Contains(d Date) bool {
	last := daysIn(d.Month, d.Year)
	for _, n := range m.MonthDays {
		if n == d.Day || (n < 0 && last+1+n == d.Day) {
			return true
		}
	}
	if len(m.Weekdays) == 0 {
		return false
	}
	wd := Weekday(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday())
	fromStart := (d.Day-1)/7 + 1
	fromEnd := -((last-d.Day)/7 + 1)
	for _, w := range m.Weekdays {
		if w.Weekday == wd && (w.N == fromStart || w.N == fromEnd) {
			return true
		}
	}
	return false
}

// Next returns the first member day on or after from, and false when none
// falls within the following 366 days (no day listed, or only days no
// month has).
func (m MemberDays) Next(from Date) (Date, bool) {
	for i := 0; i <= 366; i++ {
		if d := from.addDays(i); m.Contains(d) {
			return d, true
		}
	}
	return Date{}, false
}

func (m MemberDays) validate(fe *fieldErrors, path string) {
	if len(m.MonthDays)+len(m.Weekdays) > 62 {
		fe.add(path, "at most 62 days")
	}
	for i, n := range m.MonthDays {
		if n == 0 || n < -31 || n > 31 {
			fe.add(fmt.Sprintf("%s.monthDays[%d]", path, i), "must be 1 to 31, or -1 (the last day) to -31")
		}
	}
	for i, w := range m.Weekdays {
		p := fmt.Sprintf("%s.weekdays[%d]", path, i)
		if w.N == 0 || w.N < -5 || w.N > 5 {
			fe.add(p+".n", "must be 1 to 5, or -1 (the last) to -5")
		}
		if w.Weekday < 0 || w.Weekday > 6 {
			fe.add(p+".weekday", "weekday out of range")
		}
	}
}
