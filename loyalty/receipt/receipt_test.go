package receipt_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/clientele-go/clientele/loyalty/receipt"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
	"golang.org/x/text/width"
)

var shanghai = time.FixedZone("CST", 8*3600)

// priced is a member's basket on member day with a tea promotion, a
// coupon that applied and one that fell short.
func priced(t testing.TB) (customer.Purchase, *pricing.Result) {
	rules := pricing.Rules{Currency: "CNY", Promotions: []pricing.Offer{
		{ID: "tea-95", Name: "Tea 5% off", Kind: pricing.KindPercentOff, Percent: decimal.NewFromInt(5), Scope: pricing.Scope{Categories: []string{"tea"}}},
	}}
	e, err := pricing.NewEngine(rules, shanghai)
	require.NoError(t, err)
	res, err := e.Price(pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore,
		Time:   time.Date(2026, 3, 8, 10, 0, 0, 0, shanghai),
		Member: &pricing.Member{ID: "C0001", Tier: "silver"},
		Items: []pricing.Item{
			{SKU: "TEA-LJ-250", Name: "龙井 250g", Category: "tea", Quantity: decimal.NewFromInt(2), UnitPrice: decimal.RequireFromString("168.00")},
			{SKU: "CUP-GL-01", Name: "Glass cup", Category: "teaware", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.RequireFromString("45.00")},
		},
		Coupons: []pricing.Coupon{
			{Ref: "****NG20", Offer: pricing.Offer{ID: "spring", Name: "20 off 300", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(300)}},
			{Ref: "****7K2Q", Offer: pricing.Offer{ID: "big", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(50), MinSpend: decimal.NewFromInt(500)}},
		},
	})
	require.NoError(t, err)
	return res.Purchase("SH01-L1-000101", "S-07"), &res
}

func render(t testing.TB, lang language.Tag) string {
	pu, res := priced(t)
	var b bytes.Buffer
	q := loyalty.Quote{Total: 344, Rules: []loyalty.RuleQuote{{RuleID: "base", Kind: loyalty.KindBase}}}
	err := receipt.Render(&b, receipt.Receipt{Purchase: pu, Pricing: res, Earned: &q,
		Payments: []receipt.Payment{{Method: "WeChat Pay", Amount: pu.Total()}},
		Balance:  &loyalty.BalanceView{Available: 100, Pending: 344, Tier: "silver"}},
		&receipt.Options{Lang: lang, Location: shanghai})
	require.NoError(t, err)
	return b.String()
}

func TestEnglish(t *testing.T) {
	got := render(t, language.English)
	for _, want := range []string{
		"Receipt SH01-L1-000101",
		"  Tea 5% off", "-16.80",
		"Coupon ****NG20 20 off 300",
		"Total                           344.20 CNY",
		"Coupon ****7K2Q not applied: spend 155.80 more",
		"Points earned: 344",
		"Balance: 100 available, 344 pending",
	} {
		assert.Contains(t, got, want)
	}
}

func TestChinese(t *testing.T) {
	got := render(t, language.MustParse("zh-CN"))
	for _, want := range []string{"小票 SH01-L1-000101", "优惠券 ****7K2Q 未使用: 还差 155.80", "合计", "共优惠", "本单积分: 344", "感谢惠顾"} {
		assert.Contains(t, got, want)
	}
}

// Item lines end in the same column whatever script their names are in:
// 龙井 takes four columns, not two (runes) or six (bytes).
func TestColumnsLineUpByDisplayWidth(t *testing.T) {
	for _, lang := range []language.Tag{language.English, language.SimplifiedChinese} {
		for _, l := range strings.Split(strings.TrimSpace(render(t, lang)), "\n") {
			if strings.Contains(l, " × ") || strings.HasPrefix(l, "  ") && strings.Contains(l, "-") {
				assert.Equal(t, 42, cells(l), "%q", l)
			}
		}
	}
}

// cells counts a line's columns as a printer does: two for wide
// characters, none for combining marks and control characters.
func cells(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) || unicode.IsControl(r) {
			continue
		}
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func TestWithoutPricingShowsTheLineDiscount(t *testing.T) {
	pu, _ := priced(t)
	var b bytes.Buffer
	require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: pu}, nil))
	assert.Contains(t, b.String(), "  Discount")
	assert.NotContains(t, b.String(), "Points earned")
}

func TestBadCurrencyIsAnError(t *testing.T) {
	err := receipt.Render(&bytes.Buffer{}, receipt.Receipt{Purchase: customer.Purchase{Currency: "??"}}, nil)
	require.Error(t, err)
}

