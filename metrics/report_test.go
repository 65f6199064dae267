package metrics

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"iter"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

func shopBuy(id, member, store, staff, at, amount string) customer.Purchase {
	total := decimal.RequireFromString(amount)
	return customer.Purchase{
		ID: id, CustomerID: member, Store: store, Staff: staff, Time: utc(at), Currency: "CNY",
		Lines: []customer.Line{{SKU: "TEA", Quantity: decimal.NewFromInt(1), UnitPrice: total, Total: total}},
	}
}

func answer(store, staff, at string, kind feedback.QuestionKind, score int) feedback.Response {
	return feedback.Response{ID: store + at, Store: store, Staff: staff, Time: utc(at),
		Answers: []feedback.Answer{{QuestionID: "q", Kind: kind, Score: score}}}
}

func entry(id, account string, kind ledger.EntryKind, points int64, at, purchase string) ledger.Entry {
	return ledger.Entry{ID: id, Account: account, Kind: kind, Points: points, Time: utc(at), Purchase: purchase}
}

// reportShop is a two-store shop over January to March 2026; the figures
// are worked out in TestBuildReportWorkedExample.
func reportShop() ReportInput {
	purchases := []customer.Purchase{
		shopBuy("p0", "m1", "S1", "amy", "2026-01-15T10:00:00Z", "100"),
		shopBuy("p1", "m1", "S1", "amy", "2026-02-05T10:00:00Z", "200"),
		shopBuy("p2", "m2", "S1", "amy", "2026-02-10T10:00:00Z", "50"),
		shopBuy("p3", "m3", "S2", "bob", "2026-02-20T10:00:00Z", "80"),
		shopBuy("p4", "m1", "S1", "amy", "2026-03-03T10:00:00Z", "120"),
		shopBuy("p5", "m1", "S2", "bob", "2026-03-10T10:00:00Z", "30"),
		shopBuy("p6", "m4", "S2", "bob", "2026-03-12T10:00:00Z", "60"),
		shopBuy("p7", "", "S1", "amy", "2026-03-15T10:00:00Z", "40"),
		shopBuy("p8", "m3", "S2", "bob", "2026-03-20T10:00:00Z", "70"),
	}
	returns := []customer.Return{{ID: "r1", PurchaseID: "p4", CustomerID: "m1", Store: "S1", Time: utc("2026-03-05T10:00:00Z"),
		Currency: "CNY", Refund: decimal.NewFromInt(20)}}
	responses := []feedback.Response{
		answer("S1", "amy", "2026-02-06T10:00:00Z", feedback.KindNPS, 8),
		answer("S1", "amy", "2026-03-04T10:00:00Z", feedback.KindNPS, 10),
		answer("S1", "amy", "2026-03-04T11:00:00Z", feedback.KindCSAT, 5),
		answer("S2", "bob", "2026-03-11T10:00:00Z", feedback.KindNPS, 6),
		answer("S2", "bob", "2026-03-21T10:00:00Z", feedback.KindNPS, 9),
	}
	complaints := []feedback.Complaint{{ID: "c1", Store: "S2", Staff: "bob", Category: feedback.CategoryProduct,
		Status: feedback.StatusResolved, ReceivedAt: utc("2026-03-12T12:00:00Z"),
		FirstResponseAt: utc("2026-03-12T13:00:00Z"), ResolvedAt: utc("2026-03-12T14:00:00Z"), Satisfaction: 4}}
	entries := []ledger.Entry{
		entry("m1#1", "m1", ledger.KindEarn, 200, "2026-02-05T10:00:00Z", "p1"),
		entry("m1#2", "m1", ledger.KindEarn, 120, "2026-03-03T10:00:00Z", "p4"),
		entry("m1#3", "m1", ledger.KindClawback, -20, "2026-03-05T10:00:00Z", "p4"),
		entry("m1#4", "m1", ledger.KindRedeem, -100, "2026-03-20T10:00:00Z", ""),
		entry("m3#1", "m3", ledger.KindEarn, 80, "2026-02-20T10:00:00Z", "p3"),
		entry("m3#2", "m3", ledger.KindEarn, 70, "2026-03-20T10:00:00Z", "p8"),
		entry("m3#3", "m3", ledger.KindExpire, -30, "2026-03-25T10:00:00Z", "p3"),
	}
	joined := utc("2025-06-01T00:00:00Z")
	tiers := func(at time.Time) iter.Seq2[MemberTier, error] {
		if at.Before(utc("2026-03-15T00:00:00Z")) {
			return seq(MemberTier{"m1", tierState("silver", joined)}, MemberTier{"m2", tierState("", joined)}, MemberTier{"m3", tierState("", joined)})
		}
		return seq(MemberTier{"m1", tierState("gold", joined)}, MemberTier{"m2", tierState("", joined)},
			MemberTier{"m3", tierState("silver", joined)}, MemberTier{"m4", tierState("", utc("2026-03-12T00:00:00Z"))})
	}
	return ReportInput{
		Purchases: seq(purchases...), Returns: seq(returns...), Responses: seq(responses...),
		Complaints: seq(complaints...), Entries: seq(entries...), TiersAt: tiers,
	}
}

