package astro

import (
	"fmt"
	"math"
	"sort"
)

// Month is one month of the Chinese calendar.
type Month struct {
	Start  int // Julian Day Number of its first day (in UTC+8)
	Number int // 1 to 12
	Leap   bool
}

// Months returns the months of the suis (winter solstice to winter
// solstice) that end with the winter solstices of the Gregorian years
// from to to, in order, under the rules of the calendar since 1929 (GB/T
// 33661-2017 states them):
//
//   - a month begins on the day (UTC+8) of a new moon;
//   - the winter solstice falls in the 11th month;
//   - a sui with 13 months has a leap month: the first of its months
//     that holds no principal term (a multiple of 30° of the sun's
//     longitude); it takes the number of the month before it.
//
// The first months returned are those of the sui ending in from's
// solstice, starting with the 11th month of the year before.
func Months(from, to int) []Month {
	ws := map[int]int{}
	for y := from - 1; y <= to; y++ {
		ws[y] = ChinaDay(SolarTerm(270, julianEstimate(y, 12, 21)))
	}
	// New moon days from well before the first solstice to after the last.
	k0 := math.Floor((float64(from-1) - 2000) * 12.3685)
	k1 := math.Ceil((float64(to+1) - 2000) * 12.3685)
	var moons []int
	for k := k0 - 2; k <= k1+2; k++ {
		moons = append(moons, ChinaDay(NewMoon(k)))
	}
	// Principal terms over the same span.
	var terms []int
	for y := from - 1; y <= to+1; y++ {
		for i := 0; i < 12; i++ {
			lon := float64(i * 30)
			est := julianEstimate(y, 3, 20) + lon/360*365.2422
			terms = append(terms, ChinaDay(SolarTerm(lon, est)))
		}
	}
	sort.Ints(terms)
	hasTerm := func(i int) bool { // month i: moons[i] to moons[i+1]-1
		j := sort.SearchInts(terms, moons[i])
		return j < len(terms) && terms[j] < moons[i+1]
	}
	monthOf := func(day int) int { // index of the month holding day
		return sort.Search(len(moons), func(i int) bool { return moons[i] > day }) - 1
	}
	var out []Month
	for y := from; y <= to; y++ {
		a, b := monthOf(ws[y-1]), monthOf(ws[y])
		leap := -1
		if b-a == 13 {
			for i := a + 1; i < b; i++ {
				if !hasTerm(i) {
					leap = i
					break
				}
			}
		}
		n := 11
		for i := a; i < b; i++ {
			m := Month{Start: moons[i], Number: n}
			if i == leap {
				m.Leap = true
			} else if i > a {
				n = n%12 + 1
				m.Number = n
			}
			out = append(out, m)
		}
	}
	return out
}

// julianEstimate is the JDE of noon on a Gregorian date, as a start for
// the iterations.
func julianEstimate(y, m, d int) float64 { return float64(DateToJDN(y, m, d)) }

// Year is one year of the Chinese calendar.
type Year struct {
	Year     int   // the Gregorian year in which it starts
	NewYear  int   // Julian Day Number of its first day
	Days     []int // length of each month, in order (13 in a leap year)
	LeapAt   int   // the number of the leap month, 0 when none
	LeapSlot int   // index in Days of the leap month, -1 when none
}

// Years returns the years of the Chinese calendar that start in the
// Gregorian years from to to.
func Years(from, to int) []Year {
	ms := Months(from, to+1)
	var out []Year
	for i := 0; i < len(ms); i++ {
		if ms[i].Number != 1 || ms[i].Leap {
			continue
		}
		y, _, _ := JDNToDate(ms[i].Start)
		if y < from || y > to {
			continue
		}
		yr := Year{Year: y, NewYear: ms[i].Start, LeapSlot: -1}
		for j := i; j+1 < len(ms); j++ {
			if j > i && ms[j].Number == 1 && !ms[j].Leap {
				break
			}
			if ms[j].Leap {
				yr.LeapAt, yr.LeapSlot = ms[j].Number, len(yr.Days)
			}
			yr.Days = append(yr.Days, ms[j+1].Start-ms[j].Start)
		}
		out = append(out, yr)
	}
	return out
}

// Encode packs a year as the table word customer/lunar reads: bits 0 to
// 12 flag the 30-day months in order, bits 13 to 16 hold the leap month's
// number, bits 17 to 22 the day of the Gregorian year of the new year.
func Encode(y Year) (uint32, error) {
	var w uint32
	if len(y.Days) < 12 || len(y.Days) > 13 || (len(y.Days) == 13) != (y.LeapAt > 0) {
		return 0, fmt.Errorf("year %d: %d months, leap month %d", y.Year, len(y.Days), y.LeapAt)
	}
	for i, d := range y.Days {
		switch d {
		case 30:
			w |= 1 << i
		case 29:
		default:
			return 0, fmt.Errorf("year %d: a month of %d days", y.Year, d)
		}
	}
	w |= uint32(y.LeapAt) << 13
	doy := y.NewYear - DateToJDN(y.Year, 1, 1) + 1
	if doy < 1 || doy > 63 {
		return 0, fmt.Errorf("year %d: new year on day %d", y.Year, doy)
	}
	return w | uint32(doy)<<17, nil
}
