package loyalty

import "time"

// ExpiryKind says how earned points lapse.
type ExpiryKind string

// Expiry kinds.
const (
	// ExpireNever: points never lapse.
	ExpireNever ExpiryKind = "never"
	// ExpireRolling: points are valid through the local day Days days (or
	// Months months) after the day they were earned, and lapse at the start
	// of the next local day. Months clamp to the month's end: earned on
	// 31 January, one month means valid through 28 (29) February.
	ExpireRolling ExpiryKind = "rolling"
	// ExpirePeriodEnd: points are valid through the end of the Periods-th
	// calendar Unit (month, quarter, year) after the one they were earned
	// in; Periods 0 means the end of that same period.
	ExpirePeriodEnd ExpiryKind = "period-end"
	// ExpireInactivity: all of an account's points lapse when it has had no
	// activity for Months months; lots carry no date of their own (see
	// InactivityExpiresAt).
	ExpireInactivity ExpiryKind = "inactivity"
)

// ExpiryPolicy says when points lapse. Every date is computed in the
// programme's zone from the event's own time, so a lane that syncs late
// gets the same answer, and every expiry falls on a local midnight.
type ExpiryPolicy struct {
	Kind    ExpiryKind `json:"kind"`
	Days    int        `json:"days,omitempty"`    // ExpireRolling
	Months  int        `json:"months,omitempty"`  // ExpireRolling or ExpireInactivity
	Unit    CapPeriod  `json:"unit,omitempty"`    // ExpirePeriodEnd: month, quarter or year
	Periods int        `json:"periods,omitempty"` // ExpirePeriodEnd
}

// ExpiresAt returns the first instant at which points earned at earned are
// no longer available, or the zero time when they do not lapse on a date
// of their own (ExpireNever, ExpireInactivity).
func (e ExpiryPolicy) ExpiresAt(earned time.Time, loc *time.Location) time.Time {
	d := DateOf(earned, loc)
	switch e.Kind {
	case ExpireRolling:
		last := d.addMonths(e.Months).addDays(e.Days)
		return startOfDay(last.addDays(1), loc)
	case ExpirePeriodEnd:
		start := periodStart(d, e.Unit)
		return startOfDay(nextPeriodStart(start, e.Unit, e.Periods+1), loc)
	}
	return time.Time{}
}

// InactivityExpiresAt returns when an account whose last activity was at
// lastActivity loses its points under ExpireInactivity: the start of the
// local day after the day Months months later. Other kinds return zero.
func (e ExpiryPolicy) InactivityExpiresAt(lastActivity time.Time, loc *time.Location) time.Time {
	if e.Kind != ExpireInactivity {
		return time.Time{}
	}
	last := DateOf(lastActivity, loc).addMonths(e.Months)
	return startOfDay(last.addDays(1), loc)
}

func (e ExpiryPolicy) validate(fe *fieldErrors, path string) {
	switch e.Kind {
	case ExpireNever:
		if e.Days != 0 || e.Months != 0 || e.Unit != "" || e.Periods != 0 {
			fe.add(path, "never takes no days, months, unit or periods")
		}
	case ExpireRolling:
		if e.Days < 0 || e.Months < 0 || e.Days > 36600 || e.Months > 1200 {
			fe.add(path+".days", "days must be 0 to 36600 and months 0 to 1200")
		} else if e.Days == 0 && e.Months == 0 {
			fe.add(path+".days", "rolling expiry needs days or months")
		}
		if e.Unit != "" || e.Periods != 0 {
			fe.add(path+".unit", "rolling expiry takes no unit or periods")
		}
	case ExpirePeriodEnd:
		if e.Unit != PeriodMonth && e.Unit != PeriodQuarter && e.Unit != PeriodYear {
			fe.add(path+".unit", "must be month, quarter or year")
		}
		if e.Periods < 0 || e.Periods > 100 {
			fe.add(path+".periods", "must be 0 to 100")
		}
		if e.Days != 0 || e.Months != 0 {
			fe.add(path+".days", "period-end expiry takes no days or months")
		}
	case ExpireInactivity:
		if e.Months < 1 || e.Months > 1200 {
			fe.add(path+".months", "must be 1 to 1200")
		}
		if e.Days != 0 || e.Unit != "" || e.Periods != 0 {
			fe.add(path+".days", "inactivity expiry takes only months")
		}
	default:
		fe.add(path+".kind", "must be never, rolling, period-end or inactivity")
	}
}

// PendingPolicy says how long earned points stay locked before they can be
// spent, usually the return window.
type PendingPolicy struct {
	// Days locks points through the local day Days days after the purchase;
	// they are released at the start of the next local day.
	Days int `json:"days,omitempty"`
	// UntilReleased locks points until the host releases them (for example
	// when the order is delivered).
	UntilReleased bool `json:"untilReleased,omitempty"`
}

// PendingUntil returns when points earned at earned are released, or the
// zero time when they are available at once or wait for the host
// (UntilReleased).
func (pp PendingPolicy) PendingUntil(earned time.Time, loc *time.Location) time.Time {
	if pp.UntilReleased || pp.Days == 0 {
		return time.Time{}
	}
	return startOfDay(DateOf(earned, loc).addDays(pp.Days+1), loc)
}

func (pp PendingPolicy) validate(fe *fieldErrors, path string) {
	if pp.Days < 0 || pp.Days > 3660 {
		fe.add(path+".days", "must be 0 to 3660")
	}
	if pp.UntilReleased && pp.Days != 0 {
		fe.add(path, "days and untilReleased exclude each other")
	}
}
