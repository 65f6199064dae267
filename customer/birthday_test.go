package customer

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBirthdayValidate(t *testing.T) {
	tests := []struct {
		name string
		b    Birthday
		ok   bool
	}{
		{"none", Birthday{}, true},
		{"29 February without a year", Birthday{Month: time.February, Day: 29}, true},
		{"29 February in a leap year", Birthday{Year: 2000, Month: time.February, Day: 29}, true},
		{"29 February in a common year", Birthday{Year: 1999, Month: time.February, Day: 29}, false},
		{"31 April", Birthday{Month: time.April, Day: 31}, false},
		{"month 13", Birthday{Month: 13, Day: 1}, false},
		{"day 0", Birthday{Month: time.May, Day: 0}, false},
		{"year 1700", Birthday{Year: 1700, Month: time.May, Day: 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.ok, tt.b.Validate() == nil)
		})
	}
}

func TestBirthdayObservedLeapDay(t *testing.T) {
	b := Birthday{Month: time.February, Day: 29}
	assert.Equal(t, time.Date(2027, time.February, 28, 0, 0, 0, 0, time.UTC), b.Observed(2027, time.UTC))
	assert.Equal(t, time.Date(2028, time.February, 29, 0, 0, 0, 0, time.UTC), b.Observed(2028, time.UTC))
}

func TestBirthdayAgeAt(t *testing.T) {
	b := Birthday{Year: 2000, Month: time.February, Day: 29}
	age, ok := b.AgeAt(time.Date(2027, time.February, 27, 12, 0, 0, 0, time.UTC))
	assert.True(t, ok)
	assert.Equal(t, 26, age)
	age, _ = b.AgeAt(time.Date(2027, time.February, 28, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, 27, age)
	_, ok = Birthday{Month: time.May, Day: 1}.AgeAt(time.Now())
	assert.False(t, ok)
}
