package loyalty

import (
	"github.com/shopspring/decimal"
)

// TierLadder is the member tier ladder, lowest tier first. The first tier is
// the entry tier every member starts in; it has no thresholds.
type TierLadder struct {
	Levels []Tier     `json:"levels"`
	Window QualWindow `json:"window"`
	Review TierReview `json:"review"`
}

// IsZero reports whether the programme has no tiers.
func (l TierLadder) IsZero() bool { return len(l.Levels) == 0 }

// Tier is one rung of the ladder.
type Tier struct {
	// Code identifies the tier in data ("gold"); it never changes.
	Code string `json:"code"`
	// Names are display names by BCP 47 language tag ("en": "Gold",
	// "zh-Hans": "金卡").
	Names map[string]string `json:"names"`
	// Qualify is what a member must reach within the window to hold it.
	Qualify Qualification `json:"qualify,omitzero"`
	// Benefits are data the host reads; the earn multiplier also feeds
	// Quote (as a multiplier rule with ID "tier:<code>").
	Benefits Benefits `json:"benefits,omitzero"`
}

// Name returns the tier's name in lang, falling back to the language's base
// ("zh-Hans-CN" → "zh-Hans" → "zh"), then English, then the code.
func (t Tier) Name(lang string) string {
	for l := lang; l != ""; l = parentTag(l) {
		if n, ok := t.Names[l]; ok {
			return n
		}
	}
	if n, ok := t.Names["en"]; ok {
		return n
	}
	return t.Code
}

func parentTag(l string) string {
	for i := len(l) - 1; i >= 0; i-- {
		if l[i] == '-' {
			return l[:i]
		}
	}
	return ""
}

// Match says whether any or all of a qualification's conditions must hold.
type Match string

// Matches. The zero value means MatchAny.
const (
	MatchAny Match = "any"
	MatchAll Match = "all"
)

// Qualification lists thresholds over the qualification window. A zero
// threshold is not a condition. Reaching a threshold exactly qualifies.
type Qualification struct {
	Spend     decimal.Decimal `json:"spend,omitzero"`      // net of returns
	Purchases int64           `json:"purchases,omitempty"` // number of purchases
	Points    int64           `json:"points,omitempty"`    // qualifying points, not the spendable balance
	Match     Match           `json:"match,omitempty"`
}

// IsZero reports whether the qualification has no condition.
func (q Qualification) IsZero() bool {
	return q.Spend.IsZero() && q.Purchases == 0 && q.Points == 0
}

// Benefits are what a tier gives; the host reads them.
type Benefits struct {
	EarnMultiplier  decimal.Decimal `json:"earnMultiplier,omitzero"`  // e.g. 1.5; applied by Quote
	DiscountPercent decimal.Decimal `json:"discountPercent,omitzero"` // 0 to 100
	FreeDelivery    bool            `json:"freeDelivery,omitempty"`
	BirthdayGift    string          `json:"birthdayGift,omitempty"` // a reward ID
	PriorityService bool            `json:"priorityService,omitempty"`
}

// WindowKind says over which period qualifying activity counts.
type WindowKind string

// Qualification windows.
const (
	// WindowRolling counts the last Months months up to the moment of
	// evaluation.
	WindowRolling WindowKind = "rolling"
	// WindowCalendarYear counts the local calendar year so far.
	WindowCalendarYear WindowKind = "calendar-year"
	// WindowAnniversary counts from the member's last joining anniversary.
	WindowAnniversary WindowKind = "anniversary"
)

// QualWindow is the qualification window.
type QualWindow struct {
	Kind   WindowKind `json:"kind"`
	Months int        `json:"months,omitempty"` // WindowRolling
}

// ReviewSchedule says when tiers are reviewed for a downgrade.
type ReviewSchedule string

// Review schedules: the start of each local month, quarter or year, or each
// membership anniversary.
const (
	ReviewMonthly     ReviewSchedule = "monthly"
	ReviewQuarterly   ReviewSchedule = "quarterly"
	ReviewYearly      ReviewSchedule = "yearly"
	ReviewAnniversary ReviewSchedule = "anniversary"
)

// DowngradeMode says how far a review moves a member down.
type DowngradeMode string

// Downgrade modes.
const (
	DowngradeOneStep     DowngradeMode = "one-step"     // one tier down at most
	DowngradeToQualified DowngradeMode = "to-qualified" // straight to the tier still qualified for
)

// TierReview is the scheduled review that may downgrade.
type TierReview struct {
	Schedule  ReviewSchedule `json:"schedule"`
	Downgrade DowngradeMode  `json:"downgrade"`
	// GraceDays postpones a downgrade: a member who fails a review keeps the
	// tier for GraceDays more days and keeps it for good if they qualify
	// again by then.
	GraceDays int `json:"graceDays,omitempty"`
	// GuaranteeMonths: after an upgrade the member keeps the tier at least
	// this many months whatever the reviews say.
	GuaranteeMonths int `json:"guaranteeMonths,omitempty"`
}

