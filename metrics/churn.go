package metrics

import (
	"errors"
	"fmt"
	"time"
)

// ChurnRuleKind names a definition of churn.
type ChurnRuleKind string

// Churn rules.
const (
	// PeriodOverPeriod: the customers at risk are those who bought in the
	// previous window; one is retained if they buy again in the current
	// window and churned if not ("active in P−1, not in P").
	PeriodOverPeriod ChurnRuleKind = "period-over-period"
	// Inactivity: a customer has lapsed at time t once InactiveDays×24h
	// have passed since their last purchase before t ("no purchase in the
	// N days after their last purchase"). The customers at risk are those
	// not lapsed at the window's start who had bought before it; one has
	// churned if they lapse at any moment in the window, even if they buy
	// again later in it.
	Inactivity ChurnRuleKind = "inactivity"
)

// ChurnRule is a churn definition, carried by every Retention result so a
// reader knows what was measured. It loads from JSON.
type ChurnRule struct {
	Kind ChurnRuleKind `json:"kind"`
	// Previous is the window the at-risk customers bought in, for
	// PeriodOverPeriod; it must end no later than the current window
	// starts. For calendar months use Period.Previous().Window().
	Previous Window `json:"previous,omitzero"`
	// InactiveDays is N for Inactivity.
	InactiveDays int `json:"inactiveDays,omitempty"`
}

// Validate checks the rule and its fit with the current window, and
// reports every problem at once.
func (r ChurnRule) Validate(current Window) error {
	errs := r.problems()
	if r.Kind == PeriodOverPeriod && r.Previous.To.After(current.From) {
		errs = append(errs, fieldErr(ErrInvalidArgument, "churn rule", "Previous", "must end by the current window's start"))
	}
	return errors.Join(errs...)
}

// problems lists what is wrong with the rule on its own.
func (r ChurnRule) problems() []error {
	var errs []error
	switch r.Kind {
	case PeriodOverPeriod:
		if err := r.Previous.Validate(); err != nil {
			errs = append(errs, fieldErr(ErrInvalidArgument, "churn rule", "Previous", "%v", err))
		}
		if r.InactiveDays != 0 {
			errs = append(errs, fieldErr(ErrInvalidArgument, "churn rule", "InactiveDays", "belongs to the inactivity rule"))
		}
	case Inactivity:
		if r.InactiveDays < 1 || r.InactiveDays > maxInactiveDays {
			errs = append(errs, fieldErr(ErrInvalidArgument, "churn rule", "InactiveDays", "%d is outside 1..%d", r.InactiveDays, maxInactiveDays))
		}
		if !r.Previous.From.IsZero() || !r.Previous.To.IsZero() {
			errs = append(errs, fieldErr(ErrInvalidArgument, "churn rule", "Previous", "belongs to the period-over-period rule"))
		}
	default:
		errs = append(errs, fieldErr(ErrInvalidArgument, "churn rule", "Kind", "%q is not period-over-period or inactivity", string(r.Kind)))
	}
	return errs
}

// maxInactiveDays bounds N so N days stay a valid time.Duration.
const maxInactiveDays = 36500

// ParseChurnRule decodes a rule from JSON strictly (unknown fields and
// trailing data are errors) and checks it, reporting every problem. Its
// fit with a window is checked when it is used.
func ParseChurnRule(data []byte) (ChurnRule, error) {
	var r ChurnRule
	if err := decodeStrict(data, &r); err != nil {
		return ChurnRule{}, fieldErr(ErrInvalidArgument, "churn rule", "JSON", "%v", err)
	}
	if err := errors.Join(r.problems()...); err != nil {
		return ChurnRule{}, err
	}
	return r, nil
}

// String states the rule in words.
func (r ChurnRule) String() string {
	switch r.Kind {
	case PeriodOverPeriod:
		return fmt.Sprintf("churned: bought in %v, not in the current window", r.Previous)
	case Inactivity:
		return fmt.Sprintf("churned: no purchase in the %d days after the last purchase", r.InactiveDays)
	}
	return fmt.Sprintf("unknown churn rule %q", string(r.Kind))
}

func (r ChurnRule) lapse() time.Duration { return time.Duration(r.InactiveDays) * 24 * time.Hour }
