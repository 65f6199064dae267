package feedback_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func span(t testing.TB, s string) feedback.Span {
	t.Helper()
	sp, err := feedback.ParseSpan(s)
	require.NoError(t, err)
	return sp
}

// shopCalendar: Shanghai, weekdays 09:00-12:00 and 13:00-18:00 (8h), Saturday
// 10:00-16:00, Sunday closed; National Day 1-3 October 2026 closed; Sunday
// 11 October 2026 a make-up working day.
func shopCalendar(t testing.TB) feedback.Calendar {
	weekday := []feedback.Span{span(t, "09:00-12:00"), span(t, "13:00-18:00")}
	c := feedback.Calendar{
		Location: mustLoc(t, "Asia/Shanghai"),
		Exceptions: map[feedback.Date][]feedback.Span{
			{Year: 2026, Month: 10, Day: 1}:  nil,
			{Year: 2026, Month: 10, Day: 2}:  nil,
			{Year: 2026, Month: 10, Day: 3}:  nil,
			{Year: 2026, Month: 10, Day: 11}: {span(t, "09:00-18:00")},
		},
	}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Week[wd] = weekday
	}
	c.Week[time.Saturday] = []feedback.Span{span(t, "10:00-16:00")}
	require.NoError(t, c.Validate())
	return c
}

func at(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, loc)
}

func TestCalendarAdd(t *testing.T) {
	c := shopCalendar(t)
	sh := c.Location
	tests := []struct {
		name  string
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"zero is the start itself, even at night", at(sh, 2026, 11, 20, 22, 0), 0, at(sh, 2026, 11, 20, 22, 0)},
		{"within a morning", at(sh, 2026, 11, 20, 10, 0), time.Hour, at(sh, 2026, 11, 20, 11, 0)},
		{"ends exactly at closing", at(sh, 2026, 11, 20, 17, 0), time.Hour, at(sh, 2026, 11, 20, 18, 0)},
		{"across lunch", at(sh, 2026, 11, 20, 11, 30), time.Hour, at(sh, 2026, 11, 20, 13, 30)},
		{"across a night into Saturday hours", at(sh, 2026, 11, 20, 17, 0), 2 * time.Hour, at(sh, 2026, 11, 21, 11, 0)},
		{"started at night counts from opening", at(sh, 2026, 11, 20, 20, 0), 30 * time.Minute, at(sh, 2026, 11, 21, 10, 30)},
		{"started before dawn", at(sh, 2026, 11, 20, 3, 0), 30 * time.Minute, at(sh, 2026, 11, 20, 9, 30)},
		{"across a closed Sunday", at(sh, 2026, 11, 21, 15, 0), 3 * time.Hour, at(sh, 2026, 11, 23, 11, 0)},
		{"a full business week ends at Saturday closing", at(sh, 2026, 11, 23, 9, 0), 46 * time.Hour, at(sh, 2026, 11, 28, 16, 0)},
		{"across the National Day holidays", at(sh, 2026, 9, 30, 17, 0), 2 * time.Hour, at(sh, 2026, 10, 5, 10, 0)},
		{"onto a make-up working Sunday", at(sh, 2026, 10, 10, 15, 30), time.Hour, at(sh, 2026, 10, 11, 9, 30)},
		{"a start in another zone is the same instant", at(time.UTC, 2026, 11, 20, 2, 0), time.Hour, at(sh, 2026, 11, 20, 11, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Add(tt.start, tt.d)
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(got), "got %s, want %s", got, tt.want)
			assert.Equal(t, tt.d, c.Between(tt.start, got), "Between must undo Add")
		})
	}
}

func TestCalendarAddRejects(t *testing.T) {
	c := shopCalendar(t)
	_, err := c.Add(time.Now(), -time.Minute)
	assert.ErrorIs(t, err, feedback.ErrInvalid)

	var closed feedback.Calendar
	closed.Location = time.UTC
	_, err = closed.Add(time.Now(), time.Minute)
	assert.ErrorIs(t, err, feedback.ErrNoBusinessTime)
	assert.ErrorIs(t, closed.Validate(), feedback.ErrInvalid)

	// A calendar whose exceptions close every day it could reach still
	// terminates with an error instead of looping.
	onlyOneDay := feedback.Calendar{Location: time.UTC, Exceptions: map[feedback.Date][]feedback.Span{}}
	onlyOneDay.Week[time.Monday] = []feedback.Span{span(t, "09:00-10:00")}
	for d := (feedback.Date{Year: 2026, Month: 1, Day: 1}); d.Year == 2026; d = d.AddDays(1) {
		onlyOneDay.Exceptions[d] = nil
	}
	got, err := onlyOneDay.Add(at(time.UTC, 2026, 1, 1, 0, 0), 30*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, at(time.UTC, 2027, 1, 4, 9, 30), got, "first Monday of 2027")
}

