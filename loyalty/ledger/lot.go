package ledger

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Lot is the points one earn (or positive adjustment) created, tracked until
// spent, clawed back or expired. Remaining never goes below zero or above
// Amount, and Held (points reserved by open holds) never exceeds Remaining.
type Lot struct {
	ID           string
	EarnEntry    string    // the entry that created the lot
	Origin       EntryKind // KindEarn or KindAdjust
	Source       string    // the purchase (earn) or adjustment ID
	Amount       int64     // points originally earned
	Remaining    int64     // points still in the lot
	Held         int64     // of Remaining, points reserved by open holds
	EarnedAt     time.Time
	PendingUntil time.Time // when the host may release it; zero: released at once
	Released     bool      // pending points become available only once released
	ExpiresAt    time.Time // zero: never expires
}

// Pending reports the lot's pending points.
func (l Lot) Pending() int64 {
	if l.Released {
		return 0
	}
	return l.Remaining
}

// ExpiredAt reports whether the lot's expiry has passed at t.
func (l Lot) ExpiredAt(t time.Time) bool {
	return !l.ExpiresAt.IsZero() && !l.ExpiresAt.After(t)
}

// Free reports the lot's points that are neither held nor pending.
func (l Lot) Free() int64 {
	if !l.Released {
		return 0
	}
	return l.Remaining - l.Held
}

// lotKey orders lots the way spending draws them: soonest expiry first,
// never-expiring last, then by earn time, then by ID.
type lotKey struct {
	expires time.Time
	earned  time.Time
	id      string
}

func (l Lot) key() lotKey { return lotKey{l.ExpiresAt, l.EarnedAt, l.ID} }

func cmpLotKey(a, b lotKey) int {
	switch az, bz := a.expires.IsZero(), b.expires.IsZero(); {
	case az && !bz:
		return 1
	case !az && bz:
		return -1
	}
	if c := a.expires.Compare(b.expires); c != 0 {
		return c
	}
	if c := a.earned.Compare(b.earned); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// pendKey orders unreleased lots by when they may be released.
type pendKey struct {
	until time.Time
	id    string
}

func cmpPendKey(a, b pendKey) int {
	if c := a.until.Compare(b.until); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// srcKey indexes earned lots by purchase for clawbacks.
type srcKey struct{ source, id string }

func cmpSrcKey(a, b srcKey) int {
	return cmp.Or(strings.Compare(a.source, b.source), strings.Compare(a.id, b.id))
}

func sortLots(ls []Lot) {
	slices.SortFunc(ls, func(a, b Lot) int { return cmpLotKey(a.key(), b.key()) })
}
