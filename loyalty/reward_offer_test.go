package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 15: a "20 off 100" coupon was accepted on a 30.00 basket.
func TestUseCouponEnforcesTheMinimumSpend(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "M", customer.Birthday{})
	s.buy(t, "big", m.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", 10, "300.00"))
	c, err := s.loyalty.ExchangeReward(ctx, loyalty.RewardRequest{ID: "x1", MemberID: m.ID, RewardID: "coupon-20", At: at(2026, 3, 3, 10, 0)})
	require.NoError(t, err)

	// At the till, pricing says why the coupon does not apply.
	offer, err := s.program.CouponOffer(c.Coupon)
	require.NoError(t, err)
	e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY"}, time.UTC)
	require.NoError(t, err)
	res, err := e.Price(pricing.Basket{Currency: "CNY", Store: "S1", Channel: customer.ChannelInStore, Time: at(2026, 3, 4, 10, 0),
		Items: []pricing.Item{{SKU: "CUP", Quantity: dec("1"), UnitPrice: dec("30.00")}}, Coupons: []pricing.Coupon{offer}})
	require.NoError(t, err)
	assert.Equal(t, pricing.ReasonMinSpend, res.Decisions[0].Reason)
	assert.Equal(t, "70.00", res.Decisions[0].Missing().StringFixed(2))

	small := s.record(t, "small", m.ID, at(2026, 3, 4, 10, 0), line("CUP", "teaware", 1, "30.00"))
	_, err = s.loyalty.UseCoupon(ctx, m.ID, c.Coupon.ID, small.ID, at(2026, 3, 4, 10, 0))
	require.ErrorIs(t, err, loyalty.ErrMinSpend)
	require.ErrorIs(t, err, loyalty.ErrCouponUnusable)
	_, err = s.loyalty.UseCoupon(ctx, m.ID, c.Coupon.ID, "never-recorded", at(2026, 3, 4, 10, 0))
	require.ErrorIs(t, err, loyalty.ErrNotRecorded)

	enough := s.record(t, "enough", m.ID, at(2026, 3, 4, 11, 0), line("TEA", "tea", 1, "120.00"))
	used, err := s.loyalty.UseCoupon(ctx, m.ID, c.Coupon.ID, enough.ID, at(2026, 3, 4, 11, 0))
	require.NoError(t, err)
	assert.Equal(t, enough.ID, used.Coupon.UsedOn)

	offer, err = s.program.CouponOffer(used.Coupon)
	require.NoError(t, err)
	assert.Equal(t, pricing.ReasonUsedUp, offer.Refused, "a used coupon carries its refusal to the till")
}
