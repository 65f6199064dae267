package metrics

import (
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// Retention says how many of the customers at risk at the start of a
// window were kept through it, under a stated ChurnRule. Only member
// purchases count.
type Retention struct {
	Window Window    `json:"window"`
	Rule   ChurnRule `json:"rule"`
	// AtRisk is the base: customers who could churn in the window.
	AtRisk   int `json:"atRisk"`
	Retained int `json:"retained"`
	Churned  int `json:"churned"`
	// Rate is Retained / AtRisk and ChurnRate Churned / AtRisk, each with
	// its Wilson interval; they sum to 1.
	Rate      Rate `json:"rate"`
	ChurnRate Rate `json:"churnRate"`
	// New bought in the window for the first time in the stream;
	// Reactivated bought in the window, had bought before, but were not at
	// risk (lapsed, or absent from the previous window).
	New         int `json:"new"`
	Reactivated int `json:"reactivated"`
}

// RetentionIn measures retention over w under rule. The purchase stream
// must be oldest first and reach back far enough for the rule: to
// rule.Previous.From, or InactiveDays before w.From (earlier purchases
// are harmless).
func RetentionIn(purchases iter.Seq2[customer.Purchase, error], w Window, rule ChurnRule) (Retention, error) {
	if err := w.Validate(); err != nil {
		return Retention{}, err
	}
	if err := rule.Validate(w); err != nil {
		return Retention{}, err
	}
	type state struct {
		before     bool      // bought before w.From
		lastBefore time.Time // last purchase before w.From
		inPrev     bool      // bought in rule.Previous
		inWindow   bool
		last       time.Time // last purchase before w.To
		lapsed     bool      // a gap of the lapse length ended inside w
	}
	states := map[string]*state{}
	lapse := rule.lapse()
	err := walkPurchases(purchases, w.To, func(p *customer.Purchase) error {
		if p.Anonymous() {
			return nil
		}
		s := states[p.CustomerID]
		if s == nil {
			s = &state{}
			states[p.CustomerID] = s
		}
		if rule.Kind == Inactivity && (s.before || s.inWindow) {
			// A gap whose lapse moment falls in the window is a churn even
			// if the customer comes back later in the window.
			if end := s.last.Add(lapse); !p.Time.Before(end) && !end.Before(w.From) {
				s.lapsed = true
			}
		}
		s.last = p.Time
		if p.Time.Before(w.From) {
			s.before, s.lastBefore = true, p.Time
			if rule.Kind == PeriodOverPeriod && rule.Previous.Contains(p.Time) {
				s.inPrev = true
			}
			return nil
		}
		s.inWindow = true
		return nil
	})
	if err != nil {
		return Retention{}, err
	}
	out := Retention{Window: w, Rule: rule}
	for _, s := range states {
		var atRisk, kept bool
		switch rule.Kind {
		case PeriodOverPeriod:
			atRisk, kept = s.inPrev, s.inWindow
		case Inactivity:
			atRisk = s.before && w.From.Sub(s.lastBefore) < lapse
			kept = !s.lapsed && w.To.Sub(s.last) < lapse
		}
		switch {
		case atRisk && kept:
			out.Retained++
		case atRisk:
			out.Churned++
		case s.inWindow && s.before:
			out.Reactivated++
		case s.inWindow:
			out.New++
		}
	}
	out.AtRisk = out.Retained + out.Churned
	out.Rate = newRate(out.Retained, out.AtRisk)
	out.ChurnRate = newRate(out.Churned, out.AtRisk)
	return out, nil
}
