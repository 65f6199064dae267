package membership

import (
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/shopspring/decimal"
)

// ErrInvalid is matched by every validation failure (*FieldError).
var ErrInvalid = errors.New("membership: invalid input")

// FieldError is one problem with a field, named by its path.
type FieldError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string { return fmt.Sprintf("membership: %s: %s", e.Field, e.Problem) }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Plan is a paid membership as data.
type Plan struct {
	ID       string          `json:"id"`
	Name     string          `json:"name,omitempty"`
	Currency string          `json:"currency"`
	Fee      decimal.Decimal `json:"fee"`
	// TermMonths is the term in calendar months (1 to 36); a term that
	// starts on the 31st ends on the last day available (31 January plus
	// one month ends with February).
	TermMonths int      `json:"termMonths"`
	Benefits   Benefits `json:"benefits"`
	// CoolingOffDays: a refund within this many days of paying, with no
	// benefit used, returns the whole fee.
	CoolingOffDays int `json:"coolingOffDays,omitempty"`
	// RenewWithinDays: a renewal is accepted from this many days before
	// the current term ends (0: any time while it runs).
	RenewWithinDays int `json:"renewWithinDays,omitempty"`
	// Location is the zone of days and months; nil is UTC.
	Location *time.Location `json:"-"`
}

// Benefits are what a paid member gets while the term runs. The service
// issues the monthly coupons; wired as loyalty's Options.Perks
// (Service.PerksAt), it gives loyalty the tier, which brings that tier's
// earn multiplier (EarnMultiplier states it, and CheckProgram holds the
// two equal), and the Tag, which the programme's rules may test; the till
// applies the member price (StatusAt says whether the card is in force).
type Benefits struct {
	// Tier is the tier code the card grants for its term.
	Tier string `json:"tier,omitempty"`
	// EarnMultiplier is the multiplier of base points the plan offers (1
	// to 10, at most 2 decimals; zero: none). The programme's rules stay
	// the one source of earn rates: it is the earn multiplier of Tier,
	// which loyalty applies while the card is in force, so the host writes
	// no rule for it; CheckProgram refuses a plan whose figure is not what
	// the member would earn.
	EarnMultiplier decimal.Decimal `json:"earnMultiplier,omitzero"`
	// MemberPrice says the member pays member prices.
	MemberPrice bool `json:"memberPrice,omitempty"`
	// MonthlyCoupons are catalogue rewards granted at the start of each
	// month of the term.
	MonthlyCoupons []string `json:"monthlyCoupons,omitempty"`
	// Tag is the customer tag that marks a paid member for the programme's
	// rules ("paid-member").
	Tag string `json:"tag,omitempty"`
}

// Validate reports every problem at once.
func (p *Plan) Validate() error {
	var errs []error
	add := func(f, format string, a ...any) {
		errs = append(errs, &FieldError{Field: f, Problem: fmt.Sprintf(format, a...)})
	}
	if !textcheck.ID(p.ID) {
		add("id", "required, at most %d bytes", textcheck.MaxID)
	}
	minor, err := money.MinorUnits(p.Currency)
	if err != nil {
		add("currency", "must be an ISO 4217 code")
	} else if !p.Fee.IsPositive() || !money.IsMinorUnitExact(p.Fee, minor) || p.Fee.Shift(minor).GreaterThan(decimal.New(1, 15)) {
		add("fee", "must be a positive amount in the currency's minor unit")
	}
	if p.TermMonths < 1 || p.TermMonths > 36 {
		add("termMonths", "must be 1 to 36")
	}
	if p.CoolingOffDays < 0 || p.CoolingOffDays > 60 {
		add("coolingOffDays", "must be 0 to 60")
	}
	if p.RenewWithinDays < 0 || p.RenewWithinDays > 366 {
		add("renewWithinDays", "must be 0 to 366")
	}
	b := p.Benefits
	if m := b.EarnMultiplier; !m.IsZero() && (m.LessThan(decimal.NewFromInt(1)) || m.GreaterThan(decimal.NewFromInt(10)) || !m.Equal(m.Round(2))) {
		add("benefits.earnMultiplier", "must be 1 to 10 with at most 2 decimals")
	}
	for i, r := range b.MonthlyCoupons {
		if !textcheck.ID(r) {
			add(fmt.Sprintf("benefits.monthlyCoupons[%d]", i), "must name a reward")
		}
	}
	if b.Tier != "" && !textcheck.Label(b.Tier, 64) || b.Tag != "" && !textcheck.Label(b.Tag, 64) {
		add("benefits", "tier and tag are one-line labels of at most 64 bytes")
	}
	return errors.Join(errs...)
}

func (p *Plan) loc() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// termEnd is the end of a term starting at start: TermMonths calendar
// months later, clamped to the month's end, at the same local time.
func (p *Plan) termEnd(start time.Time) time.Time {
	l := start.In(p.loc())
	y, m, d := l.Date()
	total := y*12 + int(m) - 1 + p.TermMonths
	ty, tm := total/12, time.Month(total%12+1)
	last := time.Date(ty, tm+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(ty, tm, min(d, last), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), p.loc())
}

// feeMinor is the fee in minor units.
func (p *Plan) feeMinor() int64 {
	minor, _ := money.MinorUnits(p.Currency)
	return p.Fee.Shift(minor).IntPart()
}
