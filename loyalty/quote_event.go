package loyalty

import (
	"time"
)

// EventInput is a non-purchase event that may earn a bonus.
type EventInput struct {
	Event  EventKind
	Time   time.Time
	Member Member
	// Reference is the host's ID of the event (a review, a referral).
	Reference string
}

// QuoteEvent computes the bonus for an event: every event-bonus rule for
// the event whose conditions hold, best-of within a stacking group. It is
// pure; the service records the points. Caps do not apply to events.
func (p *Program) QuoteEvent(in EventInput) (Quote, error) {
	c, err := p.compiledOrCheck()
	if err != nil {
		return Quote{}, err
	}
	if !p.knowsEvent(in.Event) {
		return Quote{}, &FieldError{Field: "event", Problem: "unknown event kind"}
	}
	if in.Time.IsZero() {
		return Quote{}, &FieldError{Field: "time", Problem: "required"}
	}
	lt := in.Time.In(c.loc)
	o := orderContext{date: Date{lt.Year(), lt.Month(), lt.Day()}, weekday: lt.Weekday(),
		minute: lt.Hour()*60 + lt.Minute(), member: in.Member, loc: c.loc}
	q := Quote{ProgramID: p.ID, Event: in.Event, Time: in.Time}
	won := map[string]bool{}
	for k := range c.events {
		r := &c.events[k]
		if r.event != in.Event || !r.applies(&o) {
			continue
		}
		if r.slot >= 0 {
			// Highest priority first; among best-of bonuses keep the
			// largest, ties to the higher priority.
			if won[r.group] {
				continue
			}
			if best := bestEvent(c.events, k, in.Event, &o); best != k {
				continue
			}
			won[r.group] = true
		}
		pts := r.points
		capped := int64(0)
		if r.maxPoints > 0 && pts > r.maxPoints {
			capped, pts = pts-r.maxPoints, r.maxPoints
		}
		q.Rules = append(q.Rules, RuleQuote{RuleID: r.id, Kind: r.kind, Group: r.group, Priority: r.priority,
			Multiplier: r.shown, exact: mul64(uint64(r.points), rawScale), Rounding: r.rounding,
			Rounded: r.points, CappedByRule: capped, Points: pts})
		q.Total += pts
	}
	q.PendingUntil = time.Time{} // event bonuses are not subject to the return window
	q.ExpiresAt = p.Expiry.ExpiresAt(in.Time, c.loc)
	return q, nil
}

// bestEvent returns the index of the largest applicable bonus in rule k's
// group (the first, i.e. highest priority, on ties).
func bestEvent(rules []cRule, k int, ev EventKind, o *orderContext) int {
	best := -1
	for j := range rules {
		r := &rules[j]
		if r.group != rules[k].group || r.event != ev || !r.applies(o) {
			continue
		}
		if best < 0 || r.points > rules[best].points {
			best = j
		}
	}
	return best
}
