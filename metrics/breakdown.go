package metrics

import (
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
	// period dimensions need a time on every score and a valid calendar.
	needsTime bool
	err       error
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
	d := Dimension{name: string(g), needsTime: true}
	if err := g.validate(); err != nil {
		d.err = err
		return d
	}
	if loc == nil {
		d.err = fieldErr(ErrInvalidArgument, "dimension", "Location", "must not be nil")
		return d
	}
	d.name = string(g) + "@" + loc.String()
	d.key = func(s Score) string { return periodOf(s.Time, g, loc).String() }
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
	if by.key == nil {
		return SatisfactionBreakdown{}, fieldErr(ErrInvalidArgument, "dimension", "By", "the zero Dimension groups nothing")
	}
	groups := map[string]*tally{}
	var total tally
	for s, err := range scores {
		if err != nil {
			return SatisfactionBreakdown{}, readErr("scores", err)
		}
		if err := checkScore(s, o, by.needsTime); err != nil {
			return SatisfactionBreakdown{}, err
		}
		k := by.key(s)
		g := groups[k]
		if g == nil {
			g = new(tally)
			groups[k] = g
		}
		g.add(s)
		total.add(s)
	}
	out := SatisfactionBreakdown{By: by.name, Options: o, Total: total.summary(o)}
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		out.Groups = append(out.Groups, SatisfactionGroup{Key: k, SatisfactionSummary: groups[k].summary(o)})
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
