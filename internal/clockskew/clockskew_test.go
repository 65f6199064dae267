package clockskew_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/internal/clockskew"
)

func TestAhead(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Time{}, false},
		{now.Add(-24 * time.Hour), false},
		{now, false},
		{now.Add(clockskew.MaxAhead), false},
		{now.Add(clockskew.MaxAhead + time.Microsecond), true},
		{now.Add(24 * time.Hour), true},
	} {
		assert.Equal(t, tc.want, clockskew.Ahead(tc.at, now), tc.at)
	}
}
