package loyalty

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// ReturnResult is what a return did to the member's points.
type ReturnResult struct {
	MemberID string `json:"memberId,omitempty"`
	// Owed is what the returned lines earned, per the stored quote. The
	// return policy decides how it is settled: Taken from the lots, turned
	// into Debt, or Forgiven.
	Owed     int64 `json:"owed"`
	Taken    int64 `json:"taken"`
	Debt     int64 `json:"debt"`
	Forgiven int64 `json:"forgiven"`
	// Refunded is the points that paid for the returned part of the order,
	// given back to the lots they came from.
	Refunded int64          `json:"refunded"`
	Entries  []ledger.Entry `json:"entries"`
	Events   []Event        `json:"events"`
}

// Return undoes the points side of a return: it claws back exactly what
// the returned lines earned (the stored quote says, line by line; partial
// returns add up to no more than the line earned), under the programme's
// return policy, and gives points that paid for the returned part of the
// order back to their original lots. It is idempotent by return ID. The
// points are undone in the account that earned them (followed through any
// merge since). A return of a purchase that never went through Earn (an
// anonymous sale, say) changes nothing.
func (s *Service) Return(ctx context.Context, ret customer.Return) (ReturnResult, error) {
	if err := errors.Join(checkID("return.id", ret.ID), checkID("return.purchaseId", ret.PurchaseID)); err != nil {
		return ReturnResult{}, fmt.Errorf("loyalty: return: %w", err)
	}
	id := ret.ID
	ret, err := s.recordedReturn(ctx, ret)
	if err != nil {
		return ReturnResult{}, fmt.Errorf("loyalty: return %s: %w", id, err)
	}
	p, err := s.customers.Purchase(ctx, ret.PurchaseID)
	if err != nil {
		return ReturnResult{}, fmt.Errorf("loyalty: return %s: %w", ret.ID, err)
	}
	p.Time = storeTime(p.Time)
	for attempt := 0; ; attempt++ {
		res, err := s.returnOnce(ctx, ret, p)
		if (errors.Is(err, ErrMerged) || errors.Is(err, errEarnedMeanwhile)) && attempt < maxMergeChain {
			continue // the account was merged, or the earn landed: look again
		}
		if err != nil {
			return ReturnResult{}, fmt.Errorf("loyalty: return %s: %w", ret.ID, err)
		}
		return res, nil
	}
}

// errEarnedMeanwhile: a return found the purchase unearned, then its earn
// landed before the return's write; it runs again as a return after earn.
var errEarnedMeanwhile = errors.New("loyalty: the purchase was earned meanwhile")

// returnOnce undoes the return in the account holding the purchase's
// points: where it earned (followed through merges), or, if it has not
// earned yet, the account of the customer holding the purchase, where the
// return waits for the earn.
func (s *Service) returnOnce(ctx context.Context, ret customer.Return, p customer.Purchase) (ReturnResult, error) {
	earned, ok, err := s.storedEarn(ctx, p.ID)
	if err != nil {
		return ReturnResult{}, err
	}
	var member string
	var quote *Quote
	if ok {
		quote = &earned.Quote
		member, err = s.resolve(ctx, earned.MemberID, 0)
	} else {
		if p.CustomerID == "" {
			return ReturnResult{}, nil // an anonymous sale earned nothing to undo
		}
		var c customer.Customer
		if c, err = s.buyer(ctx, p); err == nil {
			member, err = s.resolve(ctx, c.ID, 0)
		}
	}
	if err != nil {
		return ReturnResult{}, err
	}
	n := needs{at: ret.Time, purchases: []string{p.ID}, purchaseLots: true}
	if quote != nil {
		n.spend = quote.Total
	}
	// The request is the return without its customer, whom merges
	// reassign: a replay after a merge is the same request.
	body := ret
	body.CustomerID = ""
	var res ReturnResult
	err = s.write(ctx, request{key: "return:" + ret.ID, body: body, member: member, create: quote == nil, needs: n}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			return s.applyReturn(acct, ws, ret, p, quote)
		})
	return res, err
}

