package customer

import (
	"time"

	"github.com/shopspring/decimal"
)

// Purchase is one completed sale, an immutable fact. Its ID comes from the
// POS (terminal-generated, so an offline lane can retry safely).
type Purchase struct {
	ID         string       `json:"id"`
	CustomerID string       `json:"customerId,omitempty"` // empty for an anonymous sale
	Store      string       `json:"store"`
	Channel    SalesChannel `json:"channel"`
	Staff      string       `json:"staff,omitempty"`
	Time       time.Time    `json:"time"`
	Currency   string       `json:"currency"` // ISO 4217
	Lines      []Line       `json:"lines"`
	// OrderDiscount is taken off the whole basket after line discounts
	// (a coupon, a points payment counted as discount, a manager's round-down).
	OrderDiscount decimal.Decimal `json:"orderDiscount"`
	// Tax is the tax included in the amounts, where the POS gives it; zero
	// means not given.
	Tax decimal.Decimal `json:"tax"`
}

// Line is one line of a purchase.
type Line struct {
	SKU       string          `json:"sku"`
	Name      string          `json:"name,omitempty"`
	Category  string          `json:"category,omitempty"`
	Brand     string          `json:"brand,omitempty"`
	Tags      []string        `json:"tags,omitempty"` // product tags: "gift-card", "tobacco", "deposit", ...
	Quantity  decimal.Decimal `json:"quantity"`       // may be fractional for goods sold by weight
	UnitPrice decimal.Decimal `json:"unitPrice"`
	Discount  decimal.Decimal `json:"discount"` // line discount, an amount
	// Total is Quantity × UnitPrice − Discount rounded to the currency's
	// minor unit; validation checks it.
	Total decimal.Decimal `json:"total"`
}

// Subtotal is the sum of line totals.
func (p Purchase) Subtotal() decimal.Decimal {
	sum := decimal.Zero
	for _, l := range p.Lines {
		sum = sum.Add(l.Total)
	}
	return sum
}

// Total is what the customer paid: the subtotal less the order discount.
func (p Purchase) Total() decimal.Decimal { return p.Subtotal().Sub(p.OrderDiscount) }

// Anonymous reports whether no customer is attached.
func (p Purchase) Anonymous() bool { return p.CustomerID == "" }

// Clone returns a deep copy.
func (p Purchase) Clone() Purchase {
	if p.Lines != nil {
		ls := make([]Line, len(p.Lines))
		for i, l := range p.Lines {
			l.Tags = cloneSlice(l.Tags)
			ls[i] = l
		}
		p.Lines = ls
	}
	return p
}

// Return is goods brought back against one purchase, an immutable fact with
// a POS-supplied ID.
type Return struct {
	ID         string          `json:"id"`
	PurchaseID string          `json:"purchaseId"`
	CustomerID string          `json:"customerId,omitempty"` // set by the service from the purchase
	Store      string          `json:"store"`
	Channel    SalesChannel    `json:"channel,omitempty"`
	Staff      string          `json:"staff,omitempty"`
	Time       time.Time       `json:"time"`
	Currency   string          `json:"currency"`
	Lines      []ReturnLine    `json:"lines"`
	Refund     decimal.Decimal `json:"refund"` // money given back
	Reason     string          `json:"reason,omitempty"`
}

// ReturnLine returns a quantity of one purchase line.
type ReturnLine struct {
	Line     int             `json:"line"` // 1-based position in Purchase.Lines
	Quantity decimal.Decimal `json:"quantity"`
}

// Clone returns a deep copy.
func (r Return) Clone() Return {
	r.Lines = cloneSlice(r.Lines)
	return r
}

// InteractionKind is what an interaction was about.
type InteractionKind string

// Interaction kinds. Hosts may use others.
const (
	KindInquiry       InteractionKind = "inquiry"
	KindFollowUp      InteractionKind = "follow-up" // 回访
	KindGreeting      InteractionKind = "greeting"
	KindComplaintRef  InteractionKind = "complaint"
	KindServiceVisit  InteractionKind = "service-visit"
	KindNote          InteractionKind = "note"
	KindMarketingCall InteractionKind = "marketing"
)

// Direction says who started an interaction.
type Direction string

// Directions.
const (
	Inbound  Direction = "inbound"
	Outbound Direction = "outbound"
)

// Interaction is one contact between the shop and a customer.
// Summary and Outcome may hold personal data; erasure clears them.
type Interaction struct {
	ID         string          `json:"id"`
	CustomerID string          `json:"customerId"`
	Channel    ContactChannel  `json:"channel"`
	Direction  Direction       `json:"direction"`
	Kind       InteractionKind `json:"kind"`
	Store      string          `json:"store,omitempty"`
	Staff      string          `json:"staff,omitempty"`
	Time       time.Time       `json:"time"`
	Summary    string          `json:"summary,omitempty"`
	Outcome    string          `json:"outcome,omitempty"`
	Reference  string          `json:"reference,omitempty"` // a complaint, survey or purchase ID
}
