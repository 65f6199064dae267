package loyalty

import (
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// QuoteInput is everything Quote reads.
type QuoteInput struct {
	Purchase customer.Purchase
	Member   Member
	// Usage is what the member already earned from purchases in the current
	// day and cap period (DayWindow, PeriodWindow), for the caps.
	Usage CapUsage
}

// Member is what the rules may know about the buyer.
type Member struct {
	Tier          string            // tier code; empty means no tier
	Birthday      customer.Birthday // zero when unknown
	FirstPurchase bool              // this is the member's first purchase
	JoinedAt      time.Time         // for Condition.JoinedWithinDays
	Tags          []string
}

// CapUsage is the points already earned from purchases in the windows the
// caps count.
type CapUsage struct {
	Today  int64 // in the local day of the purchase
	Period int64 // in the cap period of the purchase
}

// Quote is what a purchase (or an event) earns, line by line and rule by
// rule. The service stores it with the earn, so that a return claws back
// exactly what the returned lines earned (PointsForReturn).
type Quote struct {
	ProgramID  string    `json:"programId"`
	PurchaseID string    `json:"purchaseId,omitempty"`
	Event      EventKind `json:"event,omitempty"`
	Time       time.Time `json:"time"`
	Currency   string    `json:"currency,omitempty"`
	// Lines has one entry per purchase line, in purchase order.
	Lines []LineQuote `json:"lines,omitempty"`
	// Rules lists every rule that earned on this purchase, highest priority
	// first.
	Rules []RuleQuote `json:"rules,omitempty"`
	// Capped is the number of points the programme's caps removed and
	// CappedBy names the binding cap ("order", "day", "period").
	Capped   int64  `json:"capped,omitempty"`
	CappedBy string `json:"cappedBy,omitempty"`
	// Total is the points earned: the sum of Lines[i].Points, and of
	// Rules[i].Points. Never negative.
	Total int64 `json:"total"`
	// PendingUntil is when the points are released (zero: at once, unless
	// ReleaseByHost). ExpiresAt is when they lapse (zero: no date of their
	// own).
	PendingUntil  time.Time `json:"pendingUntil,omitzero"`
	ReleaseByHost bool      `json:"releaseByHost,omitempty"`
	ExpiresAt     time.Time `json:"expiresAt,omitzero"`
}

// LineQuote is what one purchase line earned. Its JSON form carries the
// amounts as decimal strings (see MarshalJSON).
type LineQuote struct {
	Line     int             `json:"line"` // 1-based, as customer.ReturnLine counts
	SKU      string          `json:"sku"`
	Quantity decimal.Decimal `json:"quantity"`
	// Earning is false for lines the programme never rewards (NonEarning)
	// and for lines with no positive amount.
	Earning bool `json:"earning"`
	// orderDiscount, tax and net are held exactly as integers and become
	// decimals on demand (OrderDiscount, Tax, Net): most readers of a quote
	// only want its points.
	orderDiscount, tax, net amount
	Points                  int64 `json:"points"`
	// byRule splits Points by rule (see ByRule) without a pointer per
	// share: each names its rule by index into rules, the IDs of
	// Quote.Rules shared by every line. A 50-line quote has hundreds of
	// shares; as RulePoints (24 bytes and a pointer each) they were half
	// of what a quote allocates.
	byRule []ruleShare
	rules  []string
}

// ruleShare is one rule's points on a line and the rule's index into
// LineQuote.rules, packed in one word: points (at most MaxQuotePoints,
// under 2^50) in the high 52 bits, the index in the low 12.
type ruleShare uint64

const (
	shareRuleBits = 12
	maxShareRules = 1 << shareRuleBits
	maxSharePts   = 1<<(64-shareRuleBits) - 1
)

func share(rule int, points int64) ruleShare {
	return ruleShare(uint64(points)<<shareRuleBits | uint64(rule))
}

func (s ruleShare) rule() int     { return int(s & (maxShareRules - 1)) }
func (s ruleShare) points() int64 { return int64(s >> shareRuleBits) }

// ByRule splits Points by rule, in the order of Quote.Rules; nil when the
// line earned nothing. Each call returns a fresh slice.
func (l LineQuote) ByRule() []RulePoints {
	if len(l.byRule) == 0 {
		return nil
	}
	out := make([]RulePoints, len(l.byRule))
	for i, s := range l.byRule {
		out[i] = RulePoints{RuleID: l.rules[s.rule()], Points: s.points()}
	}
	return out
}

// OrderDiscount is this line's exact share of the purchase's order
// discount.
func (l LineQuote) OrderDiscount() decimal.Decimal { return l.orderDiscount.decimal() }

// Tax is this line's exact share of the purchase's tax (zero unless the
// programme excludes tax).
func (l LineQuote) Tax() decimal.Decimal { return l.tax.decimal() }

// Net is the amount points accrued on: the line total less its shares of
// the order discount and, when excluded, the tax.
func (l LineQuote) Net() decimal.Decimal { return l.net.decimal() }

// RulePoints is one rule's share of a line.
type RulePoints struct {
	RuleID string `json:"ruleId"`
	Points int64  `json:"points"`
}

// RuleQuote explains what one rule earned. Its JSON form carries the
// amounts as decimal strings (see MarshalJSON).
type RuleQuote struct {
	RuleID   string   `json:"ruleId"`
	Kind     RuleKind `json:"kind"`
	Group    string   `json:"group,omitempty"`
	Priority int      `json:"priority"`
	// Multiplier is the rule's rate (base), factor (multiplier) or points
	// (bonuses).
	Multiplier decimal.Decimal `json:"multiplier"`
	// baseAmount, basePoints and exact are held exactly as integers and
	// become decimals on demand (BaseAmount, BasePoints, Exact).
	baseAmount        amount
	basePoints, exact rawPoints
	Rounding          Rounding `json:"rounding"`
	Rounded           int64    `json:"rounded"`
	// CappedByRule and CappedByProgram are points removed by the rule's own
	// MaxPoints and by the programme's caps.
	CappedByRule    int64 `json:"cappedByRule,omitempty"`
	CappedByProgram int64 `json:"cappedByProgram,omitempty"`
	// Points is what the rule finally earned.
	Points int64 `json:"points"`
	// Lines counts the lines the rule earned on.
	Lines int `json:"lines,omitempty"`
}

// BaseAmount is the net amount of the lines the rule earned on.
func (r RuleQuote) BaseAmount() decimal.Decimal { return r.baseAmount.decimal() }

// BasePoints is, for a multiplier, the exact base points it multiplied;
// zero for other kinds.
func (r RuleQuote) BasePoints() decimal.Decimal { return rawDecimal(r.basePoints) }

// Exact is the rule's unrounded points; Rounding says how they became
// Rounded.
func (r RuleQuote) Exact() decimal.Decimal { return rawDecimal(r.exact) }
