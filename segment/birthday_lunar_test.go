package segment

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A birthday on the 20th of the 12th Chinese month is kept on 7 February
// 2026 (the Chinese year 2025's) and in January 2027 (2026's): the
// birthday leaves read its Gregorian date, not the numbers as stated.
func TestLunarBirthdayLeaves(t *testing.T) {
	f := &Facts{CustomerID: "c1", Birthday: customer.Birthday{Month: 12, Day: 20, Lunar: true}}
	match := func(n Node, asOf time.Time) bool {
		t.Helper()
		m, err := Rule{Version: RuleVersion, Name: "r", Root: n}.Compile(asOf, nil)
		require.NoError(t, err)
		return m.Match(f)
	}
	assert.True(t, match(BirthdayMonth{}, time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)))
	assert.False(t, match(BirthdayMonth{}, time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)), "not the Gregorian reading")
	assert.True(t, match(BirthdayWithin{Days: 7}, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)))
	assert.False(t, match(BirthdayWithin{Days: 7}, time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)))
	// Gregorian birthdays read as before.
	f.Birthday = customer.Birthday{Month: 12, Day: 20}
	assert.True(t, match(BirthdayMonth{}, time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)))
	assert.True(t, match(BirthdayWithin{Days: 7}, time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)))
}
