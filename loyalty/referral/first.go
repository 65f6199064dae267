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
// purchase, applies the qualifying purchase's recorded returns, carries
// out what the record holds and completes the displacements the referrer's
// header holds. A purchase of a member nobody referred returns the zero
// Friend.
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
		if f.Purchase != p.ID {
			// The friend's other purchases cost no call to loyalty.
			return f, nil
		}
		// A replay of the qualifying purchase (or one of its returns)
		// completes what a crash interrupted.
		return s.complete(ctx, f)
	}
	// What an earlier call decided is carried out before the next
	// decision, so a restore or takeback is never overwritten before its
	// points moved.
	if f, err = s.settle(ctx, f); err != nil {
		return Friend{}, err
	}
	if err := s.rankFriends(ctx, f.ReferrerID, f.FriendID); err != nil {
		return Friend{}, err
	}
	minor, _ := money.MinorUnits(s.policy.Currency)
	total := p.Total().Shift(minor).Round(0).IntPart()
	err = s.update(ctx, f.ReferrerID, f.FriendID, func(h *Referrer, cur *Friend) error {
		if cur.Status != StatusBound && !earlier(at, p.ID, cur.PurchasedAt, cur.Purchase) {
			return nil // decided by a concurrent call
		}
		s.takeOver(h, cur, p.ID, total, at)
		return nil
	})
	if err != nil {
		return Friend{}, err
	}
	if f, err = s.store.GetFriend(ctx, f.FriendID); err != nil {
		return Friend{}, fmt.Errorf("referral: qualify: %w", err)
	}
	return s.complete(ctx, f)
}

// complete pays what is decided, applies the qualifying purchase's
// recorded returns, carries out a takeback they cause, and completes the
// referrer's pending displacements. It returns the friend's record.
func (s *Service) complete(ctx context.Context, f Friend) (Friend, error) {
	f, err := s.settle(ctx, f)
	if err != nil {
		return Friend{}, err
	}
	if f, err = s.applyReturns(ctx, f); err != nil {
		return Friend{}, err
	}
	if err := s.settleDisplaced(ctx, f.ReferrerID); err != nil {
		return Friend{}, err
	}
	if f, err = s.store.GetFriend(ctx, f.FriendID); err != nil {
		return Friend{}, fmt.Errorf("referral: %w", err)
	}
	return f, nil
}

// takeOver makes (purchase, at) the friend's qualifying purchase: the
// first one, or an earlier one replacing it (whose returns then stop
// counting). It places the friend among the referrer's slots and sets the
// status: a friend that holds a slot is rewarded (a reward decided now, or
// a takeback undone), one that does not is over the limit.
func (s *Service) takeOver(h *Referrer, cur *Friend, purchase string, minor int64, at time.Time) {
	paid := cur.Status == StatusQualified || cur.Status == StatusRewarded
	taken := cur.Status == StatusTakenBack || (cur.Status == StatusOverLimit && !cur.RewardedAt.IsZero())
	if cur.Status != StatusBound {
		cur.Returns, cur.RefundedMinor = nil, 0
	}
	cur.Purchase, cur.PurchaseMinor, cur.PurchasedAt = purchase, minor, at
	if !s.place(h, cur.FriendID, purchase, at) {
		if cur.Status == StatusBound {
			cur.Status = StatusOverLimit
		}
		// A friend still paid without a slot lost it before and waits
		// in h.Displaced, which takes the reward back.
		return
	}
	switch {
	case paid:
	case taken:
		// The takeback (by returns of the replaced purchase, or by
		// losing the slot) is undone.
		cur.Status = StatusRewarded
		cur.ReferrerShortfall, cur.FriendShortfall = 0, 0
		cur.Restores++
		h.Rewarded++
	default:
		cur.Status, cur.RewardedAt = StatusQualified, at
		h.Rewarded++
	}
}

// settle carries out what the record says, under fixed keys: the
// bonuses of a qualified referral, the takeback of a taken-back one (or of
// one paid and then over the limit, having lost its slot), and
// for a restored one the last takeback and its restore (the takeback
// first, so a restore never credits points that were never taken).
// Calling it again changes nothing.
func (s *Service) settle(ctx context.Context, f Friend) (Friend, error) {
	switch {
	case f.Status == StatusQualified:
		return s.pay(ctx, f)
	case f.Status == StatusTakenBack || (f.Status == StatusOverLimit && !f.RewardedAt.IsZero()):
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
