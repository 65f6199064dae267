package campaigntest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/campaign"
)

// What the kit checks, by hand on the memory store: a save naming a
// version that is no longer current is a conflict and writes nothing.
// An adapter's test runs the whole kit:
//
//	func TestCampaignStore(t *testing.T) {
//		campaigntest.Run(t, func(t *testing.T) campaign.Store { return newStore(t) })
//	}
func Example() {
	ctx := context.Background()
	s := campaign.NewMemoryStore()
	h := campaign.Header{CampaignID: "c1", Version: 1, Treated: 1}
	fmt.Println(s.Save(ctx, campaign.Write{Header: h, Member: campaign.Member{CampaignID: "c1", MemberID: "m1", Group: campaign.Treated}}))
	err := s.Save(ctx, campaign.Write{Header: h, Member: campaign.Member{CampaignID: "c1", MemberID: "m2", Group: campaign.Control}})
	fmt.Println(errors.Is(err, campaign.ErrConflict))
	_, err = s.GetMember(ctx, "c1", "m2")
	fmt.Println(errors.Is(err, campaign.ErrNotFound))
	// Output:
	// <nil>
	// true
	// true
}
