package loyalty_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele-go/clientele/loyalty"
)

func ExampleEvaluateTier() {
	p, err := loyalty.ParseProgram([]byte(`{
	  "id": "tiers-demo", "currency": "CNY", "timeZone": "Asia/Shanghai",
	  "earnRules": [{"id": "base", "kind": "base", "rate": "1"}],
	  "expiry": {"kind": "never"}, "returnPolicy": "allow-debt",
	  "redemption": {"points": 100, "value": "1"},
	  "tiers": {
	    "levels": [
	      {"code": "regular", "names": {"en": "Regular", "zh-Hans": "普通"}},
	      {"code": "silver", "names": {"en": "Silver", "zh-Hans": "银卡"}, "qualify": {"spend": "2000", "purchases": 10}},
	      {"code": "gold", "names": {"en": "Gold", "zh-Hans": "金卡"}, "qualify": {"spend": "5000", "purchases": 20}}
	    ],
	    "window": {"kind": "calendar-year"},
	    "review": {"schedule": "yearly", "downgrade": "one-step", "guaranteeMonths": 12}
	  }
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	loc := p.Location
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, loc) }
	activity := loyalty.QualifyingActivity{Events: []loyalty.QualifyingEvent{
		{Time: at(3, 1), Spend: mustDec("1500"), Purchases: 1},
		{Time: at(4, 10), Spend: mustDec("650"), Purchases: 1}, // crosses 2000: silver
		{Time: at(5, 2), Spend: mustDec("2000"), Purchases: 1},
	}}
	state := loyalty.TierState{MemberSince: time.Date(2026, 1, 5, 9, 0, 0, 0, loc)}
	state, changes, progress, err := loyalty.EvaluateTier(p, state, activity, at(6, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Println(c.Reason, c.From, "→", c.To, c.At.Format("2006-01-02"))
	}
	fmt.Println("guaranteed until", state.GuaranteedUntil.Format("2006-01-02"))
	fmt.Println(strings.Join(p.RenderProgress(progress, "en"), "\n"))
	fmt.Println(strings.Join(p.RenderProgress(progress, "zh-Hans"), "\n"))
	// Output:
	// upgrade regular → silver 2026-04-10
	// guaranteed until 2027-04-11
	// 850 CNY or 17 purchases to Gold by 31 Dec 2026
	// Silver guaranteed through 10 Apr 2027
	// 2026年12月31日前再消费 850 CNY或购买 17 次即可升级为金卡
	// 银卡保级至2027年4月10日
}
