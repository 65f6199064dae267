package loyalty

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Errors of reward eligibility. *RewardError matches one of them.
var (
	ErrRewardUnknown     = errors.New("loyalty: no such reward")
	ErrRewardUnavailable = errors.New("loyalty: reward not available now")
	ErrRewardLimit       = errors.New("loyalty: reward limit reached")
	ErrRewardTier        = errors.New("loyalty: reward not offered to this tier")
)

// RewardKind says what a reward gives.
type RewardKind string

// Reward kinds.
const (
	RewardItem          RewardKind = "item"           // a product, by SKU
	RewardCouponAmount  RewardKind = "coupon-amount"  // a coupon worth Amount
	RewardCouponPercent RewardKind = "coupon-percent" // a coupon of Percent off
)

// Reward is one entry of the catalogue points can be exchanged for.
type Reward struct {
	ID    string            `json:"id"`
	Kind  RewardKind        `json:"kind"`
	Names map[string]string `json:"names"`
	// Cost in points (0 for gifts such as the birthday coupon).
	Cost int64 `json:"cost"`

	SKU      string          `json:"sku,omitempty"`     // RewardItem
	Amount   decimal.Decimal `json:"amount,omitzero"`   // RewardCouponAmount
	Percent  decimal.Decimal `json:"percent,omitzero"`  // RewardCouponPercent, 0 < p ≤ 100
	MinSpend decimal.Decimal `json:"minSpend,omitzero"` // coupons: least basket to use it

	// From and To bound the local days the reward is offered (inclusive).
	From Date `json:"from,omitzero"`
	To   Date `json:"to,omitzero"`
	// ValidDays: an issued coupon is valid through the local day ValidDays
	// days after issue (0: no limit of its own).
	ValidDays int `json:"validDays,omitempty"`
	// SingleUse coupons are consumed by one use.
	SingleUse bool `json:"singleUse,omitempty"`
	// PerCustomer limits how often one customer may obtain the reward per
	// LimitPeriod ("" = ever); 0 means no limit.
	PerCustomer int       `json:"perCustomer,omitempty"`
	LimitPeriod CapPeriod `json:"limitPeriod,omitempty"`
	// Tiers restricts the reward to these tier codes.
	Tiers []string `json:"tiers,omitempty"`
}

// RewardError says why a reward cannot be obtained; it matches one of the
// ErrReward sentinels.
type RewardError struct {
	RewardID string
	Err      error
}

// Error implements error.
func (e *RewardError) Error() string { return fmt.Sprintf("%v: %s", e.Err, e.RewardID) }

// Unwrap returns the sentinel.
func (e *RewardError) Unwrap() error { return e.Err }

// Reward returns the catalogue entry with the ID.
func (p *Program) Reward(id string) (Reward, bool) {
	for _, r := range p.Rewards {
		if r.ID == id {
			return r, true
		}
	}
	return Reward{}, false
}

// CheckReward decides whether a member of tier may obtain reward id at now,
// having obtained it obtained times in the current limit period (see
// RewardLimitWindow). It is pure; the service counts and charges.
func (p *Program) CheckReward(id, tier string, obtained int, now time.Time) (Reward, error) {
	r, ok := p.Reward(id)
	if !ok {
		return Reward{}, &RewardError{id, ErrRewardUnknown}
	}
	d := DateOf(now, p.loc())
	if (!r.From.IsZero() && d.compare(r.From) < 0) || (!r.To.IsZero() && d.compare(r.To) > 0) {
		return r, &RewardError{id, ErrRewardUnavailable}
	}
	if len(r.Tiers) > 0 && !contains(r.Tiers, tier) {
		return r, &RewardError{id, ErrRewardTier}
	}
	if r.PerCustomer > 0 && obtained >= r.PerCustomer {
		return r, &RewardError{id, ErrRewardLimit}
	}
	return r, nil
}

