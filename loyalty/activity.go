package loyalty

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// A member's qualifying activity lives in the account header, so that a
// tier evaluation or a cap check reads no other record, and it must stay
// small for a member's whole life. The header therefore keeps at most two
// events per local day once the tier walk has passed them: one summing
// the day's purchases and one summing its returns and corrections, each
// at the time of the last fact it sums, with Count the number of facts.
// Windows, reviews, grace ends and caps all start at local midnights, so
// every sum they take is exact on these summaries; the header grows with
// the days a member was active inside the lookback, not with what they
// did on them.
//
// An upgrade, though, is checked at each fact's own instant, and a return
// can take a running sum back down within a day. A fact that arrives late
// lowers the tier watermark (TierState.Seen) below it, and the next
// evaluation walks again every fact after it, at its instant. So a tiered
// programme keeps each summarised fact in a record of its own
// (RecordActivity, keyed "<date>/<class>/<n>", n counting from 1 to the
// summary's Count), and an evaluation reads back the facts of exactly the
// summaries its walk passes: none when facts arrive in order, those of the
// days a late fact reaches back over otherwise. Facts after the watermark
// stay single events in the header until a walk has passed them.

// activityLookback is how far back, in months, an account keeps
// qualifying events: the qualification window plus a year, so that a
// window, a calendar-year or anniversary review and a yearly cap can be
// evaluated at any time in the year after the newest event; at least two
// years.
func (p *Program) activityLookback() int {
	return max(24, p.Tiers.Window.Months+12)
}

// activityClass is the summary a fact joins: purchases ("p") or the rest
// ("o"). Caps count only purchases' points, so the two are kept apart.
func activityClass(e QualifyingEvent) string {
	if e.Purchases > 0 {
		return "p"
	}
	return "o"
}

// factKey is the key of the nth fact (from 1) of a day's summary,
// "2026-03-02/p/7".
func factKey(d Date, class string, n int64) string {
	b := make([]byte, 0, 24)
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	b = appendPadded(b, d.Day, 2)
	b = append(b, '/')
	b = append(b, class...)
	b = append(b, '/')
	return string(strconv.AppendInt(b, n, 10))
}

