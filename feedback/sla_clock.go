package feedback

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file holds the business-hours calendar the SLA clock runs on. It is
// pure: every function takes the instants it works on, and the calendar's
// own *time.Location decides what "09:00 on Monday" means.
//
// Opening hours are wall-clock times; business time is measured in real
// elapsed time between the instants those wall-clock times denote. On a
// day when clocks go forward an hour inside opening hours, that day has an
// hour less of business time, and on the day they go back an hour more:
// the SLA clock counts the time staff actually had.

// ErrNoBusinessTime: the calendar has no opening hours to count on.
var ErrNoBusinessTime = errors.New("feedback: calendar has no business hours")

// ClockTime is a wall-clock time of day in minutes after midnight, from 0
// (00:00) to 1440 (24:00, the end of the day).
type ClockTime int

// SyntaxError reports text that ParseClockTime, ParseSpan or ParseDate
// could not read. It matches ErrInvalid and never quotes the text.
type SyntaxError struct {
	Problem string // what is wrong, in words
}

// Error implements error.
func (e *SyntaxError) Error() string { return "feedback: " + e.Problem }

// Is makes every SyntaxError match ErrInvalid.
func (e *SyntaxError) Is(target error) bool { return target == ErrInvalid }

// ParseClockTime reads "HH:MM" (24-hour, "24:00" allowed as the end of a
// day). Bad text fails with a *SyntaxError (ErrInvalid).
func ParseClockTime(s string) (ClockTime, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, &SyntaxError{Problem: "time of day must be HH:MM"}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, &SyntaxError{Problem: "time of day out of range"}
	}
	return ClockTime(h*60 + m), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String formats the time of day as "HH:MM".
func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Span is one opening window of a day, [Start, End) in wall-clock time.
type Span struct {
	Start ClockTime
	End   ClockTime
}

// String formats the span as "HH:MM-HH:MM", the form SLA policy JSON uses.
func (s Span) String() string { return s.Start.String() + "-" + s.End.String() }

// ParseSpan reads "HH:MM-HH:MM". Bad text fails with a *SyntaxError
// (ErrInvalid); a span that does not end after it starts is left to
// Calendar.Validate, which reports it with its place in the week.
func ParseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, &SyntaxError{Problem: "opening hours must be HH:MM-HH:MM"}
	}
	start, err := ParseClockTime(a)
	if err != nil {
		return Span{}, err
	}
	end, err := ParseClockTime(b)
	if err != nil {
		return Span{}, err
	}
	return Span{Start: start, End: end}, nil
}

// Date is a civil date, without a time or a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseDate reads "YYYY-MM-DD" and rejects dates that do not exist, with
// a *SyntaxError (ErrInvalid).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, &SyntaxError{Problem: "date must be YYYY-MM-DD and exist"}
	}
	y, m, d := t.Date()
	return Date{y, m, d}, nil
}

// String formats the date as "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

// Weekday returns the day of the week of the date.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Interval is a stretch of time [Start, End). A zero End means the interval
// is still open (a pause that has not ended).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end,omitzero"`
}

// Open reports whether the interval has not ended.
func (iv Interval) Open() bool { return iv.End.IsZero() }

// Calendar says when a shop is open for business, in its own time zone.
// The zero Calendar is not usable; build one as a literal and Validate it,
// or load an SLAPolicy from JSON.
type Calendar struct {
	// Location is the shop's time zone; opening hours are wall-clock
	// times there.
	Location *time.Location
	// Week holds the opening windows of each weekday, indexed by
	// time.Weekday, sorted and not overlapping.
	Week [7][]Span
	// Exceptions override Week on particular dates: a date with no spans
	// is a holiday, a date with spans has those hours instead (a make-up
	// working day on a weekend, shorter hours on New Year's Eve).
	Exceptions map[Date][]Span
}

var weekdayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// Validate reports every problem with the calendar at once.
func (c Calendar) Validate() error {
	var fe fieldErrors
	c.validate(&fe, goCalendarPaths)
	return fe.err()
}

// calendarPaths name a calendar's fields in error reports: a Go literal
// and the SLA policy JSON spell them differently.
type calendarPaths struct {
	timeZone, week, exceptions string
}

var (
	goCalendarPaths   = calendarPaths{"calendar.timeZone", "calendar.week", "calendar.exceptions"}
	jsonCalendarPaths = calendarPaths{"timeZone", "week", "specialDays"}
)

