package metrics

import (
	"fmt"
	"iter"
	"math"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/shopspring/decimal"
	"golang.org/x/text/message"
)

// ReportCampaign is a campaign the period report measures: its
// definition and member records (campaign.Store.Members, re-iterable).
// Its purchases and returns come from the report's own streams.
type ReportCampaign struct {
	Campaign *campaign.Campaign
	Members  iter.Seq2[campaign.Member, error]
	// UnitCost gives margins (see CampaignInput); nil leaves them out.
	UnitCost func(customer.Line) (decimal.Decimal, bool)
}

// campaigns measures the campaigns whose window overlaps the report's
// current one, in the order given.
func (r *Report) campaigns(in ReportInput, o ReportOptions) error {
	for _, rc := range in.Campaigns {
		c := rc.Campaign
		if c == nil {
			return fieldErr(ErrInvalidArgument, "report input", "Campaigns", "a campaign is nil")
		}
		if !c.IssueFrom.Before(o.Current.To) || !c.MeasureTo.After(o.Current.From) {
			continue
		}
		res, err := CampaignResults(CampaignInput{Campaign: c, Members: rc.Members,
			Purchases: PurchasesIn(in.Purchases, c.Currency), Returns: ReturnsIn(orEmpty(in.Returns), c.Currency), UnitCost: rc.UnitCost})
		if err != nil {
			return err
		}
		r.Campaigns = append(r.Campaigns, res)
	}
	return nil
}

// campaignTable is one row per campaign: the arms, reach, redemption,
// revenue per member in each arm, the uplift with its interval, the
// incremental revenue and the cost.
func campaignTable(p *message.Printer, rs []CampaignResult) ([]string, [][]string) {
	header := []string{p.Sprintf("Campaign"), p.Sprintf("Treated"), p.Sprintf("Control"), p.Sprintf("Reach"),
		p.Sprintf("Redemption rate"), p.Sprintf("Revenue per member, treated"), p.Sprintf("Revenue per member, control"),
		p.Sprintf("Uplift per member"), p.Sprintf("95%% CI"), p.Sprintf("Incremental revenue"), p.Sprintf("Cost")}
	var rows [][]string
	for _, c := range rs {
		scale, _ := money.MinorUnits(c.Currency)
		name := c.Name
		if name == "" {
			name = c.CampaignID
		}
		row := []string{name, fmt.Sprint(c.Treated.Members), fmt.Sprint(c.Control.Members), fmt.Sprint(c.Reach),
			rateCell(c.Redemption).value(p),
			c.Treated.RevenuePerMember.StringFixed(scale), c.Control.RevenuePerMember.StringFixed(scale)}
		if c.Unmeasured != "" {
			row = append(row, p.Sprintf("n/a"), p.Sprintf(c.Unmeasured), p.Sprintf("n/a"))
		} else {
			u := c.RevenueUplift
			row = append(row, fmt.Sprintf("%+.2f", u.Difference), fmt.Sprintf("%.2f – %.2f", u.CI.Lower, u.CI.Upper),
				c.IncrementalRevenue.StringFixed(scale))
		}
		rows = append(rows, append(row, c.Cost.StringFixed(scale)+" "+c.Currency))
	}
	return header, rows
}

// Layout of the uplift chart.
const (
	upliftLeft  = 160
	upliftWidth = 420
	upliftRow   = 28
	upliftTop   = 34
)

// upliftView is a forest plot: per campaign, the revenue uplift per
// member as a dot and its 95% interval as a line, against zero.
type upliftView struct {
	Title         string
	Width, Height float64
	Present       bool
	Axis          svgRect // the zero line
	Whiskers      []svgRect
	Dots          []svgText
	Labels        []svgText
}

func newUpliftChart(p *message.Printer, rs []CampaignResult) upliftView {
	v := upliftView{Title: p.Sprintf("Campaign uplift: revenue per member, treated less control, with 95%% CI")}
	var measured []CampaignResult
	span := 0.0
	for _, c := range rs {
		if c.Unmeasured != "" || c.RevenueUplift.CI.IsZero() {
			continue
		}
		measured = append(measured, c)
		span = math.Max(span, math.Max(math.Abs(c.RevenueUplift.CI.Lower), math.Abs(c.RevenueUplift.CI.Upper)))
	}
	if len(measured) == 0 {
		return v
	}
	if span == 0 {
		span = 1
	}
	v.Present = true
	v.Width = upliftLeft + upliftWidth + 40
	v.Height = upliftTop + float64(len(measured))*upliftRow + 30
	x := func(val float64) float64 { return r1(upliftLeft + upliftWidth*(0.5+val/(2*span))) }
	v.Axis = svgRect{X: x(0), Y: upliftTop - 6, W: 1, H: float64(len(measured))*upliftRow + 6, Fill: "#999"}
	for i, c := range measured {
		u := c.RevenueUplift
		y := upliftTop + float64(i)*upliftRow + upliftRow/2
		name := c.Name
		if name == "" {
			name = c.CampaignID
		}
		colour := "rgb(31,90,160)"
		if !u.Significant() {
			colour = "#999"
		}
		v.Labels = append(v.Labels, svgText{X: upliftLeft - 8, Y: y + 4, Text: name, Anchor: "end"})
		v.Whiskers = append(v.Whiskers, svgRect{X: x(u.CI.Lower), Y: y - 1, W: r1(x(u.CI.Upper) - x(u.CI.Lower)), H: 2, Fill: colour,
			Title: fmt.Sprintf("%s: %+.2f %s (%.2f to %.2f), n = %d / %d", name, u.Difference, c.Currency, u.CI.Lower, u.CI.Upper, u.TreatedN, u.ControlN)})
		v.Dots = append(v.Dots, svgText{X: x(u.Difference), Y: y, Text: colour})
	}
	bottom := v.Height - 10
	v.Labels = append(v.Labels,
		svgText{X: x(-span), Y: bottom, Text: fmt.Sprintf("%.2f", -span), Anchor: "start"},
		svgText{X: x(0), Y: bottom, Text: "0", Anchor: "middle"},
		svgText{X: x(span), Y: bottom, Text: fmt.Sprintf("%+.2f", span), Anchor: "end"})
	return v
}

// membershipTable is the paid membership fees over the period: what came
// in and went back, what was earned, and what is still owed in service.
func membershipTable(p *message.Printer, m *MembershipRevenue) ([]string, [][]string) {
	if m == nil || m.Terms == 0 {
		return nil, nil
	}
	scale, _ := money.MinorUnits(m.Currency)
	f := func(d decimal.Decimal) string { return d.StringFixed(scale) + " " + m.Currency }
	return []string{p.Sprintf("Metric"), p.Sprintf("Current")}, [][]string{
		{p.Sprintf("Cards sold"), fmt.Sprint(m.Sold)},
		{p.Sprintf("Renewals"), fmt.Sprint(m.Renewals)},
		{p.Sprintf("Refunds"), fmt.Sprint(m.Refunds)},
		{p.Sprintf("Fees received"), f(m.Received)},
		{p.Sprintf("Fees refunded"), f(m.Refunded)},
		{p.Sprintf("Revenue recognised"), f(m.Recognised)},
		{p.Sprintf("Deferred revenue at the start"), f(m.DeferredStart)},
		{p.Sprintf("Deferred revenue at the end"), f(m.DeferredEnd)},
		{p.Sprintf("Active paid members at the end"), fmt.Sprint(m.Active)},
	}
}
