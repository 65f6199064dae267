package ledger

import (
	"errors"
	"fmt"
	"time"
)

// ClawbackPolicy says what a return does when the points its purchase
// earned are no longer in the account.
type ClawbackPolicy string

// Clawback policies.
const (
	// OnlyPending claws back only the still-pending points of the lots the
	// purchase earned; whatever was released is forgiven.
	OnlyPending ClawbackPolicy = "only-pending"
	// WithinBalance takes from the purchase's own lots first (pending or
	// released), then from other available lots soonest-expiring first,
	// and forgives the rest: the balance never goes below zero.
	WithinBalance ClawbackPolicy = "within-balance"
	// AllowDebt takes what WithinBalance takes; the rest becomes debt that
	// points becoming available later pay off first.
	AllowDebt ClawbackPolicy = "allow-debt"
)

// Valid reports whether p is one of the defined policies.
func (p ClawbackPolicy) Valid() bool {
	return p == OnlyPending || p == WithinBalance || p == AllowDebt
}

// ClawBack takes back points for a return of a purchase: points is what the
// returned lines earned (per the stored quote), and the points taken follow
// the policy. returnID identifies the return: replaying it is a no-op.
// Returns of one purchase can together claw back at most what the purchase
// earned in this account (*OverRefundError, which is ErrOverRefund); a
// purchase with no lots here is ErrNotFound. Points reserved by open holds
// are never taken, and points of lots past expiry at the return's time are
// gone and are not taken either. Points of the purchase's own lots that
// lapsed after the return's time (an expiry run, or an inactivity rule,
// ran before the return reached the ledger) are taken from those lots,
// as they would have been had the return come in time: arrival order does
// not move points between the member's lots.
//
// Entries: for lapsed points taken, an expire entry of positive points
// per lot (the expiry reversed by as much); then one clawback entry naming
// the purchase's earn entry in Corrects, with the lots drawn and any new
// debt; Reason states forgiven points.
func (a Account) ClawBack(returnID, purchase string, points int64, at time.Time, policy ClawbackPolicy) (Account, []Entry, error) {
	at = at.Round(0)
	err := errors.Join(checkID("returnID", returnID), checkID("purchase", purchase),
		checkPositive("points", points), a.checkAt(at))
	if !policy.Valid() {
		err = errors.Join(err, invalid("policy", fmt.Sprintf("unknown clawback policy %q", policy)))
	}
	if err != nil {
		return a, nil, err
	}
	if op, ok := a.ops.Get(keyOf(KindClawback, returnID)); ok {
		if op.Target == purchase && op.Points == points && op.Policy == policy {
			return a, nil, nil
		}
		return a, nil, mismatch("return", returnID)
	}
	own, done, err := a.returnable(purchase, points)
	if err != nil {
		return a, nil, err
	}
	t := a.begin(at)
	draws, err := t.clawOwn(own, points, policy)
	if err != nil {
		return a, nil, err
	}
	got := taken(draws)
	if policy != OnlyPending && got < points {
		if err := t.a.needSpending(t.at, min(points-got, t.a.freeAt(t.at))); err != nil {
			return a, nil, err
		}
		more, n, err := t.take(points-got, false)
		if err != nil {
			return a, nil, err
		}
		draws, got = append(draws, more...), got+n
	}
	e := Entry{Kind: KindClawback, Reference: returnID, Purchase: purchase, Corrects: own[0].EarnEntry, Draws: draws}
	switch short := points - got; {
	case short > 0 && policy == AllowDebt:
		e.Debt = short
	case short > 0:
		e.Reason = fmt.Sprintf("%s: %d of %d points forgiven", policy, short, points)
	}
	e = t.emit(e)
	t.a.returned = t.a.returned.Set(purchase, done+points)
	t.setOp(Operation{Kind: KindClawback, ID: returnID, Points: points, Target: purchase, Policy: policy, Entry: e.ID, Time: at})
	return t.done()
}

