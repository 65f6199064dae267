package pricing_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKinds(t *testing.T) {
	tea := func(n int64, p string) pricing.Item { return item("TEA-"+p, "tea", n, p) }
	cases := []struct {
		name  string
		offer pricing.Offer
		items []pricing.Item
		off   string   // the offer's discount
		lines []string // per-line discounts
	}{
		{"spend 300 save 50, once", pricing.Offer{ID: "o", Kind: pricing.KindSpendSave, Threshold: d("300"), Amount: d("50")},
			[]pricing.Item{tea(2, "168.00"), item("CUP", "teaware", 1, "45.00")}, "50.00", []string{"44.09", "5.91"}}, // 50 × 336/381 = 44.094, 50 × 45/381 = 5.905: the odd cent to the larger remainder
		{"every 100 save 10", pricing.Offer{ID: "o", Kind: pricing.KindSpendSave, Threshold: d("100"), Amount: d("10"), Repeat: true},
			[]pricing.Item{tea(1, "399.00")}, "30.00", []string{"30.00"}},
		{"every 100 save 10, capped", pricing.Offer{ID: "o", Kind: pricing.KindSpendSave, Threshold: d("100"), Amount: d("10"), Repeat: true, MaxDiscount: d("20")},
			[]pricing.Item{tea(1, "399.00")}, "20.00", []string{"20.00"}},
		{"amount off never more than the scope", pricing.Offer{ID: "o", Kind: pricing.KindAmountOff, Amount: d("50"), Scope: pricing.Scope{Categories: []string{"teaware"}}},
			[]pricing.Item{tea(1, "100.00"), item("CUP", "teaware", 1, "45.00")}, "45.00", []string{"0.00", "45.00"}},
		{"5% off tea, computed once for the scope", pricing.Offer{ID: "o", Kind: pricing.KindPercentOff, Percent: d("5"), Scope: pricing.Scope{Categories: []string{"tea"}}},
			[]pricing.Item{tea(1, "0.30"), tea(1, "0.31"), tea(1, "0.32")}, "0.05", []string{"0.01", "0.02", "0.02"}}, // 5% of 0.93 is 0.0465 → 0.05; one rounding, not three
		{"3 for 100, dearest units grouped", pricing.Offer{ID: "o", Kind: pricing.KindNForPrice, N: 3, Amount: d("100")},
			[]pricing.Item{tea(2, "50.00"), tea(2, "40.00")}, "40.00", []string{"28.57", "11.43"}}, // 50+50+40 for 100; 40 × 100/140 and 40 × 40/140
		{"3 for 100 with 2 units: nothing off", pricing.Offer{ID: "o", Kind: pricing.KindNForPrice, N: 3, Amount: d("100")},
			[]pricing.Item{tea(2, "50.00")}, "0.00", []string{"0.00"}},
		{"buy 2 get 1 free, cheapest of each group", pricing.Offer{ID: "o", Kind: pricing.KindBuyXGetY, Buy: 2, Get: 1},
			[]pricing.Item{tea(1, "30.00"), tea(2, "20.00"), tea(3, "10.00")}, "30.00", []string{"0.00", "20.00", "10.00"}},
		{"buy 1 get 1 half price", pricing.Offer{ID: "o", Kind: pricing.KindBuyXGetY, Buy: 1, Get: 1, Percent: d("50")},
			[]pricing.Item{tea(3, "10.00")}, "5.00", []string{"5.00"}},
		{"member day on the 8th", pricing.Offer{ID: "o", Kind: pricing.KindMemberDay, Percent: d("10"), When: pricing.When{DaysOfMonth: []int{8, 18, 28}}},
			[]pricing.Item{tea(1, "99.99")}, "10.00", []string{"10.00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := basket(c.items...)
			b.Member = &pricing.Member{ID: "C1", Tier: "silver"}
			r := price(t, engine(t, c.offer), b)
			assert.Equal(t, c.off, decision(t, r, "o").Amount().StringFixed(2))
			assert.Equal(t, c.lines, amounts(r))
		})
	}
}

