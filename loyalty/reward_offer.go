package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/pricing"
)

// CouponOffer is a member's coupon as the till's pricing step sees it
// (loyalty/pricing): the reward's amount or percentage off, its minimum
// spend and its validity, named by the coupon's ID. A used coupon comes
// with its refusal, so the receipt says why it did not apply. Pricing the
// basket with it is how the till learns, before the sale, that a "20 off
// 100" coupon does not apply to a 30.00 basket (and by how much it falls
// short); UseCoupon then enforces the same minimum on the recorded sale.
func (p *Program) CouponOffer(c Coupon) (pricing.Coupon, error) {
	r, ok := p.Reward(c.RewardID)
	if !ok {
		return pricing.Coupon{}, &RewardError{c.RewardID, ErrRewardUnknown}
	}
	o := pricing.Offer{ID: r.ID, Name: r.Names["en"], MinSpend: r.MinSpend,
		When: pricing.When{From: c.ValidFrom, Until: c.ValidUntil}}
	switch r.Kind {
	case RewardCouponAmount:
		o.Kind, o.Amount = pricing.KindAmountOff, r.Amount
	case RewardCouponPercent:
		o.Kind, o.Percent = pricing.KindPercentOff, r.Percent
	default:
		return pricing.Coupon{}, &FieldError{Field: "rewardId", Problem: "not a coupon reward"}
	}
	out := pricing.Coupon{Ref: c.ID, Offer: o}
	if !c.UsedAt.IsZero() {
		out.Refused = pricing.ReasonUsedUp
	}
	return out, nil
}

// ErrMinSpend: a coupon's minimum spend is not reached by the purchase it
// is used on. It matches ErrCouponUnusable too.
var ErrMinSpend = fmt.Errorf("%w: minimum spend not reached", ErrCouponUnusable)

// checkMinSpend enforces a coupon reward's minimum spend on the recorded
// purchase: its subtotal (line totals after line discounts, before the
// order discount, where a member coupon used through UseCoupon is
// booked) must reach it.
func (s *Service) checkMinSpend(ctx context.Context, r Reward, purchaseID string) error {
	if r.MinSpend.Sign() <= 0 {
		return nil
	}
	rec, err := s.customers.Purchase(ctx, purchaseID)
	switch {
	case errors.Is(err, customer.ErrNotFound):
		return ErrNotRecorded
	case err != nil:
		return err
	case rec.Subtotal().LessThan(r.MinSpend):
		return ErrMinSpend
	}
	return nil
}

// checkCouponSpend reads the member's coupon and enforces its reward's
// minimum spend; a coupon not found is left to UseCoupon to refuse.
func (s *Service) checkCouponSpend(ctx context.Context, memberID, couponID, purchaseID string) error {
	recs, err := s.store.GetRecords(ctx, memberID, RecordCoupon, []string{couponID})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		var c Coupon
		if err := json.Unmarshal(rec.Data, &c); err != nil {
			return fmt.Errorf("coupon record %s: %w", rec.Key, err)
		}
		if r, ok := s.program.Reward(c.RewardID); ok {
			return s.checkMinSpend(ctx, r, purchaseID)
		}
	}
	return nil
}
