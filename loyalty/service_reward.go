package loyalty

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// RewardRequest exchanges points for a catalogue reward.
type RewardRequest struct {
	ID       string // idempotency key; also the coupon's ID
	MemberID string
	RewardID string
	At       time.Time
}

// CouponResult is what issuing or using a coupon did.
type CouponResult struct {
	MemberID string         `json:"memberId"`
	Coupon   Coupon         `json:"coupon"`
	Entries  []ledger.Entry `json:"entries,omitempty"`
	Events   []Event        `json:"events"`
}

// ExchangeReward spends the reward's cost in points and issues its coupon,
// after the catalogue's checks: offered on the day, open to the member's
// tier, within the per-customer limit.
func (s *Service) ExchangeReward(ctx context.Context, r RewardRequest) (CouponResult, error) {
	body := r // hashed as sent, so a retry without a time is still a replay
	if r.At.IsZero() {
		r.At = s.opts.Clock()
	}
	r.At = storeTime(r.At)
	if err := errors.Join(checkID("id", r.ID), checkID("memberId", r.MemberID), checkTime("at", r.At)); err != nil {
		return CouponResult{}, err
	}
	reward, ok := s.program.Reward(r.RewardID)
	if !ok {
		return CouponResult{}, fmt.Errorf("loyalty: reward %s: %w", r.ID, &RewardError{r.RewardID, ErrRewardUnknown})
	}
	count := s.rewardCount(reward.ID, r.At)
	n := needs{at: r.At, spend: reward.Cost, ops: []ledgerOpRef{{ledger.KindRedeem, "reward:" + r.ID}}, counts: []string{count}}
	var res CouponResult
	err := s.write(ctx, request{key: "coupon:" + r.ID, body: body, member: r.MemberID, needs: n}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			obtained := int(ws.counts[count])
			if _, err := s.program.CheckReward(r.RewardID, acct.Tier.Effective(r.At), obtained, r.At); err != nil {
				return acct, nil, nil, err
			}
			var entries []ledger.Entry
			if reward.Cost > 0 {
				var err error
				acct.Points, entries, err = acct.Points.Redeem("reward:"+r.ID, reward.Cost, r.At)
				if err != nil {
					return acct, nil, nil, err
				}
			}
			c := Coupon{ID: r.ID, RewardID: reward.ID, IssuedAt: r.At, ValidFrom: r.At,
				ValidUntil: s.program.CouponValidUntil(reward, r.At)}
			return s.issue(acct, ws, c, entries)
		})
	if err != nil {
		return CouponResult{}, fmt.Errorf("loyalty: reward %s: %w", r.ID, err)
	}
	return res, nil
}

// issue records a new coupon and counts it against its reward's limit.
func (s *Service) issue(acct Account, ws *workset, c Coupon, entries []ledger.Entry) (Account, []ledger.Entry, any, error) {
	ws.setCoupon(c)
	ws.addCount(s.rewardCount(c.RewardID, c.IssuedAt), 1)
	events := append(entryEvents(acct.MemberID, entries),
		Event{Type: EventCouponIssued, MemberID: acct.MemberID, At: c.IssuedAt, Reference: c.ID, Coupon: &c})
	return acct, entries, CouponResult{MemberID: acct.MemberID, Coupon: c, Entries: entries, Events: events}, nil
}

// rewardCount is the key of the counter of a reward's coupons obtained in
// the limit window holding at.
func (s *Service) rewardCount(rewardID string, at time.Time) string {
	start := time.Time{}
	if r, ok := s.program.Reward(rewardID); ok {
		start, _ = s.program.RewardLimitWindow(r, at)
	}
	return rewardCountKey{rewardID, start}.String()
}

