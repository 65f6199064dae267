package referral_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const policyJSON = `{"currency": "CNY", "minAmount": "50", "bindWithinDays": 1, "qualifyWithinDays": 30,
  "returnWindowDays": 7, "maxRewarded": 20, "maxBoundPerPeriod": 5, "period": "month"}`

func TestParsePolicy(t *testing.T) {
	p, err := referral.ParsePolicy([]byte(policyJSON))
	require.NoError(t, err)
	assert.Equal(t, int64(5), p.MaxBoundPerPeriod)
	_, err = referral.ParsePolicy([]byte(`{"currency": "CNY", "minAmount": "-1", "period": "fortnight", "returnWindowDays": 7}`))
	require.ErrorIs(t, err, referral.ErrInvalid)
	assert.Contains(t, err.Error(), "referral: minAmount:")
	assert.Contains(t, err.Error(), "referral: period:")
	_, err = referral.ParsePolicy([]byte(`{"currency": "CNY", "bonus": 5}`))
	assert.ErrorContains(t, err, "referral: bonus: unknown field")
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(policyJSON))
	f.Add([]byte(`{"currency": "XXX", "minAmount": "1e400"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := referral.ParsePolicy(data)
		if err != nil {
			require.ErrorIs(t, err, referral.ErrInvalid)
			return
		}
		require.NoError(t, p.Validate())
	})
}
