package metrics

import (
	"iter"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/shopspring/decimal"
)

// CampaignInput is what a campaign's results read.
type CampaignInput struct {
	Campaign *campaign.Campaign
	// Members are the campaign's member records (campaign.Store.Members).
	Members iter.Seq2[campaign.Member, error]
	// Purchases and Returns are the shop's, any order; those of the
	// campaign's members inside its window count. Returns may be nil.
	Purchases iter.Seq2[customer.Purchase, error]
	Returns   iter.Seq2[customer.Return, error]
	// UnitCost is the cost of goods of one unit of a line, for margins;
	// nil leaves margin out. A line it has no cost for counts at no cost,
	// and CampaignResult.UncostedLines says how many there were.
	UnitCost func(customer.Line) (decimal.Decimal, bool)
}

// GroupFigures are one arm's figures over the campaign's window.
type GroupFigures struct {
	Members int `json:"members"`
	// Buyers is the members with a purchase in the window; Conversion is
	// Buyers of Members.
	Buyers     int  `json:"buyers"`
	Conversion Rate `json:"conversion"`
	// Revenue is what the members paid in the window less what was
	// refunded on those purchases in it; Margin is Revenue less the cost
	// of the goods kept. PerMember figures divide by Members (buyers and
	// non-buyers alike: the effect of being in the group).
	Revenue          decimal.Decimal `json:"revenue"`
	Margin           decimal.Decimal `json:"margin"`
	RevenuePerMember decimal.Decimal `json:"revenuePerMember"`
	MarginPerMember  decimal.Decimal `json:"marginPerMember"`
}

// CampaignResult is what a campaign achieved, measured against its
// control group.
type CampaignResult struct {
	CampaignID string `json:"campaignId"`
	Name       string `json:"name,omitempty"`
	Currency   string `json:"currency"`
	// Window is the campaign's IssueFrom to MeasureTo.
	Window  Window       `json:"window"`
	Treated GroupFigures `json:"treated"`
	Control GroupFigures `json:"control"`
	// Reach is the treated members whose offer went out; Redemption is
	// those who used it, of Reach.
	Reach      int  `json:"reach"`
	Redemption Rate `json:"redemption"`
	// Uplifts of revenue and margin per member (Welch) and of conversion
	// (Newcombe), treated less control, in currency units and shares.
	RevenueUplift    Uplift `json:"revenueUplift"`
	MarginUplift     Uplift `json:"marginUplift"`
	ConversionUplift Uplift `json:"conversionUplift"`
	// IncrementalRevenue and IncrementalMargin are the uplifts per member
	// times the treated members, rounded to the minor unit.
	IncrementalRevenue decimal.Decimal `json:"incrementalRevenue"`
	IncrementalMargin  decimal.Decimal `json:"incrementalMargin"`
	// Cost is ContactCost per member reached plus the value of the
	// redemptions recorded.
	Cost decimal.Decimal `json:"cost"`
	// WithMargin says margins were computed (UnitCost given);
	// UncostedLines counts lines UnitCost had no cost for.
	WithMargin    bool `json:"withMargin"`
	UncostedLines int  `json:"uncostedLines,omitempty"`
	// Unmeasured says why no uplift exists ("no control group", "no
	// members"); empty when both groups have members.
	Unmeasured string `json:"unmeasured,omitempty"`
}

type memberTally struct {
	group   campaign.Group
	bought  bool
	revenue int64 // minor units
	margin  int64
}

