package metrics

import (
	"cmp"
	"iter"
	"maps"
	"slices"
	"time"
)

// Dimension says how SatisfactionBy groups scores. Use ByStore, ByStaff,
// ByChannel or ByPeriod.
type Dimension struct {
	name string
	key  func(Score) string
	// A period dimension groups by period number (cheaper than formatting
	// a label per score) and needs a time on every score.
	period bool
	g      Granularity
	loc    *time.Location
	err    error
}

// Name is the dimension's name as results report it: "store", "staff",
// "channel" or "day@Asia/Shanghai" (granularity and time zone).
func (d Dimension) Name() string { return d.name }

// The plain dimensions. A score with the field empty falls into the group
// whose key is "".
var (
	ByStore   = Dimension{name: "store", key: func(s Score) string { return s.Store }}
	ByStaff   = Dimension{name: "staff", key: func(s Score) string { return s.Staff }}
	ByChannel = Dimension{name: "channel", key: func(s Score) string { return s.Channel }}
)

// ByPeriod groups scores by the calendar period (day, ISO week or month in
// loc) of their Time; group keys are Period labels, so they sort in time
// order.
func ByPeriod(g Granularity, loc *time.Location) Dimension {
	d := Dimension{name: string(g), period: true, g: g, loc: loc}
	if err := g.validate(); err != nil {
		d.err = err
		return d
	}
	if loc == nil {
		d.err = fieldErr(ErrInvalidArgument, "dimension", "Location", "must not be nil")
		return d
	}
	d.name = string(g) + "@" + loc.String()
	return d
}

// SatisfactionGroup is the summary of the scores sharing one key.
type SatisfactionGroup struct {
	Key string `json:"key"`
	SatisfactionSummary
}

// SatisfactionBreakdown is a summary per group, groups sorted by key, with
// the summary of all scores.
type SatisfactionBreakdown struct {
	By      string              `json:"by"`
	Options SatisfactionOptions `json:"options"`
	Groups  []SatisfactionGroup `json:"groups"`
	Total   SatisfactionSummary `json:"total"`
}

// SatisfactionBy computes the summary per group of a dimension in one pass.
func SatisfactionBy(scores iter.Seq2[Score, error], by Dimension, opts *SatisfactionOptions) (SatisfactionBreakdown, error) {
	o, err := opts.resolve()
	if err != nil {
		return SatisfactionBreakdown{}, err
	}
	if by.err != nil {
		return SatisfactionBreakdown{}, by.err
	}
	if by.key == nil && !by.period {
		return SatisfactionBreakdown{}, fieldErr(ErrInvalidArgument, "dimension", "By", "the zero Dimension groups nothing")
	}
	var groups []SatisfactionGroup
	var total tally
	if by.period {
		groups, err = groupScores(scores, o, &total, true,
			func(s Score) int64 { return periodNumber(s.Time, by.g, by.loc) },
			func(n int64) string { return periodByNumber(n, by.g, by.loc).String() })
	} else {
		groups, err = groupScores(scores, o, &total, false, by.key, func(k string) string { return k })
	}
	if err != nil {
		return SatisfactionBreakdown{}, err
	}
	return SatisfactionBreakdown{By: by.name, Options: o, Groups: groups, Total: total.summary(o)}, nil
}

// groupScores tallies scores per key in one pass and returns the groups
// in key order (period numbers and labels sort alike).
func groupScores[K cmp.Ordered](scores iter.Seq2[Score, error], o SatisfactionOptions, total *tally, needsTime bool, key func(Score) K, label func(K) string) ([]SatisfactionGroup, error) {
	groups := map[K]*tally{}
	for s, err := range scores {
		if err != nil {
			return nil, readErr("scores", err)
		}
		if err := checkScore(s, o, needsTime); err != nil {
			return nil, err
		}
		k := key(s)
		g := groups[k]
		if g == nil {
			g = new(tally)
			groups[k] = g
		}
		g.add(s)
		total.add(s)
	}
	out := make([]SatisfactionGroup, 0, len(groups))
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		out = append(out, SatisfactionGroup{Key: label(k), SatisfactionSummary: groups[k].summary(o)})
	}
	return out, nil
}

func checkScore(s Score, o SatisfactionOptions, needsTime bool) error {
	if err := s.validate(o.CSATScale); err != nil {
		return err
	}
	if needsTime && s.Time.IsZero() {
		return fieldErr(ErrInvalidScore, "score", "Time", "must be set to place the score in a period")
	}
	return nil
}
