package metrics

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// RenderOptions choose how a report is written.
type RenderOptions struct {
	// Language of the labels: English or Simplified Chinese (the closest
	// of the two is used; the zero Tag is English).
	Language language.Tag
}

// cellKind says how a figure is formatted and how its change is shown.
type cellKind int

const (
	kindCount    cellKind = iota // integer; change absolute and relative
	kindMoney                    // decimal; change absolute and relative
	kindRate                     // 0..1 shown as %; change in percentage points
	kindScore                    // NPS points or a mean; change absolute
	kindDuration                 // hours; change absolute
)

// cell is one figure ready to print.
type cell struct {
	kind  cellKind
	ok    bool // false: no figure (no sample, no programme)
	num   float64
	money decimal.Decimal
	scale int32
	unit  string // currency code for money
	ci    Interval
	n     int // sample size; -1 when not meaningful
}

// metricDef is one line of the shop table.
type metricDef struct {
	label string
	get   func(f Figures) cell
}

// ledgerMetrics are left out of the shop table when the ledger has no
// entry in either window (a shop without a loyalty programme).
var ledgerMetrics = map[string]bool{"Points issued": true, "Points redeemed": true, "Points expired": true}

func countCell(v int64, n int) cell { return cell{kind: kindCount, ok: true, num: float64(v), n: n} }

func rateCell(r Rate) cell {
	return cell{kind: kindRate, ok: r.Denominator > 0, num: r.Value, ci: r.CI, n: r.Denominator}
}

func durationCell(d DurationStats) cell {
	return cell{kind: kindDuration, ok: d.N > 0, num: d.Median.Hours(), n: d.N}
}

func moneyCell(v decimal.Decimal, scale int32, code string, n int) cell {
	return cell{kind: kindMoney, ok: code != "", money: v, scale: scale, unit: code, num: v.InexactFloat64(), n: n}
}

// shopMetrics are the shop table's lines, in order.
var shopMetrics = []metricDef{
	{"Net sales", func(f Figures) cell { return moneyCell(f.Sales.Net, f.Sales.Scale, f.Sales.Currency, f.Sales.Orders) }},
	{"Orders", func(f Figures) cell { return countCell(int64(f.Sales.Orders), -1) }},
	{"Active customers", func(f Figures) cell { return countCell(int64(f.Activity.Active), -1) }},
	{"New customers", func(f Figures) cell { return countCell(int64(f.Activity.New), f.Activity.Active) }},
	{"Repeat purchase rate", func(f Figures) cell { return rateCell(f.Activity.Repeat) }},
	{"Retention rate", func(f Figures) cell { return rateCell(f.Retention.Rate) }},
	{"NPS", func(f Figures) cell {
		s := f.Satisfaction.NPS
		return cell{kind: kindScore, ok: s.N > 0, num: s.Score, ci: s.CI, n: s.N}
	}},
	{"CSAT", func(f Figures) cell {
		s := f.Satisfaction.CSAT
		return cell{kind: kindRate, ok: s.N > 0, num: s.Share, ci: s.CI, n: s.N}
	}},
	{"CES", func(f Figures) cell {
		s := f.Satisfaction.CES
		return cell{kind: kindScore, ok: s.N > 0, num: s.Mean, ci: s.CI, n: s.N}
	}},
	{"Complaints", func(f Figures) cell { return countCell(int64(f.Complaints.Complaints), -1) }},
	{"SLA compliance", func(f Figures) cell { return rateCell(f.Complaints.SLA) }},
	{"Median first response", func(f Figures) cell { return durationCell(f.Complaints.FirstResponse) }},
	{"Median resolution", func(f Figures) cell { return durationCell(f.Complaints.Resolution) }},
	{"Reopen rate", func(f Figures) cell { return rateCell(f.Complaints.Reopen) }},
	{"Remedy cost", func(f Figures) cell {
		k := f.Complaints
		return moneyCell(k.RemedyTotal, scaleOr(k.Currency, f.Sales.Scale), k.Currency, k.Complaints)
	}},
	{"Points issued", func(f Figures) cell { return countCell(f.Points.Issued, -1) }},
	{"Points redeemed", func(f Figures) cell { return countCell(f.Points.Redeemed, -1) }},
	{"Points expired", func(f Figures) cell { return countCell(f.Points.Expired, -1) }},
	{"Outstanding points", func(f Figures) cell {
		if f.Liability == nil {
			return cell{}
		}
		return countCell(f.Liability.Outstanding, f.Liability.Accounts)
	}},
	{"Points liability", func(f Figures) cell {
		if f.Liability == nil {
			return cell{}
		}
		return moneyCell(f.Liability.Value, f.Liability.Scale, f.Liability.Currency, f.Liability.Accounts)
	}},
}

// scopeMetrics are the columns of the store and staff tables.
var scopeMetrics = []string{"Net sales", "Active customers", "Repeat purchase rate", "Retention rate", "NPS", "CSAT", "Complaints", "Points issued"}