func reportOptions() ReportOptions {
	return ReportOptions{
		Current:   Window{From: utc("2026-03-01T00:00:00Z"), To: utc("2026-04-01T00:00:00Z")},
		Previous:  Window{From: utc("2026-02-01T00:00:00Z"), To: utc("2026-03-01T00:00:00Z")},
		TierOrder: []string{"", "silver", "gold"},
		Liability: &LiabilityOptions{Currency: "CNY", ValuePerPoint: decimal.RequireFromString("0.01")},
	}
}

func TestBuildReportWorkedExample(t *testing.T) {
	r, err := BuildReport(reportShop(), reportOptions())
	require.NoError(t, err)

	cur, prev := r.Shop.Current, r.Shop.Previous
	// March: p4..p8, gross 320, refund 20 → net 300; members m1 (twice),
	// m4 (new), m3: active 3, repeat 1/3; of February's m1, m2, m3, the
	// two m1 and m3 came back.
	assert.Equal(t, 5, cur.Sales.Orders)
	assert.True(t, decimal.NewFromInt(300).Equal(cur.Sales.Net), cur.Sales.Net.String())
	assert.Equal(t, 3, cur.Activity.Active)
	assert.Equal(t, 1, cur.Activity.New)
	assert.Equal(t, 1, cur.Activity.Repeat.Numerator)
	assert.Equal(t, 2, cur.Retention.Retained)
	assert.Equal(t, 3, cur.Retention.AtRisk)
	assert.Equal(t, r.Options.Previous, cur.Retention.Rule.Previous)
	// February: net 330, m2 and m3 new; January's only buyer m1 came back.
	assert.True(t, decimal.NewFromInt(330).Equal(prev.Sales.Net))
	assert.Equal(t, 2, prev.Activity.New)
	assert.Equal(t, 1, prev.Retention.Retained)
	assert.Equal(t, 1, prev.Retention.AtRisk)
	assert.Equal(t, utc("2026-01-01T00:00:00Z"), prev.Retention.Rule.Previous.From) // the calendar month before
	assert.Equal(t, utc("2026-01-15T10:00:00Z"), cur.Activity.HistoryFrom)

	// NPS in March: 10, 6, 9 → (2 − 1)/3; February: one passive.
	assert.Equal(t, 3, cur.Satisfaction.NPS.N)
	assert.InDelta(t, 100.0/3, cur.Satisfaction.NPS.Score, 1e-9)
	assert.Equal(t, 1, prev.Satisfaction.NPS.N)
	assert.Equal(t, 1, cur.Complaints.Complaints)
	assert.Equal(t, time.Hour, cur.Complaints.FirstResponse.Median)

	// Points in March: issued 120 + 70, redeemed 100, expired 30,
	// clawed back 20.
	assert.Equal(t, int64(190), cur.Points.Issued)
	assert.Equal(t, int64(100), cur.Points.Redeemed)
	assert.Equal(t, int64(30), cur.Points.Expired)
	assert.Equal(t, int64(20), cur.Points.ClawedBack)
	// Liability at 1 April: m1 200 + m3 120 = 320 points; breakage
	// 30 / 130 = 0.2308; 3.20 × 0.7692 = 2.46144 → 2.46.
	require.NotNil(t, cur.Liability)
	assert.Equal(t, int64(320), cur.Liability.Outstanding)
	assert.True(t, decimal.RequireFromString("2.46").Equal(cur.Liability.Value), cur.Liability.Value.String())
	// At 1 March: 280 points, nothing settled yet → all assumed redeemed.
	require.NotNil(t, prev.Liability)
	assert.Equal(t, RateNoHistory, prev.Liability.RateSource)
	assert.True(t, decimal.RequireFromString("2.80").Equal(prev.Liability.Value))

	// Stores: S1 in March has p4 and the anonymous p7: net 140, m1 only,
	// and of February's S1 buyers m1, m2 only m1 came back.
	require.Len(t, r.Stores, 2)
	s1, s2 := r.Stores[0], r.Stores[1]
	assert.Equal(t, "S1", s1.Key)
	assert.True(t, decimal.NewFromInt(140).Equal(s1.Current.Sales.Net), s1.Current.Sales.Net.String())
	assert.Equal(t, 1, s1.Current.Activity.Active)
	assert.Equal(t, 0, s1.Current.Activity.New)
	assert.Equal(t, 1, s1.Current.Retention.Retained)
	assert.Equal(t, 2, s1.Current.Retention.AtRisk)
	assert.True(t, s1.Current.PointsLinked)
	assert.Equal(t, int64(120), s1.Current.Points.Issued)
	assert.Equal(t, int64(20), s1.Current.Points.ClawedBack)
	// S2: p5, p6, p8 net 160; m1 and m4 are new to the store; its
	// February buyer m3 came back; points: 70 earned, p3's 30 expired.
	assert.True(t, decimal.NewFromInt(160).Equal(s2.Current.Sales.Net))
	assert.Equal(t, 3, s2.Current.Activity.Active)
	assert.Equal(t, 2, s2.Current.Activity.New)
	assert.Equal(t, 1, s2.Current.Retention.Rate.Numerator)
	assert.Equal(t, int64(70), s2.Current.Points.Issued)
	assert.Equal(t, int64(30), s2.Current.Points.Expired)
	assert.Nil(t, s2.Current.Liability)
	assert.Equal(t, 2, s2.Current.Satisfaction.NPS.N)

	require.Len(t, r.Staff, 2)
	assert.Equal(t, "amy", r.Staff[0].Key)
	assert.Equal(t, 1, r.Staff[1].Current.Complaints.Complaints)

	// Tiers at 1 April: entry m2, m4; silver m3; gold m1. Between 1 March
	// and 1 April m1 and m3 went up, m2 stayed, m4 joined.
	require.NotNil(t, r.Tiers)
	assert.Equal(t, 4, r.Tiers.Members)
	assert.Equal(t, 2, r.Tiers.Tiers[0].Members)
	require.NotNil(t, r.Migration)
	assert.Equal(t, 2, r.Migration.Upgraded)
	assert.Equal(t, 1, r.Migration.Stayed)
	assert.Equal(t, []int{1, 0, 0}, r.Migration.Joined)

	// Cohorts: January (m1), February (m2, m3), March (m4).
	require.Len(t, r.Cohorts.Cohorts, 3)
	assert.Equal(t, 2, r.Cohorts.Cohorts[1].Customers)
	// Trend: twelve months to March, the last two with answers.
	require.Len(t, r.Trend.Points, 12)
	assert.Equal(t, "2026-03", r.Trend.Points[11].Period.String())
	assert.Equal(t, 3, r.Trend.Points[11].NPS.N)
}

