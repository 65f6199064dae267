package ledger

import (
	"errors"
	"time"
)

// Earn adds a lot of points earned at time at by a purchase (which may be
// empty for earns no return can claw back). The lot is pending until
// released if pendingUntil is after at, and expires at expiresAt (zero:
// never). Replaying an earn with the same lot ID and payload is a no-op;
// the same lot ID with another payload is ErrIdempotencyMismatch.
//
// If the account owes debt and the lot is released at once, the new points
// pay the debt first (a debt-payoff entry).
//
// Entries: earn, then possibly debt-payoff.
func (a Account) Earn(lotID string, points int64, at, pendingUntil, expiresAt time.Time, purchase string) (Account, []Entry, error) {
	at, pendingUntil, expiresAt = at.Round(0), pendingUntil.Round(0), expiresAt.Round(0)
	err := errors.Join(checkID("lotID", lotID), checkPositive("points", points), a.checkAt(at))
	if !expiresAt.IsZero() && !at.IsZero() && !expiresAt.After(at) {
		err = errors.Join(err, invalid("expiresAt", "must be after at"))
	}
	if err != nil {
		return a, nil, err
	}
	l := Lot{
		ID: lotID, Origin: KindEarn, Source: purchase, Amount: points,
		EarnedAt: at, PendingUntil: pendingUntil, ExpiresAt: expiresAt,
		Released: !pendingUntil.After(at),
	}
	if old, ok := a.lots.Get(lotID); ok {
		if sameLot(old, l) {
			return a, nil, nil
		}
		return a, nil, mismatch("lot", lotID)
	}
	t := a.begin(at)
	t.activity = true
	l.EarnEntry = t.nextID()
	t.emit(Entry{Kind: KindEarn, Reference: lotID, Purchase: purchase, Draws: []Draw{t.addLot(l)}})
	if err := t.payDebt(); err != nil {
		return a, nil, err
	}
	return t.done()
}

func sameLot(a, b Lot) bool {
	return a.Origin == b.Origin && a.Source == b.Source && a.Amount == b.Amount &&
		a.EarnedAt.Equal(b.EarnedAt) && a.PendingUntil.Equal(b.PendingUntil) && a.ExpiresAt.Equal(b.ExpiresAt)
}

// Release makes a pending lot's points available now, whatever its
// PendingUntil (the host decides, e.g. when a return window closes early).
// Releasing a released lot is a no-op. Entries: release, then possibly
// debt-payoff.
func (a Account) Release(lotID string, at time.Time) (Account, []Entry, error) {
	at = at.Round(0)
	if err := errors.Join(checkID("lotID", lotID), a.checkAt(at)); err != nil {
		return a, nil, err
	}
	l, ok := a.lots.Get(lotID)
	if !ok {
		return a, nil, notFound("lot", lotID)
	}
	if l.Released {
		return a, nil, nil
	}
	t := a.begin(at)
	if err := t.release(l); err != nil {
		return a, nil, err
	}
	if err := t.payDebt(); err != nil {
		return a, nil, err
	}
	return t.done()
}

// ReleaseDue releases every pending lot whose PendingUntil is at or before
// at, one release entry per lot, in PendingUntil order, then pays debt from
// the released points. Calling it again is a no-op.
func (a Account) ReleaseDue(at time.Time) (Account, []Entry, error) {
	at = at.Round(0)
	if err := a.checkAt(at); err != nil {
		return a, nil, err
	}
	if err := a.needPending(at); err != nil {
		return a, nil, err
	}
	var due []string
	for k := range a.pending.All() {
		if k.until.After(at) {
			break
		}
		due = append(due, k.id)
	}
	t := a.begin(at)
	for _, id := range due {
		l, _ := t.a.lots.Get(id)
		if err := t.release(l); err != nil {
			return a, nil, err
		}
	}
	if err := t.payDebt(); err != nil {
		return a, nil, err
	}
	return t.done()
}

func (t *tx) release(old Lot) error {
	l := old
	l.Released = true
	t.putLot(old, l, true)
	d := Draw{LotID: l.ID, Pending: -old.Pending()}
	t.emit(Entry{Kind: KindRelease, Reference: l.ID, Purchase: l.Source, Draws: []Draw{d}})
	return nil
}

// payDebt spends available points on debt, soonest-expiring first.
func (t *tx) payDebt() error {
	if t.a.debt <= 0 {
		return nil
	}
	if err := t.a.needSpending(t.at, 0); err != nil {
		return err
	}
	want := min(t.a.debt, t.a.freeAt(t.at))
	if err := t.a.needSpending(t.at, want); err != nil {
		return err
	}
	if want <= 0 {
		return nil
	}
	draws, got, err := t.take(want, false)
	if err != nil {
		return err
	}
	t.emit(Entry{Kind: KindDebtPayoff, Debt: -got, Draws: draws})
	return nil
}