// validate reports the calendar's problems; weekOK tells whether the
// week's hours are sound enough to measure targets against.
func (c Calendar) validate(fe *fieldErrors, paths calendarPaths) (weekOK bool) {
	if c.Location == nil {
		fe.add(paths.timeZone, "is required")
	}
	open := false
	before := len(*fe)
	for wd, spans := range c.Week {
		validateSpans(fe, paths.week+"."+weekdayNames[wd], spans)
		open = open || len(spans) > 0
	}
	weekOK = len(*fe) == before
	if !open {
		fe.add(paths.week, "has no opening hours on any day")
		weekOK = false
	}
	dates := make([]Date, 0, len(c.Exceptions))
	for d := range c.Exceptions {
		dates = append(dates, d)
	}
	slices.SortFunc(dates, compareDates)
	for _, d := range dates {
		if _, err := ParseDate(d.String()); err != nil {
			fe.add(paths.exceptions+"."+d.String(), "is not a real date")
			continue
		}
		validateSpans(fe, paths.exceptions+"."+d.String(), c.Exceptions[d])
	}
	return weekOK
}

// validateSpans checks a day's windows; each is compared with the last
// well-formed window before it, so one bad window does not hide (or
// invent) an overlap.
func validateSpans(fe *fieldErrors, path string, spans []Span) {
	prevEnd := ClockTime(-1)
	for i, s := range spans {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case s.Start < 0 || s.End > 1440:
			fe.add(p, "times must lie between 00:00 and 24:00")
		case s.Start >= s.End:
			fe.add(p, "must end after it starts")
		case s.Start < prevEnd:
			fe.add(p, "overlaps or precedes the window before it")
		default:
			prevEnd = s.End
		}
	}
}

func compareDates(a, b Date) int {
	if c := a.Year - b.Year; c != 0 {
		return c
	}
	if c := int(a.Month) - int(b.Month); c != 0 {
		return c
	}
	return a.Day - b.Day
}

// hours returns the opening windows of one date.
func (c Calendar) hours(d Date) []Span {
	if s, ok := c.Exceptions[d]; ok {
		return s
	}
	return c.Week[d.Weekday()]
}

// windows calls yield with the opening windows of date d as instants, in
// order and never overlapping. A window is trimmed so it never starts
// before the previous one closed, so no hour is counted twice.
func (c Calendar) windows(d Date, yield func(open, close time.Time) bool) bool {
	var prev time.Time
	for _, s := range c.hours(d) {
		open, close := c.wall(d, s.Start), c.wall(d, s.End)
		if open.Before(prev) {
			open = prev
		}
		if !close.After(open) {
			continue
		}
		prev = close
		if !yield(open, close) {
			return false
		}
	}
	return true
}

// wall returns the instant of a wall-clock time on date d. A time that
// does not exist (inside the gap when clocks go forward) is read as the
// first instant after the gap, when the shop's clocks show a later time;
// a time that exists twice (clocks going back) is read as its first
// occurrence. 24:00 is midnight at the start of the next day.
func (c Calendar) wall(d Date, m ClockTime) time.Time {
	if m >= 1440 {
		d, m = d.AddDays(1), 0
	}
	h, mm := int(m)/60, int(m)%60
	t := time.Date(d.Year, d.Month, d.Day, h, mm, 0, 0, c.Location)
	if t.Hour() == h && t.Minute() == mm && t.Day() == d.Day {
		return t
	}
	// In a gap, time.Date picked one of the two offsets around it. If t
	// shows an earlier wall clock than asked, t lies before the
	// transition and the gap ends where t's zone period ends; otherwise t
	// lies after it and the gap ended where t's period began.
	start, end := t.ZoneBounds()
	shown := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	asked := time.Date(d.Year, d.Month, d.Day, h, mm, 0, 0, time.UTC)
	if shown.Before(asked) {
		if !end.IsZero() {
			return end.In(c.Location)
		}
	} else if !start.IsZero() {
		return start.In(c.Location)
	}
	return t
}

// weeklyMinutes is the nominal business time of a week, used to bound
// loops.
func (c Calendar) weeklyMinutes() int {
	total := 0
	for _, spans := range c.Week {
		for _, s := range spans {
			if s.End > s.Start {
				total += int(s.End - s.Start)
			}
		}
	}
	return total
}