func TestReasons(t *testing.T) {
	base := pricing.Offer{ID: "o", Kind: pricing.KindPercentOff, Percent: d("10")}
	with := func(f func(*pricing.Offer)) pricing.Offer { o := base; f(&o); return o }
	cases := []struct {
		name    string
		offer   pricing.Offer
		member  bool
		reason  pricing.Reason
		missing string
	}{
		{"min spend", with(func(o *pricing.Offer) { o.MinSpend = d("100") }), false, pricing.ReasonMinSpend, "70.00"},
		{"threshold", pricing.Offer{ID: "o", Kind: pricing.KindSpendSave, Threshold: d("50"), Amount: d("5")}, false, pricing.ReasonMinSpend, "20.00"},
		{"scope", with(func(o *pricing.Offer) { o.Scope.Brands = []string{"other"} }), false, pricing.ReasonNoLines, ""},
		{"excluded tag", with(func(o *pricing.Offer) { o.Scope.ExcludeTags = []string{"tobacco"} }), false, pricing.ReasonNoLines, ""},
		{"channel", with(func(o *pricing.Offer) { o.When.Channels = []customer.SalesChannel{customer.ChannelApp} }), false, pricing.ReasonChannel, ""},
		{"store", with(func(o *pricing.Offer) { o.When.Stores = []string{"BJ-01"} }), false, pricing.ReasonStore, ""},
		{"not yet", with(func(o *pricing.Offer) { o.When.From = at.Add(time.Minute) }), false, pricing.ReasonNotYet, ""},
		{"expired at until", with(func(o *pricing.Offer) { o.When.Until = at }), false, pricing.ReasonExpired, ""},
		{"members only", with(func(o *pricing.Offer) { o.When.MembersOnly = true }), false, pricing.ReasonMembersOnly, ""},
		{"tier", with(func(o *pricing.Offer) { o.When.Tiers = []string{"gold"} }), true, pricing.ReasonTier, ""},
		{"day of month", with(func(o *pricing.Offer) { o.When.DaysOfMonth = []int{9} }), false, pricing.ReasonDay, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := basket(pricing.Item{SKU: "CIG", Category: "tobacco", Tags: []string{"tobacco"}, Quantity: d("1"), UnitPrice: d("30.00")})
			if c.member {
				b.Member = &pricing.Member{ID: "C1", Tier: "silver"}
			}
			r := price(t, engine(t, c.offer), b)
			dc := decision(t, r, "o")
			assert.False(t, dc.Applied)
			assert.Equal(t, c.reason, dc.Reason)
			if c.missing != "" {
				assert.Equal(t, c.missing, dc.Missing().StringFixed(2))
			}
			assert.True(t, r.Discount.IsZero())
		})
	}
}

// The day of the month is read in the engine's zone: 23:30 UTC on the
// 7th is the 8th in Shanghai.
func TestMemberDayInTheShopsZone(t *testing.T) {
	e := engine(t, pricing.Offer{ID: "o", Kind: pricing.KindMemberDay, Percent: d("10"), When: pricing.When{DaysOfMonth: []int{8}}})
	b := basket(item("T", "tea", 1, "100.00"))
	b.Member = &pricing.Member{ID: "C1"}
	b.Time = time.Date(2026, 3, 7, 23, 30, 0, 0, time.UTC)
	assert.True(t, decision(t, price(t, e, b), "o").Applied)
	b.Time = time.Date(2026, 3, 8, 16, 30, 0, 0, time.UTC) // the 9th in Shanghai
	assert.Equal(t, pricing.ReasonDay, decision(t, price(t, e, b), "o").Reason)
}

func TestMemberPriceAndTier(t *testing.T) {
	e := engine(t)
	mp := item("TEA", "tea", 2, "168.00")
	mp.MemberPrice = d("158.00")
	b := basket(mp, item("CUP", "teaware", 3, "45.00"))
	r := price(t, e, b)
	assert.Equal(t, pricing.ReasonMembersOnly, decision(t, r, "member-price").Reason, "no card, no member price")
	b.Member = &pricing.Member{ID: "C1", Tier: "gold", TierDiscount: d("5")}
	r = price(t, e, b)
	assert.Equal(t, "20.00", decision(t, r, "member-price").Amount().StringFixed(2))
	assert.Equal(t, "6.75", decision(t, r, "tier:gold").Amount().StringFixed(2), "tier discount only on the line without a member price")
	assert.Equal(t, []string{"20.00", "6.75"}, amounts(r))
}

