package loyalty

import (
	"fmt"
)

func (p *Program) validateRules(fe *fieldErrors, minor int32) {
	if len(p.EarnRules) > MaxRules {
		fe.add("earnRules", "at most %d rules", MaxRules)
	}
	groups := map[string]StackMode{}
	for _, g := range p.Stacking {
		groups[g.ID] = g.Mode
	}
	ids := map[string]int{}
	type slot struct {
		group    string
		priority int
	}
	prio := map[slot]string{}
	groupKind := map[string]RuleKind{}
	for i := range p.EarnRules {
		r := &p.EarnRules[i]
		path := "earnRules[" + itoa(i) + "]"
		if r.ID == "" {
			fe.add(path+".id", "required")
		} else if _, dup := ids[r.ID]; dup {
			fe.add(path+".id", "duplicate rule ID")
		}
		ids[r.ID] = i
		r.validateKind(fe, path, p)
		if !r.Rounding.valid() {
			fe.add(path+".rounding", "must be floor, round or ceil")
		}
		if r.MaxPoints < 0 {
			fe.add(path+".maxPoints", "must not be negative")
		}
		if r.Priority < -1_000_000 || r.Priority > 1_000_000 {
			fe.add(path+".priority", "must be within ±1000000")
		}
		if r.Group != "" {
			if _, ok := groups[r.Group]; !ok {
				fe.add(path+".group", "names no declared stacking group")
			}
			if k, ok := groupKind[r.Group]; ok && k != r.Kind {
				fe.add(path+".group", "a stacking group holds rules of one kind")
			}
			groupKind[r.Group] = r.Kind
			key := slot{r.Group, r.Priority}
			if other, dup := prio[key]; dup {
				fe.add(path+".priority", "equal to rule %q in the same stacking group; make the order explicit", other)
			}
			prio[key] = r.ID
		}
		p.validateCondition(fe, path+".when", r, minor)
	}
}

func (r *EarnRule) validateKind(fe *fieldErrors, path string, p *Program) {
	rateSet, factorSet := !r.Rate.IsZero(), !r.Factor.IsZero()
	switch r.Kind {
	case KindBase:
		if v, ok := scaled(r.Rate, 4); !ok || v <= 0 || v > 1000*10000 {
			fe.add(path+".rate", "must be more than 0 and at most 1000 points per unit, with at most 4 decimals")
		}
		if factorSet || r.Points != 0 {
			fe.add(path, "a base rule takes only a rate")
		}
	case KindMultiplier:
		if v, ok := scaled(r.Factor, 4); !ok || v <= 10000 || v > 100*10000 {
			fe.add(path+".factor", "must be more than 1 and at most 100, with at most 4 decimals")
		}
		if rateSet || r.Points != 0 {
			fe.add(path, "a multiplier takes only a factor")
		}
	case KindProductBonus, KindOrderBonus, KindEventBonus:
		if r.Points <= 0 || r.Points > MaxBonusPoints {
			fe.add(path+".points", "must be 1 to %d", MaxBonusPoints)
		}
		if rateSet || factorSet {
			fe.add(path, "a bonus takes only points")
		}
	default:
		fe.add(path+".kind", "must be base, multiplier, product-bonus, order-bonus or event-bonus")
	}
	if r.Kind == KindEventBonus {
		if !p.knowsEvent(r.Event) {
			fe.add(path+".event", "must be registration, profile-completed, review, referral-referrer, referral-referee or a kind defined in events")
		}
	} else if r.Event != "" {
		fe.add(path+".event", "only an event bonus names an event")
	}
}

func (p *Program) validateCondition(fe *fieldErrors, path string, r *EarnRule, minor int32) {
	w := &r.When
	w.Lines.validate(fe, path+".lines")
	w.Exclude.validate(fe, path+".exclude")
	validateDates(fe, path, w.From, w.To)
	for _, d := range w.Weekdays {
		if d < 0 || d > 6 {
			fe.add(path+".weekdays", "weekday out of range")
			break
		}
	}
	w.MemberDay.validate(fe, path+".memberDay")
	for j, h := range w.Hours {
		if h.From < 0 || h.From > 1440 || h.To < 0 || h.To > 1440 || h.From == h.To {
			fe.add(fmt.Sprintf("%s.hours[%d]", path, j), "must be a non-empty range within 00:00 and 24:00")
		}
	}
	p.validateTierCodes(fe, path+".tiers", w.Tiers)
	if w.JoinedWithinDays < 0 || w.JoinedWithinDays > 3660 {
		fe.add(path+".joinedWithinDays", "must be 0 to 3660")
	}
	if w.Birthday != "" && w.Birthday != BirthdayDay && w.Birthday != BirthdayMonth {
		fe.add(path+".birthday", "must be day or month")
	}
	if v, ok := scaled(w.MinAmount, minor); !ok || v < 0 || v > MaxAmountMinor {
		fe.add(path+".minAmount", "must be a non-negative amount in the currency's minor unit")
	}
	if v, ok := scaled(w.MinQuantity, qtyScale); !ok || v < 0 || v > MaxQuantity*1e6 {
		fe.add(path+".minQuantity", "must be a non-negative quantity with at most 6 decimals")
	}
	if r.Kind == KindEventBonus {
		basket := !w.Lines.IsZero() || !w.Exclude.IsZero() || !w.MinAmount.IsZero() || !w.MinQuantity.IsZero() ||
			len(w.Stores) > 0 || len(w.Channels) > 0 || len(w.Hours) > 0 || w.FirstPurchase
		if basket {
			fe.add(path, "an event bonus cannot test a basket, store, channel, hours or first purchase")
		}
	}
}
