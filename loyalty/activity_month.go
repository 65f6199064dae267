package loyalty

import (
	"bytes"
	"fmt"
	"slices"
	"time"
)

// Day summaries bound the activity by the days a member was active, which
// for a member who shops daily is still some 1,500 events over the
// lookback that every operation would read and write back. So a month
// whose days no window, review or cap boundary can still cut is kept in
// the header as one event per class summing it (Month set), and its day
// events move into a record of their own (RecordActivityMonth, keyed
// "2026-03/p"). A sum over whole months is exact on these; where a
// boundary or a late fact falls inside a folded month, the reader unfolds
// it first: an in-order operation reads at most the month its window start
// has just entered, a late fact the months it reaches back over.
//
// The header then holds the days of the months the walk has not passed
// and of the month the earliest window still to be evaluated starts in,
// and two events for every other month of the lookback. Every write folds
// what became foldable just before it is saved (foldMonths), so the fold
// never changes what a reader sees, only what it has to read.

// monthSpan is a local calendar month of the programme's zone, [start, end).
type monthSpan struct {
	start, end time.Time
	year       int
	month      time.Month
}

// monthOf returns the local month that holds t.
func (s *Service) monthOf(t time.Time) monthSpan {
	loc := s.program.loc()
	d := DateOf(t, loc)
	first := Date{d.Year, d.Month, 1}
	return monthSpan{start: startOfDay(first, loc), end: startOfDay(first.addMonths(1), loc), year: d.Year, month: d.Month}
}

// holds reports whether t lies in the month.
func (m monthSpan) holds(t time.Time) bool { return !t.Before(m.start) && t.Before(m.end) }

// cuts reports whether the boundary b falls strictly inside the month: a
// window or period starting or ending there takes part of it.
func (m monthSpan) cuts(b time.Time) bool { return b.After(m.start) && b.Before(m.end) }

// key is the record key of the month's events of a class, "2026-03/p".
func (m monthSpan) key(class string) string {
	b := make([]byte, 0, 10)
	b = appendPadded(b, m.year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(m.month), 2)
	b = append(b, '/')
	return string(append(b, class...))
}

// monthNeed says which folded months a reader needs as days.
type monthNeed func(m monthSpan) bool

// cutBy needs the months a boundary falls strictly inside.
func cutBy(bounds ...time.Time) monthNeed {
	return func(m monthSpan) bool {
		return slices.ContainsFunc(bounds, m.cuts)
	}
}

// holding needs the month that holds t: a reader that splits facts at t.
func holding(t time.Time) monthNeed { return func(m monthSpan) bool { return m.holds(t) } }

// endingAfter needs every month that ends after t: a reader of each fact
// after t.
func endingAfter(t time.Time) monthNeed { return func(m monthSpan) bool { return m.end.After(t) } }

// anyOf needs what any of the needs needs.
func anyOf(needs ...monthNeed) monthNeed {
	return func(m monthSpan) bool {
		for _, n := range needs {
			if n(m) {
				return true
			}
		}
		return false
	}
}

