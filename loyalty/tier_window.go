package loyalty

import (
	"slices"
	"sync"
	"time"
)

// ledgerOf is a member's qualifying events sorted by time with prefix sums
// in integers (spend in minor units), so that any window sums in
// O(log n) without allocating.
type ledgerOf struct {
	times     []time.Time
	spend     []int64 // prefix sums; index i sums events [0, i)
	purchases []int64
	points    []int64
	ints      []int64 // the storage of the four integer slices
}

// ledgers recycles ledgerOf buffers: every earn evaluates the tier, and
// nothing an evaluation returns refers to its ledger.
var ledgers = sync.Pool{New: func() any { return new(ledgerOf) }}

// release returns l to the pool; l must not be used afterwards.
func (l *ledgerOf) release() {
	if cap(l.times) > 4096 { // do not keep a huge member's buffers
		return
	}
	ledgers.Put(l)
}

// tally is activity summed over a window; spend in minor units.
type tally struct{ spend, purchases, points int64 }

// maxEvents bounds the qualifying events one evaluation reads.
const maxEvents = 1_000_000

func newLedgerOf(act QualifyingActivity, minor int32) (*ledgerOf, error) {
	if len(act.Events) > maxEvents {
		return nil, &FieldError{Field: "activity.events", Problem: "too many events"}
	}
	ev := act.Events // read only
	n := len(ev)
	l := ledgers.Get().(*ledgerOf)
	// One buffer for the scaled spends and the three prefix sums.
	if cap(l.ints) < 4*n+3 {
		l.ints = make([]int64, 4*n+3)
	}
	ints := l.ints[:4*n+3]
	clear(ints)
	spend := ints[:n]
	var fe fieldErrors
	for i, e := range ev {
		if v, ok := scaled(e.Spend, minor); !ok || v < -MaxAmountMinor || v > MaxAmountMinor {
			fe.add("activity.events["+itoa(i)+"].spend", "must be an amount in the currency's minor unit within limits")
		} else {
			spend[i] = v
		}
		if e.Time.IsZero() {
			fe.add("activity.events["+itoa(i)+"].time", "required")
		}
		if e.Purchases < -MaxAmountMinor || e.Purchases > MaxAmountMinor || e.Points < -MaxAmountMinor || e.Points > MaxAmountMinor {
			fe.add("activity.events["+itoa(i)+"]", "purchases and points out of range")
		}
	}
	if err := fe.err(); err != nil {
		l.release()
		return nil, err
	}
	byTime := func(a, b QualifyingEvent) int { return a.Time.Compare(b.Time) }
	var order []int // nil: the events are in time order already (accounts keep them so)
	if !slices.IsSortedFunc(ev, byTime) {
		order = make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return byTime(ev[a], ev[b]) })
	}
	if cap(l.times) < n {
		l.times = make([]time.Time, n)
	}
	l.times = l.times[:n]
	l.spend, l.purchases, l.points = ints[n:2*n+1], ints[2*n+1:3*n+2], ints[3*n+2:]
	for k := range n {
		i := k
		if order != nil {
			i = order[k]
		}
		e := &ev[i]
		l.times[k] = e.Time
		l.spend[k+1] = l.spend[k] + spend[i]
		l.purchases[k+1] = l.purchases[k] + e.Purchases
		l.points[k+1] = l.points[k] + e.Points
	}
	return l, nil
}

// idx returns the number of events strictly before t (inclusive=false) or
// at or before t (inclusive=true).
func (l *ledgerOf) idx(t time.Time, inclusive bool) int {
	i, _ := slices.BinarySearchFunc(l.times, t, func(e, t time.Time) int {
		c := e.Compare(t)
		if c == 0 && inclusive {
			return -1
		}
		if c == 0 {
			return 1
		}
		return c
	})
	return i
}

// sum totals events in [from, to) or [from, to].
func (l *ledgerOf) sum(from, to time.Time, inclusive bool) tally {
	a, b := l.idx(from, false), l.idx(to, inclusive)
	if b < a {
		b = a
	}
	return tally{spend: l.spend[b] - l.spend[a], purchases: l.purchases[b] - l.purchases[a], points: l.points[b] - l.points[a]}
}

// windowStart returns where the qualification window that holds the
// instant t begins, in the programme's zone.
func (p *Program) windowStart(t time.Time, memberSince time.Time) time.Time {
	loc := p.loc()
	d := DateOf(t, loc)
	switch p.Tiers.Window.Kind {
	case WindowRolling:
		return startOfDay(d.addMonths(-p.Tiers.Window.Months).addDays(1), loc)
	case WindowCalendarYear:
		return startOfDay(Date{d.Year, time.January, 1}, loc)
	case WindowAnniversary:
		return startOfDay(lastAnniversary(DateOf(memberSince, loc), d), loc)
	}
	return t
}

// lastAnniversary returns the latest anniversary of joined on or before d
// (a 29 February join has its anniversary on 28 February in common years).
func lastAnniversary(joined, d Date) Date {
	if d.compare(joined) < 0 {
		return joined
	}
	years := d.Year - joined.Year
	a := joined.addMonths(12 * years)
	if a.compare(d) > 0 {
		a = joined.addMonths(12 * (years - 1))
	}
	return a
}

// nextReview returns the first scheduled review strictly after t.
func (p *Program) nextReview(t time.Time, memberSince time.Time) time.Time {
	loc := p.loc()
	d := DateOf(t, loc)
	var next Date
	switch p.Tiers.Review.Schedule {
	case ReviewMonthly:
		next = nextPeriodStart(periodStart(d, PeriodMonth), PeriodMonth, 1)
	case ReviewQuarterly:
		next = nextPeriodStart(periodStart(d, PeriodQuarter), PeriodQuarter, 1)
	case ReviewYearly:
		next = nextPeriodStart(periodStart(d, PeriodYear), PeriodYear, 1)
	case ReviewAnniversary:
		joined := DateOf(memberSince, loc)
		last := lastAnniversary(joined, d)
		years := last.Year - joined.Year
		next = joined.addMonths(12 * (years + 1))
		if d.compare(joined) < 0 {
			next = joined.addMonths(12)
		}
	default:
		return time.Time{}
	}
	r := startOfDay(next, loc)
	if !r.After(t) { // t fell in a DST-shifted first hour; move on a period
		return p.nextReview(r.Add(time.Hour), memberSince)
	}
	return r
}

// qualifiedAt returns the highest tier index whose qualification the
// window ending at end meets. inclusive says whether events at end count
// (an upgrade at a purchase) or not (a review at a period's first instant
// looks back at the period just ended).
func (p *Program) qualifiedAt(l *ledgerOf, end time.Time, inclusive bool, memberSince time.Time) (int, tally) {
	ref := end
	if !inclusive {
		ref = end.Add(-time.Nanosecond)
	}
	t := l.sum(p.windowStart(ref, memberSince), end, inclusive)
	best := 0
	for i := len(p.Tiers.Levels) - 1; i > 0; i-- {
		if p.Tiers.Levels[i].Qualify.meets(t, p.MinorUnit()) {
			best = i
			break
		}
	}
	return best, t
}
