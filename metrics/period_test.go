package metrics

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var newYork = mustLoad("America/New_York")

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		name  string
		t     time.Time
		g     Granularity
		loc   *time.Location
		label string
		hours float64
	}{
		{"day in Shanghai after UTC midnight", utc("2026-03-01T17:00:00Z"), Day, shanghai, "2026-03-02", 24},
		{"spring-forward day is 23h", utc("2026-03-08T12:00:00Z"), Day, newYork, "2026-03-08", 23},
		{"fall-back day is 25h", utc("2026-11-01T12:00:00Z"), Day, newYork, "2026-11-01", 25},
		{"ISO week 1 starts in December", utc("2025-12-30T12:00:00Z"), Week, time.UTC, "2026-W01", 168},
		{"Sunday closes the week", utc("2026-03-08T23:00:00Z"), Week, time.UTC, "2026-W10", 168},
		{"ISO week 53", utc("2027-01-01T12:00:00Z"), Week, time.UTC, "2026-W53", 168},
		{"February in a common year", utc("2026-02-14T00:00:00Z"), Month, time.UTC, "2026-02", 28 * 24},
		{"month by local date", utc("2026-01-31T16:30:00Z"), Month, shanghai, "2026-02", 28 * 24},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PeriodOf(tc.t, tc.g, tc.loc)
			require.NoError(t, err)
			assert.Equal(t, tc.label, p.String())
			assert.Equal(t, tc.hours, p.End.Sub(p.Start).Hours())
			assert.True(t, p.Window().Contains(tc.t))
			assert.Equal(t, p, p.Next().Previous())
			assert.Equal(t, p.End, p.Next().Start)
		})
	}
	_, err := PeriodOf(time.Now(), Day, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = PeriodOf(time.Now(), "year", time.UTC)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestPeriodNumberMatchesPeriodOf(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	locs := []*time.Location{time.UTC, shanghai, newYork, mustLoad("Pacific/Kiritimati")}
	for range 5000 {
		tm := time.Unix(r.Int64N(4e9)-1e9, 0) // 1938 to 2096
		loc := locs[r.IntN(len(locs))]
		for _, g := range []Granularity{Day, Week, Month} {
			want := periodOf(tm, g, loc)
			n := periodNumber(tm, g, loc)
			got := periodByNumber(n, g, loc)
			require.Equal(t, want.String(), got.String(), "%v %s %s", tm, g, loc)
			require.True(t, want.Start.Equal(got.Start))
			require.Equal(t, n+1, periodNumber(want.End, g, loc), "the next period is numbered one more")
		}
	}
}

func TestWindow(t *testing.T) {
	w := Window{From: utc("2026-03-01T00:00:00Z"), To: utc("2026-03-08T00:00:00Z")}
	require.NoError(t, w.Validate())
	assert.True(t, w.Contains(w.From))
	assert.False(t, w.Contains(w.To))
	assert.Equal(t, Window{From: utc("2026-02-22T00:00:00Z"), To: w.From}, w.Previous())
	assert.Equal(t, "[2026-03-01T00:00:00Z, 2026-03-08T00:00:00Z)", w.String())
	assert.ErrorIs(t, Window{}.Validate(), ErrInvalidArgument)
	assert.ErrorIs(t, Window{From: w.To, To: w.To}.Validate(), ErrInvalidArgument)
}
