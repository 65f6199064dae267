package loyalty

import (
	"time"

	"github.com/clientele-go/clientele/customer"
)

// BirthdayCoupon issues a catalogue coupon around each member's birthday.
type BirthdayCoupon struct {
	// RewardID names the coupon in Program.Rewards.
	RewardID string `json:"rewardId"`
	// IssueDaysBefore: the coupon is issued at the start of the local day
	// this many days before the observed birthday.
	IssueDaysBefore int `json:"issueDaysBefore,omitempty"`
	// ValidDaysBefore and ValidDaysAfter bound its validity around the
	// birthday: from the start of birthday − before through the end of
	// birthday + after.
	ValidDaysBefore int `json:"validDaysBefore,omitempty"`
	ValidDaysAfter  int `json:"validDaysAfter,omitempty"`
	// Tiers restricts the coupon to these tier codes.
	Tiers []string `json:"tiers,omitempty"`
}

// BirthdayGrant is one birthday coupon due to a member.
type BirthdayGrant struct {
	RewardID   string
	Birthday   time.Time // local midnight of the observed birthday
	IssueAt    time.Time
	ValidFrom  time.Time
	ValidUntil time.Time // first instant it is no longer valid
}

// maxBirthdaySpan bounds the windows the birthday functions scan.
const maxBirthdaySpan = 200 // years

// BirthdayIn returns the first observed birthday, as the local midnight
// that starts it in loc, within [from, to). A 29 February birthday is
// observed on 28 February in common years (customer.Birthday.Observed).
// Windows may span a year end; an invalid birthday is never in a window.
func BirthdayIn(b customer.Birthday, from, to time.Time, loc *time.Location) (time.Time, bool) {
	var found time.Time
	ok := eachBirthday(b, from, to, loc, 0, func(day Date) bool {
		t := startOfDay(day, loc)
		if !t.Before(from) && t.Before(to) {
			found = t
			return true
		}
		return false
	})
	return found, ok
}

// eachBirthday calls f with each observed birthday date, shifted by shift
// days, whose year is near [from, to), in order, until f returns true.
func eachBirthday(b customer.Birthday, from, to time.Time, loc *time.Location, shift int, f func(Date) bool) bool {
	if b.IsZero() || b.Validate() != nil || !from.Before(to) {
		return false
	}
	y0, y1 := from.In(loc).Year()-1, to.In(loc).Year()+1
	if y1-y0 > maxBirthdaySpan {
		y1 = y0 + maxBirthdaySpan
	}
	for y := y0; y <= y1; y++ {
		obs := b.Observed(y, time.UTC)
		if f(Date{obs.Year(), obs.Month(), obs.Day()}.addDays(shift)) {
			return true
		}
	}
	return false
}

// BirthdayCouponDue decides whether a member of tier with birthday b is due
// the birthday coupon in the window [from, to): whether the coupon's issue
// instant falls in it. A daily job passes [last run, now) so each member is
// issued exactly once a year, whenever the job runs.
func (p *Program) BirthdayCouponDue(b customer.Birthday, tier string, from, to time.Time) (BirthdayGrant, bool) {
	c := p.BirthdayCoupon
	if c == nil || !c.forTier(tier) {
		return BirthdayGrant{}, false
	}
	return p.birthdayGrant(b, from, to)
}

// forTier reports whether members of tier get the coupon.
func (c *BirthdayCoupon) forTier(tier string) bool {
	return len(c.Tiers) == 0 || contains(c.Tiers, tier)
}

// birthdayGrant is BirthdayCouponDue whatever the member's tier: the
// calendar part, which needs no account.
func (p *Program) birthdayGrant(b customer.Birthday, from, to time.Time) (BirthdayGrant, bool) {
	c := p.BirthdayCoupon
	loc := p.loc()
	var g BirthdayGrant
	ok := eachBirthday(b, from, to, loc, 0, func(day Date) bool {
		issue := startOfDay(day.addDays(-c.IssueDaysBefore), loc)
		if issue.Before(from) || !issue.Before(to) {
			return false
		}
		g = BirthdayGrant{RewardID: c.RewardID, Birthday: startOfDay(day, loc), IssueAt: issue,
			ValidFrom:  startOfDay(day.addDays(-c.ValidDaysBefore), loc),
			ValidUntil: startOfDay(day.addDays(c.ValidDaysAfter+1), loc)}
		return true
	})
	return g, ok
}

func (c *BirthdayCoupon) validate(fe *fieldErrors, p *Program) {
	const path = "birthdayCoupon"
	r, ok := p.Reward(c.RewardID)
	if !ok {
		fe.add(path+".rewardId", "names no reward in the catalogue")
	} else if r.Kind == RewardItem {
		fe.add(path+".rewardId", "must name a coupon")
	}
	if c.IssueDaysBefore < 0 || c.IssueDaysBefore > 60 {
		fe.add(path+".issueDaysBefore", "must be 0 to 60")
	}
	if c.ValidDaysBefore < 0 || c.ValidDaysBefore > 60 {
		fe.add(path+".validDaysBefore", "must be 0 to 60")
	}
	if c.ValidDaysAfter < 0 || c.ValidDaysAfter > 60 {
		fe.add(path+".validDaysAfter", "must be 0 to 60")
	}
	p.validateTierCodes(fe, path+".tiers", c.Tiers)
}