func ExampleRender() {
	pu, res := priced(nil)
	_ = receipt.Render(os.Stdout, receipt.Receipt{Purchase: pu, Pricing: res}, &receipt.Options{Lang: language.SimplifiedChinese, Location: shanghai})
	// Output:
	// ------------------------------------------
	// 小票 SH01-L1-000101
	// 门店 SH-01  店员 S-07  2026-03-08 10:00
	// 龙井 250g            2 × 168.00     336.00
	//   Tea 5% off                        -16.80
	//   优惠券 ****NG20 20 off 300        -17.53
	// Glass cup             1 × 45.00      45.00
	//   优惠券 ****NG20 20 off 300         -2.47
	// 小计                                381.00
	// 共优惠                               36.80
	// 合计                            344.20 CNY
	// 优惠券 ****7K2Q 未使用: 还差 155.80
	// 感谢惠顾
}

func TestCouponThatCannotBeCombinedSaysWithWhat(t *testing.T) {
	e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY"}, shanghai)
	require.NoError(t, err)
	one := pricing.Offer{ID: "one", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(5), Stacking: pricing.StackNoOtherCoupons}
	two := pricing.Offer{ID: "two", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(5)}
	res, err := e.Price(pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: time.Date(2026, 3, 9, 10, 0, 0, 0, shanghai),
		Items:   []pricing.Item{{SKU: "T", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(50)}},
		Coupons: []pricing.Coupon{{Ref: "****AAAA", Offer: one}, {Ref: "****BBBB", Offer: two}}})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: res.Purchase("P", "S"), Pricing: &res}, &receipt.Options{Lang: language.SimplifiedChinese}))
	assert.Contains(t, b.String(), "优惠券 ****BBBB 未使用: 不可与 优惠券 ****AAAA 同时使用")
}

// An exclusive promotion that shut a coupon out is named as the shop
// names it, not by its ID.
func TestCouponShutOutByAPromotionNamesIt(t *testing.T) {
	e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY", Promotions: []pricing.Offer{
		{ID: "p-300-50", Name: "满300减50", Kind: pricing.KindSpendSave, Threshold: decimal.NewFromInt(300), Amount: decimal.NewFromInt(50), Stacking: pricing.StackExclusive},
	}}, shanghai)
	require.NoError(t, err)
	res, err := e.Price(pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: time.Date(2026, 3, 9, 10, 0, 0, 0, shanghai),
		Items:   []pricing.Item{{SKU: "T", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(400)}},
		Coupons: []pricing.Coupon{{Ref: "****AAAA", Offer: pricing.Offer{ID: "c5", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(5)}}}})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: res.Purchase("P", "S"), Pricing: &res}, nil))
	assert.Contains(t, b.String(), "Coupon ****AAAA not applied: cannot be combined with 满300减50")
	assert.NotContains(t, b.String(), "p-300-50")
}

// Two codes of one definition carry the same offer; each line's share is
// printed under the code that gave it.
func TestTwoCodesOfOneDefinitionAreToldApart(t *testing.T) {
	e, err := pricing.NewEngine(pricing.Rules{Currency: "CNY"}, shanghai)
	require.NoError(t, err)
	tea := pricing.Offer{ID: "tea-10", Name: "10 off tea", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(10), Scope: pricing.Scope{Categories: []string{"tea"}}}
	res, err := e.Price(pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: time.Date(2026, 3, 9, 10, 0, 0, 0, shanghai),
		Items:   []pricing.Item{{SKU: "T", Name: "Tea", Category: "tea", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(100)}},
		Coupons: []pricing.Coupon{{Ref: "****AAAA", Offer: tea}, {Ref: "****BBBB", Offer: tea}}})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: res.Purchase("P", "S"), Pricing: &res}, nil))
	assert.Contains(t, b.String(), "  Coupon ****AAAA 10 off tea")
	assert.Contains(t, b.String(), "  Coupon ****BBBB 10 off tea")
}

// Item lines fit the paper whatever the name, the quantity (goods sold by
// weight have six decimals) or the amount: the figures end in the last
// column and are never cut, and no line is wider than the paper.
func TestItemLinesFitThePaper(t *testing.T) {
	pu := customer.Purchase{ID: "P", Store: "S", Currency: "CNY", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, l := range []struct{ name, qty, price string }{
		{"西湖龙井明前特级250克礼盒装", "0.123456", "12345.67"},
		{"x", "1000", "99999.99"},
		{"Glass cup", "2", "45.00"},
		{"A very long English product name that goes on", "123456.123456", "123456789.12"},
	} {
		q, u := decimal.RequireFromString(l.qty), decimal.RequireFromString(l.price)
		pu.Lines = append(pu.Lines, customer.Line{SKU: "S", Name: l.name, Quantity: q, UnitPrice: u, Total: q.Mul(u).Round(2)})
	}
	for _, w := range []int{32, 42, 48, 64} {
		var b bytes.Buffer
		require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: pu}, &receipt.Options{Width: w}))
		out := b.String()
		for _, l := range pu.Lines {
			assert.Contains(t, out, l.Quantity.String()+" × "+l.UnitPrice.StringFixed(2), "width %d", w)
			assert.Contains(t, out, l.Quantity.Mul(l.UnitPrice).Round(2).StringFixed(2), "width %d", w)
		}
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if strings.HasPrefix(line, "Store ") {
				continue // the header's IDs are as long as the shop makes them
			}
			assert.LessOrEqual(t, cells(line), w, "width %d: %q", w, line)
			if strings.Contains(line, " × ") && !strings.HasSuffix(line, " ") {
				assert.Equal(t, w, cells(line), "width %d: the amount ends in the last column: %q", w, line)
			}
		}
	}
}

