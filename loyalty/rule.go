package loyalty

import (
	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// RuleKind says what an earn rule does.
type RuleKind string

// Rule kinds.
const (
	// KindBase earns Rate points per currency unit of the net amount of the
	// lines it selects.
	KindBase RuleKind = "base"
	// KindMultiplier adds (Factor − 1) × the base points of the lines it
	// selects: a factor of 2 doubles them.
	KindMultiplier RuleKind = "multiplier"
	// KindProductBonus earns Points per unit bought of the lines it selects.
	KindProductBonus RuleKind = "product-bonus"
	// KindOrderBonus earns Points once per qualifying purchase (first
	// purchase, basket over an amount); the points are attributed to the
	// selected lines pro rata to their net amount.
	KindOrderBonus RuleKind = "order-bonus"
	// KindEventBonus earns Points for an event outside a purchase
	// (registration, profile completed, review, referral); see QuoteEvent.
	KindEventBonus RuleKind = "event-bonus"
)

// EventKind is a non-purchase event that may earn a bonus.
type EventKind string

// Events.
const (
	EventRegistration     EventKind = "registration"
	EventProfileCompleted EventKind = "profile-completed"
	EventReview           EventKind = "review"
	EventReferrer         EventKind = "referral-referrer" // the member who referred
	EventReferee          EventKind = "referral-referee"  // the member who was referred
)

// EarnRule is one way of earning points. Rules are ordered by Priority
// (higher first) in quotes, in best-of choices and when caps trim points
// (lowest priority first); never by their position in the list.
type EarnRule struct {
	ID   string   `json:"id"`
	Kind RuleKind `json:"kind"`
	// Priority orders rules; two rules of one stacking group must differ.
	Priority int `json:"priority,omitempty"`
	// Group is the stacking group (see StackingGroup); empty means the rule
	// stacks additively with every other rule.
	Group string `json:"group,omitempty"`

	// Rate is points per currency unit (KindBase), at most 4 decimals.
	Rate decimal.Decimal `json:"rate,omitzero"`
	// Factor multiplies base points (KindMultiplier), more than 1, at most
	// 4 decimals.
	Factor decimal.Decimal `json:"factor,omitzero"`
	// Points is the fixed bonus (KindProductBonus per unit, KindOrderBonus
	// per purchase, KindEventBonus per event).
	Points int64 `json:"points,omitempty"`
	// Event is the event a KindEventBonus rewards.
	Event EventKind `json:"event,omitempty"`
	// Rounding of the rule's total points; zero means floor.
	Rounding Rounding `json:"rounding,omitempty"`
	// MaxPoints caps what the rule earns on one purchase (0: no cap).
	MaxPoints int64 `json:"maxPoints,omitempty"`

	// When restricts where and when the rule applies.
	When Condition `json:"when,omitzero"`
}

// Selector picks purchase lines by category, brand, SKU or product tag.
// A line matches when any listed value matches; an empty selector matches
// nothing when used as an exclusion and everything when used as a filter.
type Selector struct {
	Categories []string `json:"categories,omitempty"`
	Brands     []string `json:"brands,omitempty"`
	SKUs       []string `json:"skus,omitempty"`
	Tags       []string `json:"tags,omitempty"`
}

// IsZero reports whether the selector lists nothing.
func (s Selector) IsZero() bool {
	return len(s.Categories) == 0 && len(s.Brands) == 0 && len(s.SKUs) == 0 && len(s.Tags) == 0
}

// Condition restricts a rule. Every non-empty field must hold. Dates,
// weekdays and hours are read in the programme's time zone from the
// purchase's own time.
type Condition struct {
	// Lines selects the lines the rule applies to (empty: every earning line).
	Lines Selector `json:"lines,omitzero"`
	// Exclude removes lines from the selection.
	Exclude Selector `json:"exclude,omitzero"`

	// From and To bound the local dates the rule runs, both inclusive.
	From Date `json:"from,omitzero"`
	To   Date `json:"to,omitzero"`
	// Weekdays lists the local days of the week ("mon" ... "sun").
	Weekdays []Weekday `json:"weekdays,omitempty"`
	// MemberDay restricts the rule to the shop's member days: days of the
	// month or weekdays by their place in it ("the last Friday").
	MemberDay MemberDays `json:"memberDay,omitzero"`
	// Hours lists local time ranges, each [from, to).
	Hours []HourRange `json:"hours,omitempty"`
	// Stores and Channels restrict where the purchase happened.
	Stores   []string                `json:"stores,omitempty"`
	Channels []customer.SalesChannel `json:"channels,omitempty"`

	// Tiers restricts the rule to members of these tier codes.
	Tiers []string `json:"tiers,omitempty"`
	// MemberTags restricts the rule to members carrying any of these tags.
	MemberTags []string `json:"memberTags,omitempty"`
	// Birthday restricts the rule to the member's birthday: "day" or "month".
	Birthday BirthdayWhen `json:"birthday,omitempty"`
	// FirstPurchase restricts the rule to the member's first purchase.
	FirstPurchase bool `json:"firstPurchase,omitempty"`
	// JoinedWithinDays restricts the rule to members who joined at most
	// this many local days before the purchase (0: no restriction): a
	// new-member welcome period.
	JoinedWithinDays int `json:"joinedWithinDays,omitempty"`

	// MinAmount is the least net amount of the selected lines.
	MinAmount decimal.Decimal `json:"minAmount,omitzero"`
	// MinQuantity is the least total quantity of the selected lines.
	MinQuantity decimal.Decimal `json:"minQuantity,omitzero"`
}

// BirthdayWhen restricts a rule to a member's birthday.
type BirthdayWhen string

// Birthday windows.
const (
	BirthdayDay   BirthdayWhen = "day"   // the observed birthday itself
	BirthdayMonth BirthdayWhen = "month" // the calendar month of the birthday
)

// StackMode says how the rules of one stacking group combine on a line.
type StackMode string

// Stacking modes.
const (
	// StackBestOf keeps, per line, only the group's rule that gives the
	// most points (ties go to the higher priority).
	StackBestOf StackMode = "best-of"
	// StackAdditive adds every applicable rule of the group.
	StackAdditive StackMode = "additive"
)

// StackingGroup names a set of rules of one kind that combine by Mode.
// Different groups always add up. Multipliers add their extras: a ×2 and
// a ×1.5 in different groups give base × (1 + 1 + 0.5).
type StackingGroup struct {
	ID   string    `json:"id"`
	Mode StackMode `json:"mode"`
}
