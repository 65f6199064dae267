package metrics_test

import (
	"fmt"
	"os"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/metrics"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// ledgerOfTwo is two members' points over the first quarter of 2026.
func ledgerOfTwo() []ledger.Entry {
	jan := time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	feb, mar := jan.AddDate(0, 1, 0), jan.AddDate(0, 2, 0)
	return []ledger.Entry{
		{ID: "A#1", Account: "A", Kind: ledger.KindEarn, Points: 1000, Time: jan},
		{ID: "A#2", Account: "A", Kind: ledger.KindRedeem, Points: -600, Time: feb},
		{ID: "A#3", Account: "A", Kind: ledger.KindExpire, Points: -200, Time: mar},
		{ID: "B#1", Account: "B", Kind: ledger.KindEarn, Points: 500, Time: feb},
		{ID: "B#2", Account: "B", Kind: ledger.KindClawback, Points: -100, Time: feb},
	}
}

func ExamplePointsIn() {
	q1 := metrics.Window{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	f, err := metrics.PointsIn(from(ledgerOfTwo()...), q1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("issued %d, redeemed %d, expired %d, clawed back %d\n", f.Issued, f.Redeemed, f.Expired, f.ClawedBack)
	fmt.Printf("redemption rate %.2f, breakage rate %.3f\n", f.RedemptionRate, f.BreakageRate)
	// Output:
	// issued 1500, redeemed 600, expired 200, clawed back 100
	// redemption rate 0.40, breakage rate 0.133
}

func ExampleLiabilityAt() {
	asOf := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	// 100 points take 1 CNY off; the redemption rate is estimated from the
	// ledger: 200 expired and 600 redeemed, so breakage is 200/800.
	l, err := metrics.LiabilityAt(from(ledgerOfTwo()...), asOf, metrics.LiabilityOptions{
		Currency: "CNY", ValuePerPoint: decimal.New(1, -2),
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("outstanding %d points, worth %s %s before breakage\n", l.Outstanding, l.Gross.StringFixed(2), l.Currency)
	fmt.Printf("breakage %s, redemption rate %s (%s)\n", l.Breakage.Rate, l.RedemptionRate, l.RateSource)
	fmt.Printf("liability %s %s\n", l.Value.StringFixed(l.Scale), l.Currency)
	// Output:
	// outstanding 600 points, worth 6.00 CNY before breakage
	// breakage 0.25, redemption rate 0.75 (estimated)
	// liability 4.50 CNY
}

func ExampleAllocatePoints() {
	// A sale of 2,000 USD earns 2,000 points; a point takes 0.10 off a
	// later purchase and 85% of points are expected to be redeemed.
	rate := decimal.RequireFromString("0.85")
	a, err := metrics.AllocatePoints(metrics.PointsSale{Price: decimal.NewFromInt(2000), Currency: "USD", Points: 2000},
		metrics.LiabilityOptions{Currency: "USD", ValuePerPoint: decimal.RequireFromString("0.10"), RedemptionRate: &rate})
	if err != nil {
		panic(err)
	}
	fmt.Printf("stand-alone prices: goods %s, points %s\n", a.GoodsSSP.StringFixed(2), a.PointsSSP.StringFixed(2))
	fmt.Printf("revenue at the sale %s, contract liability %s\n", a.Goods.StringFixed(2), a.Liability.StringFixed(2))
	// Later 1,000 points are redeemed, 1,700 still expected in all.
	r, err := a.Release(1000, 0, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("recognised %s, liability left %s\n", r.Recognised.StringFixed(2), r.Liability.StringFixed(2))
	// The other 1,000 points expire.
	r, _ = a.Release(1000, 1000, nil)
	fmt.Printf("after expiry: recognised %s, liability left %s\n", r.Recognised.StringFixed(2), r.Liability.StringFixed(2))
	// Output:
	// stand-alone prices: goods 2000.00, points 170.00
	// revenue at the sale 1843.32, contract liability 156.68
	// recognised 92.16, liability left 64.52
	// after expiry: recognised 156.68, liability left 0.00
}

func ExampleTierMigrationBetween() {
	jan, jul := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	state := func(tier string) loyalty.TierState { return loyalty.TierState{Tier: tier} }
	before := []metrics.MemberTier{{MemberID: "m1", State: state("")}, {MemberID: "m2", State: state("silver")}, {MemberID: "m3", State: state("gold")}}
	after := []metrics.MemberTier{{MemberID: "m1", State: state("silver")}, {MemberID: "m2", State: state("silver")}, {MemberID: "m3", State: state("silver")}}
	m, err := metrics.TierMigrationBetween(from(before...), from(after...), jan, jul, []string{"", "silver", "gold"})
	if err != nil {
		panic(err)
	}
	for i, row := range m.Counts {
		fmt.Printf("%-8s %v\n", m.Tiers[i], row)
	}
	fmt.Printf("up %d, down %d, same %d\n", m.Upgraded, m.Downgraded, m.Stayed)
	// Output:
	// (entry)  [0 1 0]
	// silver   [0 1 0]
	// gold     [0 1 0]
	// up 1, down 1, same 1
}

func ExampleComplaintsIn() {
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }
	complaints := []feedback.Complaint{
		{ID: "c1", Category: feedback.CategoryProduct, Status: feedback.StatusClosed, ReceivedAt: at(2, 9),
			FirstResponseAt: at(2, 10), ResolvedAt: at(3, 9), Satisfaction: 5},
		{ID: "c2", Category: feedback.CategoryService, Status: feedback.StatusResolved, ReceivedAt: at(4, 9),
			FirstResponseAt: at(4, 12), ResolvedAt: at(6, 9), ResolutionBreached: true, Reopened: 1, Satisfaction: 2},
		{ID: "c3", Category: feedback.CategoryProduct, Status: feedback.StatusInvestigating, ReceivedAt: at(5, 9),
			FirstResponseAt: at(5, 11)},
	}
	march := metrics.Window{From: at(1, 0), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	k, err := metrics.ComplaintsIn(from(complaints...), march, nil) // no SLA calendars: wall time
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d complaints, %d open, most about %s\n", k.Complaints, k.Open, k.ByCategory[0].Category)
	fmt.Printf("first response: median %v, p90 %v (%s time)\n", k.FirstResponse.Median, k.FirstResponse.P90, k.FirstResponse.Basis)
	fmt.Printf("resolution: median %v\n", k.Resolution.Median)
	fmt.Printf("within SLA %d of %d, reopened %d of %d\n", k.SLA.Numerator, k.SLA.Denominator, k.Reopen.Numerator, k.Reopen.Denominator)
	// Output:
	// 3 complaints, 1 open, most about product
	// first response: median 2h0m0s, p90 2h48m0s (wall time)
	// resolution: median 36h0m0s
	// within SLA 1 of 2, reopened 1 of 2
}

func ExampleScoresFrom() {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	responses := []feedback.Response{
		{ID: "r1", Store: "S1", Time: at, Answers: []feedback.Answer{{Kind: feedback.KindNPS, Score: 10}, {Kind: feedback.KindCSAT, Score: 4}}},
		{ID: "r2", Store: "S1", Time: at, Answers: []feedback.Answer{{Kind: feedback.KindNPS, Score: 9}, {Kind: feedback.KindComment, Text: "ok"}}},
		{ID: "r3", Store: "S2", Time: at, Answers: []feedback.Answer{{Kind: feedback.KindNPS, Score: 4}}},
	}
	s, err := metrics.Satisfaction(metrics.ScoresFrom(from(responses...)), nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("NPS %.1f from %d answers; CSAT %.0f%% from %d\n", s.NPS.Score, s.NPS.N, 100*s.CSAT.Share, s.CSAT.N)
	// Output: NPS 33.3 from 3 answers; CSAT 100% from 1
}

func ExampleBuildReport() {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }
	purchases := from(
		sale("p1", "m1", day(2, 3), "100.00"),
		sale("p2", "m2", day(2, 9), "60.00"),
		sale("p3", "m1", day(3, 4), "80.00"),
		sale("p4", "m3", day(3, 20), "45.50"),
	)
	r, err := metrics.BuildReport(metrics.ReportInput{Purchases: purchases}, metrics.ReportOptions{
		Current:  metrics.Window{From: day(3, 1).Add(-12 * time.Hour), To: day(4, 1).Add(-12 * time.Hour)},
		Previous: metrics.Window{From: day(2, 1).Add(-12 * time.Hour), To: day(3, 1).Add(-12 * time.Hour)},
	})
	if err != nil {
		panic(err)
	}
	cur := r.Shop.Current
	fmt.Printf("net %s %s from %d customers, %d new; retention %d of %d\n",
		cur.Sales.Net.StringFixed(2), cur.Sales.Currency, cur.Activity.Active, cur.Activity.New, cur.Retention.Retained, cur.Retention.AtRisk)
	if err := metrics.WriteText(os.Stdout, r, &metrics.RenderOptions{Language: language.SimplifiedChinese}); err != nil {
		panic(err)
	}
	// Output:
	// net 125.50 CNY from 2 customers, 1 new; retention 1 of 2
	// 客户报告
	// 报告期 2026-03-01 至 2026-04-01，对比期 2026-02-01 至 2026-03-01
	//
	// 全店
	//   指标            本期  95% 置信区间  样本数        上期             变化
	//   -----------------------------------------------------------------------
	//   净销售额  125.50 CNY                     2  160.00 CNY  -34.50 (-21.6%)
	//   订单数             2                                 2       +0 (+0.0%)
	//   活跃顾客           2                                 2       +0 (+0.0%)
	//   新顾客             1                     2           2      -1 (-50.0%)
	//   复购率          0.0%     0.0–65.8%       2        0.0%          +0.0 pp
	//   留存率         50.0%     9.5–90.5%       2          无
	//   投诉数             0                                 0               +0
	//
	// 门店
	//   门店    净销售额             变化  活跃顾客        变化      复购率     变化       留存率  变化  净推荐值 NPS  变化  满意度 CSAT  变化  投诉数  变化
	//   ----------------------------------------------------------------------------------------------------------------------------------------------------
	//   S1    125.50 CNY  -34.50 (-21.6%)         2  +0 (+0.0%)  0.0% (n=2)  +0.0 pp  50.0% (n=2)                  无                 无             0    +0
	//
	// 同期群留存 — 按首购月分组，时区 UTC
	//   2026-02 (2)  100%  50%
	//   2026-03 (1)  100%
	//
	// 参数
	//   - 净销售额：本期购买减去期末前的退款；金额 最小货币单位，四舍五入（半数远离零）
	//   - 活跃与新顾客：本期有购买的会员；新顾客指首次购买在本期
	//   - 留存：环比口径，上一等长周期内购买过的顾客中本期再次购买的比例
	//   - NPS：推荐者（9–10）减贬损者（0–6），区间为调整 Wald 法（Rocks 2016）
	//   - CSAT：1–5 分中 4 分及以上的比例，Wilson 区间
	//   - 比率附 95% Wilson 置信区间；样本数为计算所用的样本量
	//   - 处理时长：中位数与 90 分位（hyndman-fan-7），按自然时间计
}