// UseCoupon marks a member's coupon used on a purchase. A single-use
// coupon, once used, is ErrCouponUnusable; so is one outside its validity.
// A coupon with a minimum spend needs the purchase recorded
// (ErrNotRecorded) with a subtotal reaching it (ErrMinSpend, which
// matches ErrCouponUnusable); see Program.CouponOffer to price it at the
// till first. Using it again for the same purchase returns the original
// result.
func (s *Service) UseCoupon(ctx context.Context, memberID, couponID, purchaseID string, at time.Time) (CouponResult, error) {
	if err := errors.Join(checkID("memberId", memberID), checkID("couponId", couponID), checkID("purchaseId", purchaseID), checkTime("at", at)); err != nil {
		return CouponResult{}, err
	}
	if err := s.checkCouponSpend(ctx, memberID, couponID, purchaseID); err != nil {
		return CouponResult{}, fmt.Errorf("loyalty: use coupon %s: %w", couponID, err)
	}
	body := struct{ Member, Coupon, Purchase string }{memberID, couponID, purchaseID}
	if at.IsZero() {
		at = s.opts.Clock()
	}
	at = storeTime(at)
	var res CouponResult
	n := needs{at: at, coupons: []string{couponID}}
	err := s.write(ctx, request{key: "use:" + couponID + ":" + purchaseID, body: body, member: memberID, needs: n}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			c, ok := ws.coupons[couponID]
			if !ok {
				return acct, nil, nil, fmt.Errorf("coupon %s: %w", couponID, ErrCouponUnusable)
			}
			reward, _ := s.program.Reward(c.RewardID)
			if !c.Usable(at) {
				return acct, nil, nil, fmt.Errorf("coupon %s: %w", couponID, ErrCouponUnusable)
			}
			if reward.SingleUse {
				c.UsedAt, c.UsedOn = at, purchaseID
			}
			ws.setCoupon(c)
			ev := Event{Type: EventCouponUsed, MemberID: acct.MemberID, At: at, Reference: purchaseID, Coupon: &c}
			return acct, nil, CouponResult{MemberID: acct.MemberID, Coupon: c, Events: []Event{ev}}, nil
		})
	if err != nil {
		return CouponResult{}, fmt.Errorf("loyalty: use coupon %s: %w", couponID, err)
	}
	return res, nil
}

// BirthdayReport is what a birthday-coupon run issued.
type BirthdayReport struct {
	// Issued counts the coupons this run issued; a re-run over the same
	// dates issues, counts and reports none again.
	Issued  int
	Coupons []CouponResult
}

// IssueBirthdayCoupons issues the programme's birthday coupon to every
// member whose coupon falls due in [from, to) (29 February birthdays are
// observed on 28 February in common years). members is typically
// customer.Store.Customers; merged and erased customers are skipped. The
// run is idempotent: a member gets one coupon per birthday however often
// it runs.
func (s *Service) IssueBirthdayCoupons(ctx context.Context, members iter.Seq2[customer.Customer, error], from, to time.Time) (BirthdayReport, error) {
	var rep BirthdayReport
	if s.program.BirthdayCoupon == nil {
		return rep, &FieldError{Field: "birthdayCoupon", Problem: "the programme has no birthday coupon"}
	}
	for c, err := range members {
		if err != nil {
			return rep, err
		}
		if c.MergedInto != "" || c.Erased() || c.Birthday.IsZero() {
			continue
		}
		// The calendar first: on a given day a member in 365 is due, and
		// only a coupon for some tiers needs the member's account read.
		grant, ok := s.program.birthdayGrant(c.Birthday, from, to)
		if !ok {
			continue
		}
		if coupon := s.program.BirthdayCoupon; len(coupon.Tiers) > 0 {
			tier := ""
			acct, err := s.store.GetAccount(ctx, c.ID)
			switch {
			case err == nil:
				tier = acct.Tier.Effective(from)
			case !errors.Is(err, ErrNotFound): // no account: no tier
				return rep, err
			}
			if !coupon.forTier(tier) {
				continue
			}
		}
		res, issued, err := s.issueBirthday(ctx, c.ID, grant)
		if err != nil {
			return rep, err
		}
		if !issued {
			continue // a re-run: the coupon and its event came the first time
		}
		rep.Issued++
		rep.Coupons = append(rep.Coupons, res)
	}
	return rep, nil
}

func (s *Service) issueBirthday(ctx context.Context, member string, g BirthdayGrant) (CouponResult, bool, error) {
	id := "birthday:" + member + ":" + g.Birthday.Format("2006-01-02")
	var res CouponResult
	var replayed bool
	n := needs{coupons: []string{id}, counts: []string{s.rewardCount(g.RewardID, storeTime(g.IssueAt))}}
	err := s.write(ctx, request{key: "coupon:" + id, body: g, member: member, create: true, needs: n, replayed: &replayed}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			return s.issue(acct, ws, Coupon{ID: id, RewardID: g.RewardID, IssuedAt: storeTime(g.IssueAt),
				ValidFrom: storeTime(g.ValidFrom), ValidUntil: storeTime(g.ValidUntil)}, nil)
		})
	if err != nil {
		return CouponResult{}, false, fmt.Errorf("loyalty: birthday coupon for %s: %w", member, err)
	}
	return res, !replayed, nil
}
