package loyalty

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

var benchCategories = []string{"dairy", "bakery", "fruit", "drinks", "snacks", "frozen", "household", "tobacco"}

// benchPurchase is an n-line basket on 11 November 2026, 15:00 Shanghai,
// with mixed categories, brands, tags, fractional quantities and an order
// discount.
func benchPurchase(n int) customer.Purchase {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	pu := customer.Purchase{ID: "BENCH", CustomerID: "C1", Store: "SH-01", Channel: customer.ChannelApp,
		Time: time.Date(2026, 11, 11, 15, 0, 0, 0, loc), Currency: "CNY", OrderDiscount: decimal.New(1234, -2)}
	for i := range n {
		cat := benchCategories[i%len(benchCategories)]
		qty := decimal.NewFromInt(int64(i%3 + 1))
		if i%5 == 0 {
			qty = decimal.New(int64(250+i), -3) // by weight
		}
		price := decimal.New(int64(199+i*37), -2)
		var tags []string
		if cat == "tobacco" {
			tags = []string{"tobacco"}
		}
		if i%7 == 0 {
			tags = append(tags, "organic")
		}
		pu.Lines = append(pu.Lines, customer.Line{SKU: fmt.Sprintf("SKU-%03d", i), Category: cat, Brand: fmt.Sprintf("brand-%d", i%4),
			Tags: tags, Quantity: qty, UnitPrice: price, Total: qty.Mul(price).Round(2)})
	}
	return pu
}

// benchProgram has 20 purchase rules of every kind and stacking mode.
func benchProgram(tb testing.TB) *Program {
	p := &Program{ID: "bench", Currency: "CNY", TimeZone: "Asia/Shanghai",
		NonEarning:   Selector{Tags: []string{"tobacco", "gift-card"}},
		Stacking:     []StackingGroup{{ID: "base", Mode: StackBestOf}, {ID: "promo", Mode: StackBestOf}, {ID: "cat", Mode: StackAdditive}},
		Expiry:       ExpiryPolicy{Kind: ExpireRolling, Months: 12},
		Pending:      PendingPolicy{Days: 7},
		ReturnPolicy: ReturnWithinBalance,
		Redemption:   Redemption{Points: 100, Value: decimal.NewFromInt(1)},
		Caps:         Caps{PerOrder: 100000, PerDay: 200000, PerPeriod: 1000000, Period: PeriodMonth},
		Tiers:        testLadder(),
	}
	add := func(r EarnRule) { p.EarnRules = append(p.EarnRules, r) }
	add(EarnRule{ID: "base", Kind: KindBase, Group: "base", Priority: 1, Rate: decimal.NewFromInt(1)})
	add(EarnRule{ID: "app-base", Kind: KindBase, Group: "base", Priority: 2, Rate: decimal.RequireFromString("1.5"),
		When: Condition{Channels: []customer.SalesChannel{customer.ChannelApp}}})
	for i, c := range benchCategories[:6] {
		add(EarnRule{ID: "cat-" + c, Kind: KindMultiplier, Group: "cat", Priority: 10 + i, Factor: decimal.RequireFromString("1.25"),
			When: Condition{Lines: Selector{Categories: []string{c}}, Exclude: Selector{Tags: []string{"organic"}}}})
	}
	add(EarnRule{ID: "d11", Kind: KindMultiplier, Group: "promo", Priority: 30, Factor: decimal.NewFromInt(3),
		When: Condition{From: Date{2026, 11, 11}, To: Date{2026, 11, 11}}})
	add(EarnRule{ID: "bday", Kind: KindMultiplier, Group: "promo", Priority: 29, Factor: decimal.NewFromInt(2), When: Condition{Birthday: BirthdayMonth}})
	add(EarnRule{ID: "happy", Kind: KindMultiplier, Priority: 28, Factor: decimal.RequireFromString("1.5"),
		When: Condition{Weekdays: []Weekday{3, 4}, Hours: []HourRange{{From: 14 * 60, To: 17 * 60}}, Stores: []string{"SH-01"}}})
	for i := range 4 {
		add(EarnRule{ID: fmt.Sprintf("brand-%d", i), Kind: KindMultiplier, Priority: 40 + i, Factor: decimal.RequireFromString("1.1"),
			Rounding: RoundHalfUp, When: Condition{Lines: Selector{Brands: []string{fmt.Sprintf("brand-%d", i)}}}})
	}
	add(EarnRule{ID: "organic", Kind: KindProductBonus, Priority: 5, Points: 7, When: Condition{Lines: Selector{Tags: []string{"organic"}}}})
	add(EarnRule{ID: "sku-bonus", Kind: KindProductBonus, Priority: 6, Points: 50,
		When: Condition{Lines: Selector{SKUs: []string{"SKU-003", "SKU-010", "SKU-020"}}}})
	add(EarnRule{ID: "vip", Kind: KindMultiplier, Priority: 50, Factor: decimal.RequireFromString("1.2"), When: Condition{MemberTags: []string{"vip"}}})
	add(EarnRule{ID: "first", Kind: KindOrderBonus, Priority: 3, Points: 200, When: Condition{FirstPurchase: true}})
	add(EarnRule{ID: "basket", Kind: KindOrderBonus, Priority: 4, Points: 100, MaxPoints: 80, When: Condition{MinAmount: decimal.NewFromInt(300)}})
	if err := p.Validate(); err != nil {
		tb.Fatal(err)
	}
	if n := len(p.EarnRules); n != 20 {
		tb.Fatalf("bench programme has %d rules", n)
	}
	return p
}

func BenchmarkQuote50Lines20Rules(b *testing.B) {
	p := benchProgram(b)
	in := QuoteInput{Purchase: benchPurchase(50), Member: Member{Tier: "gold", FirstPurchase: true, Tags: []string{"vip"},
		Birthday: customer.Birthday{Month: time.November, Day: 2}}, Usage: CapUsage{Today: 100, Period: 1000}}
	q, err := p.Quote(in)
	if err != nil || q.Total == 0 {
		b.Fatal(err, q.Total)
	}
	CPULoop(b, func() {
		if _, err := p.Quote(in); err != nil {
			b.Fatal(err)
		}
	})
}

func TestBenchProgramQuote(t *testing.T) {
	p := benchProgram(t)
	q := quote(t, p, QuoteInput{Purchase: benchPurchase(50), Member: Member{Tier: "gold", FirstPurchase: true}})
	if q.Total <= 0 || len(q.Rules) < 10 {
		t.Fatalf("bench quote too thin: %d points from %d rules", q.Total, len(q.Rules))
	}
}