func TestBuildReportRejects(t *testing.T) {
	_, err := BuildReport(ReportInput{}, ReportOptions{TrendPeriods: -1, CohortGranularity: "year"})
	require.Error(t, err)
	for _, field := range []string{"Purchases", "From/To", "TrendPeriods", "Granularity"} {
		assert.Contains(t, err.Error(), field)
	}
	assert.ErrorIs(t, err, ErrInvalidArgument)

	o := reportOptions()
	o.Previous = Window{From: utc("2026-02-15T00:00:00Z"), To: utc("2026-03-15T00:00:00Z")}
	_, err = BuildReport(reportShop(), o)
	assert.ErrorIs(t, err, ErrInvalidArgument)

	boom := errors.New("offline")
	in := reportShop()
	in.Complaints = failing[feedback.Complaint](boom)
	_, err = BuildReport(in, reportOptions())
	assert.ErrorIs(t, err, boom)
}

func TestBuildReportDefaults(t *testing.T) {
	in := reportShop()
	in.Entries, in.TiersAt, in.Responses, in.Complaints, in.Returns = nil, nil, nil, nil, nil
	o := ReportOptions{Current: Window{From: utc("2026-03-01T00:00:00Z"), To: utc("2026-04-01T00:00:00Z")}}
	r, err := BuildReport(in, o)
	require.NoError(t, err)
	assert.Equal(t, o.Current.Previous(), r.Options.Previous)
	assert.Nil(t, r.Tiers)
	assert.Nil(t, r.Shop.Current.Liability)
	assert.Zero(t, r.Shop.Current.Points.Entries)
	assert.True(t, decimal.NewFromInt(320).Equal(r.Shop.Current.Sales.Net))
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, nil))
	require.NoError(t, WriteHTML(io.Discard, r, nil))
}

