package storedvalue

import (
	"fmt"
	"slices"
	"time"

	"github.com/clientele-go/clientele/internal/jsonstrict"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/shopspring/decimal"
)

// SpendOrder declares which part of a balance a payment spends.
type SpendOrder string

// Spending orders.
const (
	// PaidFirst spends paid money before bonus: the customer keeps the
	// bonus longest.
	PaidFirst SpendOrder = "paid-first"
	// BonusFirst spends bonus before paid money: the shop's liability in
	// real money stays largest.
	BonusFirst SpendOrder = "bonus-first"
	// Proportional spends paid and bonus in the ratio the spendable
	// balance holds them, the bonus share rounded down to the minor unit
	// (the paid share takes the remainder). Revenue recognition and
	// refunds need it: every payment carries its fair share of bonus.
	Proportional SpendOrder = "proportional"
)

// CashOutRule declares whether unused paid money can be paid back to the
// customer (some jurisdictions require it) and what happens to the bonus.
type CashOutRule string

// Cash-out rules.
const (
	// NoCashOut: the programme refuses cash-outs.
	NoCashOut CashOutRule = "none"
	// ForfeitAll: a cash-out of any paid money forfeits the whole
	// remaining bonus: the bonus was given on condition the money is spent
	// in the shop.
	ForfeitAll CashOutRule = "forfeit-all"
	// ForfeitProportional: a cash-out of x of the spendable paid balance P
	// forfeits ceil(x × B / P) of the spendable bonus B: the bonus that
	// came with the money cashed out, rounded up to the minor unit, so
	// cashing out in small steps forfeits no less than at once. Cashing
	// out all paid money forfeits all bonus.
	ForfeitProportional CashOutRule = "forfeit-proportional"
)

// MaxAmountMinor is the largest amount, in minor units, the programme and
// the service accept: 10^15 (ten trillion yuan), so sums and products of
// two amounts stay exact in int64 and uint128 arithmetic.
const MaxAmountMinor = 1_000_000_000_000_000

// MaxProgrammeJSON bounds the size of a programme document.
const MaxProgrammeJSON = 1 << 20

// Programme is the stored-value programme of one currency: top-up rules,
// the spending order, bonus validity and the cash-out rule. It is data: a
// Go literal or strict JSON read by ParseProgramme.
type Programme struct {
	// Currency is the ISO 4217 code of every account the service opens.
	Currency string `json:"currency"`
	// SpendOrder is which part a payment spends first.
	SpendOrder SpendOrder `json:"spendOrder"`
	// TopUps are the top-up rules (充值送): a top-up of at least Pay gets
	// the Bonus of the rule with the highest Pay it reaches, once.
	TopUps []TopUpRule `json:"topUps,omitempty"`
	// MinTopUp is the smallest top-up taken; zero means any positive
	// amount.
	MinTopUp decimal.Decimal `json:"minTopUp,omitzero"`
	// MaxBalance caps a wallet's balance after a top-up; zero means no
	// cap.
	MaxBalance decimal.Decimal `json:"maxBalance,omitzero"`
	// BonusValidDays is how long bonus money can be spent: through the
	// end of the N-th day after the top-up's date, in TimeZone. Zero means
	// bonus never expires.
	BonusValidDays int `json:"bonusValidDays,omitempty"`
	// TimeZone is the IANA zone of calendar rules; empty means UTC.
	TimeZone string `json:"timeZone,omitempty"`
	// CashOut is the cash-out rule; empty means NoCashOut.
	CashOut CashOutRule `json:"cashOut,omitempty"`
}

// TopUpRule is one top-up tier: pay at least Pay, get Bonus as bonus
// money, and optionally BonusPoints loyalty points and a tier upgrade,
// which the service hands to its Rewards hook.
type TopUpRule struct {
	ID          string          `json:"id"`
	Pay         decimal.Decimal `json:"pay"`
	Bonus       decimal.Decimal `json:"bonus"`
	BonusPoints int64           `json:"bonusPoints,omitempty"`
	Tier        string          `json:"tier,omitempty"`
}

// compiled is a validated programme in minor units.
type compiled struct {
	currency   string
	scale      int32
	order      SpendOrder
	rules      []compiledRule // ascending pay
	minTopUp   int64
	maxBalance int64
	validDays  int
	loc        *time.Location
	cashOut    CashOutRule
}

type compiledRule struct {
	id          string
	pay, bonus  int64
	bonusPoints int64
	tier        string
}

// Validate reports every problem of the programme at once, as *FieldError
// values joined with errors.Join, each matching ErrInvalid.
func (p *Programme) Validate() error {
	_, err := p.compile()
	return err
}

