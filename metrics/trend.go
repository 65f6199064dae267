package metrics

import (
	"iter"
	"time"
)

// SatisfactionPoint is the summary of one calendar period.
type SatisfactionPoint struct {
	Period Period `json:"period"`
	// Partial is set when the period reaches outside the trend's window,
	// so only part of it was counted.
	Partial bool `json:"partial,omitempty"`
	SatisfactionSummary
}

// SatisfactionTrend is a series of summaries, one per calendar period
// overlapping Window, including periods with no scores (N 0), so charts
// show gaps rather than joining across them.
type SatisfactionTrend struct {
	Window      Window              `json:"window"`
	Granularity Granularity         `json:"granularity"`
	Location    string              `json:"location"`
	Options     SatisfactionOptions `json:"options"`
	Points      []SatisfactionPoint `json:"points"`
	Total       SatisfactionSummary `json:"total"`
	Outside     int                 `json:"outside"` // scores outside Window, not counted
}

// MaxTrendPeriods bounds the points of a trend (over 270 years of days).
const MaxTrendPeriods = 100_000

// SatisfactionOver computes the trend of the scores with Time in w, one
// point per calendar period of granularity g in loc.
func SatisfactionOver(scores iter.Seq2[Score, error], w Window, g Granularity, loc *time.Location, opts *SatisfactionOptions) (SatisfactionTrend, error) {
	o, err := opts.resolve()
	if err != nil {
		return SatisfactionTrend{}, err
	}
	if err := w.Validate(); err != nil {
		return SatisfactionTrend{}, err
	}
	if _, err := PeriodOf(w.From, g, loc); err != nil {
		return SatisfactionTrend{}, err
	}
	if n := periodNumber(w.To.Add(-time.Nanosecond), g, loc) - periodNumber(w.From, g, loc) + 1; n > MaxTrendPeriods {
		return SatisfactionTrend{}, fieldErr(ErrInvalidArgument, "trend", "Window", "%d %ss exceed %d; use a coarser granularity", n, g, MaxTrendPeriods)
	}
	periods := periodsCovering(w, g, loc)
	tallies := make([]tally, len(periods))
	out := SatisfactionTrend{Window: w, Granularity: g, Location: loc.String(), Options: o}
	var total tally
	for s, err := range scores {
		if err != nil {
			return SatisfactionTrend{}, readErr("scores", err)
		}
		if err := checkScore(s, o, true); err != nil {
			return SatisfactionTrend{}, err
		}
		if !w.Contains(s.Time) {
			out.Outside++
			continue
		}
		tallies[periodIndex(periods, s.Time)].add(s)
		total.add(s)
	}
	out.Total = total.summary(o)
	out.Points = make([]SatisfactionPoint, len(periods))
	for i, p := range periods {
		partial := p.Start.Before(w.From) || p.End.After(w.To)
		out.Points[i] = SatisfactionPoint{Period: p, Partial: partial, SatisfactionSummary: tallies[i].summary(o)}
	}
	return out, nil
}

// periodIndex finds the period holding t by binary search; t is inside
// the covered range.
func periodIndex(ps []Period, t time.Time) int {
	lo, hi := 0, len(ps)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.Before(ps[mid].Start) {
			hi = mid - 1
		} else {
			lo = mid
		}
	}
	return lo
}