func (l TierLadder) index(code string) int {
	for i, t := range l.Levels {
		if t.Code == code {
			return i
		}
	}
	return -1
}

// Tier returns the tier with the code.
func (l TierLadder) Tier(code string) (Tier, bool) {
	if i := l.index(code); i >= 0 {
		return l.Levels[i], true
	}
	return Tier{}, false
}

// validateGifts checks that birthday gifts name catalogue rewards.
func (p *Program) validateGifts(fe *fieldErrors) {
	for i, t := range p.Tiers.Levels {
		if g := t.Benefits.BirthdayGift; g != "" {
			if _, ok := p.Reward(g); !ok {
				fe.add("tiers.levels["+itoa(i)+"].benefits.birthdayGift", "names no reward in the catalogue")
			}
		}
	}
}

func (l TierLadder) validate(fe *fieldErrors, minor int32) {
	if l.IsZero() {
		return
	}
	const path = "tiers"
	seen := map[string]bool{}
	for i, t := range l.Levels {
		p := path + ".levels[" + itoa(i) + "]"
		if t.Code == "" {
			fe.add(p+".code", "required")
		} else if seen[t.Code] {
			fe.add(p+".code", "duplicate tier code")
		}
		seen[t.Code] = true
		if len(t.Names) == 0 {
			fe.add(p+".names", "at least one name is required")
		}
		for lang, n := range t.Names {
			if lang == "" || n == "" {
				fe.add(p+".names", "language tags and names must not be empty")
				break
			}
		}
		q := t.Qualify
		if i == 0 && !q.IsZero() {
			fe.add(p+".qualify", "the entry tier has no thresholds")
		}
		if i > 0 && q.IsZero() {
			fe.add(p+".qualify", "needs at least one threshold")
		}
		if !amountOK(q.Spend, minor) || q.Spend.Sign() < 0 {
			fe.add(p+".qualify.spend", "must be a non-negative amount in the currency's minor unit")
		}
		if q.Purchases < 0 || q.Points < 0 {
			fe.add(p+".qualify", "purchases and points must not be negative")
		}
		if q.Match != "" && q.Match != MatchAny && q.Match != MatchAll {
			fe.add(p+".qualify.match", "must be any or all")
		}
		b := t.Benefits
		if !b.EarnMultiplier.IsZero() {
			if f, ok := scaled(b.EarnMultiplier, 4); !ok || f <= 10000 || f > 100*10000 {
				fe.add(p+".benefits.earnMultiplier", "must be more than 1 and at most 100, with at most 4 decimals")
			}
		}
		if v, ok := scaled(b.DiscountPercent, 4); !ok || v < 0 || v > 100*10000 {
			fe.add(p+".benefits.discountPercent", "must be 0 to 100 with at most 4 decimals")
		}
	}
	switch l.Window.Kind {
	case WindowRolling:
		if l.Window.Months < 1 || l.Window.Months > 120 {
			fe.add(path+".window.months", "must be 1 to 120")
		}
	case WindowCalendarYear, WindowAnniversary:
		if l.Window.Months != 0 {
			fe.add(path+".window.months", "only a rolling window takes months")
		}
	default:
		fe.add(path+".window.kind", "must be rolling, calendar-year or anniversary")
	}
	switch l.Review.Schedule {
	case ReviewMonthly, ReviewQuarterly, ReviewYearly, ReviewAnniversary:
	default:
		fe.add(path+".review.schedule", "must be monthly, quarterly, yearly or anniversary")
	}
	if l.Review.Downgrade != DowngradeOneStep && l.Review.Downgrade != DowngradeToQualified {
		fe.add(path+".review.downgrade", "must be one-step or to-qualified")
	}
	if l.Review.GraceDays < 0 || l.Review.GraceDays > 3660 {
		fe.add(path+".review.graceDays", "must be 0 to 3660")
	}
	if l.Review.GuaranteeMonths < 0 || l.Review.GuaranteeMonths > 120 {
		fe.add(path+".review.guaranteeMonths", "must be 0 to 120")
	}
	l.validateOrder(fe)
}

// validateOrder checks that each tier asks at least as much as the one
// below, so that "the highest tier qualified for" is well defined.
func (l TierLadder) validateOrder(fe *fieldErrors) {
	for i := 2; i < len(l.Levels); i++ {
		a, b := l.Levels[i-1].Qualify, l.Levels[i].Qualify
		if !amountSane(a.Spend) || !amountSane(b.Spend) {
			continue
		}
		if b.Spend.LessThan(a.Spend) || b.Purchases < a.Purchases || b.Points < a.Points {
			fe.add("tiers.levels["+itoa(i)+"].qualify", "thresholds must not be lower than the tier below")
		}
	}
}
