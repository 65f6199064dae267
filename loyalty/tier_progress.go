package loyalty

import (
	"time"

	"github.com/shopspring/decimal"
)

// Progress is where a member stands on the ladder, as data; Render words it.
type Progress struct {
	// Tier is the earned tier; Effective the one held now (an override).
	Tier      string `json:"tier"`
	Effective string `json:"effective"`
	// Window is the current qualification window and Totals the activity in
	// it so far.
	WindowStart time.Time `json:"windowStart"`
	Totals      Totals    `json:"totals"`
	// Next is what is missing to reach the next tier; nil at the top.
	Next *Gap `json:"next,omitempty"`
	// Keep is what is missing to keep the tier at the next review (or the
	// end of a grace); nil on the entry tier or when guaranteed.
	Keep *Gap `json:"keep,omitempty"`
	// GuaranteedUntil repeats the state's guarantee when one runs.
	GuaranteedUntil time.Time `json:"guaranteedUntil,omitzero"`
}

// Gap is what a member still needs for a tier. Only the tier's conditions
// appear; with Match any, reaching one of them is enough.
type Gap struct {
	Tier      string          `json:"tier"`
	Match     Match           `json:"match"`
	Spend     decimal.Decimal `json:"spend"`     // missing spend, zero when met or not asked
	Purchases int64           `json:"purchases"` // missing purchases
	Points    int64           `json:"points"`    // missing qualifying points
	// AsksSpend, AsksPurchases and AsksPoints say which conditions the tier
	// has.
	AsksSpend     bool `json:"asksSpend"`
	AsksPurchases bool `json:"asksPurchases"`
	AsksPoints    bool `json:"asksPoints"`
	// Met is true when the activity already reaches the tier.
	Met bool `json:"met"`
	// Deadline is the first instant that no longer counts (the window's
	// end, the review or the grace end); zero for a rolling window's next
	// tier, which has no deadline.
	Deadline time.Time `json:"deadline,omitzero"`
}

func (p *Program) progress(s TierState, led *ledgerOf, now time.Time) Progress {
	cur := p.Tiers.index(s.Tier)
	start := p.windowStart(now, s.MemberSince)
	minor := p.MinorUnit()
	tot := led.sum(start, now, true)
	pr := Progress{Tier: s.Tier, Effective: s.Effective(now), WindowStart: start,
		Totals: Totals{Spend: minorDecimal(tot.spend, minor), Purchases: tot.purchases, Points: tot.points}}
	if now.Before(s.GuaranteedUntil) {
		pr.GuaranteedUntil = s.GuaranteedUntil
	}
	if cur+1 < len(p.Tiers.Levels) {
		g := gapTo(p.Tiers.Levels[cur+1], tot, minor)
		if p.Tiers.Window.Kind != WindowRolling {
			g.Deadline = p.windowEnd(now, s.MemberSince)
		}
		pr.Next = &g
	}
	if cur > 0 {
		by := s.NextReview
		if !s.GraceUntil.IsZero() {
			by = s.GraceUntil
		}
		if !by.IsZero() && !by.Before(s.GuaranteedUntil) {
			// What counts at the deadline: the window that ends there,
			// filled with activity known so far.
			from := p.windowStart(by.Add(-time.Nanosecond), s.MemberSince)
			g := gapTo(p.Tiers.Levels[cur], led.sum(from, now, true), minor)
			g.Deadline = by
			pr.Keep = &g
		}
	}
	return pr
}

// progressStarts returns the starts of the windows progress sums from:
// the window of now, and the one that ends at the next review or grace
// end.
func (p *Program) progressStarts(s TierState, now time.Time) []time.Time {
	starts := []time.Time{p.windowStart(now, s.MemberSince)}
	by := s.NextReview
	if !s.GraceUntil.IsZero() {
		by = s.GraceUntil
	}
	if !by.IsZero() {
		starts = append(starts, p.windowStart(by.Add(-time.Nanosecond), s.MemberSince))
	}
	return starts
}

// windowEnd returns the end of the calendar or anniversary window holding t.
func (p *Program) windowEnd(t, memberSince time.Time) time.Time {
	loc := p.loc()
	d := DateOf(p.windowStart(t, memberSince), loc)
	if p.Tiers.Window.Kind == WindowAnniversary {
		joined := DateOf(memberSince, loc)
		return startOfDay(joined.addMonths(12*(d.Year-joined.Year+1)), loc)
	}
	return startOfDay(Date{d.Year + 1, time.January, 1}, loc)
}

func gapTo(t Tier, tl tally, minor int32) Gap {
	q := t.Qualify
	tot := Totals{Spend: minorDecimal(tl.spend, minor), Purchases: tl.purchases, Points: tl.points}
	g := Gap{Tier: t.Code, Match: q.Match, Spend: decimal.Zero,
		AsksSpend: !q.Spend.IsZero(), AsksPurchases: q.Purchases != 0, AsksPoints: q.Points != 0}
	if g.Match == "" {
		g.Match = MatchAny
	}
	g.Met = q.meets(tl, minor)
	if g.AsksSpend && tot.Spend.LessThan(q.Spend) {
		g.Spend = q.Spend.Sub(tot.Spend)
	}
	if g.AsksPurchases && tot.Purchases < q.Purchases {
		g.Purchases = q.Purchases - tot.Purchases
	}
	if g.AsksPoints && tot.Points < q.Points {
		g.Points = q.Points - tot.Points
	}
	return g
}
