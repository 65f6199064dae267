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
	// Lapsed is the points expiry took from the lot that no return has
	// claimed since, and LapsedAt the instant they lapsed (the lot's expiry,
	// or an inactivity deadline). A return dated before LapsedAt that
	// reaches the ledger after the expiry run claws these back first, as it
	// would have had it come in time (ClawBack).
	Lapsed   int64
	LapsedAt time.Time
}

// countsValid reports whether the lot's counts fit together: some points
// earned, remaining and held within them, and lapsed points within those
// that left the lot.
func (l Lot) countsValid() bool {
	return l.Amount > 0 && l.Amount <= MaxPoints && l.Remaining >= 0 && l.Remaining <= l.Amount &&
		l.Held >= 0 && l.Held <= l.Remaining && l.Lapsed >= 0 && l.Lapsed <= l.Amount-l.Remaining
}

// monotonic strips the monotonic clock readings from the lot's times.
func (l Lot) monotonic() Lot {
	l.EarnedAt, l.PendingUntil, l.ExpiresAt, l.LapsedAt = l.EarnedAt.Round(0), l.PendingUntil.Round(0), l.ExpiresAt.Round(0), l.LapsedAt.Round(0)
	return l
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
// never-expiring last, then by earn time, then by ID. Its times are bare
// instants: every earn copies a path of keys in the spending-order tree,
// and a time.Time is half as big again and carries a pointer.
type lotKey struct {
	expires instant
	earned  instant
	id      string
}

// instant is a time's instant alone.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

// zeroInstant is the instant of the zero time (what IsZero tests).
var zeroInstant = instantOf(time.Time{})

func (i instant) isZero() bool { return i == zeroInstant }

func (i instant) compare(j instant) int {
	return cmp.Or(cmp.Compare(i.sec, j.sec), cmp.Compare(i.nsec, j.nsec))
}

// after reports whether i is after t, as time.Time.After does.
func (i instant) after(t time.Time) bool { return i.compare(instantOf(t)) > 0 }

func (l Lot) key() lotKey { return lotKey{instantOf(l.ExpiresAt), instantOf(l.EarnedAt), l.ID} }

func cmpLotKey(a, b lotKey) int {
	switch az, bz := a.expires.isZero(), b.expires.isZero(); {
	case az && !bz:
		return 1
	case !az && bz:
		return -1
	}
	if c := a.expires.compare(b.expires); c != 0 {
		return c
	}
	if c := a.earned.compare(b.earned); c != 0 {
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
