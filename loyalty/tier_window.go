package loyalty

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// ledgerOf is a member's qualifying events sorted by time with prefix sums,
// so that any window sums in O(log n).
type ledgerOf struct {
	times     []time.Time
	spend     []decimal.Decimal // prefix sums; index i sums events [0, i)
	purchases []int64
	points    []int64
}

func newLedgerOf(act QualifyingActivity) (*ledgerOf, error) {
	ev := slices.Clone(act.Events)
	var fe fieldErrors
	for i, e := range ev {
		if !amountSane(e.Spend) {
			fe.add("activity.events["+itoa(i)+"].spend", "out of range")
		}
		if e.Time.IsZero() {
			fe.add("activity.events["+itoa(i)+"].time", "required")
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(ev, func(a, b QualifyingEvent) int { return a.Time.Compare(b.Time) })
	l := &ledgerOf{times: make([]time.Time, len(ev)), spend: make([]decimal.Decimal, len(ev)+1),
		purchases: make([]int64, len(ev)+1), points: make([]int64, len(ev)+1)}
	l.spend[0] = decimal.Zero
	for i, e := range ev {
		l.times[i] = e.Time
		l.spend[i+1] = l.spend[i].Add(e.Spend)
		l.purchases[i+1] = l.purchases[i] + e.Purchases
		l.points[i+1] = l.points[i] + e.Points
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
func (l *ledgerOf) sum(from, to time.Time, inclusive bool) Totals {
	a, b := l.idx(from, false), l.idx(to, inclusive)
	if b < a {
		b = a
	}
	return Totals{Spend: l.spend[b].Sub(l.spend[a]), Purchases: l.purchases[b] - l.purchases[a], Points: l.points[b] - l.points[a]}
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
func (p *Program) qualifiedAt(l *ledgerOf, end time.Time, inclusive bool, memberSince time.Time) (int, Totals) {
	ref := end
	if !inclusive {
		ref = end.Add(-time.Nanosecond)
	}
	t := l.sum(p.windowStart(ref, memberSince), end, inclusive)
	best := 0
	for i := len(p.Tiers.Levels) - 1; i > 0; i-- {
		if p.Tiers.Levels[i].Qualify.meets(t) {
			best = i
			break
		}
	}
	return best, t
}
