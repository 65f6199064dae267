package loyalty_test

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

func ExampleProgram_Quote() {
	p := &loyalty.Program{
		ID: "demo", Currency: "CNY", TimeZone: "Asia/Shanghai",
		NonEarning: loyalty.Selector{Tags: []string{"gift-card"}},
		EarnRules: []loyalty.EarnRule{
			{ID: "base", Kind: loyalty.KindBase, Rate: decimal.NewFromInt(1)},
			{ID: "dairy-x2", Kind: loyalty.KindMultiplier, Factor: decimal.NewFromInt(2), Priority: 10,
				When: loyalty.Condition{Lines: loyalty.Selector{Categories: []string{"dairy"}}}},
			{ID: "welcome", Kind: loyalty.KindOrderBonus, Points: 100, Priority: 1,
				When: loyalty.Condition{FirstPurchase: true, MinAmount: decimal.NewFromInt(50)}},
		},
		Pending:      loyalty.PendingPolicy{Days: 7},
		Expiry:       loyalty.ExpiryPolicy{Kind: loyalty.ExpirePeriodEnd, Unit: loyalty.PeriodYear, Periods: 1},
		ReturnPolicy: loyalty.ReturnWithinBalance,
		Redemption:   loyalty.Redemption{Points: 100, Value: decimal.NewFromInt(1)},
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	line := func(sku, cat, total string, tags ...string) customer.Line {
		return customer.Line{SKU: sku, Category: cat, Quantity: decimal.NewFromInt(1), Total: decimal.RequireFromString(total), Tags: tags}
	}
	purchase := customer.Purchase{ID: "T1-0001", Store: "SH-01", Currency: "CNY",
		Time:          time.Date(2026, 11, 11, 15, 4, 0, 0, loc),
		Lines:         []customer.Line{line("MILK", "dairy", "25.50"), line("BREAD", "bakery", "40"), line("GC-100", "cards", "100", "gift-card")},
		OrderDiscount: decimal.RequireFromString("5.50"),
	}
	q, err := p.Quote(loyalty.QuoteInput{Purchase: purchase, Member: loyalty.Member{FirstPurchase: true}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range q.Lines {
		fmt.Printf("line %d %-6s net %6s  %3d points\n", l.Line, l.SKU, l.Net().StringFixed(2), l.Points)
	}
	for _, r := range q.Rules {
		fmt.Printf("%-8s %-11s exact %-7s → %d\n", r.RuleID, r.Kind, r.Exact(), r.Points)
	}
	fmt.Println("total", q.Total)
	fmt.Println("pending until", q.PendingUntil.In(loc).Format(time.DateTime))
	fmt.Println("expires at", q.ExpiresAt.In(loc).Format(time.DateTime))
	// Output:
	// line 1 MILK   net  23.36   84 points
	// line 2 BREAD  net  36.64   99 points
	// line 3 GC-100 net   0.00    0 points
	// dairy-x2 multiplier  exact 23.36   → 23
	// welcome  order-bonus exact 100     → 100
	// base     base        exact 60      → 60
	// total 183
	// pending until 2026-11-19 00:00:00
	// expires at 2028-01-01 00:00:00
}

func ExampleQuote_PointsForReturn() {
	p := &loyalty.Program{ID: "demo", Currency: "CNY", TimeZone: "Asia/Shanghai",
		EarnRules:    []loyalty.EarnRule{{ID: "base", Kind: loyalty.KindBase, Rate: decimal.NewFromInt(1)}},
		Expiry:       loyalty.ExpiryPolicy{Kind: loyalty.ExpireNever},
		ReturnPolicy: loyalty.ReturnAllowDebt,
		Redemption:   loyalty.Redemption{Points: 100, Value: decimal.NewFromInt(1)}}
	purchase := customer.Purchase{ID: "T1-0002", Currency: "CNY", Time: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC),
		Lines: []customer.Line{{SKU: "TEA", Quantity: decimal.NewFromInt(3), Total: decimal.RequireFromString("10.20")}}}
	q, _ := p.Quote(loyalty.QuoteInput{Purchase: purchase})
	fmt.Println("earned", q.Total)
	// Three returns of one tin each; pass the earlier returns so the
	// shares add up exactly.
	var earlier []customer.ReturnLine
	for range 3 {
		this := []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}
		fmt.Println("claw back", q.ClawbackFor(earlier, this, purchase))
		earlier = append(earlier, this...)
	}
	// Output:
	// earned 10
	// claw back 3
	// claw back 3
	// claw back 4
}
