package campaign_test

import (
	"context"
	"fmt"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
)

// printIssuer stands in for the loyalty service or an SMS gateway.
type printIssuer struct{}

func (printIssuer) Issue(_ context.Context, r campaign.IssueRequest) (string, error) {
	return "coupon-for-" + r.MemberID, nil
}

func ExampleService_Issue() {
	c := &campaign.Campaign{ID: "win-back-dec", Currency: "CNY",
		Audience: segment.WinBack(customer.ContactSMS),
		Offer: campaign.Offer{Kind: campaign.OfferCoupon, RewardID: "coupon-20", ValidDays: 14,
			ContactCost: decimal.RequireFromString("0.05"), FaceValue: decimal.RequireFromString("20")},
		IssueFrom: start, IssueTo: start.AddDate(0, 0, 7), MeasureTo: start.AddDate(0, 1, 0),
		ControlShare: decimal.RequireFromString("0.25"),
		Budget:       campaign.Budget{MaxCost: decimal.RequireFromString("1000")}}
	s, _ := campaign.NewService(campaign.NewMemoryStore(), printIssuer{}, nil)
	// The audience as segment.Audience.Select returns it: members who
	// match the rule and consented to marketing by text message.
	audience := segment.NewMembership([]string{"m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08"})
	rep, err := s.Issue(context.Background(), c, audience, start)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("treated", rep.Treated, "control", rep.Control)
	for _, o := range rep.Offered[:2] {
		fmt.Println(o.MemberID, o.Reference, o.ValidUntil.Format("2006-01-02"))
	}
	again, _ := s.Issue(context.Background(), c, audience, start.AddDate(0, 0, 1))
	fmt.Println("rerun: resumed", again.Resumed, "offered", len(again.Offered))
	// Output:
	// treated 6 control 2
	// m02 coupon-for-m02 2026-12-15
	// m03 coupon-for-m03 2026-12-15
	// rerun: resumed 8 offered 0
}
