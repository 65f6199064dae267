package referral

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/loyalty"
)

// Which purchase is "first" is a fact of the purchases, not of the order
// they reach the service in: offline lanes send purchases late and out of
// order, and a replay may come at any time. The qualifying purchase is the
// least (purchase time, purchase ID) among the friend's qualifying
// purchases seen so far; qualifying depends on the purchase alone (never
// on its returns), so the qualifying purchase only ever moves earlier, and
// a purchase that was not the first when it arrived never becomes it.
//
// When an earlier purchase takes over, the reward stays paid once: the
// bonuses already credited now belong to the new first purchase (they
// keep their ledger date, RewardedAt), the returns of the replaced
// purchase stop counting, and if those returns had taken the bonuses
// back, the points taken are credited back (a restore). Each takeback and
// restore has its own key, numbered by Friend.Restores, so a retry never
// takes or gives twice.

// earlier reports whether purchase (at, id) comes before (bt, bid).
func earlier(at time.Time, id string, bt time.Time, bid string) bool {
	if !at.Equal(bt) {
		return at.Before(bt)
	}
	return id < bid
}

// errUnsettled: the record holds a reward decided but not yet paid; it is
// paid before a return is weighed against it.
var errUnsettled = errors.New("referral: reward not paid yet")

// qualify decides whether p is, or takes over as, the friend's qualifying
// purchase, and carries out what the record holds. A purchase of a member
// nobody referred returns the zero Friend.
func (s *Service) qualify(ctx context.Context, p customer.Purchase) (Friend, error) {
	f, err := s.store.GetFriend(ctx, p.CustomerID)
	if errors.Is(err, ErrNotFound) {
		return Friend{}, nil
	}
	if err != nil {
		return Friend{}, fmt.Errorf("referral: qualify: %w", err)
	}
	at := storeTime(p.Time)
	if !s.qualifies(f, p) || (f.Status != StatusBound && !earlier(at, p.ID, f.PurchasedAt, f.Purchase)) {
		if f.Purchase == p.ID {
			// A replay of the qualifying purchase completes what a
			// crash interrupted; the friend's other purchases cost no
			// call to loyalty.
			return s.settle(ctx, f)
		}
		return f, nil
	}
	// What an earlier call decided is carried out before the next
	// decision, so a restore or takeback is never overwritten before its
	// points moved.
	if f, err = s.settle(ctx, f); err != nil {
		return Friend{}, err
	}
	minor, _ := money.MinorUnits(s.policy.Currency)
	total := p.Total().Shift(minor).Round(0).IntPart()
	err = s.update(ctx, f.ReferrerID, f.FriendID, func(h *Referrer, cur *Friend) error {
		switch {
		case cur.Status == StatusBound:
			cur.Purchase, cur.PurchaseMinor, cur.PurchasedAt = p.ID, total, at
			if s.policy.MaxRewarded > 0 && h.Rewarded >= s.policy.MaxRewarded {
				cur.Status = StatusOverLimit
				return nil
			}
			cur.Status, cur.RewardedAt = StatusQualified, at
			h.Rewarded++
		case !earlier(at, p.ID, cur.PurchasedAt, cur.Purchase):
			// decided by a concurrent call
		default:
			cur.Purchase, cur.PurchaseMinor, cur.PurchasedAt = p.ID, total, at
			cur.Returns, cur.RefundedMinor = nil, 0
			if cur.Status == StatusTakenBack {
				// The returns that took the bonuses back were of a
				// purchase that is no longer the first.
				cur.Status = StatusRewarded
				cur.ReferrerShortfall, cur.FriendShortfall = 0, 0
				cur.Restores++
				h.Rewarded++
			}
		}
		return nil
	})
	if err != nil {
		return Friend{}, err
	}
	if f, err = s.store.GetFriend(ctx, f.FriendID); err != nil {
		return Friend{}, fmt.Errorf("referral: qualify: %w", err)
	}
	return s.settle(ctx, f)
}

// settle carries out what the record says, under fixed keys: the
// bonuses of a qualified referral, the takeback of a taken-back one, and
// for a restored one the last takeback and its restore (the takeback
// first, so a restore never credits points that were never taken).
// Calling it again changes nothing.
func (s *Service) settle(ctx context.Context, f Friend) (Friend, error) {
	switch {
	case f.Status == StatusQualified:
		return s.pay(ctx, f)
	case f.Status == StatusTakenBack:
		return f, s.adjust(ctx, f, "referral-takeback:", f.Restores, -1)
	case f.Status == StatusRewarded && f.Restores > 0:
		if err := s.adjust(ctx, f, "referral-takeback:", f.Restores-1, -1); err != nil {
			return Friend{}, err
		}
		return f, s.adjust(ctx, f, "referral-restore:", f.Restores-1, +1)
	}
	return f, nil
}

// adjust moves the points of takeback number gen (0 is the first) for
// both sides: sign -1 takes them, +1 restores them.
func (s *Service) adjust(ctx context.Context, f Friend, prefix string, gen int64, sign int64) error {
	suffix := ""
	if gen > 0 {
		suffix = ":" + strconv.FormatInt(gen, 10) // the first takeback keeps its original key
	}
	reason := "referral-returned"
	if sign > 0 {
		reason = "referral-first-moved"
	}
	for _, side := range []struct {
		member, role string
		points       int64
	}{{f.ReferrerID, "referrer", f.ReferrerTakenBack}, {f.FriendID, "friend", f.FriendTakenBack}} {
		if side.points == 0 {
			continue
		}
		_, err := s.points.Adjust(ctx, loyalty.AdjustRequest{ID: prefix + f.FriendID + ":" + side.role + suffix,
			MemberID: side.member, Points: sign * side.points, Reason: reason, Actor: "referral", At: f.TakenBackAt})
		if err != nil {
			return fmt.Errorf("referral: %s: %w", reason, err)
		}
	}
	return nil
}
