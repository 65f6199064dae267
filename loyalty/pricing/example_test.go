package pricing_test

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
)

// A member buys two tins of tea and a cup on member day with a "20 off
// 300" coupon, and a "50 off 500" coupon that the basket does not reach.
func ExampleEngine_Price() {
	rules, err := pricing.ParseRules([]byte(`{
	  "currency": "CNY",
	  "promotions": [
	    {"id": "tea-95", "name": "Tea 5% off", "kind": "percent-off", "percent": "5", "scope": {"categories": ["tea"]}},
	    {"id": "vip-day", "name": "Member day", "kind": "member-day", "percent": "10", "when": {"daysOfMonth": [8, 18, 28]}}
	  ]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	shanghai := time.FixedZone("CST", 8*3600)
	e, err := pricing.NewEngine(rules, shanghai)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := e.Price(pricing.Basket{
		Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore,
		Time:   time.Date(2026, 3, 8, 10, 0, 0, 0, shanghai),
		Member: &pricing.Member{ID: "C0001", Tier: "silver"},
		Items: []pricing.Item{
			{SKU: "TEA-LJ-250", Category: "tea", Quantity: decimal.NewFromInt(2), UnitPrice: decimal.RequireFromString("168.00")},
			{SKU: "CUP-GL-01", Category: "teaware", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.RequireFromString("45.00")},
		},
		Coupons: []pricing.Coupon{
			{Ref: "cpn-1", Offer: pricing.Offer{ID: "20-off-300", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(300)}},
			{Ref: "cpn-2", Offer: pricing.Offer{ID: "50-off-500", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(50), MinSpend: decimal.NewFromInt(500)}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, dc := range res.Decisions {
		if dc.Applied {
			fmt.Printf("%-11s -%s\n", dc.Offer, dc.Amount().StringFixed(2))
		} else {
			fmt.Printf("%-11s not applied: %s (%s short)\n", dc.Offer, dc.Reason, dc.Missing().StringFixed(2))
		}
	}
	for _, l := range res.Lines {
		fmt.Printf("%-11s %s - %s = %s\n", l.Item.SKU, l.Gross().StringFixed(2), l.Discount().StringFixed(2), l.Total().StringFixed(2))
	}
	fmt.Println("total", res.Total.StringFixed(2))
	// Output:
	// tea-95      -16.80
	// vip-day     -36.42
	// 20-off-300  -20.00
	// 50-off-500  not applied: min-spend (192.22 short)
	// TEA-LJ-250  336.00 - 66.25 = 269.75
	// CUP-GL-01   45.00 - 6.97 = 38.03
	// total 307.78
}

// A return of one of two tins gives back half of what the line cost after
// its discounts; the second tin gives back the rest to the cent.
func ExampleRefund() {
	p := customer.Purchase{ID: "P1", Currency: "CNY", Lines: []customer.Line{{
		SKU: "TEA", Quantity: decimal.NewFromInt(3), UnitPrice: decimal.RequireFromString("100.00"),
		Discount: decimal.RequireFromString("10.00"), Total: decimal.RequireFromString("290.00")}}}
	one := []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}
	first, _ := pricing.Refund(p, nil, one)
	second, _ := pricing.Refund(p, one, one)
	third, _ := pricing.Refund(p, append(one, one...), one)
	fmt.Println(first.StringFixed(2), second.StringFixed(2), third.StringFixed(2))
	// Output: 96.66 96.67 96.67
}
