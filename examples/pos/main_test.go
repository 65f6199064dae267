package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func walk(t *testing.T, lang language.Tag) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, lang))
	return out.String()
}

func TestWalkThrough(t *testing.T) {
	got := walk(t, language.English)
	for _, want := range []string{
		"welcome bonus: 100 points",
		"second sign-up flagged: likely C0001 ([name+birthday])",
		"marketing by sms:     false",
		"marketing by wechat:  true",
		"Points earned: 883",
		"first-purchase (order bonus)",
		"lane 1 replayed SH01-L1-000101 after reconnecting: still 2 orders, 883 points for it",
		"1639 points released",
		"Paid with points        17.00 (1,700 points)",
		"  Longjing 5% off                     -16.80",
		"  Coupon ****EA20 满300减20           -20.00",
		"not applied: spend 102.00 more",
		"refund 159.60 CNY",
		"Upgraded to Silver!",
		"a second return of 2 more refused: true",
		"C0001: bday-50, valid 2027-02-25 to 2027-03-07",
		"CNY: gross 1121.20, refunded 159.60, net 961.60, average order 320.53",
		"hold-commit",
		"first response due Sat 21 Mar 13:30",
		"remedy goodwill-points of 300 points (granted true), handling rated 5/5",
		"complaint-resolved, due 2026-03-23): reached, logged as interaction",
		"NPS answer 9",
		"top-up 1000.00: credited 1000.00 paid + 100.00 bonus (rule pay1000), bonus good through 2028-03-01",
		"bill 300.00: balance 220.00 (200.00 paid + 20.00 bonus), bank card 80.00",
		"refund 55.00 to the balance: 50.00 paid + 5.00 bonus",
		"sold for 200.00, paid 75.50, balance 124.50",
		"a mistyped code is caught by its check character: true",
		"9 of 10 washes left",
		"stored-value liability end of March: 974.50 paid (deferred revenue) + 85.00 bonus",
	} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "13800138000", "the demo masks phone numbers")
	assert.Equal(t, got, walk(t, language.English), "the walk-through is deterministic")
}

func TestWalkThroughInChinese(t *testing.T) {
	got := walk(t, language.SimplifiedChinese)
	for _, want := range []string{"小票 SH01-L1-000101", "本单积分: 883", "基础积分", "恭喜升级为 银卡!", "积分抵现", "感谢惠顾", "优惠券 ****EA20 满300减20", "未使用: 还差 102.00"} {
		assert.Contains(t, got, want)
	}
}
