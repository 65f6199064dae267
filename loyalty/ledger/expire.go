package ledger

import (
	"fmt"
	"time"
)

// Expire expires the points left in every lot whose ExpiresAt is at or
// before at, released or pending, one expire entry per lot, walking the
// lots from the soonest expiry so its cost follows the lots it expires.
// Points reserved by an open hold are left alone until the hold ends.
// Calling it again for the same time is a no-op.
func (a Account) Expire(at time.Time) (Account, []Entry, error) {
	at = at.Round(0)
	if err := a.checkAt(at); err != nil {
		return a, nil, err
	}
	if !a.coversOverdue(at) {
		return a, nil, fmt.Errorf("%w: lots expired by %s", ErrPartial, at.Format(time.RFC3339))
	}
	var due []string
	for k := range a.open.All() {
		if k.expires.isZero() || k.expires.after(at) {
			break
		}
		due = append(due, k.id)
	}
	t := a.begin(at)
	if err := t.expireDue(due); err != nil {
		return a, nil, err
	}
	return t.done()
}

// expireDue expires the unheld points of the given lots whose expiry has
// passed at the operation's time.
func (t *tx) expireDue(ids []string) error {
	for _, id := range ids {
		l, err := t.lot(id)
		if err != nil {
			return err
		}
		n := l.Remaining - l.Held
		if !l.ExpiredAt(t.at) || n == 0 {
			continue
		}
		if err := t.lapse(l, n, ""); err != nil {
			return err
		}
	}
	return nil
}

// lapse expires n of a lot's points at the operation's time and records
// them on the lot as lapsed, for a return that comes late (ClawBack).
func (t *tx) lapse(l Lot, n int64, reason string) error {
	d, err := t.change(l.ID, -n, 0)
	if err != nil {
		return err
	}
	after, _ := t.a.lots.Get(l.ID)
	next := after
	// The points lapsed at the lot's expiry, even when the run that
	// expires them comes later; an inactivity deadline may come sooner.
	next.Lapsed, next.LapsedAt = after.Lapsed+n, t.at
	if !l.ExpiresAt.IsZero() && l.ExpiresAt.Before(t.at) {
		next.LapsedAt = l.ExpiresAt
	}
	t.putLot(after, next, true)
	t.emit(Entry{Kind: KindExpire, Reference: l.ID, Purchase: l.Source, Reason: reason, Draws: []Draw{d}})
	return nil
}
