package pricing

import (
	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"time"
)

// Source says where a discount came from.
type Source string

// Sources of discounts.
const (
	SourceMemberPrice Source = "member-price"
	SourceTier        Source = "tier"
	SourcePromotion   Source = "promotion"
	SourceCoupon      Source = "coupon"
)

// Reason is why an offer did not apply; empty when it did.
type Reason string

// Reasons an offer does not apply.
const (
	ReasonMinSpend    Reason = "min-spend"       // the scope costs less than the minimum; Decision.Missing says by how much
	ReasonNoLines     Reason = "no-lines"        // no line of the basket is in the offer's scope
	ReasonChannel     Reason = "channel"         // not on this sales channel
	ReasonStore       Reason = "store"           // not in this store
	ReasonNotYet      Reason = "not-yet-valid"   // before the offer's From
	ReasonExpired     Reason = "expired"         // at or after the offer's Until
	ReasonDay         Reason = "day-of-month"    // not one of the offer's days of the month
	ReasonMembersOnly Reason = "members-only"    // no member on the basket
	ReasonTier        Reason = "tier"            // the member's tier is not among the offer's
	ReasonExclusive   Reason = "exclusive"       // an exclusive offer, and another applied first
	ReasonExcluded    Reason = "excluded"        // an exclusive offer applied first; Decision.By names it
	ReasonOtherCoupon Reason = "other-coupon"    // a coupon that does not combine with other coupons met one
	ReasonNothingOff  Reason = "nothing-off"     // applies, but takes nothing off (too few units, nothing left)
	ReasonPresented   Reason = "presented-twice" // the same coupon (Ref and offer) presented twice
	// Refusals the coupon store sets (see Coupon.Refused).
	ReasonUsedUp        Reason = "used-up"        // the code's total uses are spent
	ReasonCustomerLimit Reason = "customer-limit" // this customer used it as often as allowed
	ReasonNotYours      Reason = "not-yours"      // issued to another member
	ReasonUnknownCode   Reason = "unknown-code"   // no such code (or a mistyped one: its check digit fails)
	ReasonVoid          Reason = "void"           // the coupon was withdrawn
)

// Decision is what happened to one offer: applied with an amount, or not,
// with the reason.
type Decision struct {
	Offer  string // the offer's ID; "member-price", or "tier:<code>"
	Name   string
	Kind   Kind // empty for member price and tier discount
	Source Source
	Coupon string // the coupon's Ref, for coupons
	// Applied reports that the offer took Amount() off; otherwise Reason
	// says why not.
	Applied bool
	scale   int32 // beside Applied, in its padding
	Reason  Reason
	// By is the offer that excluded this one (ReasonExcluded,
	// ReasonOtherCoupon).
	By string

	// v is, in minor units, the amount taken off when Applied and what is
	// missing otherwise (only a decision that did not apply misses
	// anything): one word for two, a Decision of 128 bytes, not 136.
	// Made decimals when asked (as Line's amounts are).
	v int64
}

// Amount is what the offer took off the basket; zero unless Applied.
func (d Decision) Amount() decimal.Decimal {
	if !d.Applied {
		return decimal.Zero
	}
	return decimalOf(d.v, d.scale)
}

// Missing is how much more the offer's scope must cost for it to apply
// (ReasonMinSpend); zero otherwise.
func (d Decision) Missing() decimal.Decimal {
	if d.Applied {
		return decimal.Zero
	}
	return decimalOf(d.v, d.scale)
}

// Share is one offer's part of a line's discount.
type Share struct {
	Offer string
	// Coupon is the coupon's Ref when the offer came with a coupon: two
	// codes of one definition carry the same offer, and each applies.
	Coupon string
	Amount decimal.Decimal
}

// Line is one priced item. Its amounts are kept in minor units and made
// decimals when asked: a basket of 50 lines under 20 offers makes a
// thousand shares, and a decimal for each was most of pricing's time.
type Line struct {
	Item            Item
	gross, discount int64
	scale           int32
}

func decimalOf(v int64, scale int32) decimal.Decimal {
	if v == 0 {
		return decimal.Zero
	}
	return decimal.New(v, -scale)
}

// Gross is quantity × list unit price, rounded to the minor unit.
func (l Line) Gross() decimal.Decimal { return decimalOf(l.gross, l.scale) }

// Discount is the sum of the line's shares.
func (l Line) Discount() decimal.Decimal { return decimalOf(l.discount, l.scale) }

// Total is Gross − Discount: what the line costs.
func (l Line) Total() decimal.Decimal { return decimalOf(l.gross-l.discount, l.scale) }

// Result is a priced basket.
type Result struct {
	Currency  string
	Store     string
	Channel   customer.SalesChannel
	Time      time.Time
	MemberID  string
	Lines     []Line
	Decisions []Decision // member price, tier, then offers in evaluation order
	Gross     decimal.Decimal
	Discount  decimal.Decimal
	Total     decimal.Decimal

	// The lines' shares, decision by decision (see packShares): packed
	// holds runs ends, one per decision, then a word per share; wide holds
	// them as share words when one does not pack.
	packed []uint32
	runs   int
	wide   []share
	scale  int32
}

// Shares returns the parts of line i's discount, in the order the offers
// applied.
func (r Result) Shares(i int) []Share {
	var out []Share
	add := func(d int, amount int64) {
		dec := &r.Decisions[d]
		out = append(out, Share{Offer: dec.Offer, Coupon: dec.Coupon, Amount: decimalOf(amount, r.scale)})
	}
	if r.packed == nil {
		for _, s := range r.wide {
			if s.line() == i {
				add(s.decision(), s.amount())
			}
		}
		return out
	}
	start := r.runs
	for d := range r.runs {
		end := r.runs + int(r.packed[d])
		for _, s := range r.packed[start:end] {
			if int(s&shareIndexMask) == i {
				add(d, int64(s>>shareIndexBits))
			}
		}
		start = end
	}
	return out
}

// Applied returns the decisions of the offers that applied, in order.
func (r Result) Applied() []Decision {
	var out []Decision
	for _, d := range r.Decisions {
		if d.Applied {
			out = append(out, d)
		}
	}
	return out
}

// Purchase is the sale to record (customer.Service.RecordPurchase): the
// basket's lines at list price, each carrying its allocated discount in
// Line.Discount and its Total, so loyalty earns on what was paid and a
// return takes back exactly its share. OrderDiscount is left zero: every
// discount is already on a line (a tender such as points paid is the
// host's to add).
func (r Result) Purchase(id, staff string) customer.Purchase {
	lines := make([]customer.Line, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = customer.Line{SKU: l.Item.SKU, Name: l.Item.Name, Category: l.Item.Category, Brand: l.Item.Brand,
			Tags: append([]string(nil), l.Item.Tags...), Quantity: l.Item.Quantity, UnitPrice: l.Item.UnitPrice,
			Discount: l.Discount(), Total: l.Total()}
	}
	return customer.Purchase{ID: id, CustomerID: r.MemberID, Store: r.Store, Channel: r.Channel, Staff: staff,
		Time: r.Time, Currency: r.Currency, Lines: lines}
}
