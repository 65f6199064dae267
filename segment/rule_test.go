package segment_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func compile(t *testing.T, n segment.Node) *segment.Matcher {
	t.Helper()
	m, err := segment.Rule{Version: 1, Root: n}.Compile(asOf, nil)
	require.NoError(t, err)
	return m
}

// TestLeavesHandChecked evaluates every leaf on Ann's hand-built facts
// (see handShop): purchases 200, 20 and 3 days before asOf, a 30.00
// refund a day before, gold tier with 300 points expiring in 10 days.
func TestLeavesHandChecked(t *testing.T) {
	fs, all := handFactsAndSlice(t)
	_, err := segment.ScoreFacts(all, asOf, nil)
	require.NoError(t, err)
	ann, bob := fs["ann"], fs["bob"]
	tests := []struct {
		name string
		node segment.Node
		f    *segment.Facts
		want bool
	}{
		{"gender", segment.Gender{In: []customer.Gender{customer.GenderFemale}}, ann, true},
		{"gender other", segment.Gender{In: []customer.Gender{customer.GenderMale}}, ann, false},
		{"age in range", segment.Age{Min: 30, Max: 40}, ann, true},
		{"age 35+", segment.Age{Min: 35}, ann, false}, // 34 until 10 January
		{"age unknown", segment.Age{Min: 1}, bob, false},
		{"city ignores case", segment.City{In: []string{"shanghai"}}, ann, true},
		{"tags any", segment.Tags{Any: []string{"vip", "staff"}}, ann, true},
		{"tags none", segment.Tags{None: []string{"vip"}}, ann, false},
		{"tags all", segment.Tags{All: []string{"vip", "staff"}}, ann, false},
		{"tier", segment.Tier{In: []string{"gold"}}, ann, true},
		{"member 365 days", segment.MemberSince{MinDays: 365}, ann, true},
		{"member at most 365", segment.MemberSince{MaxDays: 365}, ann, false},
		{"birthday in 9 days", segment.BirthdayWithin{Days: 9}, ann, true},
		{"birthday in 8 days", segment.BirthdayWithin{Days: 8}, ann, false},
		{"birthday this month", segment.BirthdayMonth{}, ann, true},
		{"birthday next month", segment.BirthdayMonth{Offset: 1}, ann, false},
		{"spent 150 in 30 days", segment.Spent{Min: dec("150"), Days: 30}, ann, true},
		{"spent 150.01 in 30 days", segment.Spent{Min: dec("150.01"), Days: 30}, ann, false},
		{"spent at most 300 ever", segment.Spent{Min: dec("0"), Max: ptr(dec("300"))}, ann, true},
		{"2 purchases in 30 days", segment.Purchases{Min: 2, Days: 30}, ann, true},
		{"3 purchases in 30 days", segment.Purchases{Min: 3, Days: 30}, ann, false},
		{"3 purchases ever", segment.Purchases{Min: 3}, ann, true},
		{"at most 0 purchases", segment.Purchases{Max: ptr(int64(0))}, fs["cy"], true},
		{"bought toys in 30 days", segment.Bought{Category: "toys", Days: 30}, ann, true},
		{"bought toys in 10 days", segment.Bought{Category: "toys", Days: 10}, ann, false},
		{"bought brand acme", segment.Bought{Brand: "acme"}, ann, true},
		{"bought sku k2 in 100 days", segment.Bought{SKU: "k2", Days: 100}, ann, false},
		{"bought sku k2 ever", segment.Bought{SKU: "k2"}, ann, true},
		{"last purchase within 7 days", segment.LastPurchase{WithinDays: 7}, ann, true},
		{"last purchase over 2 days ago", segment.LastPurchase{OlderThanDays: 2}, ann, false},
		{"last purchase before 2024-12-30", segment.LastPurchase{Before: time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC)}, ann, true},
		{"last purchase after 2024-12-30", segment.LastPurchase{After: time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC)}, ann, false},
		{"never bought", segment.LastPurchase{WithinDays: 1000}, fs["cy"], false},
		{"in-store share 60%", segment.ChannelShare{Channel: "in-store", MinPercent: 60}, ann, true},
		{"in-store share 67%", segment.ChannelShare{Channel: "in-store", MinPercent: 67}, ann, false},
		{"in-store share 30 days at most 50%", segment.ChannelShare{Channel: "in-store", MaxPercent: 50, Days: 30}, ann, true},
		{"store S1 half", segment.StoreShare{Store: "S1", MinPercent: 50}, ann, true},
		{"points 1000+", segment.Points{Min: 1000}, ann, true},
		{"points not member", segment.Points{Min: 0}, bob, false},
		{"300 expiring in 30 days", segment.PointsExpiring{Min: 300, Days: 30}, ann, true},
		{"301 expiring in 30 days", segment.PointsExpiring{Min: 301, Days: 30}, ann, false},
		{"500 expiring in 45 days", segment.PointsExpiring{Min: 500, Days: 45}, ann, true},
		{"lifecycle repeat", segment.Lifecycle{In: []segment.Stage{segment.StageRepeat}}, ann, true},
		{"lifecycle prospect", segment.Lifecycle{In: []segment.Stage{segment.StageProspect}}, fs["cy"], true},
		{"nps detractor", segment.NPS{In: []segment.NPSGroup{segment.NPSDetractor}}, bob, true},
		{"nps none", segment.NPS{In: []segment.NPSGroup{segment.NPSPromoter}}, ann, false},
		{"rfm segment", segment.RFMSegment{In: []string{ann.RFM.Segment}}, ann, true},
		{"rfm segment unscored", segment.RFMSegment{In: []string{ann.RFM.Segment}}, fs["cy"], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := compile(t, tt.node)
			assert.Equal(t, tt.want, m.Match(tt.f), m.Explain(tt.f).String())
			assert.Equal(t, tt.want, m.Explain(tt.f).Matched, "explain agrees with match")
		})
	}
}