func TestStacking(t *testing.T) {
	pct := func(id string, prio int, s pricing.Stacking) pricing.Offer {
		return pricing.Offer{ID: id, Kind: pricing.KindPercentOff, Percent: d("10"), Priority: prio, Stacking: s}
	}
	coupon := func(ref string, s pricing.Stacking) pricing.Coupon {
		return pricing.Coupon{Ref: ref, Offer: pricing.Offer{ID: "C-" + ref, Kind: pricing.KindAmountOff, Amount: d("5"), Stacking: s}}
	}
	t.Run("combinable offers stack on what is left", func(t *testing.T) {
		r := price(t, engine(t, pct("a", 0, ""), pct("b", 0, "")), basket(item("T", "tea", 1, "100.00")))
		assert.Equal(t, "10.00", decision(t, r, "a").Amount().StringFixed(2))
		assert.Equal(t, "9.00", decision(t, r, "b").Amount().StringFixed(2))
	})
	t.Run("an exclusive offer with the higher priority shuts out the rest", func(t *testing.T) {
		b := basket(item("T", "tea", 1, "100.00"))
		b.Coupons = []pricing.Coupon{coupon("k1", "")}
		r := price(t, engine(t, pct("a", 0, ""), pct("x", 5, pricing.StackExclusive)), b)
		assert.True(t, decision(t, r, "x").Applied)
		dc := decision(t, r, "a")
		assert.Equal(t, pricing.ReasonExcluded, dc.Reason)
		assert.Equal(t, "x", dc.By)
		assert.Equal(t, pricing.ReasonExcluded, decision(t, r, "C-k1").Reason)
	})
	t.Run("an exclusive offer after another applied does not apply", func(t *testing.T) {
		r := price(t, engine(t, pct("a", 5, ""), pct("x", 0, pricing.StackExclusive)), basket(item("T", "tea", 1, "100.00")))
		assert.Equal(t, pricing.ReasonExclusive, decision(t, r, "x").Reason)
	})
	t.Run("one coupon per basket", func(t *testing.T) {
		b := basket(item("T", "tea", 1, "100.00"))
		b.Coupons = []pricing.Coupon{coupon("k1", pricing.StackNoOtherCoupons), coupon("k2", ""), coupon("k1", "")}
		r := price(t, engine(t, pct("a", 0, "")), b)
		assert.True(t, decision(t, r, "a").Applied, "promotions still apply")
		assert.True(t, decision(t, r, "C-k1").Applied)
		dc := decision(t, r, "C-k2")
		assert.Equal(t, pricing.ReasonOtherCoupon, dc.Reason)
		assert.Equal(t, "k1", dc.By)
		assert.Equal(t, pricing.ReasonPresented, r.Decisions[len(r.Decisions)-1].Reason)
	})
	t.Run("a promotion not with coupons stops the coupons after it", func(t *testing.T) {
		b := basket(item("T", "tea", 1, "100.00"))
		b.Coupons = []pricing.Coupon{coupon("k1", "")}
		r := price(t, engine(t, pct("a", 0, pricing.StackNoOtherCoupons)), b)
		assert.True(t, decision(t, r, "a").Applied)
		dc := decision(t, r, "C-k1")
		assert.Equal(t, pricing.ReasonOtherCoupon, dc.Reason)
		assert.Equal(t, "a", dc.By)
		b.Coupons[0].Offer.Priority = 9 // the coupon first: the promotion gives way
		r = price(t, engine(t, pct("a", 0, pricing.StackNoOtherCoupons)), b)
		assert.True(t, decision(t, r, "C-k1").Applied)
		assert.Equal(t, pricing.ReasonOtherCoupon, decision(t, r, "a").Reason)
	})
	t.Run("two codes masked alike are two coupons", func(t *testing.T) {
		b := basket(item("T", "tea", 1, "100.00"))
		other := coupon("k1", "")
		other.Offer.ID = "C-other"
		b.Coupons = []pricing.Coupon{coupon("k1", ""), other}
		r := price(t, engine(t), b)
		assert.True(t, decision(t, r, "C-k1").Applied)
		assert.True(t, decision(t, r, "C-other").Applied)
	})
	t.Run("a coupon the store refused is explained, not applied", func(t *testing.T) {
		b := basket(item("T", "tea", 1, "100.00"))
		b.Coupons = []pricing.Coupon{{Ref: "k9", Refused: pricing.ReasonUsedUp}}
		r := price(t, engine(t), b)
		assert.Equal(t, pricing.ReasonUsedUp, r.Decisions[0].Reason)
		assert.True(t, r.Discount.IsZero())
	})
	t.Run("priority orders a threshold after a discount", func(t *testing.T) {
		save := pricing.Offer{ID: "s", Kind: pricing.KindSpendSave, Threshold: d("100"), Amount: d("20")}
		r := price(t, engine(t, save, pct("a", 1, "")), basket(item("T", "tea", 1, "105.00")))
		assert.True(t, decision(t, r, "a").Applied)
		assert.Equal(t, pricing.ReasonMinSpend, decision(t, r, "s").Reason, "105 less 10% is 94.50, under 100")
		assert.Equal(t, "5.50", decision(t, r, "s").Missing().StringFixed(2))
	})
}

