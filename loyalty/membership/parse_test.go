package membership_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const planJSON = `{"id": "black-card", "name": "Black card", "currency": "CNY", "fee": "365", "termMonths": 12,
  "coolingOffDays": 7, "renewWithinDays": 30,
  "benefits": {"tier": "gold", "earnMultiplier": "1.5", "memberPrice": true, "monthlyCoupons": ["coupon-20"], "tag": "paid-member"}}`

func TestParsePlan(t *testing.T) {
	p, err := membership.ParsePlan([]byte(planJSON))
	require.NoError(t, err)
	assert.Equal(t, "gold", p.Benefits.Tier)
	_, err = membership.ParsePlan([]byte(`{"id": "x", "currency": "CNY", "fee": "0", "termMonths": 40, "benefits": {"vip": true}}`))
	require.ErrorIs(t, err, membership.ErrInvalid)
	assert.Contains(t, err.Error(), "membership: benefits.vip: unknown field")
	_, err = membership.ParsePlan([]byte(`{"id": "x", "currency": "CNY", "fee": "0", "termMonths": 40}`))
	assert.ErrorContains(t, err, "membership: fee:")
	assert.ErrorContains(t, err, "membership: termMonths:")
}

func FuzzParsePlan(f *testing.F) {
	f.Add([]byte(planJSON))
	f.Add([]byte(`{"fee": "99999999999999999999"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := membership.ParsePlan(data)
		if err != nil {
			require.ErrorIs(t, err, membership.ErrInvalid)
			return
		}
		require.NoError(t, p.Validate())
	})
}
