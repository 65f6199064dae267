package loyalty

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

var errBadFormat = errors.New("loyalty: bad format")

// Date is a calendar day without a time or zone, written "2006-01-02" in
// JSON. The zero Date means unset.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats the date as "2006-01-02".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ParseDate reads "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: date must be YYYY-MM-DD", errBadFormat)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// DateOf returns the local calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

func (d Date) valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Month, d.Year)
}

// compare orders dates.
func (d Date) compare(e Date) int {
	a := d.Year*10000 + int(d.Month)*100 + d.Day
	b := e.Year*10000 + int(e.Month)*100 + e.Day
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalJSON writes "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "2006-01-02".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	// Only the shape is checked here: a day that does not exist
	// (2026-02-30) is reported by validation at its field path.
	v, ok := dateShape(s)
	if !ok {
		return fmt.Errorf("%w: date must be YYYY-MM-DD", errBadFormat)
	}
	*d = v
	return nil
}

// dateShape reads "YYYY-MM-DD" as numbers, whether or not that day exists.
func dateShape(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	num := func(t string) (int, bool) {
		n := 0
		for _, c := range t {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	return Date{y, time.Month(m), d}, ok1 && ok2 && ok3
}

// Weekday is a day of the week, written "mon" ... "sun" in JSON.
type Weekday time.Weekday

var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// String returns "mon" ... "sun".
func (w Weekday) String() string {
	if w < 0 || int(w) >= len(weekdayNames) {
		return fmt.Sprintf("Weekday(%d)", int(w))
	}
	return weekdayNames[w]
}

// MarshalJSON writes the short name.
func (w Weekday) MarshalJSON() ([]byte, error) {
	if w < 0 || int(w) >= len(weekdayNames) {
		return nil, fmt.Errorf("%w: weekday out of range", errBadFormat)
	}
	return json.Marshal(w.String())
}

// UnmarshalJSON reads "mon" ... "sun".
func (w *Weekday) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	for i, n := range weekdayNames {
		if n == s {
			*w = Weekday(i)
			return nil
		}
	}
	return fmt.Errorf("%w: weekday must be one of mon, tue, wed, thu, fri, sat, sun", errBadFormat)
}

// HourRange is a local time-of-day range [From, To), written
// {"from":"09:00","to":"12:00"}. To "24:00" means the end of the day; a
// range with To before From wraps past midnight.
type HourRange struct {
	From Clock `json:"from"`
	To   Clock `json:"to"`
}

func (h HourRange) contains(minute int) bool {
	f, t := int(h.From), int(h.To)
	if f <= t {
		return minute >= f && minute < t
	}
	return minute >= f || minute < t
}

// Clock is a time of day in minutes after midnight (0 to 1440), written
// "15:04" in JSON.
type Clock int

// String formats "15:04".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalJSON writes "15:04".
func (c Clock) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads "15:04" (and "24:00").
func (c *Clock) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return fmt.Errorf("%w: time of day must be HH:MM", errBadFormat)
	}
	for i, ch := range []byte(s) {
		if i == 2 {
			continue
		}
		if ch < '0' || ch > '9' {
			return fmt.Errorf("%w: time of day must be HH:MM", errBadFormat)
		}
	}
	h = int(s[0]-'0')*10 + int(s[1]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return fmt.Errorf("%w: time of day out of range", errBadFormat)
	}
	*c = Clock(h*60 + m)
	return nil
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
