package ledger

import (
	"errors"
	"time"
)

// Adjust records a manual correction by actor for reason. A positive
// adjustment creates a released lot with the adjustment ID as its lot ID,
// expiring at expiresAt (zero: never), and pays debt first if any; a
// negative one draws the available points soonest-expiring first or fails
// with *InsufficientPointsError. Replaying it is a no-op.
//
// Entries: adjust (with Reason and Actor), then possibly debt-payoff.
func (a Account) Adjust(id string, points int64, at, expiresAt time.Time, reason, actor string) (Account, []Entry, error) {
	at, expiresAt = at.Round(0), expiresAt.Round(0)
	err := errors.Join(checkID("id", id), a.checkAt(at), checkID("reason", reason), checkID("actor", actor))
	if points == 0 || points > MaxPoints || points < -MaxPoints {
		err = errors.Join(err, invalid("points", "must be non-zero and within ±MaxPoints"))
	}
	if !expiresAt.IsZero() && !at.IsZero() && !expiresAt.After(at) {
		err = errors.Join(err, invalid("expiresAt", "must be after at"))
	}
	if err != nil {
		return a, nil, err
	}
	op := Operation{Kind: KindAdjust, ID: id, Points: points, Time: at, ExpiresAt: expiresAt, Reason: reason, Actor: actor}
	if old, ok := a.ops.Get(keyOf(KindAdjust, id)); ok {
		if old.Points == points && old.ExpiresAt.Equal(expiresAt) && old.Reason == reason && old.Actor == actor {
			return a, nil, nil
		}
		return a, nil, mismatch("adjustment", id)
	}
	t := a.begin(at)
	var draws []Draw
	if points > 0 {
		if _, ok := a.lots.Get(id); ok {
			return a, nil, mismatch("lot", id)
		}
		draws = []Draw{t.addLot(Lot{ID: id, EarnEntry: t.nextID(), Origin: KindAdjust, Source: id,
			Amount: points, EarnedAt: at, Released: true, ExpiresAt: expiresAt})}
	} else {
		if err := a.needSpending(at, 0); err != nil {
			return a, nil, err
		}
		if free := a.freeAt(at); free < -points {
			return a, nil, &InsufficientPointsError{Requested: -points, Available: free}
		}
		if err := a.needSpending(at, -points); err != nil {
			return a, nil, err
		}
		var got int64
		if draws, got, err = t.take(-points, false); err != nil {
			return a, nil, err
		}
		if got != -points {
			return a, nil, &InsufficientPointsError{Requested: -points, Available: got}
		}
	}
	op.Entry = t.emit(Entry{Kind: KindAdjust, Reference: id, Draws: draws, Reason: reason, Actor: actor}).ID
	t.setOp(op)
	if err := t.payDebt(); err != nil {
		return a, nil, err
	}
	return t.done()
}
