package metrics_test

import (
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/metrics"
	"github.com/shopspring/decimal"
)

// from turns a slice into the iterator shape a customer.Store streams in.
func from[T any](xs ...T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func sale(id, member string, at time.Time, amount string) customer.Purchase {
	total := decimal.RequireFromString(amount)
	return customer.Purchase{
		ID: id, CustomerID: member, Store: "S1", Time: at, Currency: "CNY",
		Lines: []customer.Line{{SKU: "TEA", Quantity: decimal.NewFromInt(1), UnitPrice: total, Total: total}},
	}
}

func ExampleWilsonInterval() {
	iv := metrics.WilsonInterval(8, 10)
	fmt.Printf("8 of 10: [%.3f, %.3f] (%s, %.0f%%)\n", iv.Lower, iv.Upper, iv.Method, 100*iv.Level)
	// Output: 8 of 10: [0.490, 0.943] (wilson, 95%)
}

func ExampleAdjustedWaldNPS() {
	// 5 promoters, 3 passives, 2 detractors: NPS 30.
	iv := metrics.AdjustedWaldNPS(5, 3, 2)
	fmt.Printf("NPS 30, 95%% CI [%.1f, %.1f]\n", iv.Lower, iv.Upper)
	// Output: NPS 30, 95% CI [-19.1, 65.2]
}

func ExampleSatisfaction() {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var scores []metrics.Score
	for _, v := range []int{10, 9, 9, 8, 7, 6, 10, 3, 9, 10} {
		scores = append(scores, metrics.Score{Kind: metrics.KindNPS, Value: v, Time: at})
	}
	for _, v := range []int{5, 4, 4, 3, 5} {
		scores = append(scores, metrics.Score{Kind: metrics.KindCSAT, Value: v, Time: at})
	}
	for _, v := range []int{6, 5, 7, 6} {
		scores = append(scores, metrics.Score{Kind: metrics.KindCES, Value: v, Time: at})
	}
	s, err := metrics.Satisfaction(from(scores...), nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("NPS %.0f [%.1f, %.1f] n=%d\n", s.NPS.Score, s.NPS.CI.Lower, s.NPS.CI.Upper, s.NPS.N)
	fmt.Printf("CSAT %.0f%% [%.1f%%, %.1f%%] n=%d (top box %d of %d)\n",
		100*s.CSAT.Share, 100*s.CSAT.CI.Lower, 100*s.CSAT.CI.Upper, s.CSAT.N, s.CSAT.TopBox, s.CSAT.Scale)
	fmt.Printf("CES %.2f [%.2f, %.2f] n=%d (%s)\n", s.CES.Mean, s.CES.CI.Lower, s.CES.CI.Upper, s.CES.N, s.CES.CI.Method)
	// Output:
	// NPS 40 [-12.6, 74.1] n=10
	// CSAT 80% [37.6%, 96.4%] n=5 (top box 4 of 5)
	// CES 6.00 [4.70, 7.00] n=4 (student-t)
}

func ExampleSatisfactionBy() {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	scores := []metrics.Score{
		{Kind: metrics.KindNPS, Value: 10, Store: "Xuhui", Time: at},
		{Kind: metrics.KindNPS, Value: 9, Store: "Xuhui", Time: at},
		{Kind: metrics.KindNPS, Value: 4, Store: "Pudong", Time: at},
		{Kind: metrics.KindNPS, Value: 8, Store: "Pudong", Time: at},
	}
	b, err := metrics.SatisfactionBy(from(scores...), metrics.ByStore, nil)
	if err != nil {
		panic(err)
	}
	for _, g := range b.Groups {
		fmt.Printf("%s: NPS %.0f (n=%d)\n", g.Key, g.NPS.Score, g.NPS.N)
	}
	fmt.Printf("all: NPS %.0f (n=%d)\n", b.Total.NPS.Score, b.Total.NPS.N)
	// Output:
	// Pudong: NPS -50 (n=2)
	// Xuhui: NPS 100 (n=2)
	// all: NPS 25 (n=4)
}

func ExampleSalesIn() {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	purchases := []customer.Purchase{
		sale("p1", "m1", day(2), "88.00"),
		sale("p2", "", day(3), "12.50"), // anonymous
		sale("p3", "m2", day(5), "40.00"),
		sale("p4", "m1", day(9), "10.00"),
	}
	returns := []customer.Return{{ID: "r1", PurchaseID: "p3", Time: day(6), Currency: "CNY", Refund: decimal.RequireFromString("15.00")}}
	march := metrics.Window{From: day(1), To: day(31)}

	s, err := metrics.SalesIn(from(purchases...), from(returns...), march)
	if err != nil {
		panic(err)
	}
	fmt.Println("orders:", s.Orders, "members:", s.Customers)
	fmt.Println("net:", s.Net.StringFixed(s.Scale), s.Currency)
	fmt.Println("AOV:", s.AOV.StringFixed(s.Scale))
	fmt.Println("revenue per member:", s.RevenuePerCustomer.StringFixed(s.Scale))
	fmt.Printf("members' share of sales: %.1f%%\n", 100*s.MemberSalesShare)
	// Output:
	// orders: 4 members: 2
	// net: 135.50 CNY
	// AOV: 33.88
	// revenue per member: 61.50
	// members' share of sales: 90.8%
}

func ExampleRetentionIn() {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	purchases := []customer.Purchase{
		sale("p1", "ann", day(1, 10), "10"),
		sale("p2", "bo", day(1, 20), "10"),
		sale("p3", "cy", day(2, 5), "10"),
		sale("p4", "ann", day(2, 12), "10"),
		sale("p5", "cy", day(3, 1), "10"),
	}
	feb := metrics.Window{From: day(2, 1), To: day(3, 1)}
	rule := metrics.ChurnRule{Kind: metrics.PeriodOverPeriod, Previous: metrics.Window{From: day(1, 1), To: day(2, 1)}}
	r, err := metrics.RetentionIn(from(purchases...), feb, rule)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Rule)
	fmt.Printf("at risk %d, retained %d, churned %d, new %d\n", r.AtRisk, r.Retained, r.Churned, r.New)
	fmt.Printf("retention %.0f%%\n", 100*r.Rate.Value)
	// Output:
	// churned: bought in [2026-01-01T12:00:00Z, 2026-02-01T12:00:00Z), not in the current window
	// at risk 2, retained 1, churned 1, new 1
	// retention 50%
}

func ExampleCohorts() {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, shanghai) }
	purchases := []customer.Purchase{
		sale("p1", "ann", at(1, 5), "100"),
		sale("p2", "bo", at(1, 9), "60"),
		sale("p3", "ann", at(2, 2), "40"),
		sale("p4", "cy", at(2, 8), "30"),
		sale("p5", "bo", at(3, 3), "20"),
		sale("p6", "cy", at(3, 4), "30"),
	}
	t, err := metrics.Cohorts(from(purchases...), nil, time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai), metrics.Month, shanghai)
	if err != nil {
		panic(err)
	}
	for _, c := range t.Cohorts {
		fmt.Printf("%s n=%d active=%v retention=%v value/customer=%v\n",
			c.Period, c.Customers, c.Active, c.Retention, c.CumulativePerCustomer)
	}
	// Output:
	// 2026-01 n=2 active=[2 1 1] retention=[1 0.5 0.5] value/customer=[80 100 110]
	// 2026-02 n=1 active=[1 1] retention=[1 1] value/customer=[30 60]
	// 2026-03 n=0 active=[0] retention=[0] value/customer=[0]
}

func ExampleHistoricValue() {
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	purchases := []customer.Purchase{
		sale("p1", "ann", at(1, 5), "100.00"),
		sale("p2", "bo", at(1, 9), "60.00"),
		sale("p3", "ann", at(2, 2), "40.00"),
	}
	returns := []customer.Return{{ID: "r1", PurchaseID: "p3", Time: at(2, 3), Currency: "CNY", Refund: decimal.RequireFromString("40.00")}}
	v, err := metrics.HistoricValue(from(purchases...), from(returns...), at(4, 1), metrics.Month, time.UTC)
	if err != nil {
		panic(err)
	}
	for _, c := range v.Customers {
		fmt.Printf("%s: %d orders, net %s\n", c.CustomerID, c.Orders, c.Net.StringFixed(v.Scale))
	}
	fmt.Println("per customer:", v.PerCustomer.StringFixed(v.Scale), v.Currency)
	// Output:
	// ann: 2 orders, net 100.00
	// bo: 1 orders, net 60.00
	// per customer: 80.00 CNY
}
