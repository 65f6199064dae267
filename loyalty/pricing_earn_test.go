package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A basket priced at the till (a coupon on tea only, a 满减 over the whole
// basket) is recorded with its discounts on the lines: the earn sees each
// line's net exactly as pricing allocated it, and a return refunds and
// claws back that line's share.
func TestPricedPurchaseEarnsAndReturnsOnItsLineDiscounts(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "M", customer.Birthday{})
	e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY", Promotions: []pricing.Offer{
		{ID: "300-30", Kind: pricing.KindSpendSave, Threshold: dec("300"), Amount: dec("30")},
	}}, time.UTC)
	require.NoError(t, err)
	res, err := e.Price(pricing.Basket{Currency: "CNY", Store: "SH-02", Channel: customer.ChannelInStore, Time: at(2026, 3, 4, 10, 0),
		Member: &pricing.Member{ID: m.ID},
		Items: []pricing.Item{
			{SKU: "TEA", Category: "tea", Quantity: dec("3"), UnitPrice: dec("99.90")},
			{SKU: "CUP", Category: "teaware", Quantity: dec("1"), UnitPrice: dec("45.00")},
		},
		Coupons: []pricing.Coupon{{Ref: "K1", Offer: pricing.Offer{ID: "tea-20", Kind: pricing.KindAmountOff, Amount: dec("20"),
			Scope: pricing.Scope{Categories: []string{"tea"}}}}},
	})
	require.NoError(t, err)
	pu, err := s.customers.RecordPurchase(ctx, res.Purchase("P-priced", "S1"))
	require.NoError(t, err)
	earned, err := s.loyalty.Earn(ctx, pu)
	require.NoError(t, err)
	for i, l := range earned.Quote.Lines {
		assert.True(t, l.Net().Equal(res.Lines[i].Total()), "line %d: earn on %s, priced %s", i+1, l.Net(), res.Lines[i].Total())
	}
	// The promotion comes first at equal priority: 30 × 299.70/344.70 =
	// 26.08 of it on the tea, then the coupon's 20.
	assert.True(t, res.Lines[0].Discount().Equal(dec("46.08")), "tea discount %s", res.Lines[0].Discount())

	back := []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}
	refund, err := pricing.Refund(pu, nil, back)
	require.NoError(t, err)
	r, err := s.customers.RecordReturn(ctx, customer.Return{ID: "R1", PurchaseID: pu.ID, Store: "SH-02", Time: at(2026, 3, 5, 10, 0),
		Currency: "CNY", Refund: refund, Lines: back})
	require.NoError(t, err)
	ret, err := s.loyalty.Return(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, earned.Quote.ClawbackFor(nil, back, pu), ret.Owed, "the return claws back the line's share of what it earned")
	assert.True(t, refund.Equal(dec("84.54")), "a third of the tea line's 253.62, rounded down: %s", refund)
}