// Add returns the instant at which d of business time has passed since t.
// Add(t, 0) is t. It fails with ErrNoBusinessTime if the calendar has no
// opening hours, and with ErrInvalid for a negative d.
func (c Calendar) Add(t time.Time, d time.Duration) (time.Time, error) {
	if c.Location == nil {
		return time.Time{}, &FieldError{Field: "calendar.timeZone", Problem: "is required"}
	}
	if d < 0 {
		return time.Time{}, &FieldError{Field: "duration", Problem: "must not be negative"}
	}
	t = t.Round(0)
	if d == 0 {
		return t, nil
	}
	weekly := c.weeklyMinutes()
	if weekly == 0 {
		return time.Time{}, ErrNoBusinessTime
	}
	// Every run of seven ordinary days holds at least weekly-minus-an-hour
	// (DST) of business time, so this bound is never reached by a valid
	// calendar; it only stops a loop on a calendar of exceptions.
	maxDays := int(d/(time.Duration(weekly)*time.Minute/2)+2)*7 + len(c.Exceptions) + 14
	day := DateOf(t, c.Location).AddDays(-1)
	var due time.Time
	for range maxDays {
		c.windows(day, func(open, close time.Time) bool {
			if !close.After(t) {
				return true
			}
			start := open
			if t.After(start) {
				start = t
			}
			avail := close.Sub(start)
			if d <= avail {
				due = start.Add(d).In(c.Location)
				return false
			}
			d -= avail
			return true
		})
		if !due.IsZero() {
			return due, nil
		}
		day = day.AddDays(1)
	}
	return time.Time{}, ErrNoBusinessTime
}

// Between returns the business time in [from, to); zero when to is not
// after from.
func (c Calendar) Between(from, to time.Time) time.Duration {
	if c.Location == nil || !to.After(from) {
		return 0
	}
	var total time.Duration
	last := DateOf(to, c.Location).AddDays(1)
	for day := DateOf(from, c.Location).AddDays(-1); compareDates(day, last) <= 0; day = day.AddDays(1) {
		c.windows(day, func(open, close time.Time) bool {
			if open.Before(from) {
				open = from
			}
			if close.After(to) {
				close = to
			}
			if close.After(open) {
				total += close.Sub(open)
			}
			return true
		})
	}
	return total
}

// BetweenExcluding returns the business time in [from, to) that lies
// outside every pause. Open pauses count as lasting until to; overlapping
// pauses are counted once.
func (c Calendar) BetweenExcluding(from, to time.Time, pauses []Interval) time.Duration {
	total := c.Between(from, to)
	for _, p := range clipPauses(pauses, from, to) {
		total -= c.Between(p.Start, p.End)
	}
	return total
}

// clipPauses returns the pauses cut to [from, to), with open ones ending at
// to, sorted and merged so that none overlap.
func clipPauses(pauses []Interval, from, to time.Time) []Interval {
	var out []Interval
	for _, p := range pauses {
		if p.Open() || p.End.After(to) {
			p.End = to
		}
		if p.Start.Before(from) {
			p.Start = from
		}
		if p.End.After(p.Start) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	merged := out[:0]
	for _, p := range out {
		if n := len(merged); n > 0 && !p.Start.After(merged[n-1].End) {
			if p.End.After(merged[n-1].End) {
				merged[n-1].End = p.End
			}
			continue
		}
		merged = append(merged, p)
	}
	return merged
}

// Deadline returns when target of business time, not counting pauses, has
// passed since start: the SLA clock stops while a pause lasts and the
// deadline moves out by the business time the pause covered. A pause that
// begins after the deadline has passed does not move it (a ticket cannot
// be un-breached by waiting on the customer). suspended is true when an
// open pause began before the deadline: the clock is stopped and there is
// no deadline until the pause ends. A closed pause that ends before it
// starts fails with ErrInvalid: counting it would move the deadline
// earlier.
func (c Calendar) Deadline(start time.Time, target time.Duration, pauses []Interval) (due time.Time, suspended bool, err error) {
	var fe fieldErrors
	for i, p := range pauses {
		if !p.Open() && p.End.Before(p.Start) {
			fe.add(fmt.Sprintf("pauses[%d].end", i), "must not be before the pause starts")
		}
	}
	if err := fe.err(); err != nil {
		return time.Time{}, false, err
	}
	ps := slices.Clone(pauses)
	slices.SortFunc(ps, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	cursor, remaining := start, target
	for _, p := range ps {
		if !p.Open() && !p.End.After(cursor) {
			continue
		}
		s := p.Start
		if s.Before(cursor) {
			s = cursor
		}
		avail := c.Between(cursor, s)
		if avail >= remaining {
			break
		}
		remaining -= avail
		if p.Open() {
			return time.Time{}, true, nil
		}
		cursor = p.End
	}
	due, err = c.Add(cursor, remaining)
	return due, false, err
}
