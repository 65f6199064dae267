package metrics

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// The report shop's March campaign: m1 and m4 treated, m3 held out. In
// March m1 paid 120 − 20 + 30 = 130 and m4 60; m3 paid 70.
func TestReportMeasuresCampaigns(t *testing.T) {
	in := reportShop()
	c := testCampaign()
	c.ID, c.Name = "march", "March win-back"
	c.IssueFrom, c.IssueTo, c.MeasureTo = utc("2026-03-01T00:00:00Z"), utc("2026-03-02T00:00:00Z"), utc("2026-04-01T00:00:00Z")
	members := []campaign.Member{
		{CampaignID: "march", MemberID: "m1", Group: campaign.Treated, Reference: "c1", RedeemedOn: "p4", RedeemedMinor: 2000},
		{CampaignID: "march", MemberID: "m4", Group: campaign.Treated, Reference: "c4"},
		{CampaignID: "march", MemberID: "m3", Group: campaign.Control},
		{CampaignID: "march", MemberID: "m9", Group: campaign.Control},
	}
	old := *c
	old.ID, old.IssueFrom, old.IssueTo, old.MeasureTo = "last-year", utc("2025-03-01T00:00:00Z"), utc("2025-03-02T00:00:00Z"), utc("2025-04-01T00:00:00Z")
	in.Campaigns = []ReportCampaign{{Campaign: c, Members: seqOf(members)}, {Campaign: &old, Members: seqOf(members)}}
	r, err := BuildReport(in, reportOptions())
	require.NoError(t, err)
	require.Len(t, r.Campaigns, 1, "only the campaign overlapping the period")
	got := r.Campaigns[0]
	assert.True(t, decimal.RequireFromString("95").Equal(got.Treated.RevenuePerMember), got.Treated.RevenuePerMember.String())
	assert.True(t, decimal.RequireFromString("35").Equal(got.Control.RevenuePerMember), got.Control.RevenuePerMember.String())
	assert.True(t, decimal.RequireFromString("120").Equal(got.IncrementalRevenue))
	assert.True(t, decimal.RequireFromString("20.2").Equal(got.Cost))

	var html bytes.Buffer
	require.NoError(t, WriteHTML(&html, r, nil))
	page := html.String()
	assert.Contains(t, page, "March win-back")
	assert.Contains(t, page, "Campaign uplift")
	assert.Contains(t, page, "<circle", "the forest plot's dot")
	dec := xml.NewDecoder(strings.NewReader(page[strings.Index(page, "<html"):]))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the page stays well-formed XML")
	}
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, &RenderOptions{Language: language.SimplifiedChinese}))
	assert.Contains(t, text.String(), "营销活动")
	assert.Contains(t, text.String(), "增量收入")
}

func TestReportShowsPaidMembership(t *testing.T) {
	in := reportShop()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	in.Memberships = seqOf([]membership.Term{
		{ID: "a", Currency: "CNY", FeeMinor: 36500, PaidAt: day(2026, 1, 1), Start: day(2026, 1, 1), End: day(2027, 1, 1)},
	})
	r, err := BuildReport(in, reportOptions())
	require.NoError(t, err)
	require.NotNil(t, r.Membership)
	// March 2026: 31 days of a 365-day, 365.00 term; 59 days had begun before.
	assert.True(t, decimal.RequireFromString("31").Equal(r.Membership.Recognised), r.Membership.Recognised.String())
	assert.True(t, decimal.RequireFromString("306").Equal(r.Membership.DeferredStart), r.Membership.DeferredStart.String())
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, &RenderOptions{Language: language.SimplifiedChinese}))
	assert.Contains(t, text.String(), "期末递延收入")
	assert.Contains(t, text.String(), "275.00 CNY")
}
