package receipt

import (
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// messages holds the receipt's wording: English (the keys) and Simplified
// Chinese.
var messages = []struct{ en, zh string }{
	{"Receipt %s", "小票 %s"},
	{"Store %s  Staff %s  %s", "门店 %s  店员 %s  %s"},
	{"Subtotal", "小计"},
	{"You saved", "共优惠"},
	{"Total", "合计"},
	{"Discount", "优惠"},
	{"Order discount", "整单优惠"},
	{"Member price", "会员价"},
	{"Tier discount (%s)", "会员折扣 (%s)"},
	{"Coupon %s", "优惠券 %s"},
	{"Coupon %s not applied: %s", "优惠券 %s 未使用: %s"},
	{"Paid with points", "积分抵现"},
	{"%d points", "%d 积分"},
	{"Paid by %s", "支付方式 %s"},
	{"of which bonus", "其中赠送金额"},
	{"Card balance", "储值余额"},
	{"bonus %s", "含赠送 %s"},
	{"Points earned: %d", "本单积分: %d"},
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
	// Why a coupon did not apply (pricing.Reason).
	{"spend %s more", "还差 %s"},
	{"no item qualifies", "无适用商品"},
	{"not on this channel", "本渠道不可用"},
	{"not in this store", "本店不可用"},
	{"not valid yet", "尚未生效"},
	{"expired", "已过期"},
	{"not valid today", "今日不可用"},
	{"members only", "仅限会员"},
	{"not for this tier", "会员等级不符"},
	{"cannot be combined", "不可叠加使用"},
	{"cannot be combined with %s", "不可与 %s 同时使用"},
	{"one coupon per order", "每单限用一张"},
	{"nothing to take off", "无可优惠金额"},
	{"presented twice", "重复使用"},
	{"fully used", "已用完"},
	{"already used", "已达使用次数"},
	{"issued to another member", "非本人优惠券"},
	{"unknown code", "券码无效"},
	{"withdrawn", "已作废"},
}

var receiptCatalog = func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, m := range messages {
		_ = b.SetString(language.English, m.en, m.en)
		_ = b.SetString(language.SimplifiedChinese, m.en, m.zh)
	}
	return b
}()

func printer(lang language.Tag) *message.Printer {
	return message.NewPrinter(lang, message.Catalog(receiptCatalog))
}
