package ledger

import (
	"errors"
	"fmt"
	"time"
)

// Redeem spends points at once, drawing from released, unexpired, unheld
// lots soonest-expiring first (never-expiring lots last; ties by earn time,
// then lot ID). It fails with an *InsufficientPointsError (which is
// ErrInsufficientPoints) if fewer points are available. The ID shares its
// namespace with holds; replaying it with the same points is a no-op.
//
// Entries: redeem, with one draw per lot drawn.
func (a Account) Redeem(id string, points int64, at time.Time) (Account, []Entry, error) {
	return a.spend(KindRedeem, id, points, at)
}

// Hold reserves points at checkout: the same lots Redeem would draw, whose
// reserved portions no other redemption or hold can spend until the hold is
// committed (CommitHold) or released (ReleaseHold). A hold also protects
// its points from expiry until it ends. Replaying it with the same points
// is a no-op.
//
// Entries: hold, with one draw per lot reserved.
func (a Account) Hold(id string, points int64, at time.Time) (Account, []Entry, error) {
	return a.spend(KindHold, id, points, at)
}

func (a Account) spend(kind EntryKind, id string, points int64, at time.Time) (Account, []Entry, error) {
	at = at.Round(0)
	if err := errors.Join(checkID("id", id), checkPositive("points", points), a.checkAt(at)); err != nil {
		return a, nil, err
	}
	if op, ok := a.ops.Get(keyOf(kind, id)); ok {
		if op.Kind == kind && op.Points == points {
			return a, nil, nil
		}
		return a, nil, mismatch(string(kind), id)
	}
	if err := a.needSpending(at, 0); err != nil {
		return a, nil, err
	}
	if free := a.freeAt(at); free < points {
		return a, nil, &InsufficientPointsError{Requested: points, Available: free}
	}
	if err := a.needSpending(at, points); err != nil {
		return a, nil, err
	}
	t := a.begin(at)
	draws, got, err := t.take(points, kind == KindHold)
	if err != nil {
		return a, nil, err
	}
	if got != points {
		return a, nil, &InsufficientPointsError{Requested: points, Available: got}
	}
	e := t.emit(Entry{Kind: kind, Reference: id, Draws: draws})
	op := Operation{Kind: kind, ID: id, Points: points, Entry: e.ID, Time: at, Portions: portions(draws)}
	if kind == KindHold {
		op.State = HoldOpen
	} else {
		t.activity = true
	}
	t.setOp(op)
	return t.done()
}

func portions(draws []Draw) []Portion {
	ps := make([]Portion, len(draws))
	for i, d := range draws {
		ps[i] = Portion{LotID: d.LotID, Points: -d.Points + d.Held}
	}
	return ps
}

// CommitHold spends the points a hold reserved, from exactly the lots it
// reserved (even if they have expired since: the hold protected them).
// Committing a committed hold is a no-op returning no entries; committing a
// released hold is ErrHoldClosed; an unknown ID is ErrNotFound.
//
// Entries: hold-commit.
func (a Account) CommitHold(id string, at time.Time) (Account, []Entry, error) {
	return a.endHold(id, at, HoldCommitted)
}

// ReleaseHold frees the points a hold reserved. Releasing a released hold
// is a no-op returning no entries; releasing a committed hold is
// ErrHoldClosed; an unknown ID is ErrNotFound. Freed points of lots whose
// expiry has passed expire at once, as Expire would have expired them had
// they not been held.
//
// Entries: hold-release (naming the hold entry in Corrects), then possibly
// expire and debt-payoff.
func (a Account) ReleaseHold(id string, at time.Time) (Account, []Entry, error) {
	return a.endHold(id, at, HoldReleased)
}

func (a Account) endHold(id string, at time.Time, to HoldState) (Account, []Entry, error) {
	at = at.Round(0)
	if err := errors.Join(checkID("id", id), a.checkAt(at)); err != nil {
		return a, nil, err
	}
	op, ok := a.ops.Get(keyOf(KindHold, id))
	if !ok || op.Kind != KindHold {
		return a, nil, notFound("hold", id)
	}
	switch op.State {
	case to:
		return a, nil, nil
	case HoldCommitted, HoldReleased:
		return a, nil, fmt.Errorf("%w: hold %q is %s", ErrHoldClosed, id, op.State)
	}
	t := a.begin(at)
	draws := make([]Draw, 0, len(op.Portions))
	for _, p := range op.Portions {
		spent := int64(0)
		if to == HoldCommitted {
			spent = -p.Points
		}
		d, err := t.change(p.LotID, spent, -p.Points)
		if err != nil {
			return a, nil, err
		}
		draws = append(draws, d)
	}
	op = op.clone()
	op.State = to
	if to == HoldCommitted {
		t.activity = true
		op.EndEntry = t.emit(Entry{Kind: KindHoldCommit, Reference: id, Draws: draws}).ID
	} else {
		op.EndEntry = t.emit(Entry{Kind: KindHoldRelease, Reference: id, Corrects: op.Entry, Draws: draws}).ID
		if err := t.expireDue(lotIDs(op.Portions)); err != nil {
			return a, nil, err
		}
		if err := t.payDebt(); err != nil {
			return a, nil, err
		}
	}
	t.setOp(op)
	return t.done()
}

func lotIDs(ps []Portion) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.LotID
	}
	return ids
}
