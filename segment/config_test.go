package segment_test

import (
	"strings"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadConfigs(t *testing.T) {
	c, err := segment.LoadRFMConfig(strings.NewReader(`{"bins":5,"method":"thresholds","thresholds":{
		"recencyDays":[7,30,90,180],"frequency":[2,3,5,8],"monetary":["50","100","500","900"]}}`))
	require.NoError(t, err)
	assert.Equal(t, segment.ByThresholds, c.Method)
	_, err = segment.LoadRFMConfig(strings.NewReader(`{"bins":5,"colour":"red"}`))
	assert.ErrorIs(t, err, segment.ErrInvalid)
	_, err = segment.LoadRFMConfig(strings.NewReader(`{"bins":4}`))
	assert.ErrorContains(t, err, "rfm.map.bins")

	l, err := segment.LoadLifecycleConfig(strings.NewReader(`{"newDays":90,"atRiskDays":365,"lapsedDays":730,"loyalPurchases":3}`))
	require.NoError(t, err)
	assert.Equal(t, 730, l.LapsedDays)
	_, err = segment.LoadLifecycleConfig(strings.NewReader(`{"newDays":90,"atRiskDays":365,"lapsedDays":30,"loyalPurchases":3}`))
	assert.ErrorContains(t, err, "lifecycle.lapsedDays")

	a, err := segment.LoadAudience(strings.NewReader(`{"name":"vip","purpose":"marketing","channel":"sms",
		"rule":{"version":1,"rule":{"tags":{"any":["vip"]}}}}`))
	require.NoError(t, err)
	assert.Equal(t, customer.ContactSMS, a.Channel)
	_, err = segment.LoadAudience(strings.NewReader(`{"name":"vip","purpose":"marketing","channel":"sms",
		"rule":{"version":1,"rule":{"tags":{"anyy":["vip"]}}}}`))
	assert.ErrorContains(t, err, `rule.tags: json: unknown field "anyy"`)
}
