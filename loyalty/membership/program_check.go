package membership

import (
	"errors"
	"fmt"
	"slices"

	"github.com/clientele-go/clientele/loyalty"
)

// A plan's tier and earn multiplier reach loyalty through one road, the
// perk source (loyalty.Options.Perks, Service.PerksAt): the card's tier
// counts as the member's tier for every purchase and event dated in its
// term, and loyalty applies that tier's earn multiplier (its rule
// "tier:<code>"). So the plan's EarnMultiplier needs no rule of its own:
// it is the multiplier of the plan's tier, and CheckProgram makes sure of
// it, instead of leaving a stated benefit that silently earns something
// else. A programme that already rewards the plan's Tag with a multiplier
// rule of that factor (the older wiring) is accepted, as long as the
// multiplier is not applied twice.

// ErrBenefitUnreachable: a plan's benefit does not reach the loyalty
// programme as stated (its tier is not one of the programme's, or its
// earn multiplier is not what the member would earn).
var ErrBenefitUnreachable = errors.New("membership: plan benefit does not reach the programme")

// CheckProgram reports every plan whose tier or earn multiplier would not
// reach program as stated: a tier the programme does not have; an earn
// multiplier without a tier; a multiplier that neither the tier nor a
// multiplier rule on the plan's Tag gives; or one the tag's rule gives
// while the tier multiplies too (earned twice). NewService runs it when its coupon issuer exposes its programme
// (a *loyalty.Service does).
func (s *Service) CheckProgram(program *loyalty.Program) error {
	if program == nil {
		return &FieldError{Field: "program", Problem: "required"}
	}
	ids := make([]string, 0, len(s.plans))
	for id := range s.plans {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var errs []error
	for _, id := range ids {
		if err := checkPlan(s.plans[id], program); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func checkPlan(p *Plan, program *loyalty.Program) error {
	b := p.Benefits
	bad := func(field, problem string) error {
		return fmt.Errorf("%w: plan %s: benefits.%s: %s", ErrBenefitUnreachable, p.ID, field, problem)
	}
	var tier *loyalty.Tier
	if b.Tier != "" {
		i := slices.IndexFunc(program.Tiers.Levels, func(t loyalty.Tier) bool { return t.Code == b.Tier })
		if i < 0 {
			return bad("tier", "not a tier of the programme")
		}
		tier = &program.Tiers.Levels[i]
	}
	byTag := false
	if b.Tag != "" {
		for _, r := range program.EarnRules {
			if r.Kind == loyalty.KindMultiplier && slices.Contains(r.When.MemberTags, b.Tag) {
				if !r.Factor.Equal(b.EarnMultiplier) {
					return bad("earnMultiplier", fmt.Sprintf("the programme's rule %s on the plan's tag multiplies by %s", r.ID, r.Factor))
				}
				byTag = true
			}
		}
	}
	if b.EarnMultiplier.IsZero() {
		return nil
	}
	byTier := tier != nil && tier.Benefits.EarnMultiplier.Equal(b.EarnMultiplier)
	switch {
	case byTag && tier != nil && !tier.Benefits.EarnMultiplier.IsZero():
		return bad("earnMultiplier", "both the tier and a rule on the tag multiply: earned twice")
	case byTier || byTag:
		return nil
	case tier == nil:
		return bad("earnMultiplier", "needs the tier that carries it")
	}
	return bad("earnMultiplier", fmt.Sprintf("the tier %s multiplies by %s", tier.Code, tier.Benefits.EarnMultiplier))
}