func (s *Service) storedEarn(ctx context.Context, purchaseID string) (EarnResult, bool, error) {
	op, err := s.store.GetOperation(ctx, "earn:"+purchaseID)
	if errors.Is(err, ErrNotFound) {
		return EarnResult{}, false, nil
	}
	if err != nil {
		return EarnResult{}, false, err
	}
	var earned EarnResult
	if err := decodeResult(op.Result, &earned); err != nil {
		return EarnResult{}, false, fmt.Errorf("loyalty: stored earn of %s: %w", purchaseID, err)
	}
	return earned, true, nil
}

func (s *Service) applyReturn(acct Account, ws *workset, ret customer.Return, p customer.Purchase, q *Quote) (Account, []ledger.Entry, any, error) {
	state := ws.purchases[p.ID]
	if state.Quote != nil {
		q = state.Quote // re-quoted since its earn: returns claw back by what it earns now
	}
	earlier := state.Returned
	var entries []ledger.Entry
	res := ReturnResult{MemberID: acct.MemberID}
	switch {
	case q == nil && earnedHere(acct, p.ID):
		return acct, nil, nil, errEarnedMeanwhile
	case q == nil:
		// The earn has not reached loyalty: it will claw this back.
		state.Early = append(state.Early, earlyReturn{ID: ret.ID, Time: ret.Time, Lines: ret.Lines})
	case len(q.Lines) > 0:
		res.Owed = q.ClawbackFor(earlier, ret.Lines, p)
	}
	if res.Owed > 0 {
		policy := ledger.ClawbackPolicy(s.program.ReturnPolicy)
		var es []ledger.Entry
		var err error
		acct.Points, es, err = acct.Points.ClawBack(ret.ID, p.ID, res.Owed, ret.Time, policy)
		if err != nil {
			return acct, nil, nil, err
		}
		for _, e := range es {
			if e.Kind == ledger.KindClawback {
				res.Taken -= e.Points
				res.Debt += e.Debt
			}
		}
		res.Forgiven = res.Owed - res.Taken - res.Debt
		entries = append(entries, es...)
	}
	all := append(slices.Clone(earlier), ret.Lines...)
	if rid := state.PaidWith; rid != "" {
		refund, err := refundDue(acct.Points, rid, p, all)
		if err != nil {
			return acct, nil, nil, err
		}
		if refund > 0 {
			var es []ledger.Entry
			acct.Points, es, err = acct.Points.RefundRedemption("return:"+ret.ID, rid, refund, ret.Time)
			if err != nil {
				return acct, nil, nil, err
			}
			res.Refunded = refund
			entries = append(entries, es...)
		}
	}
	state.Returned = all
	if q != nil {
		state.Returns = append(state.Returns, returnFact{ID: ret.ID, Time: ret.Time, Lines: ret.Lines, Owed: res.Owed})
	}
	ws.setPurchase(p.ID, state)
	purchases := int64(0)
	if fullyReturned(p, all) {
		purchases = -1
	}
	late := lateFact{at: ret.Time, prior: Account{Tier: acct.Tier, TierMarks: slices.Clone(acct.TierMarks)}}
	if err := s.addActivity(&acct, ws, QualifyingEvent{Time: ret.Time, Spend: ret.Refund.Neg(), Purchases: purchases, Points: -res.Owed}); err != nil {
		return acct, nil, nil, err
	}
	// The walk passes the return now, as an earn's would: the header then
	// sums it into its day, and steps due by now run with it. A return
	// that lands before later purchases may change what they earn.
	now := latest(ret.Time, s.now())
	changes, err := s.evaluateTier(&acct, ws, now)
	if err != nil {
		return acct, nil, nil, err
	}
	requoted, more, err := s.settleLater(&acct, ws, nil, late, now)
	if err != nil {
		return acct, nil, nil, err
	}
	entries, changes = append(entries, requoted...), append(changes, more...)
	res.Entries = entries
	res.Events = append(entryEvents(acct.MemberID, entries), tierEvents(acct.MemberID, changes)...)
	return acct, entries, res, nil
}