// RewardLimitWindow returns the window [start, end) in which obtaining
// reward r counts towards PerCustomer at time t; a lifetime limit returns
// zero times (count everything).
func (p *Program) RewardLimitWindow(r Reward, t time.Time) (start, end time.Time) {
	if r.LimitPeriod == "" {
		return time.Time{}, time.Time{}
	}
	loc := p.loc()
	s := periodStart(DateOf(t, loc), r.LimitPeriod)
	return startOfDay(s, loc), startOfDay(nextPeriodStart(s, r.LimitPeriod, 1), loc)
}

// CouponValidUntil returns when a coupon of reward r issued at issued stops
// being valid: the start of the local day after the ValidDays-th day, or
// after the reward's To date, whichever is sooner; zero means no limit.
func (p *Program) CouponValidUntil(r Reward, issued time.Time) time.Time {
	loc := p.loc()
	var until time.Time
	if r.ValidDays > 0 {
		until = startOfDay(DateOf(issued, loc).addDays(r.ValidDays+1), loc)
	}
	if !r.To.IsZero() {
		end := startOfDay(r.To.addDays(1), loc)
		if until.IsZero() || end.Before(until) {
			until = end
		}
	}
	return until
}

func (p *Program) validateRewards(fe *fieldErrors, minor int32) {
	seen := map[string]bool{}
	for i, r := range p.Rewards {
		path := "rewards[" + itoa(i) + "]"
		if r.ID == "" {
			fe.add(path+".id", "required")
		} else if seen[r.ID] {
			fe.add(path+".id", "duplicate reward ID")
		}
		seen[r.ID] = true
		if len(r.Names) == 0 {
			fe.add(path+".names", "at least one name is required")
		}
		if r.Cost < 0 || r.Cost > 1e12 {
			fe.add(path+".cost", "must be 0 to 10^12 points")
		}
		switch r.Kind {
		case RewardItem:
			if r.SKU == "" {
				fe.add(path+".sku", "an item reward needs a SKU")
			}
		case RewardCouponAmount:
			if !amountOK(r.Amount, minor) || r.Amount.Sign() <= 0 {
				fe.add(path+".amount", "must be a positive amount in the currency's minor unit")
			}
		case RewardCouponPercent:
			if v, ok := scaled(r.Percent, 4); !ok || v <= 0 || v > 100*10000 {
				fe.add(path+".percent", "must be more than 0 and at most 100, with at most 4 decimals")
			}
		default:
			fe.add(path+".kind", "must be item, coupon-amount or coupon-percent")
		}
		if !amountOK(r.MinSpend, minor) || r.MinSpend.Sign() < 0 {
			fe.add(path+".minSpend", "must be a non-negative amount in the currency's minor unit")
		}
		validateDates(fe, path, r.From, r.To)
		if r.ValidDays < 0 || r.ValidDays > 3660 {
			fe.add(path+".validDays", "must be 0 to 3660")
		}
		if r.PerCustomer < 0 {
			fe.add(path+".perCustomer", "must not be negative")
		}
		if r.LimitPeriod != "" && !validPeriod(r.LimitPeriod) {
			fe.add(path+".limitPeriod", "must be week, month, quarter or year")
		}
		p.validateTierCodes(fe, path+".tiers", r.Tiers)
	}
}

func validateDates(fe *fieldErrors, path string, from, to Date) {
	if !from.IsZero() && !from.valid() {
		fe.add(path+".from", "not a calendar date")
	}
	if !to.IsZero() && !to.valid() {
		fe.add(path+".to", "not a calendar date")
	}
	if !from.IsZero() && !to.IsZero() && from.compare(to) > 0 {
		fe.add(path+".to", "must not be before from")
	}
}

func validPeriod(p CapPeriod) bool {
	return p == PeriodWeek || p == PeriodMonth || p == PeriodQuarter || p == PeriodYear
}

func (p *Program) validateTierCodes(fe *fieldErrors, path string, codes []string) {
	for _, c := range codes {
		if p.Tiers.index(c) < 0 {
			fe.add(path, "names a tier the ladder does not have")
			return
		}
	}
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
