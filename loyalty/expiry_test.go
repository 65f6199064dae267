package loyalty

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

func TestExpiresAt(t *testing.T) {
	cases := []struct {
		name   string
		zone   string
		policy ExpiryPolicy
		earned string // RFC 3339
		want   string // RFC 3339
	}{
		{"never", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireNever}, "2026-01-15T10:00:00+08:00", ""},
		{"inactivity has no lot date", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireInactivity, Months: 12}, "2026-01-15T10:00:00+08:00", ""},
		{"rolling 30 days", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireRolling, Days: 30}, "2026-01-15T10:00:00+08:00", "2026-02-15T00:00:00+08:00"},
		{"rolling days just before midnight", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireRolling, Days: 1}, "2026-01-15T23:59:59+08:00", "2026-01-17T00:00:00+08:00"},
		{"31 Jan + 1 month is end of Feb", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireRolling, Months: 1}, "2026-01-31T10:00:00+08:00", "2026-03-01T00:00:00+08:00"},
		{"31 Jan + 1 month in a leap year", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireRolling, Months: 1}, "2028-01-31T10:00:00+08:00", "2028-03-01T00:00:00+08:00"},
		{"29 Feb + 12 months", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireRolling, Months: 12}, "2028-02-29T10:00:00+08:00", "2029-03-01T00:00:00+08:00"},
		{"31 Mar + 1 month", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireRolling, Months: 1}, "2026-03-31T10:00:00+08:00", "2026-05-01T00:00:00+08:00"},
		{"months and days", "Asia/Shanghai", ExpiryPolicy{Kind: ExpireRolling, Months: 1, Days: 1}, "2026-01-31T10:00:00+08:00", "2026-03-02T00:00:00+08:00"},
		{"end of this month", "Asia/Shanghai", ExpiryPolicy{Kind: ExpirePeriodEnd, Unit: PeriodMonth}, "2026-01-15T10:00:00+08:00", "2026-02-01T00:00:00+08:00"},
		{"end of next quarter", "Asia/Shanghai", ExpiryPolicy{Kind: ExpirePeriodEnd, Unit: PeriodQuarter, Periods: 1}, "2026-02-15T10:00:00+08:00", "2026-07-01T00:00:00+08:00"},
		{"end of next year", "Asia/Shanghai", ExpiryPolicy{Kind: ExpirePeriodEnd, Unit: PeriodYear, Periods: 1}, "2026-12-31T23:30:00+08:00", "2028-01-01T00:00:00+08:00"},
		// One instant, two zones: New Year's Eve in New York is already
		// New Year's Day in Shanghai.
		{"year end in Shanghai", "Asia/Shanghai", ExpiryPolicy{Kind: ExpirePeriodEnd, Unit: PeriodYear}, "2026-12-31T16:30:00Z", "2028-01-01T00:00:00+08:00"},
		{"year end in New York", "America/New_York", ExpiryPolicy{Kind: ExpirePeriodEnd, Unit: PeriodYear}, "2026-12-31T16:30:00Z", "2027-01-01T00:00:00-05:00"},
		// New York springs forward on 8 March 2026 at 02:00 and falls back
		// on 1 November 2026 at 02:00: midnights keep their own offsets.
		{"over spring forward", "America/New_York", ExpiryPolicy{Kind: ExpireRolling, Days: 1}, "2026-03-07T12:00:00-05:00", "2026-03-09T00:00:00-04:00"},
		{"on fall back day", "America/New_York", ExpiryPolicy{Kind: ExpirePeriodEnd, Unit: PeriodMonth}, "2026-10-15T12:00:00-04:00", "2026-11-01T00:00:00-04:00"},
		{"after fall back", "America/New_York", ExpiryPolicy{Kind: ExpireRolling, Days: 1}, "2026-10-31T12:00:00-04:00", "2026-11-02T00:00:00-05:00"},
		// Santiago moves clocks at midnight: 6 September 2026 starts at
		// 01:00 (-03), and 5 April 2026 00:00 comes after a repeated hour.
		{"midnight skipped", "America/Santiago", ExpiryPolicy{Kind: ExpireRolling, Days: 1}, "2026-09-04T12:00:00-04:00", "2026-09-06T04:00:00Z"},
		{"midnight after a repeated hour", "America/Santiago", ExpiryPolicy{Kind: ExpireRolling, Days: 1}, "2026-04-03T12:00:00-03:00", "2026-04-05T04:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc := zone(t, c.zone)
			earned := mustTime(t, c.earned)
			got := c.policy.ExpiresAt(earned, loc)
			if c.want == "" {
				assert.True(t, got.IsZero())
				return
			}
			want := mustTime(t, c.want)
			assert.True(t, want.Equal(got), "want %s, got %s", want, got.In(loc))
			// The expiry is the first instant of a local day ...
			before := got.Add(-time.Nanosecond).In(loc)
			assert.NotEqual(t, DateOf(got, loc), DateOf(before, loc))
			// ... and the answer does not depend on the zone the event
			// time arrives in (a lane syncing late from elsewhere).
			again := c.policy.ExpiresAt(earned.In(zone(t, "Pacific/Kiritimati")), loc)
			assert.True(t, got.Equal(again))
		})
	}
}

