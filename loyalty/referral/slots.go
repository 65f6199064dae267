package referral

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/clientele-go/clientele/loyalty"
)

// MaxRewarded is spent by the facts, not by arrival: the referrer's
// rewarded places (slots) go to the friends whose qualifying purchases
// come first by (purchase time, purchase ID), which is the order a
// referrer would see had every fact arrived when it happened. A friend
// keeps its slot when its purchase is returned (the bonuses are taken back
// and the place is not given to the next friend): whether a friend holds a
// slot then depends on the qualifying purchases alone, and the header
// holds just the slots, however many friends the referrer has.
//
// A qualifying purchase only ever moves earlier, so slots change in one
// way: a friend whose qualifying purchase comes before the last slot's
// takes a slot, and the last slot's friend loses it (it is displaced). The
// displaced friend's record is written after the header, so the header
// names it in Displaced until its record says over-limit and its bonuses
// are taken back; a binding to the referrer and every call on one of its
// friends' qualifying purchases complete what a crash left there. A displaced friend comes back only if an earlier purchase of
// its own takes over, which undoes that takeback (a restore).

// place puts the friend's qualifying purchase among the slots and reports
// whether the friend holds one. Friends pushed out are recorded as
// displaced. Without MaxRewarded every friend holds a slot and none is
// kept.
func (s *Service) place(h *Referrer, friendID, purchase string, at time.Time) bool {
	if s.policy.MaxRewarded <= 0 {
		return true
	}
	h.Slots = slices.DeleteFunc(h.Slots, func(x Slot) bool { return x.FriendID == friendID })
	i := 0
	for i < len(h.Slots) && earlier(h.Slots[i].At, h.Slots[i].Purchase, at, purchase) {
		i++
	}
	h.Slots = slices.Insert(h.Slots, i, Slot{FriendID: friendID, Purchase: purchase, At: at})
	in := true
	// One out per one in: slots past MaxRewarded ranked from records
	// written before slots were kept (see rankFriends) stay theirs.
	if int64(len(h.Slots)) > s.policy.MaxRewarded {
		out := h.Slots[len(h.Slots)-1]
		h.Slots = h.Slots[:len(h.Slots)-1]
		if out.FriendID == friendID {
			in = false
		} else if !slices.Contains(h.Displaced, out.FriendID) {
			h.Displaced = append(h.Displaced, out.FriendID)
		}
	}
	return in
}

// rankFriends gives slots to a referrer whose header has none for its
// rewarded friends: one written before slots were kept, or while the
// policy had no MaxRewarded. Its friends with a reward (decided or paid)
// take the slots, by their qualifying purchases, all of them even past
// MaxRewarded (a reward already given is not taken back because the cap
// came later). It reads the referrer's friends once; afterwards the slots
// and displaced friends always account for every rewarded friend, so the
// header never needs it again.
func (s *Service) rankFriends(ctx context.Context, referrerID, friendID string) error {
	if s.policy.MaxRewarded <= 0 {
		return nil
	}
	h, err := s.store.GetReferrer(ctx, referrerID)
	if err != nil {
		return fmt.Errorf("referral: %w", err)
	}
	if int64(len(h.Slots)+len(h.Displaced)) >= h.Rewarded {
		return nil
	}
	var slots []Slot
	for f, err := range s.store.Friends(ctx, referrerID) {
		if err != nil {
			return fmt.Errorf("referral: ranking the friends: %w", err)
		}
		if (f.Status == StatusQualified || f.Status == StatusRewarded) && f.Purchase != "" {
			slots = append(slots, Slot{FriendID: f.FriendID, Purchase: f.Purchase, At: f.PurchasedAt})
		}
	}
	slices.SortFunc(slots, func(a, b Slot) int {
		if earlier(a.At, a.Purchase, b.At, b.Purchase) {
			return -1
		}
		return 1
	})
	return s.update(ctx, referrerID, friendID, func(h *Referrer, _ *Friend) error {
		if int64(len(h.Slots)+len(h.Displaced)) < h.Rewarded {
			h.Slots = slots
		}
		return nil
	})
}