// returnable returns the lots a purchase earned and the points earlier
// returns took, checking that points more do not exceed what it earned.
func (a Account) returnable(purchase string, points int64) ([]Lot, int64, error) {
	own := a.purchaseLots(purchase)
	if len(own) == 0 {
		return nil, 0, notFound("purchase", purchase)
	}
	var earned int64
	for _, l := range own {
		earned += l.Amount
	}
	done, _ := a.returned.Get(purchase)
	if left := earned - done; points > left {
		return nil, 0, &OverRefundError{ID: purchase, Requested: points, Left: left}
	}
	return own, done, nil
}

// purchaseLots returns the lots a purchase earned, in spending order.
func (a Account) purchaseLots(purchase string) []Lot {
	var own []Lot
	for k := range a.bySource.From(srcKey{purchase, ""}) {
		if k.source != purchase {
			break
		}
		l, _ := a.lots.Get(k.id)
		own = append(own, l)
	}
	sortLots(own)
	return own
}

// clawOwn takes up to want points from the purchase's own lots: pending
// points first (they were never spendable), then released unheld points
// unless the policy is OnlyPending.
func (t *tx) clawOwn(own []Lot, want int64, policy ClawbackPolicy) ([]Draw, error) {
	var draws []Draw
	var got int64
	for pass := 0; pass < 2 && got < want; pass++ {
		if pass == 1 && policy == OnlyPending {
			break
		}
		for _, l := range own {
			l, err := t.lot(l.ID)
			if err != nil {
				return nil, err
			}
			n := l.Pending()
			if pass == 1 {
				n = l.Free()
			}
			if n = min(n, want-got); n == 0 || l.ExpiredAt(t.at) {
				continue
			}
			d, err := t.change(l.ID, -n, 0)
			if err != nil {
				return nil, err
			}
			draws = appendDraw(draws, d)
			got += n
		}
	}
	if got < want {
		more, n, err := t.clawLapsed(own, want-got, policy)
		if err != nil {
			return nil, err
		}
		for _, d := range more {
			draws = appendDraw(draws, d)
		}
		got += n
	}
	return draws, nil
}

// clawLapsed takes up to want points from the purchase's own lots that
// expired after the return's time: had the return come in time, it would
// have taken them before they lapsed, so a return synced after the expiry
// run must not take them from the member's other lots instead. Each is
// first put back into its lot by an expire entry of positive points (the
// expiry reversed: it expired that much less), then drawn like any other.
// Under OnlyPending, only points that lapsed while still pending count.
func (t *tx) clawLapsed(own []Lot, want int64, policy ClawbackPolicy) ([]Draw, int64, error) {
	var draws []Draw
	var got int64
	for _, l := range own {
		l, err := t.lot(l.ID)
		if err != nil {
			return nil, 0, err
		}
		if l.Lapsed == 0 || !l.LapsedAt.After(t.at) || (policy == OnlyPending && l.Released) {
			continue
		}
		n := min(l.Lapsed, want-got)
		back, err := t.change(l.ID, n, 0)
		if err != nil {
			return nil, 0, err
		}
		restored, _ := t.a.lots.Get(l.ID)
		next := restored
		next.Lapsed -= n
		t.putLot(restored, next, true)
		t.emit(Entry{Kind: KindExpire, Reference: l.ID, Purchase: l.Source, Reason: "reversed: a return dated before the points lapsed", Draws: []Draw{back}})
		d, err := t.change(l.ID, -n, 0)
		if err != nil {
			return nil, 0, err
		}
		draws, got = append(draws, d), got+n
		if got == want {
			break
		}
	}
	return draws, got, nil
}

// appendDraw merges a draw into an earlier draw on the same lot, so an
// entry names each lot once.
func appendDraw(draws []Draw, d Draw) []Draw {
	for i := range draws {
		if draws[i].LotID == d.LotID {
			draws[i].Points += d.Points
			draws[i].Pending += d.Pending
			draws[i].Held += d.Held
			return draws
		}
	}
	return append(draws, d)
}

// taken reports the points a list of draws took out of lots.
func taken(draws []Draw) int64 {
	var n int64
	for _, d := range draws {
		n -= d.Points
	}
	return n
}
