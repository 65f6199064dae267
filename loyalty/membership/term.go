package membership

import (
	"time"
)

// Term is one term bought: a record of its own, keyed by member and the
// payment's ID.
type Term struct {
	MemberID string
	// ID is the payment's ID: the idempotency key of the purchase.
	ID       string
	PlanID   string
	Currency string
	FeeMinor int64
	PaidAt   time.Time
	// Start and End bound the term, [Start, End).
	Start, End time.Time
	// The refund, once made: its ID, when, how much, and the value of the
	// benefits used that it took into account.
	RefundID          string
	RefundedAt        time.Time
	RefundMinor       int64
	BenefitsUsedMinor int64
	// CouponMonths is how many months' coupons were granted.
	CouponMonths int
	// Location is the zone the term's days are counted in (the plan's).
	Location *time.Location
}

// Refunded reports whether the term was refunded.
func (t Term) Refunded() bool { return t.RefundID != "" }

func (t Term) loc() *time.Location {
	if t.Location == nil {
		return time.UTC
	}
	return t.Location
}

// civilDay numbers local days, so differences count calendar days across
// daylight-saving changes.
func civilDay(at time.Time, loc *time.Location) int {
	y, m, d := at.In(loc).Date()
	return int(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Days is the number of local days of the term.
func (t Term) Days() int {
	return max(1, civilDay(t.End, t.loc())-civilDay(t.Start, t.loc()))
}

// daysBegun is how many of the term's days have begun by at (the day of
// at counts), 0 before Start and Days() from End on.
func (t Term) daysBegun(at time.Time) int {
	if at.Before(t.Start) {
		return 0
	}
	if !at.Before(t.End) {
		return t.Days()
	}
	return min(t.Days(), civilDay(at, t.loc())-civilDay(t.Start, t.loc())+1)
}

// RefundDue is what the documented rule refunds at at, in minor units,
// given the value of the benefits the member used (see the package doc):
// the whole fee within the cooling-off days with no benefit used;
// otherwise the fee times the days not yet begun over the term's days,
// rounded down, at most the fee less the benefits used, and never below 0.
func (t Term) RefundDue(at time.Time, coolingOffDays int, benefitsUsedMinor int64) int64 {
	if !at.Before(t.End) || t.Refunded() {
		return 0
	}
	if benefitsUsedMinor == 0 && civilDay(at, t.loc())-civilDay(t.PaidAt, t.loc()) < coolingOffDays {
		return t.FeeMinor
	}
	unused := int64(t.Days() - t.daysBegun(at))
	due := mulDiv(t.FeeMinor, unused, int64(t.Days()))
	return max(0, min(due, t.FeeMinor-benefitsUsedMinor))
}

// Recognised is the part of the fee earned by at: straight line by days
// begun, the cumulative amount rounded down, so the last day completes
// the fee exactly. After a refund, everything not refunded counts as
// recognised from the refund on.
func (t Term) Recognised(at time.Time) int64 {
	if t.Refunded() && !at.Before(t.RefundedAt) {
		return t.FeeMinor - t.RefundMinor
	}
	return mulDiv(t.FeeMinor, int64(t.daysBegun(at)), int64(t.Days()))
}

// Deferred is the part of the fee still owed to the member in service at
// at: the fee less what is recognised and what was refunded.
func (t Term) Deferred(at time.Time) int64 {
	refunded := int64(0)
	if t.Refunded() && !at.Before(t.RefundedAt) {
		refunded = t.RefundMinor
	}
	return t.FeeMinor - refunded - t.Recognised(at)
}

// mulDiv is a·b/c rounded down, for a fee of at most 10^15 minor units
// and at most a few thousand days, which cannot overflow int64 (10^15 ×
// 1,100 < 9.2 × 10^18).
func mulDiv(a, b, c int64) int64 { return a * b / c }
