package loyalty

import (
	"time"

	"github.com/shopspring/decimal"
)

// TierState is a member's tier standing. The service stores it; only
// EvaluateTier changes it (and the host, for overrides).
type TierState struct {
	// Tier is the earned tier code; empty means the entry tier.
	Tier string `json:"tier"`
	// Since is when the member reached Tier.
	Since time.Time `json:"since"`
	// MemberSince is when the member joined; anniversary windows and
	// reviews count from it.
	MemberSince time.Time `json:"memberSince"`
	// GuaranteedUntil: no review downgrades before this instant.
	GuaranteedUntil time.Time `json:"guaranteedUntil,omitzero"`
	// GraceUntil is set while a failed review's downgrade is postponed.
	GraceUntil time.Time `json:"graceUntil,omitzero"`
	// GraceSince is the review that started the grace; only activity from
	// then on can end it early.
	GraceSince time.Time `json:"graceSince,omitzero"`
	// NextReview is the next scheduled review; zero means "the first
	// review after Since".
	NextReview time.Time `json:"nextReview,omitzero"`
	// Override is a manual tier with an expiry, set by staff.
	Override *TierOverride `json:"override,omitempty"`
	// Seen is the service's watermark: it has evaluated every qualifying
	// event at or before this instant, so an earn walks only the events
	// after it (and after Since) instead of the member's whole history.
	// Adding an event at or before Seen lowers it. EvaluateTier ignores
	// it and leaves it as it is.
	Seen time.Time `json:"seen,omitzero"`
}

// TierOverride is a tier set by hand until an instant.
type TierOverride struct {
	Tier   string    `json:"tier"`
	Until  time.Time `json:"until"`
	Reason string    `json:"reason,omitempty"`
}

// Effective returns the tier the member holds at now: the override while it
// lasts, the earned tier otherwise.
func (s TierState) Effective(now time.Time) string {
	if s.Override != nil && now.Before(s.Override.Until) {
		return s.Override.Tier
	}
	return s.Tier
}

// QualifyingEvent is one fact that counts towards tiers: a purchase
// (Purchases 1, its spend and qualifying points), a return (negative Spend,
// and Purchases −1 when it cancels a whole purchase), or an adjustment.
// Qualifying points are counted apart from the spendable balance: spending
// or expiring points never lowers them.
type QualifyingEvent struct {
	Time      time.Time       `json:"time"`
	Spend     decimal.Decimal `json:"spend"`
	Purchases int64           `json:"purchases"`
	Points    int64           `json:"points"`
	// Count is how many facts the event sums: the service keeps one
	// summary per local day for purchases and one for everything else
	// once its tier walk has passed them (see Account.Activity). Zero or
	// one means a single fact; EvaluateTier reads only the sums.
	Count int64 `json:"count,omitempty"`
	// Purchase is the purchase a single purchase fact is of; the service
	// re-quotes it when a fact that arrives late changes what it earns.
	Purchase string `json:"purchase,omitempty"`
	// Month marks a month summary: every fact of one local calendar month
	// of the class, which the service keeps as one event once no window,
	// review or cap boundary can fall inside the month (the month's events
	// are in a RecordActivityMonth record). EvaluateTier reads only the
	// sums.
	Month bool `json:"month,omitempty"`
}

// QualifyingActivity is a member's qualifying events (any order; events
// older than the longest window may be left out).
type QualifyingActivity struct {
	Events []QualifyingEvent `json:"events"`
}

// TierChangeReason says why a tier changed.
type TierChangeReason string

// Tier change reasons.
const (
	TierUpgraded        TierChangeReason = "upgrade"
	TierDowngraded      TierChangeReason = "downgrade"
	TierGraceStarted    TierChangeReason = "grace-started" // a review failed; the downgrade waits
	TierGraceCleared    TierChangeReason = "grace-cleared" // qualified again within the grace
	TierOverrideExpired TierChangeReason = "override-expired"
)

// TierChange is a tier event for the host to publish.
type TierChange struct {
	From   string           `json:"from"`
	To     string           `json:"to"`
	At     time.Time        `json:"at"`
	Reason TierChangeReason `json:"reason"`
}

// Totals is qualifying activity summed over a window.
type Totals struct {
	Spend     decimal.Decimal `json:"spend"`
	Purchases int64           `json:"purchases"`
	Points    int64           `json:"points"`
}

// meets reports whether totals reach the qualification (>=, so a threshold
// reached exactly qualifies).
func (q Qualification) meets(t tally, minor int32) bool {
	need, _ := scaled(q.Spend, minor) // validated to fit
	conds := [3]struct{ set, ok bool }{
		{need != 0, t.spend >= need},
		{q.Purchases != 0, t.purchases >= q.Purchases},
		{q.Points != 0, t.points >= q.Points},
	}
	any, all, n := false, true, 0
	for _, c := range conds {
		if !c.set {
			continue
		}
		n++
		any = any || c.ok
		all = all && c.ok
	}
	if n == 0 {
		return true // the entry tier
	}
	if q.Match == MatchAll {
		return all
	}
	return any
}
