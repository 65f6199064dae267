package referral

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
)

// The returns of the qualifying purchase are read from the customer
// facts, all of them, whichever return's call arrived: a return recorded
// before the friend was bound, or before its purchase took over as the
// qualifying one, counts as one that arrives now. Only returns made within
// ReturnWindowDays of the purchase count, so the outcome does not depend
// on the order returns arrive in.
//
// A takeback is dated by the facts: it is the time of the return that, in
// (return time, return ID) order among the counted returns, first leaves
// the purchase under MinAmount (or refunds it whole).

// applyReturns applies the qualifying purchase's recorded returns that the
// record does not hold yet, deciding a takeback when they leave it under
// the minimum, and carries the takeback out.
func (s *Service) applyReturns(ctx context.Context, f Friend) (Friend, error) {
	if f.Purchase == "" {
		return f, nil
	}
	var rets []customer.Return
	for r, err := range s.customers.Store().ReturnsOfPurchase(ctx, f.Purchase) {
		if err != nil {
			return Friend{}, fmt.Errorf("referral: returns of the qualifying purchase: %w", err)
		}
		rets = append(rets, r)
	}
	fresh := slices.ContainsFunc(rets, func(r customer.Return) bool { return !slices.Contains(f.Returns, r.ID) })
	if !fresh {
		return f, nil
	}
	minor, _ := money.MinorUnits(s.policy.Currency)
	minMinor := s.policy.MinAmount.Shift(minor).Round(0).IntPart()
	refund := func(r customer.Return) int64 { return r.Refund.Shift(minor).Round(0).IntPart() }
	for retries := 0; ; retries++ {
		// What each side can give back is read before the decision is
		// recorded, and the recorded decision is what the adjustments
		// carry out, under fixed keys: a retry never takes twice.
		avail, err := s.available(ctx, f)
		if err != nil {
			return Friend{}, err
		}
		err = s.update(ctx, f.ReferrerID, f.FriendID, func(h *Referrer, cur *Friend) error {
			if cur.Purchase != f.Purchase {
				return nil // moved by a concurrent call
			}
			if cur.Status == StatusQualified && slices.ContainsFunc(rets, func(r customer.Return) bool { return !slices.Contains(cur.Returns, r.ID) }) {
				return errUnsettled // a reward decided, not paid: pay it, then weigh the returns
			}
			for _, r := range rets {
				if slices.Contains(cur.Returns, r.ID) {
					continue
				}
				cur.Returns = append(cur.Returns, r.ID)
				if s.inWindow(cur, r) {
					cur.RefundedMinor += refund(r)
				}
			}
			if cur.Status != StatusRewarded || s.keeps(cur.PurchaseMinor-cur.RefundedMinor, minMinor) {
				return nil
			}
			// The crossing return: the first, in time order, after which
			// the counted returns leave the purchase under the minimum.
			at, kept := time.Time{}, cur.PurchaseMinor
			for _, r := range rets { // oldest first, by time then ID
				if !slices.Contains(cur.Returns, r.ID) || !s.inWindow(cur, r) {
					continue
				}
				if kept -= refund(r); !s.keeps(kept, minMinor) {
					at = storeTime(r.Time)
					break
				}
			}
			takeBack(cur, avail, at)
			cur.Status = StatusTakenBack
			h.Rewarded--
			return nil
		})
		if errors.Is(err, errUnsettled) && retries < s.opts.MaxRetries {
			if f, err = s.store.GetFriend(ctx, f.FriendID); err != nil {
				return Friend{}, fmt.Errorf("referral: return: %w", err)
			}
			if f, err = s.settle(ctx, f); err != nil {
				return Friend{}, err
			}
			continue
		}
		if err != nil {
			return Friend{}, err
		}
		break
	}
	f, err := s.store.GetFriend(ctx, f.FriendID)
	if err != nil {
		return Friend{}, fmt.Errorf("referral: return: %w", err)
	}
	return s.settle(ctx, f)
}

// inWindow reports whether the return was made within ReturnWindowDays
// of the qualifying purchase (local days).
func (s *Service) inWindow(f *Friend, r customer.Return) bool {
	return r.Time.Before(s.policy.day(f.PurchasedAt).AddDate(0, 0, s.policy.ReturnWindowDays+1))
}

// keeps reports whether what is kept of the qualifying purchase still
// qualifies.
func (s *Service) keeps(kept, minMinor int64) bool { return kept >= minMinor && kept > 0 }
