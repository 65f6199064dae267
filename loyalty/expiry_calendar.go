package loyalty

import "time"

// startOfDay returns the first instant of the local day d in loc. Where a
// daylight-saving change skips local midnight (America/Santiago, Asia/Beirut
// and others change clocks at 00:00), the day starts at the transition
// instant, whatever time.Date chose for the missing 00:00.
func startOfDay(d Date, loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
	if DateOf(t, loc).compare(d) < 0 {
		// time.Date read the missing midnight with the offset before the
		// change and landed on the previous day: the day begins where that
		// zone period ends.
		_, end := t.ZoneBounds()
		if !end.IsZero() {
			t = end
		}
	}
	return t
}

// addDays moves a date by n days (n may be negative).
func (d Date) addDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// addMonths moves a date by n months, clamping to the end of the target
// month: 31 January + 1 month is 28 (or 29) February, never 3 March.
func (d Date) addMonths(n int) Date {
	total := d.Year*12 + int(d.Month) - 1 + n
	y, m := total/12, time.Month(total%12+1)
	day := min(d.Day, daysIn(m, y))
	return Date{y, m, day}
}

// periodStart returns the first day of the calendar period holding d.
func periodStart(d Date, p CapPeriod) Date {
	switch p {
	case PeriodWeek:
		wd := int(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday())
		back := (wd + 6) % 7 // Monday is the first day
		return d.addDays(-back)
	case PeriodMonth:
		return Date{d.Year, d.Month, 1}
	case PeriodQuarter:
		return Date{d.Year, d.Month - (d.Month-1)%3, 1}
	case PeriodYear:
		return Date{d.Year, time.January, 1}
	}
	return d
}

// nextPeriodStart returns the first day of the n-th period after the one
// that starts at start.
func nextPeriodStart(start Date, p CapPeriod, n int) Date {
	switch p {
	case PeriodWeek:
		return start.addDays(7 * n)
	case PeriodMonth:
		return start.addMonths(n)
	case PeriodQuarter:
		return start.addMonths(3 * n)
	case PeriodYear:
		return start.addMonths(12 * n)
	}
	return start.addDays(n)
}

// DayWindow returns the local day holding t in the programme's zone, as the
// half-open interval [start, end). The service sums the points earned in
// it to fill CapUsage.Today.
func (p *Program) DayWindow(t time.Time) (start, end time.Time) {
	loc := p.loc()
	d := DateOf(t, loc)
	return startOfDay(d, loc), startOfDay(d.addDays(1), loc)
}

// PeriodWindow returns the cap period (Caps.Period) holding t, as the
// half-open interval [start, end). Without a cap period it returns the day.
func (p *Program) PeriodWindow(t time.Time) (start, end time.Time) {
	if p.Caps.Period == "" {
		return p.DayWindow(t)
	}
	loc := p.loc()
	s := periodStart(DateOf(t, loc), p.Caps.Period)
	return startOfDay(s, loc), startOfDay(nextPeriodStart(s, p.Caps.Period, 1), loc)
}

// loc is the programme's zone. Validate resolves it once; an unvalidated
// programme resolves TimeZone on every call (correct, only slower), and
// falls back to UTC only when the name does not resolve (which Validate
// reports).
func (p *Program) loc() *time.Location {
	if p.Location != nil {
		return p.Location
	}
	if p.compiled != nil {
		return p.compiled.loc
	}
	if p.TimeZone != "" && zoneName(p.TimeZone) {
		if l, err := time.LoadLocation(p.TimeZone); err == nil {
			return l
		}
	}
	return time.UTC
}
