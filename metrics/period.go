package metrics

import (
	"fmt"
	"time"
)

// Window is a half-open time range [From, To): a purchase at From is in it,
// one at To is not.
type Window struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether From <= t < To.
func (w Window) Contains(t time.Time) bool { return !t.Before(w.From) && t.Before(w.To) }

// Validate reports a window whose ends are unset or out of order.
func (w Window) Validate() error {
	if w.From.IsZero() || w.To.IsZero() {
		return fieldErr(ErrInvalidArgument, "window", "From/To", "both ends must be set")
	}
	if !w.From.Before(w.To) {
		return fieldErr(ErrInvalidArgument, "window", "To", "must be after From")
	}
	return nil
}

// Previous returns the window of the same length that ends where w starts.
// For calendar periods of unequal length (months) use Period.Previous.
func (w Window) Previous() Window { return Window{From: w.From.Add(-w.To.Sub(w.From)), To: w.From} }

// String formats the window as [from, to) in RFC 3339.
func (w Window) String() string {
	return fmt.Sprintf("[%s, %s)", w.From.Format(time.RFC3339), w.To.Format(time.RFC3339))
}

// Granularity is the length of a calendar period.
type Granularity string

// Granularities. Weeks are ISO 8601 weeks: they start on Monday and are
// labelled with their ISO year and number.
const (
	Day   Granularity = "day"
	Week  Granularity = "week"
	Month Granularity = "month"
)

func (g Granularity) validate() error {
	switch g {
	case Day, Week, Month:
		return nil
	}
	return fieldErr(ErrInvalidArgument, "period", "Granularity", "%q is not day, week or month", string(g))
}

// Period is one calendar day, week or month in a time zone, as the window
// [Start, End). Its length follows the calendar, so a day with a daylight
// saving change is 23 or 25 hours long.
type Period struct {
	Granularity Granularity `json:"granularity"`
	Start       time.Time   `json:"start"`
	End         time.Time   `json:"end"`
}

// PeriodOf returns the calendar period of granularity g that holds t in loc.
func PeriodOf(t time.Time, g Granularity, loc *time.Location) (Period, error) {
	if err := g.validate(); err != nil {
		return Period{}, err
	}
	if loc == nil {
		return Period{}, fieldErr(ErrInvalidArgument, "period", "Location", "must not be nil")
	}
	return periodOf(t, g, loc), nil
}

// periodOf is PeriodOf for arguments already checked.
func periodOf(t time.Time, g Granularity, loc *time.Location) Period {
	t = t.In(loc)
	y, m, d := t.Date()
	var start time.Time
	switch g {
	case Day:
		start = time.Date(y, m, d, 0, 0, 0, 0, loc)
	case Week:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		start = time.Date(y, m, d-back, 0, 0, 0, 0, loc)
	default:
		start = time.Date(y, m, 1, 0, 0, 0, 0, loc)
	}
	return Period{Granularity: g, Start: start, End: advance(start, g, 1)}
}

// advance moves a period start by n periods, by the calendar (AddDate
// normalises in the start's own location, so DST days stay whole days).
func advance(start time.Time, g Granularity, n int) time.Time {
	switch g {
	case Day:
		return start.AddDate(0, 0, n)
	case Week:
		return start.AddDate(0, 0, 7*n)
	default:
		return start.AddDate(0, n, 0)
	}
}

// Next returns the period after p.
func (p Period) Next() Period {
	return Period{Granularity: p.Granularity, Start: p.End, End: advance(p.Start, p.Granularity, 2)}
}

// Previous returns the period before p.
func (p Period) Previous() Period {
	return Period{Granularity: p.Granularity, Start: advance(p.Start, p.Granularity, -1), End: p.Start}
}

// Window returns the period as a Window.
func (p Period) Window() Window { return Window{From: p.Start, To: p.End} }

// String labels the period: 2026-03-05 for a day, 2026-W10 for an ISO week,
// 2026-03 for a month. Labels of one granularity sort in time order.
func (p Period) String() string {
	switch p.Granularity {
	case Day:
		return p.Start.Format("2006-01-02")
	case Week:
		y, w := p.Start.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	default:
		return p.Start.Format("2006-01")
	}
}

// periodsCovering returns the calendar periods that overlap w, in order.
func periodsCovering(w Window, g Granularity, loc *time.Location) []Period {
	var ps []Period
	for p := periodOf(w.From, g, loc); p.Start.Before(w.To); p = p.Next() {
		ps = append(ps, p)
	}
	return ps
}