// appendPadded appends v in decimal with leading zeros to width digits.
func appendPadded(b []byte, v, width int) []byte {
	var digits [20]byte
	s := strconv.AppendInt(digits[:0], int64(v), 10)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

// addActivity records a qualifying fact in the account as a single event
// in time order, lowers the tier watermark below it if it lands at or
// before it (so the next evaluation walks it), prunes what fell out of the
// lookback and summarises the fact's day where the walk has passed it.
//
// It may write into the events' backing array: mutations run on accounts
// the store handed out as copies (the Store contract), which nothing else
// shares.
func (s *Service) addActivity(acct *Account, ws *workset, ev QualifyingEvent) error {
	if err := s.unfoldMonths(acct, ws, holding(ev.Time)); err != nil {
		return err // a fact late enough to land in a folded month
	}
	ev.Count, ev.Month = 0, false
	events := acct.Activity
	i := len(events)
	for i > 0 && events[i-1].Time.After(ev.Time) {
		i--
	}
	events = slices.Insert(events, i, ev)
	if seen := acct.Tier.Seen; !seen.IsZero() && !ev.Time.After(seen) {
		acct.Tier.Seen = storeTime(ev.Time).Add(-time.Microsecond)
	}
	acct.Activity = s.pruneActivity(events)
	return s.summarise(acct, ws, ev.Time)
}

// pruneActivity drops the events older than the lookback from the newest.
func (s *Service) pruneActivity(events []QualifyingEvent) []QualifyingEvent {
	if len(events) == 0 {
		return events
	}
	cutoff := events[len(events)-1].Time.AddDate(0, -s.program.activityLookback(), 0)
	return events[searchActivity(events, cutoff):]
}

// searchActivity returns the index of the first event at or after t.
func searchActivity(events []QualifyingEvent, t time.Time) int {
	i, _ := slices.BinarySearchFunc(events, t, func(e QualifyingEvent, t time.Time) int { return e.Time.Compare(t) })
	return i
}

// activitySince returns the suffix of time-ordered events at or after t.
func activitySince(events []QualifyingEvent, t time.Time) []QualifyingEvent {
	return events[searchActivity(events, t):]
}

// summarise folds, for every local day from the day of from on, the
// events of each class into one summary when the tier walk has passed
// all of them (every event, in a programme without tiers). A tiered
// programme records each newly summarised fact in the workset, numbered
// after the facts the summary already holds.
func (s *Service) summarise(acct *Account, ws *workset, from time.Time) error {
	tiered := !s.program.Tiers.IsZero()
	walked := acct.Tier.Seen
	if tiered && walked.IsZero() {
		return nil // no walk yet: every fact must stay visible to the first
	}
	loc := s.program.loc()
	start := searchActivity(acct.Activity, startOfDay(DateOf(from, loc), loc))
	tail := acct.Activity[start:]
	if len(tail) < 2 {
		return nil
	}
	// Groups are few (the days since from, two classes each) and an earn
	// usually folds one: they live in a small array, and each event's
	// group is kept as an index in another, not as slices per group.
	var gbuf [8]activityGroup
	var ibuf [32]int
	groups, in := gbuf[:0], ibuf[:0]
	for _, e := range tail {
		g := activityGroup{day: DateOf(e.Time, loc), class: activityClass(e)}
		i := slices.IndexFunc(groups, func(h activityGroup) bool { return h.day == g.day && h.class == g.class })
		if i < 0 {
			i = len(groups)
			groups = append(groups, g)
		}
		groups[i].n++
		if tiered && e.Time.After(walked) {
			groups[i].open = true
		}
		in = append(in, i)
	}
	if !slices.ContainsFunc(groups, activityGroup.folds) {
		return nil
	}
	var obuf [16]QualifyingEvent
	out := obuf[:0]
	for i, g := range groups {
		member := func(k int) bool { return in[k] == i }
		if !g.folds() {
			for k, e := range tail {
				if member(k) {
					out = append(out, e)
				}
			}
			continue
		}
		sum, err := fold(tail, member, func(n int64, fact QualifyingEvent) {
			if tiered {
				ws.setFact(factKey(g.day, g.class, n), fact)
			}
		})
		if err != nil {
			return fmt.Errorf("loyalty: activity of %s: %w", g.day, err)
		}
		out = append(out, sum)
	}
	slices.SortStableFunc(out, func(a, b QualifyingEvent) int { return a.Time.Compare(b.Time) })
	acct.Activity = append(acct.Activity[:start], out...)
	return nil
}

// activityGroup is one local day's events of one class in summarise.
type activityGroup struct {
	day   Date
	class string
	n     int  // events
	open  bool // one the walk has not passed
}

// folds reports whether the group's events become one summary: more than
// one, every one passed by the walk.
func (g activityGroup) folds() bool { return g.n > 1 && !g.open }

// fold sums the events of one day and class (those member names by index)
// into one, calling record with the number each single fact takes after
// those of the (at most one) summary among them.
func fold(events []QualifyingEvent, member func(k int) bool, record func(n int64, fact QualifyingEvent)) (QualifyingEvent, error) {
	var sum QualifyingEvent
	for k, e := range events {
		if member(k) && e.Count > 1 {
			if sum.Count > 0 {
				return sum, errTwoSummaries
			}
			sum = e
		}
	}
	n := sum.Count
	for k, e := range events {
		if !member(k) || e.Count > 1 {
			continue
		}
		n++
		record(n, e)
		if n == 1 {
			sum = e
			continue
		}
		if e.Time.After(sum.Time) {
			sum.Time = e.Time
		}
		sum.Spend = addDecimals(sum.Spend, e.Spend)
		sum.Purchases += e.Purchases
		sum.Points += e.Points
	}
	sum.Count = n
	if n > 1 {
		sum.Purchase = ""
	}
	return sum, nil
}

var errTwoSummaries = fmt.Errorf("%w: two summaries of one day and class", ErrInvalid)

// walkedActivity returns the events an evaluation reads, from the window
// of its first look on, with every summary its walk passes (those after
// the watermark; all of them when there is none) replaced by the facts it
// sums, read in one batch.
func (s *Service) walkedActivity(acct Account, ws *workset) ([]QualifyingEvent, error) {
	t := acct.Tier
	events := activitySince(acct.Activity, s.program.windowStart(t.firstLook().Add(-time.Nanosecond), t.MemberSince))
	var keys []string
	for _, e := range events {
		if needsFacts(e, t.Seen) {
			d, c := DateOf(e.Time, s.program.loc()), activityClass(e)
			for n := int64(1); n <= e.Count; n++ {
				keys = append(keys, factKey(d, c, n))
			}
		}
	}
	if len(keys) == 0 {
		return events, nil
	}
	facts, err := ws.readFacts(keys)
	if err != nil {
		return nil, err
	}
	out := make([]QualifyingEvent, 0, len(events)+len(keys))
	for _, e := range events {
		if !needsFacts(e, t.Seen) {
			out = append(out, e)
			continue
		}
		out = append(out, unfoldFrom(e, DateOf(e.Time, s.program.loc()), facts)...)
	}
	slices.SortStableFunc(out, func(a, b QualifyingEvent) int { return a.Time.Compare(b.Time) })
	return out, nil
}

// needsFacts reports whether a walk from seen must pass a summary's facts
// one by one: when some of them may lie strictly between seen and the
// summary's time. Times are kept to the microsecond, so a summary at most
// a microsecond after seen (a fact that landed on the instant of the
// latest one, say a return made with its purchase) has none there: its
// facts at or before seen are no steps of the walk, and those at its time
// are one step, whose inclusive sums the summary holds exactly.
func needsFacts(e QualifyingEvent, seen time.Time) bool {
	return e.Count > 1 && !e.Month && (seen.IsZero() || e.Time.After(seen.Add(time.Microsecond)))
}

// unfoldFrom returns the facts a summary sums, looked up in facts by key.
// A summary whose facts are not all there stands for itself: one made
// while the programme had no tiers, which keeps no facts.
func unfoldFrom(e QualifyingEvent, d Date, facts map[string]QualifyingEvent) []QualifyingEvent {
	if e.Count <= 1 {
		return []QualifyingEvent{e}
	}
	c := activityClass(e)
	out := make([]QualifyingEvent, 0, e.Count)
	for n := int64(1); n <= e.Count; n++ {
		f, ok := facts[factKey(d, c, n)]
		if !ok {
			return []QualifyingEvent{e}
		}
		out = append(out, f)
	}
	return out
}

// setFact records a summarised fact for the write.
func (w *workset) setFact(key string, e QualifyingEvent) {
	put(&w.facts, key, e)
	put(&w.dirty, recordKey{RecordActivity, key}, true)
}

// readFacts reads the facts with the keys: those this operation recorded,
// and the rest from the store in one call.
func (w *workset) readFacts(keys []string) (map[string]QualifyingEvent, error) {
	got := make(map[string]QualifyingEvent, len(keys))
	var missing []string
	for _, k := range keys {
		if f, ok := w.facts[k]; ok {
			got[k] = f
		} else {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 || w.read == nil {
		return got, nil
	}
	recs, err := w.read(RecordActivity, missing)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		var f QualifyingEvent
		if err := json.Unmarshal(r.Data, &f); err != nil {
			return nil, fmt.Errorf("loyalty: activity record %s: %w", r.Key, err)
		}
		got[r.Key] = f
	}
	return got, nil
}

// capUsage sums the points purchases earned in the day and cap period of
// t. Only the events inside the longer of the two windows are read, with
// the folded months the windows cut unfolded.
func (s *Service) capUsage(acct Account, ws *workset, t time.Time) (CapUsage, error) {
	dayStart, dayEnd := s.program.DayWindow(t)
	periodStart, periodEnd := s.program.PeriodWindow(t)
	from, to := earliest(dayStart, periodStart), latest(dayEnd, periodEnd)
	var u CapUsage
	if err := s.unfoldMonths(&acct, ws, cutBy(dayStart, dayEnd, periodStart, periodEnd)); err != nil {
		return u, err
	}
	for _, ev := range activitySince(acct.Activity, from) {
		if !ev.Time.Before(to) {
			break
		}
		if ev.Purchases <= 0 {
			continue
		}
		if !ev.Time.Before(dayStart) && ev.Time.Before(dayEnd) {
			u.Today += ev.Points
		}
		if !ev.Time.Before(periodStart) && ev.Time.Before(periodEnd) {
			u.Period += ev.Points
		}
	}
	return u, nil
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