func TestWriteText(t *testing.T) {
	r, err := BuildReport(reportShop(), reportOptions())
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, r, nil))
	out := b.String()
	assert.Contains(t, out, "Period 2026-03-01 to 2026-04-01, compared with 2026-02-01 to 2026-03-01")
	for _, line := range []string{
		"Net sales", "300.00 CNY", "330.00 CNY", "-30.00 (-9.1%)", // net sales, change
		"Retention rate", "66.7%", "100.0%", "-33.3 pp",
		"Points liability", "2.46 CNY", "2.80 CNY",
		"Upgraded 2, downgraded 0, stayed 1",
		"rate estimated as 1 - breakage",
	} {
		assert.Contains(t, out, line)
	}
	// Columns line up: the header and a full row of the shop table are as
	// wide as the rule under the header.
	lines := strings.Split(out, "\n")
	rule := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "  ---") })
	require.Positive(t, rule)
	assert.Equal(t, displayWidth(lines[rule]), displayWidth(lines[rule-1]))
	assert.Equal(t, displayWidth(lines[rule]), displayWidth(lines[rule+1]))

	b.Reset()
	require.NoError(t, WriteText(&b, r, &RenderOptions{Language: language.MustParse("zh-CN")}))
	zh := b.String()
	assert.Contains(t, zh, "客户报告")
	assert.Contains(t, zh, "净销售额")
	assert.Contains(t, zh, "300.00 CNY")
	assert.Contains(t, zh, "升级 2，降级 0，保持 1")
	lines = strings.Split(zh, "\n")
	rule = slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "  ---") })
	require.Positive(t, rule)
	assert.Equal(t, displayWidth(lines[rule]), displayWidth(lines[rule-1]), "a Chinese header is two columns a character")
	assert.Equal(t, displayWidth(lines[rule]), displayWidth(lines[rule+1]))
}