// holdsSlot reports whether the friend holds one of the referrer's slots
// (always, without MaxRewarded).
func (s *Service) holdsSlot(h *Referrer, friendID string) bool {
	return s.policy.MaxRewarded <= 0 || slices.ContainsFunc(h.Slots, func(x Slot) bool { return x.FriendID == friendID })
}

// settleDisplaced completes the displacements the referrer's header
// holds: each displaced friend's record becomes over-limit and its bonuses
// are taken back (if they were paid and not already taken back by
// returns). The takeback is dated RewardedAt, the bonuses' own date: the
// friend was never entitled to them, and the pair nets to nothing from
// that instant on. The friend leaves Displaced only once the takeback is
// carried out, so a crash in between is completed by the next binding to
// the referrer or call on a qualifying purchase, whichever friend it is
// for.
func (s *Service) settleDisplaced(ctx context.Context, referrerID string) error {
	for retries := 0; ; {
		h, err := s.store.GetReferrer(ctx, referrerID)
		if err != nil {
			return fmt.Errorf("referral: %w", err)
		}
		if len(h.Displaced) == 0 {
			return nil
		}
		g, err := s.store.GetFriend(ctx, h.Displaced[0])
		if err != nil {
			return fmt.Errorf("referral: displaced friend: %w", err)
		}
		// What was decided for the friend is carried out first: a reward
		// decided but unpaid is paid, so it can be taken back whole, and
		// a takeback decided before a crash is completed.
		if g, err = s.settle(ctx, g); err != nil {
			return err
		}
		avail, err := s.available(ctx, g)
		if err != nil {
			return err
		}
		err = s.update(ctx, referrerID, g.FriendID, func(h *Referrer, cur *Friend) error {
			if !slices.Contains(h.Displaced, cur.FriendID) || s.holdsSlot(h, cur.FriendID) {
				return nil // completed by a concurrent call, or back in a slot
			}
			switch cur.Status {
			case StatusQualified:
				return errUnsettled
			case StatusRewarded:
				takeBack(cur, avail, cur.RewardedAt)
				cur.Status = StatusOverLimit
				h.Rewarded--
			case StatusTakenBack:
				cur.Status = StatusOverLimit // its returns took the bonuses back already
			}
			return nil
		})
		if errors.Is(err, errUnsettled) && retries < s.opts.MaxRetries {
			retries++
			continue
		}
		if err != nil {
			return err
		}
		if g, err = s.store.GetFriend(ctx, g.FriendID); err != nil {
			return fmt.Errorf("referral: displaced friend: %w", err)
		}
		if g, err = s.settle(ctx, g); err != nil {
			return err
		}
		err = s.update(ctx, referrerID, g.FriendID, func(h *Referrer, cur *Friend) error {
			if cur.Status == StatusOverLimit || s.holdsSlot(h, cur.FriendID) {
				h.Displaced = slices.DeleteFunc(h.Displaced, func(id string) bool { return id == cur.FriendID })
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}

// available reads what each side of the referral can give back now: the
// referrer's and the friend's available points (0 without an account).
func (s *Service) available(ctx context.Context, f Friend) ([2]int64, error) {
	var avail [2]int64
	for i, m := range []string{f.ReferrerID, f.FriendID} {
		b, err := s.points.Balance(ctx, m)
		if err != nil && !errors.Is(err, loyalty.ErrNotFound) {
			return avail, fmt.Errorf("referral: balance: %w", err)
		}
		avail[i] = b.Available
	}
	return avail, nil
}

// takeBack records a takeback of both bonuses dated at: as many points as
// each member has available, the rest as a shortfall (never a negative
// balance).
func takeBack(cur *Friend, avail [2]int64, at time.Time) {
	cur.ReferrerTakenBack = min(cur.ReferrerPoints, max(0, avail[0]))
	cur.FriendTakenBack = min(cur.FriendPoints, max(0, avail[1]))
	cur.ReferrerShortfall = cur.ReferrerPoints - cur.ReferrerTakenBack
	cur.FriendShortfall = cur.FriendPoints - cur.FriendTakenBack
	cur.TakenBackAt = at
}
