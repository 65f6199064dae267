package loyalty_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
)

// exampleShop wires a customer service and a loyalty service running the
// sample programme (testdata/program.json) with points released at once.
func exampleShop() (*customer.Service, *loyalty.Service, customer.Customer) {
	data, err := os.ReadFile("testdata/program.json")
	if err != nil {
		panic(err)
	}
	program, err := loyalty.ParseProgram(data)
	if err != nil {
		panic(err)
	}
	program.Pending = loyalty.PendingPolicy{}
	now := func() time.Time { return at(2026, 3, 2, 18, 0) }
	ids := 0
	customers := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: now, Location: shanghai,
		NewID: func() string { ids++; return fmt.Sprint("m", ids) }})
	points, err := loyalty.NewService(program, loyalty.NewMemoryStore(), customers, &loyalty.Options{Clock: now})
	if err != nil {
		panic(err)
	}
	member, err := customers.Register(context.Background(), customer.Registration{
		Profile: customer.Profile{Name: "Wang Fang"}, JoinedAt: at(2026, 1, 5, 12, 0)})
	if err != nil {
		panic(err)
	}
	return customers, points, member
}

func sale(id, member string, when time.Time, lines ...customer.Line) customer.Purchase {
	return customer.Purchase{ID: id, CustomerID: member, Store: "SH-02", Channel: customer.ChannelInStore,
		Time: when, Currency: "CNY", Lines: lines}
}

func ExampleService_Quote() {
	_, points, member := exampleShop()
	q, err := points.Quote(context.Background(), sale("p1", member.ID, at(2026, 3, 2, 10, 0),
		line("MILK", "dairy", 2, "12.50"), line("RICE", "grocery", 1, "40")))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range q.Rules {
		fmt.Printf("%-14s %4d\n", r.RuleID, r.Points)
	}
	fmt.Println("total", q.Total)
	// Output:
	// dairy-x2         25
	// base             65
	// first-purchase  200
	// total 290
}

func ExampleService_Earn() {
	ctx := context.Background()
	customers, points, member := exampleShop()
	p, _ := customers.RecordPurchase(ctx, sale("p1", member.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "40")))
	res, _ := points.Earn(ctx, p)
	fmt.Println(res.Quote.Total, res.Quote.ExpiresAt.In(shanghai).Format("2006-01-02"))
	again, _ := points.Earn(ctx, p) // a retry or an offline replay
	b, _ := points.Balance(ctx, member.ID)
	fmt.Println(again.Quote.Total, b.Available)
	// Output:
	// 40 2028-01-01
	// 40 40
}

func ExampleService_Hold() {
	ctx := context.Background()
	customers, points, member := exampleShop()
	p, _ := customers.RecordPurchase(ctx, sale("p1", member.ID, at(2026, 3, 2, 10, 0), line("TV", "electronics", 1, "1000")))
	_, _ = points.Earn(ctx, p)

	// At the next checkout the member pays part of a 20 CNY order with points.
	most, _ := points.MaxRedeemable(ctx, member.ID, dec("20"))
	fmt.Println("may use", most.Points, "points worth", most.Value, "CNY, limited by", most.Limit)
	h, _ := points.Hold(ctx, loyalty.RedeemRequest{ID: "lane2-h1", MemberID: member.ID, Points: most.Points, OrderTotal: dec("20")})
	// Payment succeeded: commit, once.
	_, _ = points.CommitHold(ctx, member.ID, h.ID, "p2")
	b, _ := points.Balance(ctx, member.ID)
	fmt.Println("spent", b.Spent, "left", b.Available)
	// Output:
	// may use 1000 points worth 10 CNY, limited by share
	// spent 1000 left 200
}

func ExampleService_Return() {
	ctx := context.Background()
	customers, points, member := exampleShop()
	p, _ := customers.RecordPurchase(ctx, sale("p1", member.ID, at(2026, 3, 2, 10, 0),
		line("MILK", "dairy", 4, "12.50"), line("RICE", "grocery", 1, "40")))
	earned, _ := points.Earn(ctx, p)
	fmt.Println("earned", earned.Quote.Total)

	// Two of the four milks come back: exactly what the stored quote says
	// they earned is taken: their base and dairy points and their pro rata
	// share of the first-purchase bonus.
	ret := customer.Return{ID: "r1", PurchaseID: "p1", Store: "SH-02", Time: at(2026, 3, 3, 10, 0), Currency: "CNY",
		Refund: dec("25"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("2")}}}
	_, _ = customers.RecordReturn(ctx, ret)
	res, _ := points.Return(ctx, ret)
	b, _ := points.Balance(ctx, member.ID)
	fmt.Println("clawed back", res.Owed, "left", b.Available)
	// Output:
	// earned 340
	// clawed back 105 left 235
}

func ExampleService_Expire() {
	ctx := context.Background()
	customers, points, member := exampleShop()
	p, _ := customers.RecordPurchase(ctx, sale("p1", member.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "40")))
	_, _ = points.Earn(ctx, p)
	// Points earned in 2026 are valid through the end of 2027 (Shanghai time).
	rep, _ := points.Expire(ctx, at(2027, 12, 31, 23, 59), "")
	fmt.Println("expired", rep.Points, "warnings", len(rep.Events))
	rep, _ = points.Expire(ctx, at(2028, 1, 1, 0, 0), "")
	fmt.Println("expired", rep.Points)
	// Output:
	// expired 0 warnings 1
	// expired 40
}

func ExampleService_TierStatus() {
	ctx := context.Background()
	customers, points, member := exampleShop()
	for i, amount := range []string{"1200", "800"} {
		p, _ := customers.RecordPurchase(ctx, sale(fmt.Sprint("p", i), member.ID, at(2026, 3, 2, 10+i, 0), line("SOFA", "furniture", 1, amount)))
		res, _ := points.Earn(ctx, p)
		for _, ev := range res.Events {
			if ev.Type == loyalty.EventTierChanged {
				fmt.Println(ev.Tier.From, "→", ev.Tier.To)
			}
		}
	}
	st, _ := points.TierStatus(ctx, member.ID, "en")
	for _, l := range st.Lines {
		fmt.Println(l)
	}
	// Output:
	// regular → silver
	// 3,000 CNY or 18 purchases to Gold by 31 Dec 2026
	// Silver guaranteed through 2 Mar 2027
}

func ExampleService_IssueBirthdayCoupons() {
	ctx := context.Background()
	customers, points, _ := exampleShop()
	_, _ = customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Leap Day",
		Birthday: customer.Birthday{Month: time.February, Day: 29}}, Force: true})
	rep, _ := points.IssueBirthdayCoupons(ctx, customers.Store().Customers(ctx), at(2027, 2, 1, 0, 0), at(2027, 3, 1, 0, 0))
	for _, c := range rep.Coupons {
		fmt.Println(c.Coupon.RewardID, c.Coupon.ValidFrom.In(shanghai).Format("Jan 2"), "to", c.Coupon.ValidUntil.In(shanghai).Add(-time.Second).Format("Jan 2"))
	}
	// Output:
	// bday-50 Feb 25 to Mar 7
}
