package campaign_test

import (
	"encoding/json"
	"testing"

	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const campaignJSON = `{
  "id": "win-back-dec", "name": "December win-back", "currency": "CNY",
  "audience": {"name": "win-back", "purpose": "marketing", "channel": "sms",
    "rule": {"version": 1, "name": "win-back", "rule": {"lifecycle": {"in": ["at-risk"]}}}},
  "offer": {"kind": "coupon", "rewardId": "coupon-20", "validDays": 14, "contactCost": "0.05", "faceValue": "20"},
  "issueFrom": "2026-12-01T00:00:00+08:00", "issueTo": "2026-12-08T00:00:00+08:00", "measureTo": "2027-01-01T00:00:00+08:00",
  "controlShare": "0.2", "budget": {"maxCost": "5000"}
}`

func TestParseCampaign(t *testing.T) {
	c, err := campaign.ParseCampaign([]byte(campaignJSON))
	require.NoError(t, err)
	assert.Equal(t, "coupon-20", c.Offer.RewardID)
	assert.Equal(t, "0.2", c.ControlShare.String())
	// Round trip: what it writes, it reads back alike.
	data, err := json.Marshal(c)
	require.NoError(t, err)
	again, err := campaign.ParseCampaign(data)
	require.NoError(t, err)
	assert.Equal(t, c.ID, again.ID)
	assert.True(t, c.IssueFrom.Equal(again.IssueFrom))

	_, err = campaign.ParseCampaign([]byte(`{"id": "x", "id": "y", "colour": "red"}`))
	require.ErrorIs(t, err, campaign.ErrInvalid)
	assert.Contains(t, err.Error(), "campaign: id: key given twice")
	assert.Contains(t, err.Error(), "campaign: colour: unknown field")
	_, err = campaign.ParseCampaign([]byte(campaignJSON + ` {}`))
	assert.ErrorIs(t, err, campaign.ErrInvalid, "trailing data")
}

func FuzzParseCampaign(f *testing.F) {
	f.Add([]byte(campaignJSON))
	f.Add([]byte(`{"controlShare": "0.7", "offer": {"kind": "points", "points": -1}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := campaign.ParseCampaign(data)
		if err != nil {
			require.ErrorIs(t, err, campaign.ErrInvalid)
			return
		}
		require.NoError(t, c.Validate())
	})
}
