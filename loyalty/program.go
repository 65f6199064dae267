package loyalty

import (
	"time"

	"github.com/shopspring/decimal"
)

// Program is a loyalty programme as data: what earns points, how long they
// last, what they are worth, and the tier ladder. Build it as a Go literal or
// load it from JSON with ParseProgram, then call Validate once: Validate
// resolves the time zone and compiles the rules so that Quote is fast.
// A validated Program must not be modified; copy it, change the copy and
// validate the copy instead.
type Program struct {
	// ID names the programme; quotes carry it.
	ID string `json:"id"`
	// Currency is the ISO 4217 code every purchase must be in.
	Currency string `json:"currency"`
	// MinorUnits overrides the currency's number of decimal places (the
	// ISO 4217 exponent, e.g. 2 for CNY, 0 for JPY). Nil means the
	// built-in table, which defaults to 2.
	MinorUnits *int `json:"minorUnits,omitempty"`
	// TimeZone is the IANA name of the programme's zone ("Asia/Shanghai").
	// Every calendar rule (days, months, promotions, expiry, tiers) is
	// computed in it.
	TimeZone string `json:"timeZone"`
	// Location is TimeZone resolved; Validate sets it. A Go literal may set
	// Location instead of TimeZone.
	Location *time.Location `json:"-"`

	// NonEarning selects lines that never earn and never take a share of
	// the order discount: gift cards, deposits, delivery, tobacco.
	NonEarning Selector `json:"nonEarning,omitzero"`
	// ExcludeTax makes points accrue on the amount net of tax, when the
	// purchase states its tax.
	ExcludeTax bool `json:"excludeTax,omitempty"`

	// Stacking declares the named stacking groups that rules join.
	Stacking []StackingGroup `json:"stacking,omitempty"`
	// EarnRules are the base rates, multipliers and bonuses.
	EarnRules []EarnRule `json:"earnRules"`
	// Caps limit the points a purchase may earn.
	Caps Caps `json:"caps,omitzero"`

	// Pending says how long earned points stay locked.
	Pending PendingPolicy `json:"pending,omitzero"`
	// Expiry says when earned points lapse.
	Expiry ExpiryPolicy `json:"expiry"`
	// ReturnPolicy says what a return may claw back.
	ReturnPolicy ReturnPolicy `json:"returnPolicy"`

	// Redemption says what points are worth at checkout.
	Redemption Redemption `json:"redemption"`
	// Tiers is the member tier ladder; empty means no tiers.
	Tiers TierLadder `json:"tiers,omitzero"`
	// Rewards is the catalogue points can be exchanged for.
	Rewards []Reward `json:"rewards,omitempty"`
	// BirthdayCoupon, when set, is issued to members around their birthday.
	BirthdayCoupon *BirthdayCoupon `json:"birthdayCoupon,omitempty"`
	// Events are the host-defined events (check-in, share, survey
	// answered...) that earn points through Service.RecordEvent.
	Events []HostEvent `json:"events,omitempty"`

	compiled *compiled
}

// Rounding says how a fractional number of points becomes whole points.
type Rounding string

// Roundings. The zero value means RoundFloor.
const (
	RoundFloor  Rounding = "floor" // towards zero (points are never negative)
	RoundHalfUp Rounding = "round" // to nearest, halves up
	RoundCeil   Rounding = "ceil"  // up to the next whole point
)

func (r Rounding) valid() bool {
	return r == "" || r == RoundFloor || r == RoundHalfUp || r == RoundCeil
}

func (r Rounding) orFloor() Rounding {
	if r == "" {
		return RoundFloor
	}
	return r
}

// ReturnPolicy says what happens to points when goods come back. The ledger
// applies it; the program only declares it.
type ReturnPolicy string

// Return policies.
const (
	// ReturnOnlyPending claws back only points that are still pending;
	// released points stay with the customer.
	ReturnOnlyPending ReturnPolicy = "only-pending"
	// ReturnWithinBalance claws back what the returned lines earned, as far
	// as the balance allows; the rest is forgiven.
	ReturnWithinBalance ReturnPolicy = "within-balance"
	// ReturnAllowDebt claws back everything the returned lines earned; a
	// shortfall becomes a negative balance that the next earn pays off.
	ReturnAllowDebt ReturnPolicy = "allow-debt"
)

// Valid reports whether r is one of the declared policies.
func (r ReturnPolicy) Valid() bool {
	return r == ReturnOnlyPending || r == ReturnWithinBalance || r == ReturnAllowDebt
}

// Caps limit the points purchases earn (event bonuses are not capped).
// Zero means no limit. Usage so far in the day and in the period is an input
// to Quote; DayWindow and PeriodWindow say which window a time falls in.
type Caps struct {
	PerOrder  int64     `json:"perOrder,omitempty"`
	PerDay    int64     `json:"perDay,omitempty"`
	PerPeriod int64     `json:"perPeriod,omitempty"`
	Period    CapPeriod `json:"period,omitempty"` // required with PerPeriod
}

// CapPeriod is a calendar period in the programme's zone.
type CapPeriod string

// Cap periods.
const (
	PeriodWeek    CapPeriod = "week" // Monday to Sunday
	PeriodMonth   CapPeriod = "month"
	PeriodQuarter CapPeriod = "quarter"
	PeriodYear    CapPeriod = "year"
)

// Redemption says what points are worth when paying with them.
type Redemption struct {
	// Points and Value fix the rate: Points points are worth Value in the
	// programme currency (100 points = 1 CNY).
	Points int64           `json:"points"`
	Value  decimal.Decimal `json:"value"`
	// MinPoints is the least a customer may redeem at once (0: no minimum).
	MinPoints int64 `json:"minPoints,omitempty"`
	// Step: redemptions are whole multiples of Step points (0 or 1: any).
	Step int64 `json:"step,omitempty"`
	// MaxShare is the largest share of an order payable with points,
	// between 0 and 1 (zero means 1: the whole order).
	MaxShare decimal.Decimal `json:"maxShare,omitzero"`
	// MaxPoints caps one redemption (0: no cap).
	MaxPoints int64 `json:"maxPoints,omitempty"`
}