// A stored-value payment shows the bonus it spent and what is left on
// the card, in both languages.
func TestStoredValuePaymentShowsBonusAndBalance(t *testing.T) {
	pu, res := priced(t)
	sv := &storedvalue.PayResult{Spent: storedvalue.Money{Paid: decimal.RequireFromString("300.00"), Bonus: decimal.RequireFromString("44.20")},
		Balance: storedvalue.Money{Paid: decimal.RequireFromString("609.09"), Bonus: decimal.RequireFromString("40.91")}}
	for lang, want := range map[string][]string{
		"en":    {"Paid by stored value", "344.20", "  of which bonus", "44.20", "  Card balance", "650.00 (bonus 40.91)"},
		"zh-CN": {"支付方式 储值卡", "  其中赠送金额", "  储值余额", "650.00 (含赠送 40.91)"},
	} {
		var b bytes.Buffer
		method := map[string]string{"en": "stored value", "zh-CN": "储值卡"}[lang]
		require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: pu, Pricing: res,
			Payments: []receipt.Payment{{Method: method, Amount: pu.Total(), StoredValue: sv}}}, &receipt.Options{Lang: language.MustParse(lang)}))
		for _, w := range want {
			assert.Contains(t, b.String(), w, lang)
		}
		for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			if strings.HasPrefix(l, "  ") {
				assert.Equal(t, 42, cells(l), "%q", l)
			}
		}
	}
}

// Whatever the names, quantities, prices and paper width, Render prints
// every figure whole and no item line wider than the paper.
func FuzzRender(f *testing.F) {
	f.Add("龙井 250g", "2", "168.00", 42, true)
	f.Add("A very long English product name", "0.123456", "99999.99", 32, false)
	f.Add("\u0301\u200b\t", "1000000", "0.01", 0, true)
	f.Fuzz(func(t *testing.T, name, qty, price string, width int, zh bool) {
		q, err := decimal.NewFromString(qty)
		if err != nil || !q.IsPositive() || q.Exponent() < -6 || q.GreaterThan(decimal.NewFromInt(1_000_000)) {
			return
		}
		u, err := decimal.NewFromString(price)
		if err != nil || u.IsNegative() || u.Exponent() < -2 || u.GreaterThan(decimal.NewFromInt(1_000_000_000)) {
			return
		}
		width = (width%100+100)%100 + 1 // 1 to 100; Render widens a narrow paper to 32
		pu := customer.Purchase{ID: "P", Store: "S", Currency: "CNY", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Lines: []customer.Line{{SKU: "S", Name: name, Quantity: q, UnitPrice: u, Total: q.Mul(u).Round(2)}}}
		lang := language.English
		if zh {
			lang = language.SimplifiedChinese
		}
		var b bytes.Buffer
		require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: pu}, &receipt.Options{Width: width, Lang: lang}))
		out := b.String()
		require.False(t, strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }), "a control character reached the paper: %q", out)
		require.Contains(t, out, q.String()+" × "+u.StringFixed(2))
		require.Contains(t, out, q.Mul(u).Round(2).StringFixed(2))
		paper := max(width, 32)
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if strings.Contains(l, " × ") {
				require.LessOrEqual(t, cells(l), paper, "%q", l)
			}
		}
	})
}

// A product name carrying printer commands (DLE DC4: open the cash
// drawer; ESC i: cut) prints as its text only.
func TestControlCharactersNeverReachThePaper(t *testing.T) {
	pu := customer.Purchase{ID: "P\x1b", Store: "S", Staff: "\x07", Currency: "CNY", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Lines: []customer.Line{{SKU: "S", Name: "Tea\x10\x14\x01\x00\x1bi", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(5), Total: decimal.NewFromInt(5)}}}
	var b bytes.Buffer
	require.NoError(t, receipt.Render(&b, receipt.Receipt{Purchase: pu, Payments: []receipt.Payment{{Method: "cash\r", Amount: decimal.NewFromInt(5)}}}, nil))
	assert.False(t, strings.ContainsFunc(b.String(), func(r rune) bool { return r != '\n' && unicode.IsControl(r) }), "%q", b.String())
	assert.Contains(t, b.String(), "Teai ")
}
