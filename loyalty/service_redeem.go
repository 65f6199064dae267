package loyalty

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// RedeemRequest spends points: at checkout as cash (Hold then Commit, or
// Redeem in one step).
type RedeemRequest struct {
	ID       string // the POS's redemption ID: the idempotency key
	MemberID string
	Points   int64
	// OrderTotal is the order the points pay for; the programme's minimum,
	// step and maximum share apply to it. Zero skips the share check (a
	// redemption not tied to an order).
	OrderTotal decimal.Decimal
	// PurchaseID is the order, if already known; a return of it gives the
	// points back. CommitHold may name it instead.
	PurchaseID string
	At         time.Time // defaults to the service clock
}

// RedeemResult is what a redemption, hold, commit or release did.
type RedeemResult struct {
	MemberID string          `json:"memberId"`
	ID       string          `json:"id"`
	Points   int64           `json:"points"`
	Value    decimal.Decimal `json:"value"` // cash value of the points
	Entries  []ledger.Entry  `json:"entries"`
	Events   []Event         `json:"events"`
}

// Redeem spends points in one step. Two concurrent redemptions can never
// spend the same points: each is a compare-and-set on the account.
func (s *Service) Redeem(ctx context.Context, r RedeemRequest) (RedeemResult, error) {
	return s.spend(ctx, "redeem:", r, func(a ledger.Account, at time.Time) (ledger.Account, []ledger.Entry, error) {
		return a.Redeem(r.ID, r.Points, at)
	})
}

// Hold reserves points at checkout; Commit spends them when the payment
// completes and ReleaseHold frees them if it does not. Held points are not
// available to anything else, and do not expire while held.
func (s *Service) Hold(ctx context.Context, r RedeemRequest) (RedeemResult, error) {
	return s.spend(ctx, "hold:", r, func(a ledger.Account, at time.Time) (ledger.Account, []ledger.Entry, error) {
		return a.Hold(r.ID, r.Points, at)
	})
}

func (s *Service) spend(ctx context.Context, prefix string, r RedeemRequest, op func(ledger.Account, time.Time) (ledger.Account, []ledger.Entry, error)) (RedeemResult, error) {
	body := r // hashed as sent, so a retry without a time is still a replay
	if r.At.IsZero() {
		r.At = s.opts.Clock()
	}
	r.At = storeTime(r.At)
	if err := s.checkRedeemable(r); err != nil {
		return RedeemResult{}, err
	}
	value, err := s.program.CashValue(r.Points)
	if err != nil {
		return RedeemResult{}, err
	}
	var res RedeemResult
	n := needs{at: r.At, spend: r.Points, ops: []ledgerOpRef{{ledger.KindRedeem, r.ID}}}
	if r.PurchaseID != "" {
		n.purchases = []string{r.PurchaseID}
	}
	err = s.write(ctx, request{key: prefix + r.ID, body: body, member: r.MemberID, needs: n}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			var entries []ledger.Entry
			var err error
			acct.Points, entries, err = op(acct.Points, r.At)
			if err != nil {
				return acct, nil, nil, err
			}
			if r.PurchaseID != "" {
				ws.paidWith(r.PurchaseID, r.ID)
			}
			return acct, entries, RedeemResult{MemberID: acct.MemberID, ID: r.ID, Points: r.Points, Value: value,
				Entries: entries, Events: entryEvents(acct.MemberID, entries)}, nil
		})
	if err != nil {
		return RedeemResult{}, fmt.Errorf("loyalty: %s%s: %w", prefix, r.ID, err)
	}
	return res, nil
}