func metricByLabel(label string) metricDef {
	for _, m := range shopMetrics {
		if m.label == label {
			return m
		}
	}
	return metricDef{label: label, get: func(Figures) cell { return cell{} }}
}

// scaleOr is the currency's minor-unit scale, or fallback when the code
// is empty or unknown.
func scaleOr(code string, fallback int32) int32 {
	var g currencyGuard
	if code == "" || g.check("", "", code) != nil {
		return fallback
	}
	return g.scale
}

// value formats a figure.
func (c cell) value(p *message.Printer) string {
	if !c.ok {
		return p.Sprintf("n/a")
	}
	switch c.kind {
	case kindMoney:
		return c.money.StringFixed(c.scale) + " " + c.unit
	case kindRate:
		return fmt.Sprintf("%.1f%%", 100*c.num)
	case kindScore:
		return fmt.Sprintf("%.1f", c.num)
	case kindDuration:
		return p.Sprintf("%s h", fmt.Sprintf("%.2f", c.num))
	}
	return fmt.Sprintf("%d", int64(c.num))
}

// interval formats the confidence interval, empty when there is none.
func (c cell) interval() string {
	if !c.ok || c.ci.IsZero() {
		return ""
	}
	if c.kind == kindRate {
		return fmt.Sprintf("%.1f–%.1f%%", 100*c.ci.Lower, 100*c.ci.Upper)
	}
	return fmt.Sprintf("%.1f–%.1f", c.ci.Lower, c.ci.Upper)
}

func (c cell) size() string {
	if !c.ok || c.n < 0 {
		return ""
	}
	return fmt.Sprintf("%d", c.n)
}

// change formats cur − prev: counts and money with the relative change,
// rates in percentage points, scores and hours as a difference.
func change(cur, prev cell) string {
	if !cur.ok || !prev.ok {
		return ""
	}
	switch cur.kind {
	case kindRate:
		return fmt.Sprintf("%+.1f pp", 100*(cur.num-prev.num))
	case kindScore:
		return fmt.Sprintf("%+.1f", cur.num-prev.num)
	case kindDuration:
		return fmt.Sprintf("%+.2f", cur.num-prev.num)
	case kindMoney:
		if cur.unit != prev.unit {
			return ""
		}
		d := cur.money.Sub(prev.money).StringFixed(cur.scale)
		if cur.money.GreaterThan(prev.money) {
			d = "+" + d
		}
		return d + relative(cur.num, prev.num)
	}
	return fmt.Sprintf("%+d", int64(cur.num-prev.num)) + relative(cur.num, prev.num)
}

func relative(cur, prev float64) string {
	if prev == 0 {
		return ""
	}
	r := 100 * (cur - prev) / math.Abs(prev)
	return fmt.Sprintf(" (%+.1f%%)", r)
}

// reportView is a report formatted for one language: the text writer and
// the HTML template both read it, so the two say the same thing.
type reportView struct {
	Lang        string
	Title       string
	Period      string
	ShopTitle   string
	ShopHeader  []string
	ShopRows    [][]string
	StoresTitle string
	StaffTitle  string
	StoreHeader []string
	StoreRows   [][]string
	StaffHeader []string
	StaffRows   [][]string
	ParamsTitle string
	Params      []string
	Heatmap     heatmapView
	Trend       trendView
	Tiers       barsView
	Migration   migrationView

	StoredValueTitle  string
	StoredValueHeader []string
	StoredValueRows   [][]string
	// Campaigns, with the uplift chart.
	CampaignsTitle string
	CampaignHeader []string
	CampaignRows   [][]string
	Uplift         upliftView
	// Paid membership fees.
	MembershipTitle  string
	MembershipHeader []string
	MembershipRows   [][]string
	Deferral         deferralView
}

const dateLayout = "2006-01-02"

