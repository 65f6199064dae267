package sqlite_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/loyalty/campaign/campaigntest"
)

func TestCampaignStore(t *testing.T) {
	campaigntest.Run(t, func(t *testing.T) campaign.Store { return open(t).Campaigns() })
}
