package main

import (
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// receiptText holds the receipt's wording in English (the keys) and
// Simplified Chinese. It is a catalog of its own, so the demo changes no
// package-level default of x/text.
var receiptText = []struct{ en, zh string }{
	{"Receipt %s", "小票 %s"},
	{"Store %s  Staff %s  %s", "门店 %s  店员 %s  %s"},
	{"Total", "合计"},
	{"Order discount", "整单优惠"},
	{"Paid with points", "积分抵现"},
	{"Points earned: %d", "本单积分: %d"},
	{"  line %d %-12s %5d", "  第%d行 %-12s %5d"},
	{"  %-32s %5d", "  %-32s %5d"},
	{"Points pending until %s", "积分将于 %s 到账"},
	{"Points expire %s", "积分有效期至 %s"},
	{"Balance: %d available, %d pending", "积分余额: 可用 %d, 待生效 %d"},
	{"Tier: %s", "会员等级: %s"},
	{"Upgraded to %s!", "恭喜升级为 %s!"},
	{"base rate", "基础积分"},
	{"multiplier", "倍数加赠"},
	{"product bonus", "商品奖励"},
	{"order bonus", "订单奖励"},
	{"tier bonus", "等级加赠"},
	{"event bonus", "活动奖励"},
	{"Thank you for shopping with us", "感谢惠顾"},
}

var receiptCatalog = func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, m := range receiptText {
		_ = b.SetString(language.English, m.en, m.en)
		_ = b.SetString(language.SimplifiedChinese, m.en, m.zh)
	}
	return b
}()

// newPrinter returns a printer for the receipt language.
func newPrinter(lang language.Tag) *message.Printer {
	return message.NewPrinter(lang, message.Catalog(receiptCatalog))
}