// refundDue is how many points spent on the order go back now: the share
// of the redemption matching the share of the order's value returned so
// far (rounded down), less what earlier returns gave back.
func refundDue(pts ledger.Account, redemptionID string, p customer.Purchase, returned []customer.ReturnLine) (int64, error) {
	op, ok := pts.Redemption(redemptionID)
	if !ok || op.Spent()+op.Refunded == 0 {
		return 0, nil
	}
	subtotal := p.Subtotal()
	if !subtotal.IsPositive() {
		return 0, nil
	}
	value := decimal.Zero
	for _, l := range returned {
		if l.Line < 1 || l.Line > len(p.Lines) || !p.Lines[l.Line-1].Quantity.IsPositive() {
			return 0, &FieldError{Field: "lines", Problem: "a returned line is not on the purchase"}
		}
		line := p.Lines[l.Line-1]
		value = value.Add(line.Total.Mul(l.Quantity).Div(line.Quantity))
	}
	spent := op.Spent() + op.Refunded
	due := decimal.NewFromInt(spent).Mul(value).Div(subtotal).Floor().IntPart()
	return min(due, spent) - op.Refunded, nil
}

func fullyReturned(p customer.Purchase, returned []customer.ReturnLine) bool {
	left := make([]decimal.Decimal, len(p.Lines))
	for i, l := range p.Lines {
		left[i] = l.Quantity
	}
	for _, r := range returned {
		if r.Line >= 1 && r.Line <= len(left) {
			left[r.Line-1] = left[r.Line-1].Sub(r.Quantity)
		}
	}
	for _, q := range left {
		if q.IsPositive() {
			return false
		}
	}
	return true
}

// clawBackEarlyReturns claws back, at the purchase's earn, the returns that
// reached loyalty before it, in time order and each at its own time and
// under its own ID, exactly as if they had come after the earn; the
// activity they recorded gets the points they take back.
func (s *Service) clawBackEarlyReturns(acct *Account, ws *workset, p customer.Purchase, q Quote) ([]ledger.Entry, error) {
	state, ok := ws.purchases[p.ID]
	if !ok || len(state.Early) == 0 {
		return nil, nil // the common case: nothing came back ahead of the earn
	}
	early := slices.Clone(state.Early)
	state.Early = nil
	slices.SortStableFunc(early, func(a, b earlyReturn) int {
		return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.ID, b.ID))
	})
	var entries []ledger.Entry
	var before []customer.ReturnLine
	policy := ledger.ClawbackPolicy(s.program.ReturnPolicy)
	for _, r := range early {
		owed := int64(0)
		if len(q.Lines) > 0 {
			owed = q.ClawbackFor(before, r.Lines, p)
		}
		before = append(before, r.Lines...)
		state.Returns = append(state.Returns, returnFact{ID: r.ID, Time: r.Time, Lines: r.Lines, Owed: owed})
		if owed <= 0 {
			continue
		}
		var es []ledger.Entry
		var err error
		acct.Points, es, err = acct.Points.ClawBack(r.ID, p.ID, owed, latest(r.Time, p.Time), policy)
		if err != nil {
			return nil, err
		}
		entries = append(entries, es...)
		if err := s.addActivity(acct, ws, QualifyingEvent{Time: r.Time, Spend: decimal.Zero, Points: -owed}); err != nil {
			return nil, err
		}
	}
	ws.setPurchase(p.ID, state) // without its early returns, with what they took
	return entries, nil
}

// earnedHere reports whether the purchase's earn wrote its lot into the
// account: a return that decided the purchase was not yet earned checks it
// again under the write's version. (An earn of no points writes no lot; a
// return waiting for it then owes nothing either way.)
func earnedHere(acct Account, purchaseID string) bool {
	_, ok := acct.Points.Lot(lotID(purchaseID))
	return ok
}
