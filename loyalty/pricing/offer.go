package pricing

import (
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// Kind is what an offer takes off.
type Kind string

// Offer kinds.
const (
	// KindSpendSave is 满减: spend Threshold in the scope, save Amount;
	// with Repeat, save Amount for every full Threshold (每满), up to
	// MaxDiscount when set.
	KindSpendSave Kind = "spend-save"
	// KindAmountOff takes Amount off the scope (a cash coupon, 代金券),
	// never more than the scope costs.
	KindAmountOff Kind = "amount-off"
	// KindPercentOff takes Percent off the scope: 5 is 5% off (95折).
	KindPercentOff Kind = "percent-off"
	// KindNForPrice sells every N whole units of the scope for Amount,
	// grouping the dearest units first (任选N件M元).
	KindNForPrice Kind = "n-for-price"
	// KindBuyXGetY gives, for every Buy units of the scope, Get more at
	// Percent off (100, the default when zero, makes them free): units
	// are grouped dearest first, and the cheapest Get units of each group
	// of Buy+Get are discounted.
	KindBuyXGetY Kind = "buy-x-get-y"
	// KindMemberDay takes Percent off for members on the days of the
	// month in When.DaysOfMonth (会员日), in the engine's time zone.
	KindMemberDay Kind = "member-day"
)

// Stacking says which other offers an offer combines with.
type Stacking string

// Stacking rules. The empty value is StackCombinable.
const (
	// StackCombinable combines with every other offer.
	StackCombinable Stacking = "combinable"
	// StackExclusive applies only when no other promotion or coupon
	// applied before it, and stops every later one.
	StackExclusive Stacking = "exclusive"
	// StackNoOtherCoupons applies only when no other coupon applied
	// before it, and stops every later coupon; promotions still apply. On
	// a promotion it reads "not with coupons" (不与优惠券同享).
	StackNoOtherCoupons Stacking = "no-other-coupons"
)

// Scope selects the lines an offer applies to. A line is in scope when it
// matches any listed SKU, category or brand (every line when all three are
// empty) and matches no ExcludeSKUs entry and carries no ExcludeTags tag.
type Scope struct {
	SKUs        []string `json:"skus,omitempty"`
	Categories  []string `json:"categories,omitempty"`
	Brands      []string `json:"brands,omitempty"`
	ExcludeSKUs []string `json:"excludeSkus,omitempty"`
	ExcludeTags []string `json:"excludeTags,omitempty"` // "tobacco", "gift-card", ...
}

// When holds an offer's conditions on the sale itself. Empty lists allow
// everything.
type When struct {
	Channels []customer.SalesChannel `json:"channels,omitempty"`
	Stores   []string                `json:"stores,omitempty"`
	// From is the first instant the offer holds; Until the first instant
	// it no longer does. Zero: no limit.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// DaysOfMonth are the local days (1-31) the offer holds on; a day a
	// month lacks (31 in April) simply does not occur that month.
	DaysOfMonth []int `json:"daysOfMonth,omitempty"`
	// MembersOnly requires a member on the basket; Tiers, when given,
	// requires the member to hold one of them.
	MembersOnly bool     `json:"membersOnly,omitempty"`
	Tiers       []string `json:"tiers,omitempty"`
}

// Offer is a promotion or the offer behind a coupon. Amounts are in the
// rules' currency and exact in its minor unit; percentages have at most
// two decimals.
type Offer struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"` // what a receipt shows
	Kind Kind   `json:"kind"`

	Scope Scope `json:"scope,omitzero"`
	When  When  `json:"when,omitzero"`

	// MinSpend is the least the scope must cost, after earlier
	// discounts, for the offer to apply (a "20 off 100" coupon).
	MinSpend decimal.Decimal `json:"minSpend,omitzero"`
	// Threshold is KindSpendSave's X.
	Threshold decimal.Decimal `json:"threshold,omitzero"`
	// Repeat makes KindSpendSave save Amount per full Threshold.
	Repeat bool `json:"repeat,omitempty"`
	// Amount is KindSpendSave's Y, KindAmountOff's value and
	// KindNForPrice's price for N units.
	Amount decimal.Decimal `json:"amount,omitzero"`
	// Percent is the percentage off of KindPercentOff, KindMemberDay and
	// KindBuyXGetY's free units.
	Percent decimal.Decimal `json:"percent,omitzero"`
	N       int             `json:"n,omitempty"`   // KindNForPrice
	Buy     int             `json:"buy,omitempty"` // KindBuyXGetY
	Get     int             `json:"get,omitempty"` // KindBuyXGetY
	// MaxDiscount caps what the offer takes off one basket; zero: no cap.
	MaxDiscount decimal.Decimal `json:"maxDiscount,omitzero"`

	// Priority orders offers: higher first.
	Priority int      `json:"priority,omitempty"`
	Stacking Stacking `json:"stacking,omitempty"`
}

// Rules are a shop's promotions in one currency.
type Rules struct {
	Currency   string  `json:"currency"` // ISO 4217
	Promotions []Offer `json:"promotions"`
}
