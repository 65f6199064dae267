package loyalty_test

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ExampleBirthdayIn() {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	leapling := customer.Birthday{Month: time.February, Day: 29}
	window := func(y int, m time.Month, d, days int) (time.Time, time.Time) {
		from := time.Date(y, m, d, 0, 0, 0, 0, loc)
		return from, from.AddDate(0, 0, days)
	}
	// A week in a common year: 29 February is observed on the 28th.
	from, to := window(2027, time.February, 24, 7)
	day, ok := loyalty.BirthdayIn(leapling, from, to, loc)
	fmt.Println(ok, day.Format("2006-01-02"))
	// A window over the year end.
	from, to = window(2026, time.December, 28, 10)
	day, ok = loyalty.BirthdayIn(customer.Birthday{Month: time.January, Day: 3}, from, to, loc)
	fmt.Println(ok, day.Format("2006-01-02"))
	// Output:
	// true 2027-02-28
	// true 2027-01-03
}

func ExampleProgram_MaxRedeemable() {
	p := &loyalty.Program{ID: "demo", Currency: "CNY", TimeZone: "Asia/Shanghai",
		EarnRules:    []loyalty.EarnRule{{ID: "base", Kind: loyalty.KindBase, Rate: decimal.NewFromInt(1)}},
		Expiry:       loyalty.ExpiryPolicy{Kind: loyalty.ExpireNever},
		ReturnPolicy: loyalty.ReturnAllowDebt,
		// 100 points = 1 CNY; at least 500 points, in hundreds, at most half the order.
		Redemption: loyalty.Redemption{Points: 100, Value: decimal.NewFromInt(1), MinPoints: 500, Step: 100, MaxShare: mustDec("0.5")},
	}
	if err := p.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := p.MaxRedeemable(mustDec("123.45"), 12_345)
	fmt.Println(r.Points, "points pay", r.Value.StringFixed(2), "CNY, bound by", r.Limit)
	// Output:
	// 6100 points pay 61.00 CNY, bound by share
}
