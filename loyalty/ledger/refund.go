package ledger

import (
	"errors"
	"time"
)

// RefundRedemption gives back points a redemption (or committed hold) spent,
// when the order they paid for is returned. The points go back to the exact
// lots they were drawn from, latest draw first, so they keep their original
// expiry: a refund neither extends nor shortens their life. If such a lot's
// expiry has passed by at, the given-back points expire at once (an expire
// entry follows), exactly as if they had never been spent; the refund entry
// still records that they were given back.
//
// refundID identifies the refund: replaying it is a no-op. Refunds of one
// redemption can together give back at most what it spent
// (*OverRefundError, which is ErrOverRefund); an unknown redemption, or a
// hold not committed, is ErrNotFound.
//
// Entries: refund-of-redemption naming the redemption's entry in Corrects,
// then possibly expire and debt-payoff.
func (a Account) RefundRedemption(refundID, redemptionID string, points int64, at time.Time) (Account, []Entry, error) {
	at = at.Round(0)
	err := errors.Join(checkID("refundID", refundID), checkID("redemptionID", redemptionID),
		checkPositive("points", points), a.checkAt(at))
	if err != nil {
		return a, nil, err
	}
	if op, ok := a.ops.Get(keyOf(KindRefund, refundID)); ok {
		if op.Target == redemptionID && op.Points == points {
			return a, nil, nil
		}
		return a, nil, mismatch("refund", refundID)
	}
	red, ok := a.ops.Get(keyOf(KindRedeem, redemptionID))
	if !ok || (red.Kind == KindHold && red.State != HoldCommitted) {
		return a, nil, notFound("redemption", redemptionID)
	}
	if left := red.Spent(); points > left {
		return a, nil, &OverRefundError{ID: redemptionID, Requested: points, Left: left}
	}
	t := a.begin(at)
	red = red.clone()
	var draws []Draw
	var ids []string
	for i, want := len(red.Portions)-1, points; i >= 0 && want > 0; i-- {
		p := &red.Portions[i]
		n := min(p.Points-p.Refunded, want)
		if n == 0 {
			continue
		}
		d, err := t.change(p.LotID, n, 0)
		if err != nil {
			return a, nil, err
		}
		p.Refunded += n
		want -= n
		draws = append(draws, d)
		ids = append(ids, p.LotID)
	}
	red.Refunded += points
	corrects := red.Entry
	if red.Kind == KindHold {
		corrects = red.EndEntry
	}
	e := t.emit(Entry{Kind: KindRefund, Reference: refundID, Corrects: corrects, Draws: draws})
	t.setOp(red)
	t.setOp(Operation{Kind: KindRefund, ID: refundID, Points: points, Target: redemptionID, Entry: e.ID, Time: at})
	if err := t.expireDue(ids); err != nil {
		return a, nil, err
	}
	if err := t.payDebt(); err != nil {
		return a, nil, err
	}
	return t.done()
}
