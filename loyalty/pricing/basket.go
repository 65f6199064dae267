package pricing

import (
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// Basket is what the till prices: the sale's context, its items and the
// coupons presented. Amounts are in the engine's currency.
type Basket struct {
	Currency string
	Store    string
	Channel  customer.SalesChannel
	Time     time.Time
	Member   *Member // nil for a customer who shows no card
	Items    []Item
	Coupons  []Coupon
}

// Member is what pricing needs of the customer: the tier they hold now
// and the tier's discount (loyalty.Benefits.DiscountPercent of that tier,
// which the host reads from the programme).
type Member struct {
	ID           string
	Tier         string
	TierDiscount decimal.Decimal // percent off, 0 to 100, at most two decimals
}

// Item is one basket line before pricing.
type Item struct {
	SKU      string
	Name     string
	Category string
	Brand    string
	Tags     []string
	Quantity decimal.Decimal // positive; at most 6 decimals (goods sold by weight)
	// UnitPrice is the list price, exact in the currency's minor unit.
	UnitPrice decimal.Decimal
	// MemberPrice, when positive and below UnitPrice, is the price a
	// member pays (会员价). Zero: none.
	MemberPrice decimal.Decimal
}

// Coupon is a coupon presented at the till as pricing sees it: the offer
// behind it and how the explanation names it. The code itself never
// enters pricing.
type Coupon struct {
	// Ref names the coupon in decisions: its record ID or a masked code,
	// never the code. A coupon presented twice (the same Ref and offer)
	// applies once.
	Ref   string
	Offer Offer
	// Refused, when set, is why the coupon store refused the coupon
	// (used up, another customer's, past its limit); the coupon is then
	// explained with this reason and never applied.
	Refused Reason
}