func TestDeterministicAndCopies(t *testing.T) {
	e := engine(t, pricing.Offer{ID: "o", Kind: pricing.KindPercentOff, Percent: d("3.33")})
	b := basket(item("A", "tea", 3, "33.33"), item("B", "tea", 7, "1.01"), item("C", "x", 1, "0.07"))
	b.Items[0].Tags = []string{"t"}
	r1 := price(t, e, b)
	r2 := price(t, e, b)
	assert.Equal(t, amounts(r1), amounts(r2))
	r1.Lines[0].Item.Tags[0] = "changed"
	assert.Equal(t, "t", b.Items[0].Tags[0], "the result holds copies")
}

func TestPurchaseCarriesTheDiscounts(t *testing.T) {
	e := engine(t, pricing.Offer{ID: "o", Kind: pricing.KindSpendSave, Threshold: d("300"), Amount: d("50")})
	b := basket(item("TEA", "tea", 2, "168.00"), item("CUP", "teaware", 1, "45.00"))
	b.Member = &pricing.Member{ID: "C1"}
	p := price(t, e, b).Purchase("SH01-1", "S-07")
	require.NoError(t, customer.ValidatePurchase(p))
	assert.Equal(t, "C1", p.CustomerID)
	assert.Equal(t, "44.09", p.Lines[0].Discount.StringFixed(2))
	assert.Equal(t, "291.91", p.Lines[0].Total.StringFixed(2))
	assert.Equal(t, "331.00", p.Total().StringFixed(2))
	assert.True(t, p.OrderDiscount.IsZero())
}

func TestRefundTakesBackExactlyTheShare(t *testing.T) {
	e := engine(t, pricing.Offer{ID: "o", Kind: pricing.KindSpendSave, Threshold: d("100"), Amount: d("10")})
	p := price(t, e, basket(item("T", "tea", 3, "33.34"), item("C", "cup", 1, "10.00"))).Purchase("P", "")
	one := []customer.ReturnLine{{Line: 1, Quantity: d("1")}}
	first, err := pricing.Refund(p, nil, one)
	require.NoError(t, err)
	second, err := pricing.Refund(p, one, one)
	require.NoError(t, err)
	third, err := pricing.Refund(p, append(one, one...), one)
	require.NoError(t, err)
	assert.True(t, first.Add(second).Add(third).Equal(p.Lines[0].Total), "three returns of one give back the line's total")
	assert.True(t, first.LessThanOrEqual(second) && second.LessThanOrEqual(third))
	all, err := pricing.Refund(p, nil, []customer.ReturnLine{{Line: 1, Quantity: d("3")}, {Line: 2, Quantity: d("1")}})
	require.NoError(t, err)
	assert.True(t, all.Equal(p.Total()))
}

func TestInvalidBasketListsEveryField(t *testing.T) {
	e := engine(t)
	b := basket(pricing.Item{SKU: "", Quantity: d("0"), UnitPrice: d("1.001")})
	b.Currency, b.Channel = "USD", "fax"
	b.Coupons = []pricing.Coupon{{Ref: "k", Offer: pricing.Offer{ID: "c", Kind: "bogus"}}}
	_, err := e.Price(b)
	require.ErrorIs(t, err, pricing.ErrInvalid)
	for _, f := range []string{"basket.currency", "basket.channel", "basket.items[0].sku", "basket.items[0].quantity", "basket.items[0].unitPrice", "basket.coupons[0].offer.kind"} {
		assert.Contains(t, err.Error(), f)
	}
}