// unfoldMonths replaces the month summaries of the months need selects by
// the events their records hold, read in one batch. The account gets a new
// events slice; a copy that shared the old one is left as it was.
func (s *Service) unfoldMonths(acct *Account, ws *workset, need monthNeed) error {
	var keys []string
	for _, e := range acct.Activity {
		if e.Month {
			if m := s.monthOf(e.Time); need(m) {
				keys = append(keys, m.key(activityClass(e)))
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if err := ws.readMonths(keys); err != nil {
		return err
	}
	out := make([]QualifyingEvent, 0, len(acct.Activity)+31*len(keys))
	for _, e := range acct.Activity {
		if !e.Month || !need(s.monthOf(e.Time)) {
			out = append(out, e)
			continue
		}
		days, err := s.monthEvents(*acct, ws, e)
		if err != nil {
			return err
		}
		out = append(out, days...)
	}
	slices.SortStableFunc(out, func(a, b QualifyingEvent) int { return a.Time.Compare(b.Time) })
	acct.Activity = out
	return nil
}

// monthEvents returns the events a month summary of the account sums, from
// its record as the workset read it, without those the header has pruned
// since (the summary stays whole while its last event is in the lookback).
func (s *Service) monthEvents(acct Account, ws *workset, e QualifyingEvent) ([]QualifyingEvent, error) {
	key := s.monthOf(e.Time).key(activityClass(e))
	days, err := decodeActivity(ws.monthData[key])
	if err != nil {
		return nil, fmt.Errorf("loyalty: activity of %s: %w", key, err)
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("loyalty: activity of %s: %w: the month's record is missing", key, ErrInconsistent)
	}
	cutoff := acct.Activity[len(acct.Activity)-1].Time.AddDate(0, -s.program.activityLookback(), 0)
	return slices.DeleteFunc(days, func(d QualifyingEvent) bool { return d.Time.Before(cutoff) }), nil
}

// foldLimits returns the instant before which whole months may fold (never
// the newest event's month), and the boundaries a folded month must not
// straddle: for a tiered programme the first instant its walk will look at
// and the start of that instant's window, and the start of the cap period
// of the watermark; without tiers, the cap period of the newest event. ok
// is false when nothing may fold yet (no walk has run).
func (s *Service) foldLimits(acct Account) (keep time.Time, edges [2]time.Time, ok bool) {
	if len(acct.Activity) == 0 {
		return time.Time{}, edges, false
	}
	newest := acct.Activity[len(acct.Activity)-1].Time
	ref := newest
	if !s.program.Tiers.IsZero() {
		t := acct.Tier
		if t.Seen.IsZero() || t.MemberSince.IsZero() {
			return time.Time{}, edges, false
		}
		first := t.firstLook()
		keep, ref = earliest(first, t.Seen), t.Seen
		edges[1] = s.program.windowStart(first.Add(-time.Nanosecond), t.MemberSince)
	} else {
		keep = s.monthOf(ref).start
	}
	// The month of the newest fact stays days whatever the clock says:
	// facts arrive about in time order, so the next ones land there (a
	// lane replaying a month-old queue would otherwise unfold and fold it
	// again with every fact).
	keep = earliest(keep, s.monthOf(newest).start)
	edges[0], _ = s.program.PeriodWindow(ref)
	return keep, edges, true
}

// foldMonths folds every month that ends by the fold limit, straddles no
// edge, and has more than one event of a class, recording its events. A
// month folded again as it was read is not written again.
func (s *Service) foldMonths(acct *Account, ws *workset) error {
	if s.noMonthFold {
		return nil
	}
	keep, edges, ok := s.foldLimits(*acct)
	if !ok {
		return nil
	}
	events := acct.Activity[:searchActivity(acct.Activity, keep)]
	if len(events) < 2 {
		return nil
	}
	type group struct {
		m       monthSpan
		class   string
		members []int
	}
	var groups []group
	var m monthSpan // month summaries need no span: they fold no further
	for i, e := range events {
		if e.Month {
			continue
		}
		if m.end.IsZero() || !e.Time.Before(m.end) {
			m = s.monthOf(e.Time)
		}
		if m.end.After(keep) {
			break
		}
		if m.cuts(edges[0]) || m.cuts(edges[1]) { // a zero edge cuts nothing
			continue
		}
		c := activityClass(e)
		g := slices.IndexFunc(groups, func(g group) bool { return g.m.start.Equal(m.start) && g.class == c })
		if g < 0 {
			g = len(groups)
			groups = append(groups, group{m: m, class: c})
		}
		groups[g].members = append(groups[g].members, i)
	}
	groups = slices.DeleteFunc(groups, func(g group) bool { return len(g.members) < 2 })
	if len(groups) == 0 {
		return nil
	}
	folded := make(map[int]QualifyingEvent) // first member's index: the month's summary
	drop := make(map[int]bool)
	for _, g := range groups {
		if slices.ContainsFunc(events, func(e QualifyingEvent) bool {
			return e.Month && g.m.holds(e.Time) && activityClass(e) == g.class
		}) {
			return fmt.Errorf("loyalty: activity of %s: %w: a folded month with other events", g.m.key(g.class), ErrInconsistent)
		}
		days := make([]QualifyingEvent, len(g.members))
		for k, i := range g.members {
			days[k] = events[i]
			drop[i] = true
		}
		if err := ws.setMonth(g.m.key(g.class), days); err != nil {
			return err
		}
		folded[g.members[0]] = sumMonth(days)
	}
	out := make([]QualifyingEvent, 0, len(acct.Activity))
	for i, e := range acct.Activity {
		if sum, ok := folded[i]; ok {
			out = append(out, sum)
		}
		if !drop[i] {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b QualifyingEvent) int { return a.Time.Compare(b.Time) })
	acct.Activity = out
	return nil
}

// sumMonth sums a month's events of one class into its summary, at the
// time of the last of them.
func sumMonth(days []QualifyingEvent) QualifyingEvent {
	sum := QualifyingEvent{Month: true}
	for k, d := range days {
		if k == 0 || d.Time.After(sum.Time) {
			sum.Time = d.Time
		}
		sum.Spend = addDecimals(sum.Spend, d.Spend)
		sum.Purchases += d.Purchases
		sum.Points += d.Points
		sum.Count += max(1, d.Count)
	}
	return sum
}

// setMonth records a folded month's events for the write, unless they are
// what the record already holds.
func (w *workset) setMonth(key string, days []QualifyingEvent) error {
	data, err := encodeActivity(days)
	if err != nil {
		return err
	}
	if old, ok := w.monthData[key]; ok && bytes.Equal(old, data) {
		return nil
	}
	put(&w.monthData, key, data)
	put(&w.dirty, recordKey{RecordActivityMonth, key}, true)
	return nil
}

// readMonths reads the month records with the keys that this operation
// has not read or written yet, in one call.
func (w *workset) readMonths(keys []string) error {
	var missing []string
	for _, k := range keys {
		if _, ok := w.monthData[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 || w.read == nil {
		return nil
	}
	recs, err := w.read(RecordActivityMonth, missing)
	if err != nil {
		return err
	}
	for _, r := range recs {
		put(&w.monthData, r.Key, r.Data)
	}
	return nil
}
