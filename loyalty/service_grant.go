package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// GrantRequest gives a member a catalogue coupon without spending points:
// a campaign's offer, a referral's reward.
type GrantRequest struct {
	// ID is the idempotency key and the coupon's ID.
	ID       string
	MemberID string
	RewardID string
	At       time.Time
	// ValidUntil ends the coupon; zero means the reward's own validity
	// from At.
	ValidUntil time.Time
	// Reason says who granted it ("campaign:<id>"), for the audit.
	Reason string
}

// GrantCoupon issues a catalogue coupon to a member, free, idempotent by
// ID. It opens an account for a member who has none. The catalogue's
// per-member limits do not apply (the granting campaign keeps its own),
// but the coupon counts against them for later exchanges.
func (s *Service) GrantCoupon(ctx context.Context, r GrantRequest) (CouponResult, error) {
	body := r // hashed as sent, so a retry without a time is still a replay
	if r.At.IsZero() {
		r.At = s.opts.Clock()
	}
	r.At, r.ValidUntil = storeTime(r.At), storeTime(r.ValidUntil)
	if err := errors.Join(checkID("id", r.ID), checkID("memberId", r.MemberID), checkTime("at", r.At), checkTime("validUntil", r.ValidUntil)); err != nil {
		return CouponResult{}, err
	}
	reward, ok := s.program.Reward(r.RewardID)
	if !ok {
		return CouponResult{}, fmt.Errorf("loyalty: grant %s: %w", r.ID, &RewardError{r.RewardID, ErrRewardUnknown})
	}
	if reward.Kind == RewardItem {
		return CouponResult{}, &FieldError{Field: "rewardId", Problem: "must name a coupon"}
	}
	until := r.ValidUntil
	if until.IsZero() {
		until = s.program.CouponValidUntil(reward, r.At)
	}
	n := needs{coupons: []string{r.ID}, counts: []string{s.rewardCount(reward.ID, r.At)}}
	var res CouponResult
	err := s.write(ctx, request{key: "coupon:" + r.ID, body: body, member: r.MemberID, create: true, needs: n}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			return s.issue(acct, ws, Coupon{ID: r.ID, RewardID: reward.ID, IssuedAt: r.At, ValidFrom: r.At, ValidUntil: until}, nil)
		})
	if err != nil {
		return CouponResult{}, fmt.Errorf("loyalty: grant %s: %w", r.ID, err)
	}
	return res, nil
}
