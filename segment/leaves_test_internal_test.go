package segment

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
)

// TestAgeLeafAgreesWithAgeAt checks the integer age against
// customer.Birthday.AgeAt across a leap and a common year, every day.
func TestAgeLeafAgreesWithAgeAt(t *testing.T) {
	births := []customer.Birthday{
		{Year: 1992, Month: time.February, Day: 29}, {Year: 1990, Month: time.January, Day: 1},
		{Year: 1985, Month: time.December, Day: 31}, {Year: 2000, Month: time.March, Day: 1},
		{Year: 1970, Month: time.February, Day: 28},
	}
	for day := time.Date(2023, 12, 25, 12, 0, 0, 0, time.UTC); day.Year() < 2025; day = day.AddDate(0, 0, 1) {
		e := &env{asOf: day, loc: time.UTC}
		c, err := Age{Min: 1}.compile(e)
		assert.NoError(t, err)
		for _, b := range births {
			want, _ := b.AgeAt(day)
			f := &Facts{Known: true, Birthday: b}
			got := c.explain(f).Observed
			assert.Equal(t, "age "+itoa(want), got, "%v on %s", b, day.Format(time.DateOnly))
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