// checkRedeemable applies the programme's redemption rules.
func (s *Service) checkRedeemable(r RedeemRequest) error {
	var fe fieldErrors
	if r.Points <= 0 {
		fe.add("points", "must be positive")
	}
	if err := errors.Join(checkID("id", r.ID), checkID("memberId", r.MemberID), checkTime("at", r.At), fe.err()); err != nil {
		return err
	}
	rules := s.program.Redemption
	switch {
	case r.Points < rules.MinPoints:
		return fmt.Errorf("%w: at least %d points", ErrNotRedeemable, rules.MinPoints)
	case rules.Step > 1 && r.Points%rules.Step != 0:
		return fmt.Errorf("%w: in steps of %d points", ErrNotRedeemable, rules.Step)
	case rules.MaxPoints > 0 && r.Points > rules.MaxPoints:
		return fmt.Errorf("%w: at most %d points", ErrNotRedeemable, rules.MaxPoints)
	}
	if r.OrderTotal.IsZero() {
		return nil
	}
	most, err := s.program.MaxRedeemable(r.OrderTotal, math.MaxInt64)
	if err != nil {
		return err
	}
	if r.Points > most.Points {
		return fmt.Errorf("%w: at most %d points on this order", ErrNotRedeemable, most.Points)
	}
	return nil
}

// CommitHold spends held points, once; committing again returns the
// original result, and committing a released hold is ledger.ErrHoldClosed.
// purchaseID, if given, links the points to the order for returns.
func (s *Service) CommitHold(ctx context.Context, memberID, holdID, purchaseID string) (RedeemResult, error) {
	return s.endHold(ctx, "commit:", memberID, holdID, purchaseID, ledger.Account.CommitHold)
}

// ReleaseHold frees held points, once.
func (s *Service) ReleaseHold(ctx context.Context, memberID, holdID string) (RedeemResult, error) {
	return s.endHold(ctx, "release-hold:", memberID, holdID, "", ledger.Account.ReleaseHold)
}

func (s *Service) endHold(ctx context.Context, prefix, memberID, holdID, purchaseID string,
	op func(ledger.Account, string, time.Time) (ledger.Account, []ledger.Entry, error)) (RedeemResult, error) {
	if err := errors.Join(checkID("holdId", holdID), checkID("memberId", memberID), checkOptionalID("purchaseId", purchaseID)); err != nil {
		return RedeemResult{}, err
	}
	at := s.now()
	body := struct{ Member, Hold, Purchase string }{memberID, holdID, purchaseID}
	var res RedeemResult
	n := needs{at: at, ops: []ledgerOpRef{{ledger.KindHold, holdID}}}
	if purchaseID != "" {
		n.purchases = []string{purchaseID}
	}
	err := s.write(ctx, request{key: prefix + holdID, body: body, member: memberID, needs: n}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			hold, ok := acct.Points.Redemption(holdID)
			if !ok {
				return acct, nil, nil, fmt.Errorf("hold %s: %w", holdID, ErrNotFound)
			}
			var entries []ledger.Entry
			var err error
			acct.Points, entries, err = op(acct.Points, holdID, at)
			if err != nil {
				return acct, nil, nil, err
			}
			if purchaseID != "" {
				ws.paidWith(purchaseID, holdID)
			}
			value, _ := s.program.CashValue(hold.Points)
			return acct, entries, RedeemResult{MemberID: acct.MemberID, ID: holdID, Points: hold.Points, Value: value,
				Entries: entries, Events: entryEvents(acct.MemberID, entries)}, nil
		})
	if err != nil {
		return RedeemResult{}, fmt.Errorf("loyalty: %s%s: %w", prefix, holdID, err)
	}
	return res, nil
}

// MaxRedeemable says how many of a member's points may pay for an order
// of orderTotal now, and what they are worth.
func (s *Service) MaxRedeemable(ctx context.Context, memberID string, orderTotal decimal.Decimal) (Redeemable, error) {
	now := s.now()
	acct, err := s.view(ctx, memberID, needs{at: now, overdue: true})
	if err != nil {
		return Redeemable{}, fmt.Errorf("loyalty: account %s: %w", memberID, err)
	}
	return s.program.MaxRedeemable(orderTotal, acct.Points.Available(now))
}
