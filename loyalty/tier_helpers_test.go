package loyalty

import "github.com/shopspring/decimal"

// testLadder: regular → silver (2000 CNY or 10 purchases) → gold (5000 CNY
// or 20 purchases, ×1.5), calendar-year window, yearly one-step review.
func testLadder() TierLadder {
	return TierLadder{
		Levels: []Tier{
			{Code: "regular", Names: map[string]string{"en": "Regular", "zh-Hans": "普通"}},
			{Code: "silver", Names: map[string]string{"en": "Silver", "zh-Hans": "银卡"},
				Qualify: Qualification{Spend: decimal.NewFromInt(2000), Purchases: 10}},
			{Code: "gold", Names: map[string]string{"en": "Gold", "zh-Hans": "金卡"},
				Qualify:  Qualification{Spend: decimal.NewFromInt(5000), Purchases: 20},
				Benefits: Benefits{EarnMultiplier: decimal.RequireFromString("1.5"), DiscountPercent: decimal.NewFromInt(5)}},
		},
		Window: QualWindow{Kind: WindowCalendarYear},
		Review: TierReview{Schedule: ReviewYearly, Downgrade: DowngradeOneStep},
	}
}