func TestCalendarBetween(t *testing.T) {
	c := shopCalendar(t)
	sh := c.Location
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"empty when to is before from", at(sh, 2026, 11, 20, 12, 0), at(sh, 2026, 11, 20, 10, 0), 0},
		{"a night is worth nothing", at(sh, 2026, 11, 20, 18, 0), at(sh, 2026, 11, 21, 10, 0), 0},
		{"one weekday", at(sh, 2026, 11, 20, 0, 0), at(sh, 2026, 11, 21, 0, 0), 8 * time.Hour},
		{"a week", at(sh, 2026, 11, 16, 0, 0), at(sh, 2026, 11, 23, 0, 0), 46 * time.Hour},
		{"a holiday week has three working days", at(sh, 2026, 9, 28, 0, 0), at(sh, 2026, 10, 5, 0, 0), 24 * time.Hour},
		{"the make-up Sunday counts", at(sh, 2026, 10, 11, 0, 0), at(sh, 2026, 10, 12, 0, 0), 9 * time.Hour},
		{"partial windows", at(sh, 2026, 11, 20, 11, 0), at(sh, 2026, 11, 20, 14, 30), 2*time.Hour + 30*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, c.Between(tt.from, tt.to))
		})
	}
}

// TestCalendarDST checks that business time is real elapsed time between
// wall-clock opening times, on the days New York's clocks change.
func TestCalendarDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	every := func(spans ...string) feedback.Calendar {
		c := feedback.Calendar{Location: ny}
		for wd := range c.Week {
			for _, s := range spans {
				c.Week[wd] = append(c.Week[wd], span(t, s))
			}
		}
		require.NoError(t, c.Validate())
		return c
	}
	springDay := at(ny, 2026, 3, 8, 0, 0) // clocks go 02:00 -> 03:00
	fallDay := at(ny, 2026, 11, 1, 0, 0)  // clocks go 02:00 -> 01:00
	nextDay := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }

	allDay := every("00:00-24:00")
	assert.Equal(t, 23*time.Hour, allDay.Between(springDay, nextDay(springDay)))
	assert.Equal(t, 25*time.Hour, allDay.Between(fallDay, nextDay(fallDay)))
	due, err := allDay.Add(at(ny, 2026, 3, 7, 12, 0), 24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-08 13:00:00 -0400 EDT", due.String(), "24 real hours after noon EST")

	night := every("01:00-04:00")
	assert.Equal(t, 2*time.Hour, night.Between(springDay, nextDay(springDay)), "the missing hour is not business time")
	assert.Equal(t, 4*time.Hour, night.Between(fallDay, nextDay(fallDay)), "the repeated hour is business time twice")
	due, err = night.Add(springDay, 2*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-08 04:00:00 -0400 EDT", due.String())
	due, err = night.Add(springDay, 2*time.Hour+30*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-09 01:30:00 -0400 EDT", due.String())

	gapStart := every("02:30-05:00")
	assert.Equal(t, 2*time.Hour, gapStart.Between(springDay, nextDay(springDay)), "opening inside the gap opens when the gap ends")
	due, err = gapStart.Add(springDay, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-08 03:01:00 -0400 EDT", due.String())

	// Windows that touch across the gap never count an hour twice.
	split := every("01:00-02:30", "02:30-04:00")
	assert.Equal(t, 2*time.Hour, split.Between(springDay, nextDay(springDay)))

	// A day shop is untouched by night-time clock changes.
	day := every("09:00-17:00")
	assert.Equal(t, 24*time.Hour, day.Between(at(ny, 2026, 3, 6, 9, 0), at(ny, 2026, 3, 9, 9, 0)))
	due, err = day.Add(at(ny, 2026, 3, 7, 16, 0), 2*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-08 10:00:00 -0400 EDT", due.String())
}

func TestCalendarPauses(t *testing.T) {
	c := shopCalendar(t)
	sh := c.Location
	fri := func(h, m int) time.Time { return at(sh, 2026, 11, 20, h, m) }
	tests := []struct {
		name   string
		pauses []feedback.Interval
		want   time.Duration
	}{
		{"no pause", nil, 8 * time.Hour},
		{"pause across lunch", []feedback.Interval{{Start: fri(10, 0), End: fri(14, 0)}}, 5 * time.Hour},
		{"overlapping pauses count once", []feedback.Interval{{Start: fri(10, 0), End: fri(12, 0)}, {Start: fri(11, 0), End: fri(14, 0)}}, 5 * time.Hour},
		{"an open pause runs to the end", []feedback.Interval{{Start: fri(16, 0)}}, 6 * time.Hour},
		{"pauses outside the range are ignored", []feedback.Interval{{Start: fri(19, 0), End: fri(23, 0)}, {Start: fri(1, 0), End: fri(2, 0)}}, 8 * time.Hour},
		{"pause sticking out on both sides", []feedback.Interval{{Start: fri(7, 0), End: fri(9, 30)}, {Start: fri(17, 30), End: fri(20, 0)}}, 7 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, c.BetweenExcluding(fri(0, 0), fri(23, 59), tt.pauses))
		})
	}
}

func TestCalendarDeadline(t *testing.T) {
	c := shopCalendar(t)
	sh := c.Location
	fri := func(h, m int) time.Time { return at(sh, 2026, 11, 20, h, m) }
	mon := func(h, m int) time.Time { return at(sh, 2026, 11, 23, h, m) }
	start, target := fri(10, 0), 4*time.Hour
	tests := []struct {
		name      string
		pauses    []feedback.Interval
		want      time.Time
		suspended bool
	}{
		{"no pause", nil, fri(15, 0), false},
		{"pause over the weekend moves it by the business time paused", []feedback.Interval{{Start: fri(11, 0), End: mon(10, 0)}}, mon(14, 0), false},
		{"pause after the deadline does not move it", []feedback.Interval{{Start: fri(16, 0), End: mon(10, 0)}}, fri(15, 0), false},
		{"pause outside business hours does not move it", []feedback.Interval{{Start: fri(12, 5), End: fri(12, 55)}}, fri(15, 0), false},
		{"two pauses add up", []feedback.Interval{{Start: fri(10, 30), End: fri(11, 0)}, {Start: fri(14, 0), End: fri(14, 30)}}, fri(16, 0), false},
		{"pauses given out of order", []feedback.Interval{{Start: fri(14, 0), End: fri(14, 30)}, {Start: fri(10, 30), End: fri(11, 0)}}, fri(16, 0), false},
		{"an open pause before the deadline suspends it", []feedback.Interval{{Start: fri(11, 0)}}, time.Time{}, true},
		{"an open pause after the deadline does not", []feedback.Interval{{Start: fri(17, 0)}}, fri(15, 0), false},
		{"a pause from before intake counts only from intake", []feedback.Interval{{Start: fri(9, 0), End: fri(11, 0)}}, fri(16, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, suspended, err := c.Deadline(start, target, tt.pauses)
			require.NoError(t, err)
			assert.Equal(t, tt.suspended, suspended)
			assert.True(t, tt.want.Equal(due), "got %s, want %s", due, tt.want)
			if !suspended {
				assert.Equal(t, target, c.BetweenExcluding(start, due, tt.pauses), "net business time to the deadline is the target")
			}
		})
	}
}

func TestClockAndDateParsing(t *testing.T) {
	for _, bad := range []string{"", "9:00", "09:60", "25:00", "24:01", "ab:cd", "09-00"} {
		_, err := feedback.ParseClockTime(bad)
		assert.Error(t, err, bad)
	}
	ct, err := feedback.ParseClockTime("24:00")
	require.NoError(t, err)
	assert.Equal(t, feedback.ClockTime(1440), ct)
	_, err = feedback.ParseDate("2026-02-29")
	assert.Error(t, err)
	d, err := feedback.ParseDate("2028-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2028-03-01", d.AddDays(1).String())
	assert.Equal(t, time.Tuesday, d.Weekday())
}