func TestInactivityExpiresAt(t *testing.T) {
	loc := zone(t, "Asia/Shanghai")
	e := ExpiryPolicy{Kind: ExpireInactivity, Months: 12}
	got := e.InactivityExpiresAt(mustTime(t, "2026-01-31T09:00:00+08:00"), loc)
	assert.True(t, mustTime(t, "2027-02-01T00:00:00+08:00").Equal(got), got.String())
	assert.True(t, ExpiryPolicy{Kind: ExpireNever}.InactivityExpiresAt(got, loc).IsZero())
}

func TestPendingUntil(t *testing.T) {
	loc := zone(t, "Europe/Berlin")
	earned := mustTime(t, "2026-03-25T18:00:00+01:00")
	got := PendingPolicy{Days: 7}.PendingUntil(earned, loc)
	// Locked through 1 April; released at its end, in summer time.
	assert.True(t, mustTime(t, "2026-04-02T00:00:00+02:00").Equal(got), got.String())
	assert.True(t, PendingPolicy{}.PendingUntil(earned, loc).IsZero())
	assert.True(t, PendingPolicy{UntilReleased: true}.PendingUntil(earned, loc).IsZero())
}

func TestDayAndPeriodWindows(t *testing.T) {
	p := testProgram(t, func(p *Program) {
		p.TimeZone = "America/New_York"
		p.Caps = Caps{PerPeriod: 100, Period: PeriodWeek}
	})
	at := mustTime(t, "2026-03-08T15:00:00-04:00") // the Sunday clocks spring forward
	s, e := p.DayWindow(at)
	assert.True(t, mustTime(t, "2026-03-08T00:00:00-05:00").Equal(s))
	assert.True(t, mustTime(t, "2026-03-09T00:00:00-04:00").Equal(e))
	assert.Equal(t, 23*time.Hour, e.Sub(s))
	s, e = p.PeriodWindow(at)
	assert.True(t, mustTime(t, "2026-03-02T00:00:00-05:00").Equal(s), s.String()) // Monday
	assert.True(t, mustTime(t, "2026-03-09T00:00:00-04:00").Equal(e), e.String())
	for _, c := range []struct {
		period     CapPeriod
		start, end string
	}{
		{PeriodMonth, "2026-03-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00"},
		{PeriodQuarter, "2026-01-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00"},
		{PeriodYear, "2026-01-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00"},
	} {
		p.Caps.Period = c.period
		s, e = p.PeriodWindow(at)
		assert.True(t, mustTime(t, c.start).Equal(s), "%s start %s", c.period, s)
		assert.True(t, mustTime(t, c.end).Equal(e), "%s end %s", c.period, e)
	}
}

func TestAddMonthsClamps(t *testing.T) {
	cases := []struct {
		from Date
		n    int
		want Date
	}{
		{Date{2026, 1, 31}, 1, Date{2026, 2, 28}},
		{Date{2028, 1, 31}, 1, Date{2028, 2, 29}},
		{Date{2026, 3, 31}, -1, Date{2026, 2, 28}},
		{Date{2026, 12, 15}, 1, Date{2027, 1, 15}},
		{Date{2026, 1, 15}, -13, Date{2024, 12, 15}},
		{Date{2026, 5, 31}, 12, Date{2027, 5, 31}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.from.addMonths(c.n), "%s %+d", c.from, c.n)
	}
}