// CampaignResults measures a campaign: per arm, the members, buyers,
// revenue and margin per member in the window [IssueFrom, MeasureTo); the
// reach and redemption of the offer; the uplifts with their intervals;
// and the cost. It reads the members once, then the purchases and the
// returns once each, keeping one tally per member.
func CampaignResults(in CampaignInput) (CampaignResult, error) {
	c := in.Campaign
	if c == nil || in.Members == nil || in.Purchases == nil {
		return CampaignResult{}, fieldErr(ErrInvalidArgument, "campaign input", "Campaign/Members/Purchases", "are required")
	}
	if err := c.Validate(); err != nil {
		return CampaignResult{}, fieldErr(ErrInvalidArgument, "campaign "+c.ID, "Campaign", "%v", err)
	}
	scale, _ := money.MinorUnits(c.Currency)
	w := Window{From: c.IssueFrom, To: c.MeasureTo}
	out := CampaignResult{CampaignID: c.ID, Name: c.Name, Currency: c.Currency, Window: w, WithMargin: in.UnitCost != nil}
	tally := map[string]*memberTally{}
	var redeemedMinor int64
	redeemed := 0
	for m, err := range in.Members {
		if err != nil {
			return CampaignResult{}, readErr("campaign members", err)
		}
		tally[m.MemberID] = &memberTally{group: m.Group}
		if m.Group == campaign.Treated && m.Reference != "" {
			out.Reach++
			if m.RedeemedOn != "" {
				redeemed++
				redeemedMinor += m.RedeemedMinor
			}
		}
	}
	type bought struct {
		member string
		lines  []customer.Line
	}
	kept := map[string]bought{}
	guard := currencyGuard{}
	if err := guard.check("campaign", c.ID, c.Currency); err != nil {
		return CampaignResult{}, err
	}
	for p, err := range in.Purchases {
		if err != nil {
			return CampaignResult{}, readErr("purchases", err)
		}
		mt, ok := tally[p.CustomerID]
		if !ok || !w.Contains(p.Time) {
			continue
		}
		if err := guard.check("purchase", p.ID, p.Currency); err != nil {
			return CampaignResult{}, err
		}
		total, ok := toMinor(p.Total(), scale)
		if !ok {
			return CampaignResult{}, fieldErr(ErrInvalidArgument, "purchase "+p.ID, "Total", "not an amount in the currency's minor unit")
		}
		cost, uncosted := linesCost(in.UnitCost, p.Lines, nil, scale)
		out.UncostedLines += uncosted
		mt.bought = true
		mt.revenue += total
		mt.margin += total - cost
		kept[p.ID] = bought{p.CustomerID, p.Lines}
	}
	for r, err := range orEmpty(in.Returns) {
		if err != nil {
			return CampaignResult{}, readErr("returns", err)
		}
		b, ok := kept[r.PurchaseID]
		if !ok || !w.Contains(r.Time) {
			continue
		}
		refund, ok := toMinor(r.Refund, scale)
		if !ok {
			return CampaignResult{}, fieldErr(ErrInvalidArgument, "return "+r.ID, "Refund", "not an amount in the currency's minor unit")
		}
		cost, _ := linesCost(in.UnitCost, b.lines, r.Lines, scale)
		mt := tally[b.member]
		mt.revenue -= refund
		mt.margin -= refund - cost
	}
	var rev, mar [2][]float64 // treated, control, in currency units
	var buyers [2]int
	var revSum, marSum [2]int64
	unit := decimal.New(1, -scale).InexactFloat64()
	for _, mt := range tally {
		g := 0
		if mt.group == campaign.Control {
			g = 1
		}
		rev[g] = append(rev[g], float64(mt.revenue)*unit)
		mar[g] = append(mar[g], float64(mt.margin)*unit)
		revSum[g] += mt.revenue
		marSum[g] += mt.margin
		if mt.bought {
			buyers[g]++
		}
	}
	figures := func(g int) GroupFigures {
		n := len(rev[g])
		f := GroupFigures{Members: n, Buyers: buyers[g], Conversion: newRate(buyers[g], n),
			Revenue: decimal.New(revSum[g], -scale), Margin: decimal.New(marSum[g], -scale)}
		f.RevenuePerMember = perHead(f.Revenue, n, scale)
		f.MarginPerMember = perHead(f.Margin, n, scale)
		return f
	}
	out.Treated, out.Control = figures(0), figures(1)
	out.Redemption = newRate(redeemed, out.Reach)
	reach := decimal.NewFromInt(int64(out.Reach))
	out.Cost = c.Offer.ContactCost.Mul(reach).Add(decimal.New(redeemedMinor, -scale))
	switch {
	case out.Treated.Members == 0:
		out.Unmeasured = "no treated members"
	case out.Control.Members == 0:
		out.Unmeasured = "no control group"
	}
	if out.Unmeasured != "" {
		return out, nil
	}
	out.RevenueUplift = MeanUplift(rev[0], rev[1])
	out.MarginUplift = MeanUplift(mar[0], mar[1])
	out.ConversionUplift = RateUplift(buyers[0], len(rev[0]), buyers[1], len(rev[1]))
	// The incremental totals come from the exact per-member figures, not
	// from the float means: (T/nT − C/nC)·nT, rounded once.
	nt := decimal.NewFromInt(int64(out.Treated.Members))
	incr := func(t, c decimal.Decimal) decimal.Decimal {
		perC := c.DivRound(decimal.NewFromInt(int64(out.Control.Members)), scale+8)
		return t.Sub(perC.Mul(nt)).Round(scale)
	}
	out.IncrementalRevenue = incr(out.Treated.Revenue, out.Control.Revenue)
	out.IncrementalMargin = incr(out.Treated.Margin, out.Control.Margin)
	return out, nil
}

// linesCost is the cost of goods of lines (or of the returned quantities
// of them), in minor units, rounded half away from zero per line, and the
// number of lines with no cost.
func linesCost(unitCost func(customer.Line) (decimal.Decimal, bool), lines []customer.Line, returned []customer.ReturnLine, scale int32) (int64, int) {
	if unitCost == nil {
		return 0, 0
	}
	var sum int64
	uncosted := 0
	add := func(l customer.Line, qty decimal.Decimal) {
		uc, ok := unitCost(l)
		if !ok {
			uncosted++
			return
		}
		v, _ := toMinor(uc.Mul(qty).Round(scale), scale)
		sum += v
	}
	if returned == nil {
		for _, l := range lines {
			add(l, l.Quantity)
		}
		return sum, uncosted
	}
	for _, r := range returned {
		if r.Line >= 1 && r.Line <= len(lines) {
			add(lines[r.Line-1], r.Quantity)
		}
	}
	return sum, uncosted
}
