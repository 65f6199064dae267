package metrics

import (
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The report's labels live in a catalog of this package's own, built with
// catalog.NewBuilder; x/text's package-level default catalog is left alone
// so a host's messages never mix with ours. Keys are the English text.

// reportLanguages are the languages the report speaks, the first the
// fallback.
var reportLanguages = []language.Tag{language.English, language.SimplifiedChinese}

// reportMessages pairs each key with its Simplified Chinese text.
var reportMessages = [][2]string{
	{"Customer report", "客户报告"},
	{"Period %s to %s, compared with %s to %s", "报告期 %s 至 %s，对比期 %s 至 %s"},
	{"Shop", "全店"},
	{"Stores", "门店"},
	{"Staff", "员工"},
	{"Store", "门店"},
	{"Staff member", "员工"},
	{"Metric", "指标"},
	{"Current", "本期"},
	{"Previous", "上期"},
	{"Change", "变化"},
	{"95%% CI", "95%% 置信区间"},
	{"minor-unit, half away from zero", "最小货币单位，四舍五入（半数远离零）"},
	{"(entry)", "（入门级）"},
	{"n", "样本数"},
	{"Parameters", "参数"},
	{"Net sales", "净销售额"},
	{"Orders", "订单数"},
	{"Active customers", "活跃顾客"},
	{"New customers", "新顾客"},
	{"Repeat purchase rate", "复购率"},
	{"Retention rate", "留存率"},
	{"NPS", "净推荐值 NPS"},
	{"CSAT", "满意度 CSAT"},
	{"CES", "费力度 CES"},
	{"Complaints", "投诉数"},
	{"SLA compliance", "SLA 达标率"},
	{"Median first response", "首次响应时间中位数"},
	{"Median resolution", "解决时间中位数"},
	{"Reopen rate", "重开率"},
	{"Remedy cost", "补救成本"},
	{"Points issued", "发放积分"},
	{"Points redeemed", "兑换积分"},
	{"Points expired", "过期积分"},
	{"Outstanding points", "未兑换积分"},
	{"Points liability", "积分负债"},
	{"Cohort retention", "同期群留存"},
	{"NPS trend", "NPS 趋势"},
	{"Tier distribution", "会员等级分布"},
	{"Tier migration", "会员等级迁移"},
	{"Cohort", "同期群"},
	{"Tier", "等级"},
	{"Members", "会员数"},
	{"Joined", "新加入"},
	{"Left", "已离开"},
	{"Upgraded %d, downgraded %d, stayed %d", "升级 %d，降级 %d，保持 %d"},
	{"%s h", "%s 小时"},
	{"n/a", "无"},
	{"Retention: period-over-period, of the customers who bought in the window just before, the share who bought again", "留存：环比口径，上一等长周期内购买过的顾客中本期再次购买的比例"},
	{"Active and new customers: members with a purchase in the window; new means first purchase ever", "活跃与新顾客：本期有购买的会员；新顾客指首次购买在本期"},
	{"Net sales: purchases in the window less refunds made before its end; money %s", "净销售额：本期购买减去期末前的退款；金额 %s"},
	{"NPS: promoters 9-10 minus detractors 0-6, interval adjusted Wald (Rocks 2016)", "NPS：推荐者（9–10）减贬损者（0–6），区间为调整 Wald 法（Rocks 2016）"},
	{"CSAT: share of answers %d or above on a 1-%d scale, Wilson interval", "CSAT：1–%[2]d 分中 %[1]d 分及以上的比例，Wilson 区间"},
	{"Rates carry 95%% Wilson score intervals; n is the sample size", "比率附 95%% Wilson 置信区间；样本数为计算所用的样本量"},
	{"Handling times: median and p90 (%s), in %s time", "处理时长：中位数与 90 分位（%s），按%s时间计"},
	{"business", "工作"},
	{"wall", "自然"},
	{"mixed business and wall", "工作与自然混合"},
	{"Points for stores and staff: only entries linked to their purchases", "门店与员工积分：仅计与其订单关联的积分记录"},
	{"Liability: outstanding points × value per point %s × redemption rate %s (%s); rounded %s", "积分负债：未兑换积分 × 每分价值 %s × 预计兑换率 %s（%s）；舍入规则 %s"},
	{"Breakage: expired / (expired + redeemed) before the date = %d / %d", "预计过期率：截至当日 过期 /（过期 + 兑换）= %d / %d"},
	{"rate given", "给定"},
	{"rate estimated as 1 - breakage", "按 1 − 预计过期率估计"},
	{"no history: all points assumed redeemed", "无历史：假定全部兑换"},
	{"Cohorts by first-purchase %s, time zone %s", "按首购%s分组，时区 %s"},
	{"month", "月"},
	{"week", "周"},
	{"day", "日"},
	{"Periods after the first purchase", "首购后的周期"},
	{"Stored value", "储值"},
	{"Topped up, paid", "充值（实收）"},
	{"Topped up, bonus", "充值赠送"},
	{"Spent, paid", "消费（实收部分）"},
	{"Spent, bonus", "消费（赠送部分）"},
	{"Refunded to balances", "退回余额"},
	{"Cashed out", "提现"},
	{"Bonus expired or forfeited", "赠送金过期或作废"},
	{"Liability, paid (deferred revenue)", "储值负债（实收，递延收入）"},
	{"Liability, bonus", "储值负债（赠送）"},
	{"Expected bonus breakage", "预计赠送金沉淀"},
	{"Stored value: liability at the window's end, paid part deferred revenue, bonus shown apart; bonus breakage %s = lapsed / settled bonus before the end (%d of %d minor units)", "储值：负债按期末计，实收部分为递延收入，赠送部分单列；赠送金沉淀率 %s = 期末前已失效 / 已结清的赠送金（%d / %d 最小货币单位）"},
	{"Campaigns", "营销活动"},
	{"Campaign", "活动"},
	{"Treated", "实验组"},
	{"Control", "对照组"},
	{"Reach", "触达"},
	{"Redemption rate", "核销率"},
	{"Revenue per member, treated", "实验组人均收入"},
	{"Revenue per member, control", "对照组人均收入"},
	{"Uplift per member", "人均提升"},
	{"Incremental revenue", "增量收入"},
	{"Cost", "成本"},
	{"no control group", "无对照组"},
	{"no treated members", "无实验组会员"},
	{"Campaign uplift: revenue per member, treated less control, with 95%% CI", "活动效果：人均收入（实验组减对照组）及 95%% 置信区间"},
	{"Paid membership", "付费会员"},
	{"Fees received", "会费收入"},
	{"Fees refunded", "会费退款"},
	{"Revenue recognised", "确认收入"},
	{"Deferred revenue at the start", "期初递延收入"},
	{"Deferred revenue at the end", "期末递延收入"},
	{"Active paid members at the end", "期末有效付费会员"},
	{"Cards sold", "售出会员卡"},
	{"Renewals", "续费"},
	{"Refunds", "退款"},
	{"Paid membership: deferred revenue from the start of the period to its end", "付费会员：递延收入由期初到期末的变动"},
}

var reportCatalog = sync.OnceValue(func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, m := range reportMessages {
		// SetString only fails on a malformed message, which the table
		// test catches; the printer then falls back to the key.
		_ = b.SetString(language.English, m[0], m[0])
		_ = b.SetString(language.SimplifiedChinese, m[0], m[1])
	}
	return b
})

// reportPrinter returns a printer for the supported language closest to
// tag, and that language.
func reportPrinter(tag language.Tag) (*message.Printer, language.Tag) {
	_, i, _ := language.NewMatcher(reportLanguages).Match(tag)
	t := reportLanguages[i]
	return message.NewPrinter(t, message.Catalog(reportCatalog())), t
}
