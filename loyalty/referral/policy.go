package referral

import (
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// ErrInvalid is matched by every validation failure (*FieldError).
var ErrInvalid = errors.New("referral: invalid input")

// FieldError is one problem with a field, named by its path.
type FieldError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string { return fmt.Sprintf("referral: %s: %s", e.Field, e.Problem) }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// Policy is the shop's referral rules. The bonuses themselves are the
// programme's event-bonus rules for loyalty.EventReferrer and
// loyalty.EventReferee.
type Policy struct {
	// Currency and MinAmount: the qualifying purchase is the friend's
	// first purchase whose net amount is at least MinAmount.
	Currency  string          `json:"currency"`
	MinAmount decimal.Decimal `json:"minAmount,omitzero"`
	// BindWithinDays: a friend is bound at registration, at most this
	// many days after joining (0: the same day as joining, in Location).
	BindWithinDays int `json:"bindWithinDays,omitempty"`
	// QualifyWithinDays: the qualifying purchase must come at most this
	// many days after binding (0: no limit).
	QualifyWithinDays int `json:"qualifyWithinDays,omitempty"`
	// ReturnWindowDays: a return of the qualifying purchase at most this
	// many days after it, bringing it under MinAmount, takes the bonuses
	// back.
	ReturnWindowDays int `json:"returnWindowDays"`
	// MaxRewarded caps the rewarded referrals of one referrer (0: none):
	// the friends whose qualifying purchases come first by (time, ID)
	// are rewarded, whatever order the purchases arrive in; a friend
	// whose purchase is returned keeps its place (slots.go).
	MaxRewarded int64 `json:"maxRewarded,omitempty"`
	// MaxBoundPerPeriod caps the friends one referrer binds per Period.
	MaxBoundPerPeriod int64             `json:"maxBoundPerPeriod,omitempty"`
	Period            loyalty.CapPeriod `json:"period,omitempty"`
	// AllowSameAddress lets a friend who shares the referrer's address be
	// referred (a household); by default it is a self-referral.
	AllowSameAddress bool `json:"allowSameAddress,omitempty"`
	// Location is the zone of days and periods; nil is UTC.
	Location *time.Location `json:"-"`
}

// Validate reports every problem at once.
func (p *Policy) Validate() error {
	var errs []error
	add := func(f, msg string) { errs = append(errs, &FieldError{Field: f, Problem: msg}) }
	minor, err := money.MinorUnits(p.Currency)
	if err != nil {
		add("currency", "must be an ISO 4217 code")
	} else if p.MinAmount.IsNegative() || !money.IsMinorUnitExact(p.MinAmount, minor) {
		add("minAmount", "must be a non-negative amount in the currency's minor unit")
	}
	for _, d := range []struct {
		f string
		v int
	}{{"bindWithinDays", p.BindWithinDays}, {"qualifyWithinDays", p.QualifyWithinDays}, {"returnWindowDays", p.ReturnWindowDays}} {
		if d.v < 0 || d.v > 3660 {
			add(d.f, "must be 0 to 3660")
		}
	}
	if p.MaxRewarded < 0 {
		add("maxRewarded", "must not be negative")
	}
	if p.MaxBoundPerPeriod < 0 {
		add("maxBoundPerPeriod", "must not be negative")
	}
	switch p.Period {
	case loyalty.PeriodWeek, loyalty.PeriodMonth, loyalty.PeriodQuarter, loyalty.PeriodYear:
	case "":
		if p.MaxBoundPerPeriod > 0 {
			add("period", "required with maxBoundPerPeriod")
		}
	default:
		add("period", "must be week, month, quarter or year")
	}
	return errors.Join(errs...)
}

func (p *Policy) loc() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// day is the local midnight starting t's day.
func (p *Policy) day(t time.Time) time.Time {
	y, m, d := t.In(p.loc()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, p.loc())
}

// periodStart is the start of the limit period holding t.
func (p *Policy) periodStart(t time.Time) time.Time {
	d := p.day(t)
	switch p.Period {
	case loyalty.PeriodWeek:
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case loyalty.PeriodMonth:
		return d.AddDate(0, 0, 1-d.Day())
	case loyalty.PeriodQuarter:
		return time.Date(d.Year(), d.Month()-(d.Month()-1)%3, 1, 0, 0, 0, 0, p.loc())
	case loyalty.PeriodYear:
		return time.Date(d.Year(), 1, 1, 0, 0, 0, 0, p.loc())
	}
	return time.Time{}
}
