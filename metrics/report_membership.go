package metrics

import (
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
	"golang.org/x/text/message"
)

// Layout of the deferred revenue chart.
const (
	deferLeft  = 220
	deferWidth = 360
	deferRow   = 26
	deferTop   = 30
)

// deferralView is a waterfall of the paid membership fees over the
// period: deferred revenue at the start, plus fees received, less fees
// refunded and revenue recognised, gives deferred revenue at the end (the
// identity MembershipRevenue holds exactly). Each row is a bar from the
// running total before it to the one after; totals start at zero.
type deferralView struct {
	Title         string
	Width, Height float64
	Present       bool
	Bars          []svgRect
	Labels        []svgText
}

func newDeferralChart(p *message.Printer, m *MembershipRevenue) deferralView {
	v := deferralView{Title: p.Sprintf("Paid membership: deferred revenue from the start of the period to its end")}
	if m == nil || m.Terms == 0 {
		return v
	}
	scale, _ := money.MinorUnits(m.Currency)
	start, recv := m.DeferredStart.Shift(scale).IntPart(), m.Received.Shift(scale).IntPart()
	ref, rec := m.Refunded.Shift(scale).IntPart(), m.Recognised.Shift(scale).IntPart()
	end := m.DeferredEnd.Shift(scale).IntPart()
	type step struct {
		label    string
		from, to int64
		fill     string
		amount   int64
		signed   bool // a move, shown with its sign; a total without
	}
	steps := []step{
		{p.Sprintf("Deferred revenue at the start"), 0, start, "rgb(120,120,120)", start, false},
		{p.Sprintf("Fees received"), start, start + recv, "rgb(46,125,50)", recv, true},
		{p.Sprintf("Fees refunded"), start + recv, start + recv - ref, "rgb(198,40,40)", -ref, true},
		{p.Sprintf("Revenue recognised"), start + recv - ref, start + recv - ref - rec, "rgb(31,90,160)", -rec, true},
		{p.Sprintf("Deferred revenue at the end"), 0, end, "rgb(120,120,120)", end, false},
	}
	top := int64(0)
	for _, s := range steps {
		top = max(top, s.from, s.to)
	}
	if top == 0 {
		return v
	}
	v.Present = true
	v.Width = deferLeft + deferWidth + 130
	v.Height = deferTop + float64(len(steps))*deferRow + 10
	x := func(val int64) float64 { return r1(deferLeft + deferWidth*float64(val)/float64(top)) }
	for i, s := range steps {
		y := deferTop + float64(i)*deferRow
		lo, hi := min(s.from, s.to), max(s.from, s.to)
		w := x(hi) - x(lo)
		if w < 1 && s.amount != 0 {
			w = 1 // a small move stays visible
		}
		figure := decimal.New(s.amount, -scale).StringFixed(scale) + " " + m.Currency
		if s.signed && s.amount >= 0 {
			figure = "+" + figure
		}
		v.Bars = append(v.Bars, svgRect{X: x(lo), Y: y + 4, W: r1(w), H: deferRow - 8, Fill: s.fill, Title: s.label + ": " + figure})
		v.Labels = append(v.Labels, svgText{X: deferLeft - 8, Y: y + deferRow/2 + 4, Text: s.label, Anchor: "end"},
			svgText{X: r1(x(hi) + 6), Y: y + deferRow/2 + 4, Text: figure, Anchor: "start"})
	}
	return v
}
