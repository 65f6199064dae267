package lunar

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer/lunar/internal/astro"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The committed table is what the astronomical computation gives, word
// for word (go generate rewrites it).
func TestTableMatchesAstronomy(t *testing.T) {
	ys := astro.Years(MinYear, MaxYear)
	require.Len(t, ys, MaxYear-MinYear+1)
	require.Len(t, years, MaxYear-MinYear+1)
	for i, y := range ys {
		w, err := astro.Encode(y)
		require.NoError(t, err)
		require.Equal(t, w, years[i], "year %d", y.Year)
	}
}

func TestPublishedDates(t *testing.T) {
	f, err := os.Open("testdata/published.txt")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	newYears, leaps := 0, 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if fs := strings.Fields(line); fs[0] == "leap" {
			y, _ := strconv.Atoi(fs[1])
			m, _ := strconv.Atoi(fs[2])
			assert.Equal(t, m, LeapMonth(y), "leap month of %d", y)
			leaps++
			continue
		}
		d, err := time.Parse(time.DateOnly, line)
		require.NoError(t, err)
		m, day, err := NewYear(d.Year())
		require.NoError(t, err)
		assert.Equal(t, d.Month(), m, "new year %s", line)
		assert.Equal(t, d.Day(), day, "new year %s", line)
		got, err := FromGregorian(d.Year(), d.Month(), d.Day())
		require.NoError(t, err)
		assert.Equal(t, Date{Year: d.Year(), Month: 1, Day: 1}, got)
		newYears++
	}
	require.NoError(t, sc.Err())
	t.Logf("%d published new years and %d leap months match", newYears, leaps)
	assert.Greater(t, newYears, 90)
}

// Festivals as published: the Mid-Autumn Festival (8th month, 15th day),
// the Dragon Boat Festival (5th month, 5th day) and Qixi (7th month, 7th
// day).
func TestFestivals(t *testing.T) {
	cases := []struct {
		d    Date
		want string
	}{
		{Date{2023, 8, false, 15}, "2023-09-29"},
		{Date{2024, 8, false, 15}, "2024-09-17"},
		{Date{2025, 8, false, 15}, "2025-10-06"},
		{Date{2024, 5, false, 5}, "2024-06-10"},
		{Date{2025, 5, false, 5}, "2025-05-31"},
		{Date{2024, 7, false, 7}, "2024-08-10"},
		{Date{2025, 6, true, 1}, "2025-07-25"}, // the first day of 2025's leap 6th month
	}
	for _, c := range cases {
		y, m, d, err := c.d.Gregorian()
		require.NoError(t, err, c.d.String())
		assert.Equal(t, c.want, time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), c.d.String())
		back, err := FromGregorian(y, m, d)
		require.NoError(t, err)
		assert.Equal(t, c.d, back)
	}
}

// Every day from the first new year to the end of 2100 converts and
// converts back, and consecutive days are consecutive Chinese days.
func TestRoundTripEveryDay(t *testing.T) {
	day := time.Date(1900, 1, 31, 12, 0, 0, 0, time.UTC)
	end := time.Date(2101, 1, 1, 12, 0, 0, 0, time.UTC)
	var prev Date
	for ; day.Before(end); day = day.AddDate(0, 0, 1) {
		d, err := FromGregorian(day.Year(), day.Month(), day.Day())
		require.NoError(t, err, day)
		y, m, dd, err := d.Gregorian()
		require.NoError(t, err)
		require.Equal(t, day.Format(time.DateOnly), time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
		if prev.Year != 0 && d.Day != prev.Day+1 {
			require.Equal(t, 1, d.Day, "after %s comes a first day, not %s", prev, d)
			require.Contains(t, []int{29, 30}, prev.Day)
		}
		prev = d
	}
	_, err := FromGregorian(1900, 1, 30)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestAnniversary(t *testing.T) {
	// 2025 has a leap 6th month; 2026 has none (its leap month, if any, is not the 6th).
	require.Equal(t, 6, LeapMonth(2025))
	require.NotEqual(t, 6, LeapMonth(2026))
	cases := []struct {
		name  string
		year  int
		month int
		leap  bool
		day   int
		want  string
	}{
		{"ordinary: Mid-Autumn 2026", 2026, 8, false, 15, "2026-09-25"},
		{"leap month kept in its year: nine days after 2025-07-25", 2025, 6, true, 10, "2025-08-03"},
		{"Chinese New Year's Eve 2025, the 29th of the 12th month", 2025, 12, false, 29, "2026-02-16"},
	}
	for _, c := range cases {
		y, m, d, err := Anniversary(c.year, c.month, c.leap, c.day)
		require.NoError(t, err, c.name)
		assert.Equal(t, c.want, time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), c.name)
	}
	// A leap day in a year without that leap month is kept in the
	// ordinary month of the number.
	a1, a2, a3, err := Anniversary(2026, 6, true, 10)
	require.NoError(t, err)
	b1, b2, b3, _ := Date{2026, 6, false, 10}.Gregorian()
	assert.Equal(t, [3]int{b1, int(b2), b3}, [3]int{a1, int(a2), a3})
	// The 30th of a month that has 29 days that year is kept on the 29th.
	for y := 2020; y < 2030; y++ {
		for m := 1; m <= 12; m++ {
			if MonthDays(y, m, false) == 29 {
				a1, a2, a3, err := Anniversary(y, m, false, 30)
				require.NoError(t, err)
				b1, b2, b3, _ := Date{y, m, false, 29}.Gregorian()
				assert.Equal(t, [3]int{b1, int(b2), b3}, [3]int{a1, int(a2), a3})
			}
		}
	}
	_, _, _, err = Anniversary(2101, 1, false, 1)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, _, _, err = Anniversary(2026, 13, false, 1)
	assert.ErrorIs(t, err, ErrNoSuchDate)
}

func TestValidate(t *testing.T) {
	assert.NoError(t, Date{2025, 6, true, 29}.Validate())
	assert.ErrorIs(t, Date{2026, 6, true, 1}.Validate(), ErrNoSuchDate)
	assert.ErrorIs(t, Date{2026, 0, false, 1}.Validate(), ErrNoSuchDate)
	assert.ErrorIs(t, Date{1899, 1, false, 1}.Validate(), ErrOutOfRange)
	assert.Equal(t, "2025-L06-01", Date{2025, 6, true, 1}.String())
}

func FuzzConvert(f *testing.F) {
	f.Add(2025, 6, true, 30)
	f.Add(1900, 1, false, 1)
	f.Add(-5, 99, true, -3)
	f.Fuzz(func(t *testing.T, y, m int, leap bool, d int) {
		gy, gm, gd, err := Date{y, m, leap, d}.Gregorian()
		if err != nil {
			return
		}
		back, err := FromGregorian(gy, gm, gd)
		if err != nil || back != (Date{y, m, leap, d}) {
			t.Fatalf("%v → %d-%d-%d → %v, %v", Date{y, m, leap, d}, gy, gm, gd, back, err)
		}
		_, _, _, _ = Anniversary(y, m, leap, d)
	})
}
