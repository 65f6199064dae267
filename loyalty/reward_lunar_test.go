package loyalty

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A birthday stated in the Chinese calendar gets its coupon on the
// Gregorian date of each year: the Mid-Autumn birthday (8th month, 15th
// day) fell on 17 September 2024, 6 October 2025 and 25 September 2026.
func TestLunarBirthdayCoupon(t *testing.T) {
	p := loadTestProgram(t, "program.json") // issued 3 days before
	b := customer.Birthday{Month: 8, Day: 15, Lunar: true}
	var got []time.Time
	for d := sh(t, 2024, 1, 1, 0, 0); d.Before(sh(t, 2027, 1, 1, 0, 0)); d = d.AddDate(0, 0, 1) {
		if g, ok := p.BirthdayCouponDue(b, "regular", d, d.AddDate(0, 0, 1)); ok {
			got = append(got, g.Birthday)
			assert.True(t, d.Equal(g.Birthday.AddDate(0, 0, -3)), "issued three days before")
		}
	}
	want := []time.Time{sh(t, 2024, 9, 17, 0, 0), sh(t, 2025, 10, 6, 0, 0), sh(t, 2026, 9, 25, 0, 0)}
	require.Len(t, got, len(want))
	for i := range want {
		assert.True(t, want[i].Equal(got[i]), "got %s", got[i])
	}
}

// A birthday late in the 12th month is kept early in the next Gregorian
// year, and the birthday conditions follow its Gregorian date.
func TestLunarBirthdayConditions(t *testing.T) {
	b := customer.Birthday{Month: 12, Day: 20, Lunar: true}
	loc := mustZoneInternal(t)
	got, ok := BirthdayIn(b, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, loc), loc)
	require.True(t, ok)
	assert.True(t, time.Date(2026, 2, 7, 0, 0, 0, 0, loc).Equal(got), "got %s", got)
	assert.True(t, isBirthday(b, BirthdayDay, Date{2026, 2, 7}))
	assert.False(t, isBirthday(b, BirthdayDay, Date{2026, 12, 20}), "not the Gregorian reading")
	assert.True(t, isBirthday(b, BirthdayMonth, Date{2026, 2, 1}))
	assert.False(t, isBirthday(b, BirthdayMonth, Date{2026, 12, 1}))
	// The Chinese year 2026's 12/20 falls in 2027: not in December 2026.
	assert.True(t, isBirthday(b, BirthdayMonth, Date{2027, 1, 1}) || isBirthday(b, BirthdayMonth, Date{2027, 2, 1}))
}

func mustZoneInternal(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	return loc
}