func newView(r Report, opts *RenderOptions) reportView {
	var tag language.Tag
	if opts != nil {
		tag = opts.Language
	}
	p, lang := reportPrinter(tag)
	o := r.Options
	v := reportView{
		Lang:  lang.String(),
		Title: p.Sprintf("Customer report"),
		Period: p.Sprintf("Period %s to %s, compared with %s to %s",
			o.Current.From.In(o.Location).Format(dateLayout), o.Current.To.In(o.Location).Format(dateLayout),
			o.Previous.From.In(o.Location).Format(dateLayout), o.Previous.To.In(o.Location).Format(dateLayout)),
		ShopTitle:   p.Sprintf("Shop"),
		StoresTitle: p.Sprintf("Stores"),
		StaffTitle:  p.Sprintf("Staff"),
		ParamsTitle: p.Sprintf("Parameters"),
	}
	v.ShopHeader = []string{p.Sprintf("Metric"), p.Sprintf("Current"), p.Sprintf("95%% CI"), p.Sprintf("n"), p.Sprintf("Previous"), p.Sprintf("Change")}
	points := r.Shop.Current.Points.Entries+r.Shop.Previous.Points.Entries > 0
	for _, m := range shopMetrics {
		cur, prev := m.get(r.Shop.Current), m.get(r.Shop.Previous)
		if (!cur.ok && !prev.ok) || (ledgerMetrics[m.label] && !points) {
			continue // no figure in either window, or no points ledger
		}
		v.ShopRows = append(v.ShopRows, []string{p.Sprintf(m.label), cur.value(p), cur.interval(), cur.size(), prev.value(p), change(cur, prev)})
	}
	v.StoreHeader, v.StoreRows = scopeTable(p, p.Sprintf("Store"), r.Stores, points)
	v.StaffHeader, v.StaffRows = scopeTable(p, p.Sprintf("Staff member"), r.Staff, points)
	v.Params = append(params(p, r), storedValueParams(p, r.StoredValue)...)
	v.StoredValueTitle, v.StoredValueHeader, v.StoredValueRows = storedValueTable(p, r.StoredValue)
	v.Heatmap = newHeatmap(p, r.Cohorts)
	v.Trend = newTrend(p, r.Trend)
	v.Tiers = newBars(p, r.Tiers)
	v.Migration = newMigration(p, r.Migration)
	v.CampaignsTitle = p.Sprintf("Campaigns")
	v.CampaignHeader, v.CampaignRows = campaignTable(p, r.Campaigns)
	v.Uplift = newUpliftChart(p, r.Campaigns)
	v.MembershipTitle = p.Sprintf("Paid membership")
	v.MembershipHeader, v.MembershipRows = membershipTable(p, r.Membership)
	v.Deferral = newDeferralChart(p, r.Membership)
	return v
}

// scopeTable is one row per store or staff member: each metric's current
// value with its sample size where it has one, and the change.
func scopeTable(p *message.Printer, first string, rows []ReportRow, points bool) ([]string, [][]string) {
	labels := make([]string, 0, len(scopeMetrics))
	for _, l := range scopeMetrics {
		if points || !ledgerMetrics[l] {
			labels = append(labels, l)
		}
	}
	header := []string{first}
	for _, l := range labels {
		header = append(header, p.Sprintf(l), p.Sprintf("Change"))
	}
	var out [][]string
	for _, r := range rows {
		line := []string{r.Key}
		for _, l := range labels {
			m := metricByLabel(l)
			cur, prev := m.get(r.Current), m.get(r.Previous)
			val := cur.value(p)
			if s := cur.size(); s != "" && cur.kind != kindMoney {
				val += " (n=" + s + ")"
			}
			line = append(line, val, change(cur, prev))
		}
		out = append(out, line)
	}
	return header, out
}

// params states every definition and parameter the figures used.
func params(p *message.Printer, r Report) []string {
	cur := r.Shop.Current
	csat := cur.Satisfaction.CSAT
	if csat.Scale == 0 {
		o, _ := r.Options.Satisfaction.resolve()
		csat.Scale, csat.TopBox = o.CSATScale, o.CSATTopBox
	}
	out := []string{
		p.Sprintf("Net sales: purchases in the window less refunds made before its end; money %s", p.Sprintf(RoundingRule)),
		p.Sprintf("Active and new customers: members with a purchase in the window; new means first purchase ever"),
		p.Sprintf("Retention: period-over-period, of the customers who bought in the window just before, the share who bought again"),
		p.Sprintf("NPS: promoters 9-10 minus detractors 0-6, interval adjusted Wald (Rocks 2016)"),
		p.Sprintf("CSAT: share of answers %d or above on a 1-%d scale, Wilson interval", csat.TopBox, csat.Scale),
		p.Sprintf("Rates carry 95%% Wilson score intervals; n is the sample size"),
		p.Sprintf("Handling times: median and p90 (%s), in %s time", QuantileMethod, p.Sprintf(basisLabel(cur.Complaints.FirstResponse.Basis))),
	}
	if len(r.Stores)+len(r.Staff) > 0 && cur.Points.Entries+r.Shop.Previous.Points.Entries > 0 {
		out = append(out, p.Sprintf("Points for stores and staff: only entries linked to their purchases"))
	}
	if l := cur.Liability; l != nil {
		out = append(out,
			p.Sprintf("Liability: outstanding points × value per point %s × redemption rate %s (%s); rounded %s",
				l.ValuePerPoint.String()+" "+l.Currency, l.RedemptionRate.String(), p.Sprintf(rateSourceLabel(l.RateSource)), p.Sprintf(RoundingRule)),
			p.Sprintf("Breakage: expired / (expired + redeemed) before the date = %d / %d", l.Breakage.Expired, l.Breakage.Settled))
	}
	return out
}

func basisLabel(b string) string {
	switch b {
	case BasisBusiness:
		return "business"
	case BasisMixed:
		return "mixed business and wall"
	}
	return "wall"
}

func rateSourceLabel(s string) string {
	switch s {
	case RateFromInput:
		return "rate given"
	case RateEstimated:
		return "rate estimated as 1 - breakage"
	}
	return "no history: all points assumed redeemed"
}
