package loyalty

import (
	"slices"
	"time"
)

// activityLookback is how far back an account keeps qualifying events:
// enough for a rolling twelve-month, calendar-year or anniversary window
// and for yearly caps, evaluated at any time in the following year.
const activityLookback = 2 // years

// addActivity records a qualifying event in the account, keeping the
// events in time order, pruned to the lookback, and bounded by the days
// the member was active rather than by the purchases they made: a purchase
// that follows another purchase of the same local day, in time order, is
// merged into it once tier evaluation has passed the earlier one (see
// mergeable). It lowers the tier watermark below an event that lands at or
// before it, so the next evaluation walks the event.
//
// It may write into the events' backing array: mutations run on accounts
// the store handed out as copies (the Store contract), which nothing else
// shares.
func (s *Service) addActivity(acct *Account, ev QualifyingEvent) {
	events := acct.Activity
	if n := len(events); n > 0 && s.mergeable(acct.Tier.Seen, events[n-1], ev) {
		last := &events[n-1]
		last.Time = ev.Time
		last.Spend = addDecimals(last.Spend, ev.Spend)
		last.Purchases += ev.Purchases
		last.Points += ev.Points
	} else {
		i := len(events)
		for i > 0 && events[i-1].Time.After(ev.Time) {
			i--
		}
		events = slices.Insert(events, i, ev)
	}
	if seen := acct.Tier.Seen; !seen.IsZero() && !ev.Time.After(seen) {
		acct.Tier.Seen = storeTime(ev.Time).Add(-time.Microsecond)
	}
	acct.Activity = pruneActivity(events)
}

// pruneActivity drops the events older than the lookback from the newest.
func pruneActivity(events []QualifyingEvent) []QualifyingEvent {
	if len(events) == 0 {
		return events
	}
	cutoff := events[len(events)-1].Time.AddDate(-activityLookback, 0, 0)
	drop, _ := slices.BinarySearchFunc(events, cutoff, func(e QualifyingEvent, t time.Time) int { return e.Time.Compare(t) })
	return events[drop:]
}

// mergeable reports whether ev may be folded into last, the account's
// newest event. Both must be purchases (nothing negative, so that within
// the day every running sum only grows), of the same local day, in time
// order, and the tier watermark must have passed last (with a ladder):
// then no window a tier or a cap looks at can tell one event from two.
// Windows start at local midnights, so a day is inside a window or
// outside it; an upgrade is checked at the merged event's time, which is
// ev's own, over the same sums; an earlier instant of the day was already
// checked. Caps count whole days. Returns and corrections are never
// merged, so their order against purchases stays exact. One instant is
// lost: when a purchase synced late lands before a merged day, the walk
// after it sees that day at its last purchase, so an upgrade the late
// purchase brings forward is dated at the day's last purchase rather than
// at an earlier one of the same day (tiers, reviews, graces and
// guarantees, which count in days, are unaffected).
func (s *Service) mergeable(seen time.Time, last, ev QualifyingEvent) bool {
	if !purchaseLike(last) || !purchaseLike(ev) || ev.Time.Before(last.Time) {
		return false
	}
	if !s.program.Tiers.IsZero() && (seen.IsZero() || last.Time.After(seen)) {
		return false
	}
	loc := s.program.loc()
	return DateOf(last.Time, loc) == DateOf(ev.Time, loc)
}

func purchaseLike(e QualifyingEvent) bool {
	return e.Purchases > 0 && e.Points >= 0 && e.Spend.Sign() >= 0
}

// activitySince returns the suffix of time-ordered events at or after t.
func activitySince(events []QualifyingEvent, t time.Time) []QualifyingEvent {
	i, _ := slices.BinarySearchFunc(events, t, func(e QualifyingEvent, t time.Time) int { return e.Time.Compare(t) })
	return events[i:]
}

// capUsage sums the points purchases earned in the day and cap period of
// t. Only the events inside the longer of the two windows are read.
func (s *Service) capUsage(acct Account, t time.Time) CapUsage {
	dayStart, dayEnd := s.program.DayWindow(t)
	periodStart, periodEnd := s.program.PeriodWindow(t)
	from, to := earliest(dayStart, periodStart), latest(dayEnd, periodEnd)
	var u CapUsage
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
	return u
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
