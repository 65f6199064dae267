package customer_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLunarBirthday(t *testing.T) {
	// Born on the 20th day of the 12th month of the Chinese year 1990,
	// which was 4 February 1991 (new year 1990: 27 January 1990).
	b := customer.Birthday{Year: 1990, Month: 12, Day: 20, Lunar: true}
	require.NoError(t, b.Validate())
	loc := time.UTC
	// The birthday of the Chinese year 2025 is kept early in 2026: the
	// 20th of the 12th month, nine days before the new year of 17 February.
	assert.Equal(t, time.Date(2026, 2, 7, 0, 0, 0, 0, loc), b.Observed(2025, loc))
	assert.Equal(t, time.Date(1991, 2, 4, 0, 0, 0, 0, loc), b.Observed(1990, loc))
	ages := []struct {
		at   time.Time
		want int
	}{
		{time.Date(1991, 2, 4, 12, 0, 0, 0, loc), 0},
		{time.Date(1992, 1, 24, 12, 0, 0, 0, loc), 1}, // 1991's 12/20 fell on 24 January 1992
		{time.Date(2026, 1, 10, 12, 0, 0, 0, loc), 34},
		{time.Date(2026, 2, 7, 12, 0, 0, 0, loc), 35},
	}
	for _, a := range ages {
		got, ok := b.AgeAt(a.at)
		require.True(t, ok)
		assert.Equal(t, a.want, got, a.at.Format(time.DateOnly))
	}
}

func TestLunarBirthdayValidation(t *testing.T) {
	cases := []struct {
		name  string
		b     customer.Birthday
		field string
	}{
		{"day 30 without a year", customer.Birthday{Month: 8, Day: 30, Lunar: true}, ""},
		{"day 31", customer.Birthday{Month: 8, Day: 31, Lunar: true}, "birthday.day"},
		{"month 13", customer.Birthday{Month: 13, Day: 1, Lunar: true}, "birthday.month"},
		{"leap month the year has", customer.Birthday{Year: 2025, Month: 6, Day: 10, Lunar: true, LeapMonth: true}, ""},
		{"leap month the year lacks", customer.Birthday{Year: 2026, Month: 6, Day: 10, Lunar: true, LeapMonth: true}, "birthday.leapMonth"},
		{"year outside the table", customer.Birthday{Year: 1890, Month: 6, Day: 10, Lunar: true}, "birthday.year"},
		{"leap flag on a Gregorian birthday", customer.Birthday{Month: 6, Day: 10, LeapMonth: true}, "birthday.leapMonth"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.b.Validate()
			if c.field == "" {
				assert.NoError(t, err)
				return
			}
			var fe *customer.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, c.field, fe.Field)
		})
	}
}