func TestDisplayWidth(t *testing.T) {
	assert.Equal(t, 4, displayWidth("abcd"))
	assert.Equal(t, 8, displayWidth("客户报告"))
	assert.Equal(t, 4, displayWidth("ＡＢ"))
}

func TestWriteHTMLWellFormedAndEscaped(t *testing.T) {
	in := reportShop()
	// A store code with markup in it must come out as text.
	var ps []customer.Purchase
	for p, err := range in.Purchases {
		require.NoError(t, err)
		if p.Store == "S2" {
			p.Store = `<S2 & "co">`
		}
		ps = append(ps, p)
	}
	in.Purchases = seq(ps...)
	r, err := BuildReport(in, reportOptions())
	require.NoError(t, err)
	for _, lang := range []language.Tag{language.English, language.SimplifiedChinese} {
		var b bytes.Buffer
		require.NoError(t, WriteHTML(&b, r, &RenderOptions{Language: lang}))
		page := b.String()
		assert.Contains(t, page, "<svg")
		assert.Contains(t, page, "<polyline")
		assert.NotContains(t, page, `<S2 & "co">`)
		assert.Contains(t, page, "&lt;S2 &amp; &#34;co&#34;&gt;")
		assert.NotContains(t, page, "http://www.w3.org/2000/svg\" href") // no external assets
		assert.NotContains(t, page, "<script")
		assert.NotContains(t, page, "<link")
		requireWellFormed(t, page)
	}
}

// requireWellFormed parses the page as XML: every element closed, every
// entity known.
func requireWellFormed(t *testing.T, page string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	assert.Zero(t, depth)
}

func TestReportCatalog(t *testing.T) {
	b := catalog.NewBuilder()
	seen := map[string]bool{}
	for _, m := range reportMessages {
		assert.False(t, seen[m[0]], "%q listed twice", m[0])
		seen[m[0]] = true
		require.NoError(t, b.SetString(language.English, m[0], m[0]), m[0])
		require.NoError(t, b.SetString(language.SimplifiedChinese, m[0], m[1]), m[1])
		// Both texts take the same arguments.
		verbs := regexp.MustCompile(`%(\[\d\])?[sd]`)
		assert.Len(t, verbs.FindAllString(m[1], -1), len(verbs.FindAllString(m[0], -1)), m[0])
	}
	p, tag := reportPrinter(language.MustParse("zh-TW"))
	assert.Equal(t, language.SimplifiedChinese, tag, "Chinese in any script reads the Simplified labels")
	assert.Equal(t, "净销售额", p.Sprintf("Net sales"))
	p, tag = reportPrinter(language.French)
	assert.Equal(t, language.English, tag)
	assert.Equal(t, "Net sales", p.Sprintf("Net sales"))
	// Every label the views use is in the catalog.
	for _, m := range shopMetrics {
		assert.True(t, seen[m.label], m.label)
	}
}

// Issue 21: a store's or staff member's row dates its history from its
// own first purchase, not the shop's: m1 bought at S1 in January and at
// S2 first in March, and S2's history starts in February (m3's p3).
func TestReportRowsDateTheirOwnHistory(t *testing.T) {
	r, err := BuildReport(reportShop(), reportOptions())
	require.NoError(t, err)
	want := map[string]time.Time{
		"S1": utc("2026-01-15T10:00:00Z"), "S2": utc("2026-02-20T10:00:00Z"),
		"amy": utc("2026-01-15T10:00:00Z"), "bob": utc("2026-02-20T10:00:00Z"),
	}
	rows := append(append([]ReportRow{}, r.Stores...), r.Staff...)
	require.Len(t, rows, 4)
	for _, row := range rows {
		assert.Equal(t, want[row.Key], row.Current.Activity.HistoryFrom, row.Key)
		assert.Equal(t, want[row.Key], row.Previous.Activity.HistoryFrom, row.Key)
	}
	assert.Equal(t, utc("2026-01-15T10:00:00Z"), r.Shop.Current.Activity.HistoryFrom)
}
