package coupon_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
)

// A flyer code good for two uses in all meets three tills: the basket is
// priced with it, the use is held, and committed with the sale; the
// third till is told the code is used up.
func Example() {
	ctx := context.Background()
	now := time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC)
	svc := coupon.NewService(coupon.NewMemoryStore(), nil)
	err := svc.Define(ctx, coupon.Definition{ID: "spring", Currency: "CNY", UsesPerCode: 2,
		Offer: pricing.Offer{ID: "spring", Name: "20 off 100", Kind: pricing.KindAmountOff,
			Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(100)}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := svc.Import(ctx, coupon.ImportRequest{ID: "flyer-1", Definition: "spring",
		Codes: []string{"SPRING20"}, Source: coupon.SourceGeneric, At: now}); err != nil {
		fmt.Println(err)
		return
	}
	engine, _ := pricing.NewEngine(pricing.Rules{Currency: "CNY"}, time.UTC)
	for till := 1; till <= 3; till++ {
		presented, err := svc.Present(ctx, "spring-20", "", now)
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := engine.Price(pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: now,
			Items:   []pricing.Item{{SKU: "TEA", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(128)}},
			Coupons: []pricing.Coupon{presented}})
		if err != nil {
			fmt.Println(err)
			return
		}
		d := res.Decisions[0]
		if !d.Applied {
			fmt.Printf("till %d: %s not applied: %s; pays %s\n", till, d.Coupon, d.Reason, res.Total.StringFixed(2))
			continue
		}
		holdID := fmt.Sprintf("T%d-0001", till)
		if _, err := svc.Hold(ctx, coupon.HoldRequest{ID: holdID, Code: "spring-20", At: now}); err != nil {
			fmt.Println(errors.Is(err, coupon.ErrRefused), err)
			continue
		}
		r, err := svc.Commit(ctx, holdID, fmt.Sprintf("P%d", till), now)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("till %d: %s -%s, pays %s, use %s\n", till, d.Coupon, d.Amount().StringFixed(2), res.Total.StringFixed(2), r.State)
	}
	// Output:
	// till 1: ****NG20 -20.00, pays 108.00, use committed
	// till 2: ****NG20 -20.00, pays 108.00, use committed
	// till 3: ****NG20 not applied: used-up; pays 128.00
}

// A promotion with limits of its own ("10% off for new members, once
// each, the first 1,000"): pricing's promotions have none, so the shop
// keeps it as a definition with a generic code that the till presents on
// every member's basket itself. The code's limits and holds then count
// the uses as they do a flyer's, race-safe; the explanation says why a
// second use does not apply.
func Example_promotionOncePerMember() {
	ctx := context.Background()
	now := time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC)
	svc := coupon.NewService(coupon.NewMemoryStore(), nil)
	if err := svc.Define(ctx, coupon.Definition{ID: "welcome", Currency: "CNY", UsesPerCode: 1000, PerCustomer: 1,
		Offer: pricing.Offer{ID: "welcome", Name: "Welcome 10% off", Kind: pricing.KindPercentOff,
			Percent: decimal.NewFromInt(10), When: pricing.When{MembersOnly: true}}}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := svc.Import(ctx, coupon.ImportRequest{ID: "welcome-1", Definition: "welcome",
		Codes: []string{"WELCOME-AUTO"}, Source: coupon.SourceGeneric, At: now}); err != nil {
		fmt.Println(err)
		return
	}
	engine, _ := pricing.NewEngine(pricing.Rules{Currency: "CNY"}, time.UTC)
	for i, member := range []string{"M1", "M1", "M2"} {
		auto, err := svc.Present(ctx, "WELCOME-AUTO", member, now)
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := engine.Price(pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: now,
			Member:  &pricing.Member{ID: member},
			Items:   []pricing.Item{{SKU: "TEA", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(200)}},
			Coupons: []pricing.Coupon{auto}})
		if err != nil {
			fmt.Println(err)
			return
		}
		if d := res.Decisions[0]; !d.Applied {
			fmt.Printf("sale %d, %s: %s not applied (%s), pays %s\n", i+1, member, d.Name, d.Reason, res.Total.StringFixed(2))
			continue
		}
		hold := fmt.Sprintf("S%d", i+1)
		if _, err := svc.Hold(ctx, coupon.HoldRequest{ID: hold, Code: "WELCOME-AUTO", Customer: member, At: now}); err != nil {
			fmt.Println(err)
			return
		}
		if _, err := svc.Commit(ctx, hold, "P"+hold, now); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("sale %d, %s: pays %s\n", i+1, member, res.Total.StringFixed(2))
	}
	// Output:
	// sale 1, M1: pays 180.00
	// sale 2, M1: Welcome 10% off not applied (customer-limit), pays 200.00
	// sale 3, M2: pays 180.00
}
