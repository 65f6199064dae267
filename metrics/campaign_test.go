package metrics

import (
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var campStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func testCampaign() *campaign.Campaign {
	return &campaign.Campaign{ID: "nov", Name: "November", Currency: "CNY",
		Audience: segment.WinBack(customer.ContactSMS),
		Offer: campaign.Offer{Kind: campaign.OfferCoupon, RewardID: "c20",
			ContactCost: decimal.RequireFromString("0.10"), FaceValue: decimal.RequireFromString("20")},
		IssueFrom: campStart, IssueTo: campStart.AddDate(0, 0, 7), MeasureTo: campStart.AddDate(0, 1, 0),
		ControlShare: decimal.RequireFromString("0.4")}
}

func seqOf[T any](xs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func campBuy(id, member string, at time.Time, lines ...customer.Line) customer.Purchase {
	return customer.Purchase{ID: id, CustomerID: member, Time: at, Currency: "CNY", Store: "S1", Lines: lines}
}

func ln(sku string, qty int64, price string) customer.Line {
	q := decimal.NewFromInt(qty)
	return customer.Line{SKU: sku, Quantity: q, UnitPrice: decimal.RequireFromString(price), Total: q.Mul(decimal.RequireFromString(price))}
}

// Three treated members (t1 reached and redeemed, t2 reached, t3 drawn but
// not yet issued) and two control members; every figure by hand.
func TestCampaignResultsByHand(t *testing.T) {
	day := func(d int) time.Time { return campStart.AddDate(0, 0, d) }
	members := []campaign.Member{
		{CampaignID: "nov", MemberID: "t1", Group: campaign.Treated, Reference: "c-1", RedeemedOn: "p1", RedeemedMinor: 2000},
		{CampaignID: "nov", MemberID: "t2", Group: campaign.Treated, Reference: "c-2"},
		{CampaignID: "nov", MemberID: "t3", Group: campaign.Treated},
		{CampaignID: "nov", MemberID: "c1", Group: campaign.Control},
		{CampaignID: "nov", MemberID: "c2", Group: campaign.Control},
	}
	purchases := []customer.Purchase{
		campBuy("p1", "t1", day(2), ln("A", 2, "50"), ln("B", 1, "30")), // 130
		campBuy("p2", "t2", day(3), ln("A", 1, "50")),                   // 50, half returned below... all of it
		campBuy("p0", "t1", day(-1), ln("A", 1, "50")),                  // before the window
		campBuy("p3", "c1", day(4), ln("B", 2, "30")),                   // 60
		campBuy("p9", "x9", day(4), ln("B", 2, "30")),                   // not in the campaign
		campBuy("p4", "c1", day(40), ln("B", 1, "30")),                  // after the window
	}
	returns := []customer.Return{
		{ID: "r1", PurchaseID: "p2", Time: day(5), Currency: "CNY", Refund: decimal.RequireFromString("50"),
			Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}},
	}
	cost := func(l customer.Line) (decimal.Decimal, bool) {
		switch l.SKU {
		case "A":
			return decimal.RequireFromString("20"), true
		case "B":
			return decimal.RequireFromString("12.5"), true
		}
		return decimal.Zero, false
	}
	r, err := CampaignResults(CampaignInput{Campaign: testCampaign(), Members: seqOf(members),
		Purchases: seqOf(purchases), Returns: seqOf(returns), UnitCost: cost})
	require.NoError(t, err)
	// Treated revenue 130 + 50 − 50 = 130 over 3; margin: p1 130 − (40 + 12.5) = 77.5, p2 50 − 20 − (50 − 20) = 0.
	assert.Equal(t, 3, r.Treated.Members)
	assert.Equal(t, 2, r.Treated.Buyers)
	assert.True(t, decimal.RequireFromString("130").Equal(r.Treated.Revenue))
	assert.True(t, decimal.RequireFromString("43.33").Equal(r.Treated.RevenuePerMember), r.Treated.RevenuePerMember.String())
	assert.True(t, decimal.RequireFromString("77.5").Equal(r.Treated.Margin), r.Treated.Margin.String())
	// Control revenue 60 over 2, margin 60 − 25 = 35.
	assert.True(t, decimal.RequireFromString("30").Equal(r.Control.RevenuePerMember))
	assert.True(t, decimal.RequireFromString("35").Equal(r.Control.Margin))
	assert.Equal(t, 2, r.Reach)
	assert.Equal(t, 1, r.Redemption.Numerator)
	assert.Equal(t, 2, r.Redemption.Denominator)
	// Cost: 2 reached × 0.10 + the 20.00 redeemed.
	assert.True(t, decimal.RequireFromString("20.2").Equal(r.Cost), r.Cost.String())
	// Incremental revenue: 130 − 30 × 3 = 40; margin 77.5 − 17.5 × 3 = 25.
	assert.True(t, decimal.RequireFromString("40").Equal(r.IncrementalRevenue), r.IncrementalRevenue.String())
	assert.True(t, decimal.RequireFromString("25").Equal(r.IncrementalMargin), r.IncrementalMargin.String())
	assert.InDelta(t, 130.0/3-30, r.RevenueUplift.Difference, 1e-9)
	assert.Equal(t, MethodWelch, r.RevenueUplift.CI.Method)
	assert.InDelta(t, 2.0/3-0.5, r.ConversionUplift.Difference, 1e-12)
	assert.Zero(t, r.UncostedLines)
}

func TestCampaignResultsRefusals(t *testing.T) {
	_, err := CampaignResults(CampaignInput{})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	c := testCampaign()
	c.ControlShare = decimal.Zero
	r, err := CampaignResults(CampaignInput{Campaign: c, Members: seqOf([]campaign.Member{{MemberID: "t1", Group: campaign.Treated}}),
		Purchases: seqOf([]customer.Purchase{})})
	require.NoError(t, err)
	assert.Equal(t, "no control group", r.Unmeasured)
	assert.True(t, r.RevenueUplift.CI.IsZero())
	usd := campBuy("p1", "t1", campStart.Add(time.Hour), ln("A", 1, "5"))
	usd.Currency = "USD"
	_, err = CampaignResults(CampaignInput{Campaign: c, Members: seqOf([]campaign.Member{{MemberID: "t1", Group: campaign.Treated}}),
		Purchases: seqOf([]customer.Purchase{usd})})
	assert.ErrorIs(t, err, ErrMixedCurrency)
}

// A simulated campaign with a known effect: control members buy a 100 CNY
// basket with probability 0.30, treated members with 0.40, so revenue per
// member rises by 10 and conversion by 0.10. The groups come from the
// campaign's own reproducible draw; the intervals cover the true effects.
func TestCampaignResultsRecoverAKnownEffect(t *testing.T) {
	c := testCampaign()
	c.ControlShare = decimal.RequireFromString("0.5")
	var members []campaign.Member
	var purchases []customer.Purchase
	for i := range 4000 {
		id := "m" + decimal.NewFromInt(int64(i)).String()
		g := campaign.Treated
		p := 0.40
		if campaign.InControl(c.ID, id, c.ControlShare) {
			g, p = campaign.Control, 0.30
		}
		members = append(members, campaign.Member{CampaignID: c.ID, MemberID: id, Group: g, Reference: "x"})
		// A second hash, independent of the draw, decides the purchase.
		if campaign.InControl("buy", id, decimal.NewFromFloat(p)) {
			purchases = append(purchases, campBuy("p"+id, id, campStart.Add(time.Duration(i)*time.Minute), ln("A", 1, "100")))
		}
	}
	slices.Reverse(purchases) // any order
	r, err := CampaignResults(CampaignInput{Campaign: c, Members: seqOf(members), Purchases: seqOf(purchases)})
	require.NoError(t, err)
	t.Logf("treated %d control %d, revenue uplift %.2f [%.2f, %.2f], conversion uplift %.3f [%.3f, %.3f]",
		r.Treated.Members, r.Control.Members, r.RevenueUplift.Difference, r.RevenueUplift.CI.Lower, r.RevenueUplift.CI.Upper,
		r.ConversionUplift.Difference, r.ConversionUplift.CI.Lower, r.ConversionUplift.CI.Upper)
	assert.InDelta(t, 2000, r.Control.Members, 4*31.6)
	assert.True(t, r.RevenueUplift.CI.Lower < 10 && 10 < r.RevenueUplift.CI.Upper)
	assert.True(t, r.ConversionUplift.CI.Lower < 0.1 && 0.1 < r.ConversionUplift.CI.Upper)
	assert.True(t, r.RevenueUplift.Significant())
	assert.False(t, r.WithMargin)
}