func (p *Programme) compile() (*compiled, error) {
	fe := fieldList()
	if p == nil {
		fe.Add("programme", "missing")
		return nil, fe.Err()
	}
	c := &compiled{currency: p.Currency, order: p.SpendOrder, validDays: p.BonusValidDays, cashOut: p.CashOut, loc: time.UTC}
	scale, err := money.MinorUnits(p.Currency)
	if err != nil {
		fe.Add("currency", "not an ISO 4217 currency with a minor unit")
	}
	c.scale = scale
	amount := func(field string, d decimal.Decimal, positive bool) int64 {
		if err != nil { // no scale to check against
			return 0
		}
		v, problem := toMinor(d, scale)
		switch {
		case problem != "":
			fe.Add(field, "%s", problem)
		case positive && v == 0:
			fe.Add(field, "must be positive")
		}
		return v
	}
	switch p.SpendOrder {
	case PaidFirst, BonusFirst, Proportional:
	default:
		fe.Add("spendOrder", "must be %q, %q or %q", PaidFirst, BonusFirst, Proportional)
	}
	switch p.CashOut {
	case "":
		c.cashOut = NoCashOut
	case NoCashOut, ForfeitAll, ForfeitProportional:
	default:
		fe.Add("cashOut", "must be %q, %q or %q", NoCashOut, ForfeitAll, ForfeitProportional)
	}
	if p.BonusValidDays < 0 || p.BonusValidDays > 36600 {
		fe.Add("bonusValidDays", "must be between 0 and 36600")
	}
	if p.TimeZone != "" {
		loc, lerr := time.LoadLocation(p.TimeZone)
		if lerr != nil || p.TimeZone == "Local" {
			fe.Add("timeZone", "not an IANA time zone")
		} else {
			c.loc = loc
		}
	}
	c.minTopUp = amount("minTopUp", p.MinTopUp, false)
	c.maxBalance = amount("maxBalance", p.MaxBalance, false)
	ids := map[string]bool{}
	for i, r := range p.TopUps {
		at := fmt.Sprintf("topUps[%d]", i)
		if !textcheck.ID(r.ID) {
			fe.Add(at+".id", "must be 1 to %d bytes of text without control characters", textcheck.MaxID)
		} else if ids[r.ID] {
			fe.Add(at+".id", "given twice")
		}
		ids[r.ID] = true
		cr := compiledRule{id: r.ID, bonusPoints: r.BonusPoints, tier: r.Tier}
		cr.pay = amount(at+".pay", r.Pay, true)
		cr.bonus = amount(at+".bonus", r.Bonus, false)
		if r.BonusPoints < 0 {
			fe.Add(at+".bonusPoints", "must not be negative")
		}
		if r.Tier != "" && !textcheck.ID(r.Tier) {
			fe.Add(at+".tier", "must be 1 to %d bytes of text without control characters", textcheck.MaxID)
		}
		if i > 0 && !r.Pay.GreaterThan(p.TopUps[i-1].Pay) {
			fe.Add(at+".pay", "must be greater than the rule before it (rules ascend by pay)")
		}
		c.rules = append(c.rules, cr)
	}
	if c.maxBalance > 0 && c.minTopUp > c.maxBalance {
		fe.Add("minTopUp", "must not exceed maxBalance")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// toMinor converts an amount to minor units of the scale, or says why it
// cannot: negative, finer than the minor unit, or above MaxAmountMinor.
func toMinor(d decimal.Decimal, scale int32) (int64, string) {
	switch {
	case d.IsNegative():
		return 0, "must not be negative"
	case !money.IsMinorUnitExact(d, scale):
		return 0, "finer than the currency's minor unit"
	case d.GreaterThan(decimal.New(MaxAmountMinor, -scale)):
		return 0, "above the largest amount taken"
	}
	return d.Shift(scale).IntPart(), ""
}

// fromMinor is the inverse of toMinor, without trailing zeros (100.00 is
// 100), which is how a decimal reads back from JSON: a result and its
// replay are equal field by field.
func fromMinor(v int64, scale int32) decimal.Decimal {
	exp := -scale
	for exp < 0 && v%10 == 0 {
		v /= 10
		exp++
	}
	if v == 0 {
		exp = 0
	}
	return decimal.New(v, exp)
}

// rule returns the top-up rule a payment of pay reaches: the one with the
// highest Pay not above it.
func (c *compiled) rule(pay int64) (compiledRule, bool) {
	i, found := slices.BinarySearchFunc(c.rules, pay, func(r compiledRule, v int64) int {
		switch {
		case r.pay < v:
			return -1
		case r.pay > v:
			return 1
		}
		return 0
	})
	if found {
		return c.rules[i], true
	}
	if i == 0 {
		return compiledRule{}, false
	}
	return c.rules[i-1], true
}

// bonusExpiry returns when bonus credited at t expires: the start of the
// day BonusValidDays+1 days after t's date in the programme's zone, so
// the bonus is good through the end of the N-th day. Zero: never.
func (c *compiled) bonusExpiry(t time.Time) time.Time {
	if c.validDays == 0 {
		return time.Time{}
	}
	l := t.In(c.loc)
	return time.Date(l.Year(), l.Month(), l.Day()+c.validDays+1, 0, 0, 0, 0, c.loc).UTC()
}

// ParseProgramme decodes a programme from strict JSON (unknown fields, keys
// given twice and trailing data are errors, each reported at its path) and
// validates it, reporting every problem at once.
func ParseProgramme(data []byte) (*Programme, error) {
	fe := fieldList()
	var p Programme
	for _, pr := range jsonstrict.Decode(data, &p, "programme", MaxProgrammeJSON) {
		fe.Add(pr.Path, "%s", pr.Problem)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}