func TestSKULeafNeedsTracking(t *testing.T) {
	c, p, r := handShop()
	fs, _, err := segment.BuildFacts(c, p, r, asOf, &segment.FactsOptions{SkipSKUs: true})
	require.NoError(t, err)
	m := compile(t, segment.Bought{SKU: "k1"})
	assert.False(t, m.Match(&fs[0]))
	assert.Contains(t, m.Explain(&fs[0]).String(), "SKUs not tracked")
}

func TestExplain(t *testing.T) {
	fs := handFacts(t)
	m := compile(t, segment.AllOf(
		segment.Spent{Min: dec("100"), Days: 30},
		segment.AnyOf(segment.Tier{In: []string{"gold"}}, segment.Tags{Any: []string{"staff"}}),
		segment.NotOf(segment.Lifecycle{In: []segment.Stage{segment.StageLapsed}}),
	))
	x := m.Explain(fs["ann"])
	assert.True(t, x.Matched)
	assert.Equal(t, `[x] all of
  [x] spent >= 100.00 in the last 30 days: spent 150.00
  [x] any of
    [x] tier in [gold]: tier gold
    [ ] tags any of [staff]: tags [vip]
  [x] not
    [ ] lifecycle stage in [lapsed]: stage repeat`, x.String())
	assert.False(t, m.Match(fs["bob"]))
	assert.Contains(t, m.Explain(fs["bob"]).String(), "[ ] spent >= 100.00 in the last 30 days: spent 0.00")
}

const fullRule = `{"version":1,"name":"everything","rule":{"and":[
 {"gender":{"in":["female",""]}},
 {"age":{"min":18,"max":65}},
 {"city":{"in":["Shanghai"]}},
 {"tags":{"any":["vip"],"none":["staff"]}},
 {"tier":{"in":["gold","silver"]}},
 {"memberSince":{"minDays":30}},
 {"birthdayWithin":{"days":7}},
 {"birthdayMonth":{"offset":1}},
 {"spent":{"min":"100","max":"5000","days":90}},
 {"purchases":{"min":2,"days":365}},
 {"bought":{"category":"shoes","days":180}},
 {"lastPurchase":{"before":"2025-01-01T00:00:00Z","withinDays":400,"olderThanDays":3}},
 {"channelShare":{"channel":"online","minPercent":50}},
 {"storeShare":{"store":"S1","maxPercent":20,"days":365}},
 {"or":[{"points":{"min":1000}},{"pointsExpiring":{"min":100,"days":30}}]},
 {"not":{"rfmSegment":{"in":["lost","hibernating"]}}},
 {"lifecycle":{"in":["active","repeat","loyal","won-back"]}},
 {"nps":{"in":["promoter","passive"]}}
]}}`

func TestRuleJSONRoundTrip(t *testing.T) {
	r, err := segment.ParseRule([]byte(fullRule))
	require.NoError(t, err)
	assert.Equal(t, "everything", r.Name)
	out, err := json.Marshal(r)
	require.NoError(t, err)
	r2, err := segment.ParseRule(out)
	require.NoError(t, err)
	out2, err := json.Marshal(r2)
	require.NoError(t, err)
	assert.JSONEq(t, string(out), string(out2))
	var compact strings.Builder
	for _, line := range strings.Split(fullRule, "\n") {
		compact.WriteString(strings.TrimSpace(line))
	}
	assert.JSONEq(t, compact.String(), string(out))
	_, err = r.Compile(asOf, nil)
	require.NoError(t, err)
	var viaUnmarshal segment.Rule
	require.NoError(t, json.Unmarshal([]byte(fullRule), &viaUnmarshal))
}

