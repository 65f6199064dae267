package segment_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
)

// Score five customers by RFM into 5 quantile bins and look up their
// segments in the shipped 11-segment map.
func ExampleScoreRFM() {
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	day := func(d int) int64 { return asOf.AddDate(0, 0, -d).Unix() }
	sums := []segment.Summary{
		{CustomerID: "amy", Last: day(2), Purchases: 12, Monetary: 254000}, // minor units: 2540.00
		{CustomerID: "ben", Last: day(30), Purchases: 1, Monetary: 4999},
		{CustomerID: "cat", Last: day(90), Purchases: 4, Monetary: 61000},
		{CustomerID: "dan", Last: day(200), Purchases: 7, Monetary: 130000},
		{CustomerID: "eve", Last: day(400), Purchases: 1, Monetary: 1500},
	}
	rep, err := segment.ScoreRFM(sums, asOf, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Results {
		fmt.Printf("%s %3d days %2d purchases %8s  %s %s\n", r.CustomerID, r.RecencyDays, r.Frequency,
			segment.Amount(r.Monetary, rep.Scale).StringFixed(2), r.Score.Code(), r.Score.Segment)
	}
	// Output:
	// amy   2 days 12 purchases  2540.00  555 champions
	// ben  30 days  1 purchases    49.99  412 potential-loyalist
	// cat  90 days  4 purchases   610.00  333 need-attention
	// dan 200 days  7 purchases  1300.00  244 at-risk
	// eve 400 days  1 purchases    15.00  111 lost
}

// A shop's own map is data; validation names every cell covered twice or
// not at all.
func ExampleSegmentMap_Validate() {
	m, err := segment.LoadSegmentMap(strings.NewReader(`{
	  "version": 1, "name": "draft", "bins": 2, "axes": "rf",
	  "segments": [
	    {"name": "keep", "cells": [{"r": [2, 2], "f": [1, 2]}]},
	    {"name": "chase", "cells": [{"r": [1, 2], "f": [2, 2]}]}
	  ]}`))
	fmt.Println(m.Name == "", err)
	// Output:
	// true segment: segmentMap.segments: cell r=1 f=1 covered by no segment
	// segment: segmentMap.segments: cell r=2 f=2 covered by keep and chase
}

// Build facts from the streams a customer.Store yields, then evaluate a
// rule loaded from JSON and explain the result.
func ExampleParseRule() {
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	buy := func(id string, daysAgo int, store string, total string) customer.Purchase {
		return customer.Purchase{ID: id, CustomerID: "c1", Store: store, Channel: customer.ChannelInStore,
			Time: asOf.AddDate(0, 0, -daysAgo), Currency: "CNY",
			Lines: []customer.Line{{SKU: "tea-01", Category: "tea", Brand: "longjing", Quantity: decimal.NewFromInt(1),
				UnitPrice: decimal.RequireFromString(total), Total: decimal.RequireFromString(total)}}}
	}
	customers := seq(customer.Customer{ID: "c1", Tags: []string{"vip"}})
	purchases := seq(buy("p1", 50, "S1", "300.00"), buy("p2", 20, "S1", "180.00"), buy("p3", 5, "S2", "88.00"))
	facts, _, err := segment.BuildFacts(customers, purchases, nil, asOf, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rule, err := segment.ParseRule([]byte(`{"version": 1, "name": "tea lovers", "rule": {"and": [
	  {"bought": {"category": "tea", "days": 30}},
	  {"spent": {"min": "300.00", "days": 30}},
	  {"or": [{"tags": {"any": ["vip"]}}, {"storeShare": {"store": "S2", "minPercent": 50}}]}
	]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := rule.Compile(asOf, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Explain(&facts[0]))
	// Output:
	// [ ] all of
	//   [x] bought category tea in the last 30 days: last bought 2025-02-24
	//   [ ] spent >= 300.00 in the last 30 days: spent 268.00
	//   [x] any of
	//     [x] tags any of [vip]: tags [vip]
	//     [ ] store S2 share 50% to 100% of purchases ever: 1 of 3 purchases
}

// Compare two evaluations of a segment.
func ExampleDiff() {
	last := segment.NewMembership([]string{"c1", "c2", "c3"})
	now := segment.NewMembership([]string{"c2", "c3", "c4", "c5"})
	ch := segment.Diff(last, now)
	fmt.Println("entered:", ch.Entered, "left:", ch.Left, "stayed:", ch.Stayed)
	// Output:
	// entered: [c4 c5] left: [c1] stayed: 2
}

// Birthday greetings go only to customers who agreed to marketing on the
// channel; the month is the shop's, not UTC's.
func ExampleBirthdayThisMonth() {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	agreed := []customer.Consent{{Purpose: customer.PurposeMarketing, Channel: customer.ContactWeChat,
		History: []customer.ConsentChange{{Granted: true, At: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}}}}
	facts := []segment.Facts{
		{CustomerID: "c1", Known: true, Birthday: customer.Birthday{Month: time.February, Day: 29}, Consents: agreed},
		{CustomerID: "c2", Known: true, Birthday: customer.Birthday{Month: time.February, Day: 3}},
		{CustomerID: "c3", Known: true, Birthday: customer.Birthday{Month: time.March, Day: 1}, Consents: agreed},
	}
	asOf := time.Date(2025, 1, 31, 18, 0, 0, 0, time.UTC) // already 1 February in Shanghai
	members, stats, err := segment.BirthdayThisMonth(customer.ContactWeChat).
		Select(segment.All(facts), asOf, &segment.EvalOptions{Location: shanghai})
	fmt.Println(members.IDs(), stats.Matched, stats.NoConsent, err)
	// Output:
	// [c1] 2 1 <nil>
}

// Lifecycle thresholds are per shop; with enough history the customer's
// own rhythm decides.
func ExampleLifecycleConfig_StageOf() {
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	weekly := &segment.Facts{Purchases: 10, First: asOf.AddDate(0, 0, -90), Last: asOf.AddDate(0, 0, -27)}
	sofa := &segment.Facts{Purchases: 1, First: asOf.AddDate(0, 0, -300), Last: asOf.AddDate(0, 0, -300)}
	grocer := segment.DefaultLifecycle()
	furniture := segment.LifecycleConfig{NewDays: 90, AtRiskDays: 540, LapsedDays: 1095, LoyalPurchases: 3}
	fmt.Println("weekly shopper silent 27 days:", grocer.StageOf(weekly, asOf))
	fmt.Println("sofa buyer at a grocer's thresholds:", grocer.StageOf(sofa, asOf))
	fmt.Println("sofa buyer at a furniture shop:", furniture.StageOf(sofa, asOf))
	// Output:
	// weekly shopper silent 27 days: at-risk
	// sofa buyer at a grocer's thresholds: lapsed
	// sofa buyer at a furniture shop: active
}

// Value classes by cumulative share of revenue: the customers who make
// the first 80% are high value.
func ExampleValueClasses() {
	sums := []segment.Summary{
		{CustomerID: "a", Monetary: 700000}, {CustomerID: "b", Monetary: 150000},
		{CustomerID: "c", Monetary: 100000}, {CustomerID: "d", Monetary: 50000},
	}
	classes, _ := segment.ValueClasses(sums, nil)
	for _, c := range classes {
		fmt.Println(c.CustomerID, c.Class)
	}
	// Output:
	// a high
	// b high
	// c medium
	// d low
}

// Data-driven groups: k-means on scaled RFM with a fixed seed, described
// in plain words.
func ExampleKMeans() {
	var results []segment.RFMResult
	for i := range 30 {
		r := segment.RFMResult{CustomerID: fmt.Sprint(i), Score: segment.RFMScore{R: 1, F: 1, M: 1}}
		if i%2 == 0 {
			r.RecencyDays, r.Frequency, r.Monetary = int64(3+i%4), 12, 90000
		} else {
			r.RecencyDays, r.Frequency, r.Monetary = int64(200+i%5), 1, 2500
		}
		results = append(results, r)
	}
	rep, _ := segment.KMeans(results, &segment.ClusterConfig{K: 2, Seed: 7})
	for _, c := range rep.Clusters {
		fmt.Printf("cluster %d (%d customers): %s\n", c.ID, c.Size, c.Description)
	}
	// Output:
	// cluster 0 (15 customers): recent (4 days), frequent (12.0 purchases), high spend (900.00)
	// cluster 1 (15 customers): long inactive (202 days), rare (1.0 purchases), low spend (25.00)
}
