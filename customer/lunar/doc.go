// Package lunar converts dates between the Gregorian calendar and the
// Chinese calendar (农历) for the years 1900 to 2100, so that a member may
// state a birthday the way many celebrate it, and birthday rules and
// coupons use its Gregorian date each year.
//
// The calendar is data: table.go holds one word per year (the new year's
// date, which months are long, the leap month), written by the generator
// in internal/gen from astronomical computation (internal/astro: new
// moons and principal solar terms after Meeus, in China's standard time,
// under the rules of GB/T 33661-2017). Tests hold the table to that
// computation and to published dates of the Chinese New Year and of leap
// months, among them the "2033 problem" year, whose leap month is the
// 11th.
//
// A Chinese date is the year in which its new year falls, the month (1 to
// 12, with Leap for the intercalary month that repeats a number) and the
// day (1 to 30). Conversions never panic; a date outside the table or one
// the calendar does not have is an error matching ErrOutOfRange or
// ErrNoSuchDate.
package lunar
