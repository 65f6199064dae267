package lunar

//go:generate go run ./internal/gen

import (
	"errors"
	"fmt"
	"time"
)

// The years the table covers: the Chinese years whose new year falls in
// these Gregorian years.
const (
	MinYear = 1900
	MaxYear = 2100
)

var (
	// ErrOutOfRange: a year outside MinYear to MaxYear, or a Gregorian
	// date outside the table's span (1900-01-31 to the day before the new
	// year of 2101).
	ErrOutOfRange = errors.New("lunar: outside the years 1900 to 2100")
	// ErrNoSuchDate: the year has no such month (a leap month it lacks) or
	// the month no such day (the 30th of a 29-day month).
	ErrNoSuchDate = errors.New("lunar: no such date")
)

// Date is a day of the Chinese calendar.
type Date struct {
	Year  int  // the Gregorian year in which its new year falls
	Month int  // 1 to 12
	Leap  bool // the leap month that follows the month of that number
	Day   int  // 1 to 30
}

// String writes 2026-08-15, and 2025-L06-01 for a day of a leap month.
func (d Date) String() string {
	if d.Leap {
		return fmt.Sprintf("%04d-L%02d-%02d", d.Year, d.Month, d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

func word(year int) (uint32, bool) {
	if year < MinYear || year > MaxYear {
		return 0, false
	}
	return years[year-MinYear], true
}

// LeapMonth returns the number of the year's leap month, 0 when it has
// none or the year is outside the table.
func LeapMonth(year int) int {
	w, _ := word(year)
	return int(w >> 13 & 0xf)
}

// NewYear returns the Gregorian date of the year's first day (春节).
func NewYear(year int) (time.Month, int, error) {
	w, ok := word(year)
	if !ok {
		return 0, 0, ErrOutOfRange
	}
	t := time.Date(year, 1, int(w>>17&0x3f), 12, 0, 0, 0, time.UTC)
	return t.Month(), t.Day(), nil
}

// months returns the months of a year in order (their number, whether
// leap, their length) in a fixed array, so conversions allocate nothing,
// and how many there are.
func months(year int) (out [13]monthInfo, n int) {
	w, _ := word(year)
	leap := int(w >> 13 & 0xf)
	n = 12
	if leap > 0 {
		n = 13
	}
	num := 0
	for i := 0; i < n; i++ {
		m := monthInfo{days: 29}
		if w&(1<<i) != 0 {
			m.days = 30
		}
		if leap > 0 && i == leap {
			m.number, m.leap = num, true
		} else {
			num++
			m.number = num
		}
		out[i] = m
	}
	return out, n
}

type monthInfo struct {
	number int
	leap   bool
	days   int
}

// MonthDays returns the length of a month (29 or 30), or 0 when the year
// has no such month.
func MonthDays(year, month int, leap bool) int {
	if _, ok := word(year); !ok {
		return 0
	}
	ms, n := months(year)
	for _, m := range ms[:n] {
		if m.number == month && m.leap == leap {
			return m.days
		}
	}
	return 0
}

// Validate reports whether the calendar has the date: ErrOutOfRange for a
// year outside the table, ErrNoSuchDate otherwise.
func (d Date) Validate() error {
	_, _, _, err := d.Gregorian()
	return err
}

// Gregorian returns the Gregorian date of d.
func (d Date) Gregorian() (year int, month time.Month, day int, err error) {
	w, ok := word(d.Year)
	if !ok {
		return 0, 0, 0, ErrOutOfRange
	}
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 30 {
		return 0, 0, 0, ErrNoSuchDate
	}
	offset := 0
	ms, n := months(d.Year)
	for _, m := range ms[:n] {
		if m.number == d.Month && m.leap == d.Leap {
			if d.Day > m.days {
				return 0, 0, 0, ErrNoSuchDate
			}
			t := time.Date(d.Year, 1, int(w>>17&0x3f)+offset+d.Day-1, 12, 0, 0, 0, time.UTC)
			return t.Year(), t.Month(), t.Day(), nil
		}
		offset += m.days
	}
	return 0, 0, 0, ErrNoSuchDate
}

// FromGregorian returns the Chinese date of a Gregorian date.
func FromGregorian(year int, month time.Month, day int) (Date, error) {
	t := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
	y := t.Year()
	if y == MaxYear+1 {
		y = MaxYear // January and February of 2101 may still be in the last year
	}
	if _, ok := word(y); !ok {
		return Date{}, ErrOutOfRange
	}
	nm, nd, _ := NewYear(y)
	if t.Before(time.Date(y, nm, nd, 12, 0, 0, 0, time.UTC)) {
		y--
		if _, ok := word(y); !ok {
			return Date{}, ErrOutOfRange
		}
		nm, nd, _ = NewYear(y)
	}
	days := int(t.Sub(time.Date(y, nm, nd, 12, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	ms, n := months(y)
	for _, m := range ms[:n] {
		if days < m.days {
			return Date{Year: y, Month: m.number, Leap: m.leap, Day: days + 1}, nil
		}
		days -= m.days
	}
	return Date{}, ErrOutOfRange // after the last new year's year ends
}

// Anniversary returns the Gregorian date on which a day stated in the
// Chinese calendar (a birthday) is kept in the Chinese year year:
//
//   - a day of a leap month is kept in that leap month when the year has
//     it, and otherwise in the ordinary month of the same number (the
//     leap month repeats it);
//   - the 30th of a month that has 29 days that year is kept on the 29th,
//     the month's last day, as 29 February is on 28 February.
//
// The date lies in Gregorian year year, or in January or February of the
// next year for days late in the 11th and 12th months.
func Anniversary(year, month int, leap bool, day int) (int, time.Month, int, error) {
	if _, ok := word(year); !ok {
		return 0, 0, 0, ErrOutOfRange
	}
	if month < 1 || month > 12 || day < 1 || day > 30 {
		return 0, 0, 0, ErrNoSuchDate
	}
	if leap && LeapMonth(year) != month {
		leap = false
	}
	if n := MonthDays(year, month, leap); day > n {
		day = n
	}
	return Date{Year: year, Month: month, Leap: leap, Day: day}.Gregorian()
}
