package ledger

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpireInactiveTakesEverythingButHolds(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, err := New("m1")
	require.NoError(t, err)
	var seen []Entry
	step := func(next Account, es []Entry, err error) {
		t.Helper()
		require.NoError(t, err)
		seen = append(seen, es...)
		require.NoError(t, CheckInvariants(next, seen))
		a = next
	}
	step(a.Earn("l1", 100, t0, time.Time{}, time.Time{}, "p1"))
	step(a.Earn("l2", 50, t0, t0.AddDate(0, 1, 0), time.Time{}, "p2")) // still pending
	step(a.Hold("h1", 30, t0.Add(time.Hour)))

	due := t0.AddDate(1, 0, 0)
	step(a.ExpireInactive(due))
	assert.Equal(t, int64(0), a.Available(due))
	assert.Equal(t, int64(30), a.Held())
	assert.Equal(t, int64(120), a.Totals().Expired)
	for _, e := range seen[len(seen)-2:] {
		assert.Equal(t, KindExpire, e.Kind)
		assert.Equal(t, "inactivity", e.Reason)
	}

	before := len(seen)
	step(a.ExpireInactive(due))
	assert.Len(t, seen, before, "running it again expires nothing")
}
