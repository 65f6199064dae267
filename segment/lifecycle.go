package segment

import "time"

// Stage is a customer's lifecycle stage.
type Stage string

// Lifecycle stages, in the order Stages lists them.
const (
	StageProspect Stage = "prospect" // no purchase yet
	StageNew      Stage = "new"      // first purchase within NewDays
	StageActive   Stage = "active"   // one purchase, no longer new, not yet at risk
	StageRepeat   Stage = "repeat"   // two or more purchases, not at risk
	StageLoyal    Stage = "loyal"    // LoyalPurchases or more, not at risk
	StageAtRisk   Stage = "at-risk"  // silent longer than the at-risk gap
	StageLapsed   Stage = "lapsed"   // silent longer than the lapsed gap
	StageWonBack  Stage = "won-back" // came back after a lapse, not at risk again
)

// Stages lists every stage.
func Stages() []Stage {
	return []Stage{StageProspect, StageNew, StageActive, StageRepeat, StageLoyal, StageAtRisk, StageLapsed, StageWonBack}
}

func (s Stage) valid() bool {
	for _, x := range Stages() {
		if s == x {
			return true
		}
	}
	return false
}

// LifecycleConfig holds a shop's thresholds in days: a furniture shop's
// "lapsed" (two years) is not a grocer's (six weeks). The zero value (or
// nil) means DefaultLifecycle.
//
// Where a customer has enough history (RhythmMinPurchases purchases or
// more), the at-risk and lapsed gaps come from their own rhythm: the mean
// gap between their purchases times AtRiskFactor or LapsedFactor, never
// shorter than the shop's MinGapDays. A weekly shopper silent for a month
// is at risk even if the shop's default says 90 days.
type LifecycleConfig struct {
	NewDays            int `json:"newDays"`            // a first purchase this recent is "new"
	AtRiskDays         int `json:"atRiskDays"`         // silent longer than this: at risk
	LapsedDays         int `json:"lapsedDays"`         // silent longer than this: lapsed
	LoyalPurchases     int `json:"loyalPurchases"`     // this many purchases: loyal
	RhythmMinPurchases int `json:"rhythmMinPurchases"` // 0 disables the personal rhythm
	// AtRiskFactor and LapsedFactor multiply the mean gap, in percent
	// (200 means twice the mean gap).
	AtRiskFactor int `json:"atRiskFactorPercent"`
	LapsedFactor int `json:"lapsedFactorPercent"`
	MinGapDays   int `json:"minGapDays"` // floor for rhythm-based gaps
}

// DefaultLifecycle suits a general retailer: new for 30 days, at risk
// after 90 silent days, lapsed after 180, loyal from 5 purchases; with 4
// or more purchases, at risk after twice and lapsed after four times the
// customer's mean gap, but never before 14 days.
func DefaultLifecycle() LifecycleConfig {
	return LifecycleConfig{NewDays: 30, AtRiskDays: 90, LapsedDays: 180, LoyalPurchases: 5,
		RhythmMinPurchases: 4, AtRiskFactor: 200, LapsedFactor: 400, MinGapDays: 14}
}

func (c *LifecycleConfig) orDefault() LifecycleConfig {
	if c == nil || *c == (LifecycleConfig{}) {
		return DefaultLifecycle()
	}
	return *c
}

// Validate reports every problem at once.
func (c LifecycleConfig) Validate() error {
	var p problems
	pos := func(field string, v int) {
		if v <= 0 {
			p.add("lifecycle."+field, "is %d, want > 0", v)
		}
	}
	pos("newDays", c.NewDays)
	pos("atRiskDays", c.AtRiskDays)
	pos("lapsedDays", c.LapsedDays)
	pos("loyalPurchases", c.LoyalPurchases)
	if c.LapsedDays <= c.AtRiskDays {
		p.add("lifecycle.lapsedDays", "is %d, want more than atRiskDays %d", c.LapsedDays, c.AtRiskDays)
	}
	if c.LoyalPurchases < 2 {
		p.add("lifecycle.loyalPurchases", "is %d, want at least 2", c.LoyalPurchases)
	}
	if c.RhythmMinPurchases < 0 || c.RhythmMinPurchases == 1 || c.RhythmMinPurchases == 2 {
		p.add("lifecycle.rhythmMinPurchases", "is %d, want 0 (off) or at least 3", c.RhythmMinPurchases)
	}
	if c.RhythmMinPurchases > 0 {
		pos("atRiskFactorPercent", c.AtRiskFactor)
		pos("minGapDays", c.MinGapDays)
		if c.LapsedFactor <= c.AtRiskFactor {
			p.add("lifecycle.lapsedFactorPercent", "is %d, want more than atRiskFactorPercent %d", c.LapsedFactor, c.AtRiskFactor)
		}
	}
	return p.err()
}

// Gaps returns the at-risk and lapsed gaps, in days, that apply to the
// customer, and whether they come from the customer's own rhythm.
func (c LifecycleConfig) Gaps(f *Facts) (atRisk, lapsed int64, personal bool) {
	atRisk, lapsed = int64(c.AtRiskDays), int64(c.LapsedDays)
	if c.RhythmMinPurchases == 0 || f.Purchases < int64(c.RhythmMinPurchases) {
		return atRisk, lapsed, false
	}
	// Mean gap in seconds (small enough that × percent cannot overflow),
	// then whole days.
	mean := int64(f.Last.Sub(f.First)/time.Second) / (f.Purchases - 1)
	days := func(pct int) int64 {
		return max(mean*int64(pct)/100/86400, int64(c.MinGapDays))
	}
	return days(c.AtRiskFactor), max(days(c.LapsedFactor), days(c.AtRiskFactor)+1), true
}

// StageOf returns the customer's stage at asOf. The rules, first match
// wins:
//
//  1. no purchase: prospect;
//  2. silent longer than the lapsed gap: lapsed;
//  3. silent longer than the at-risk gap: at risk;
//  4. first purchase within NewDays: new;
//  5. the gap before the latest purchase exceeded the shop's LapsedDays:
//     won back;
//  6. LoyalPurchases or more: loyal;
//  7. two or more purchases: repeat;
//  8. otherwise: active.
//
// Silence is counted in whole elapsed days, as RFM recency is.
func (c LifecycleConfig) StageOf(f *Facts, asOf time.Time) Stage {
	if f.Purchases == 0 {
		return StageProspect
	}
	silent := elapsedDays(f.Last, asOf)
	atRisk, lapsed, _ := c.Gaps(f)
	switch {
	case silent > lapsed:
		return StageLapsed
	case silent > atRisk:
		return StageAtRisk
	case elapsedDays(f.First, asOf) <= int64(c.NewDays):
		return StageNew
	case f.Purchases >= 2 && elapsedDays(f.PrevLast, f.Last) > int64(c.LapsedDays):
		return StageWonBack
	case f.Purchases >= int64(c.LoyalPurchases):
		return StageLoyal
	case f.Purchases >= 2:
		return StageRepeat
	}
	return StageActive
}

// elapsedDays counts whole 24-hour periods from a to b (0 if b is before
// a).
func elapsedDays(a, b time.Time) int64 {
	return max(0, int64(b.Sub(a)/(24*time.Hour)))
}

// StageCounts tallies the stages of a set of customers.
func StageCounts(fs []Facts, asOf time.Time, cfg *LifecycleConfig) (map[Stage]int, error) {
	c := cfg.orDefault()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	out := map[Stage]int{}
	for i := range fs {
		out[c.StageOf(&fs[i], asOf)]++
	}
	return out, nil
}
