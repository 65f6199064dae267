package txnfile

import "time"

// Day numbers are days since 1970-01-01 in the proleptic Gregorian
// calendar, the unit of Table.Day. They carry no time zone: a day number
// is the calendar date a file wrote.

// DayOf returns the day number of a calendar date, which must exist (month
// 1 to 12, day within the month) and lie in years 0 to 9999.
func DayOf(year int, month time.Month, day int) int32 { return daysFromCivil(year, int(month), day) }

// Date returns the calendar date of a day number (Howard Hinnant's
// civil_from_days), the inverse of DayOf.
func Date(day int32) (year int, month time.Month, mday int) {
	z := int(day) + 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}