func TestParseRuleReportsEveryProblem(t *testing.T) {
	_, err := segment.ParseRule([]byte(`{"version":1,"rule":{"and":[
		{"spent":{"min":"10","dayz":3}},
		{"colour":{"in":["red"]}},
		{"gender":{"in":["female"]},"age":{"min":3}},
		{"not":{"tier":{"in":["gold"]}}}
	]}}`))
	require.Error(t, err)
	assert.True(t, errors.Is(err, segment.ErrInvalid))
	msg := err.Error()
	assert.Contains(t, msg, `rule.and[0].spent: json: unknown field "dayz"`)
	assert.Contains(t, msg, "rule.and[1].colour: unknown node")
	assert.Contains(t, msg, "rule.and[2]: want an object with exactly one key")
	assert.NotContains(t, msg, "and[3]")

	_, err = segment.ParseRule([]byte(`{"version":2,"rule":{"or":[
		{"age":{"min":50,"max":20}},
		{"bought":{"category":"a","brand":"b"}},
		{"channelShare":{"channel":"","minPercent":120}},
		{"lifecycle":{"in":["sleepy"]}},
		{"pointsExpiring":{"min":0}},
		{"and":[]}
	]}}`))
	require.Error(t, err)
	for _, want := range []string{
		"rule.version: is 2",
		"rule.or[0].age.max: is 20, below min 50",
		"rule.or[1].bought: needs exactly one of category, brand and sku, has 2",
		"rule.or[2].channelShare.channel: missing",
		"rule.or[2].channelShare.minPercent: is 120",
		`rule.or[3].lifecycle.in[0]: unknown stage "sleepy"`,
		"rule.or[4].pointsExpiring.min: is 0",
		"rule.or[4].pointsExpiring.days: missing",
		"rule.or[5].and: has no children",
	} {
		assert.Contains(t, err.Error(), want)
	}
	_, err = segment.ParseRule([]byte(`{"version":1,"rule":{"tier":{"in":["gold"]}},"extra":1}`))
	assert.ErrorIs(t, err, segment.ErrInvalid)
	_, err = segment.ParseRule([]byte(`{"version":1,"rule":{"tier":{"in":["gold"]}}} trailing`))
	assert.ErrorIs(t, err, segment.ErrInvalid)
	deep := strings.Repeat(`{"not":`, 40) + `{"tier":{"in":["gold"]}}` + strings.Repeat("}", 40)
	_, err = segment.ParseRule([]byte(`{"version":1,"rule":` + deep + `}`))
	assert.ErrorContains(t, err, "nested deeper than")
}

func TestCompileRejectsMoneyFinerThanScale(t *testing.T) {
	_, err := segment.Rule{Version: 1, Root: segment.Spent{Min: dec("1.005")}}.Compile(asOf, nil)
	assert.ErrorIs(t, err, segment.ErrInvalid)
	m, err := segment.Rule{Version: 1, Root: segment.Spent{Min: dec("1005")}}.Compile(asOf, &segment.EvalOptions{Currency: "JPY"})
	require.NoError(t, err)
	day := []segment.DayTotal{{Day: segment.DayOf(asOf, time.UTC) - 1, Purchases: 1, Spent: 1005}}
	yen := &segment.Facts{Scale: 0, Days: day}
	assert.True(t, m.Match(yen))
	cents := &segment.Facts{Scale: 2, Days: day}
	assert.False(t, m.Match(cents))
	assert.Contains(t, m.Explain(cents).String(), "facts use 2 decimals, the rule 0")
	_, err = segment.Rule{Version: 1}.Compile(asOf, nil)
	assert.ErrorContains(t, err, "rule: missing node")
}

func TestFilterAndDiff(t *testing.T) {
	_, all := handFactsAndSlice(t)
	recent := compile(t, segment.LastPurchase{WithinDays: 30})
	before, err := recent.Members(segment.All(all))
	require.NoError(t, err)
	assert.Equal(t, []string{"ann"}, before.IDs())
	later, err := segment.Rule{Version: 1, Root: segment.LastPurchase{WithinDays: 30}}.Compile(asOf.AddDate(0, 0, 20), nil)
	require.NoError(t, err)
	after, err := later.Members(segment.All(all))
	require.NoError(t, err)
	assert.Equal(t, []string{"ann"}, after.IDs(), "ann's last purchase was 3 days before")
	wide, err := segment.Rule{Version: 1, Root: segment.LastPurchase{WithinDays: 10}}.Compile(asOf.AddDate(0, 0, 20), nil)
	require.NoError(t, err)
	none, err := wide.Members(segment.All(all))
	require.NoError(t, err)
	ch := segment.Diff(before, none)
	assert.Equal(t, []string{"ann"}, ch.Left)
	assert.Empty(t, ch.Entered)

	boom := errors.New("boom")
	bad := func(yield func(*segment.Facts, error) bool) { yield(nil, boom) }
	_, err = recent.Members(bad)
	assert.ErrorIs(t, err, boom)
}

func TestDiff(t *testing.T) {
	a := segment.NewMembership([]string{"c", "a", "b", "a"})
	b := segment.NewMembership([]string{"b", "d", "e"})
	assert.Equal(t, 3, a.Len())
	assert.True(t, a.Has("c"))
	assert.False(t, a.Has("d"))
	ch := segment.Diff(a, b)
	assert.Equal(t, []string{"d", "e"}, ch.Entered)
	assert.Equal(t, []string{"a", "c"}, ch.Left)
	assert.Equal(t, 1, ch.Stayed)
	assert.Equal(t, segment.Changes{Stayed: 3}, segment.Diff(a, a))
}
