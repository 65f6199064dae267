package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cardPerks grants a tier and a tag from an instant on, as a paid
// membership card bought then would.
type cardPerks struct {
	from time.Time
	tier string
	tag  string
}

func (c cardPerks) PerksAt(_ context.Context, _ string, at time.Time) (loyalty.Perks, error) {
	if at.Before(c.from) {
		return loyalty.Perks{}, nil
	}
	return loyalty.Perks{Tier: c.tier, Tags: []string{c.tag}}, nil
}

// A perk's tier counts when it is higher than the earned one, with that
// tier's multiplier, and its tags reach the programme's rules; both as of
// the purchase's time, so a purchase synced after the card was bought
// earns as it would have before.
func TestPerksRaiseTheTierAndTagTheMember(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.EarnRules = append(p.EarnRules, loyalty.EarnRule{ID: "paid-bonus", Kind: loyalty.KindOrderBonus, Points: 50, Priority: 2,
			When: loyalty.Condition{MemberTags: []string{"paid-member"}}})
	})
	card := at(2026, 3, 10, 0, 0)
	svc, err := loyalty.NewService(s.program, loyalty.NewMemoryStore(), s.customers, &loyalty.Options{Clock: s.clock.Now,
		Perks: cardPerks{from: card, tier: "gold", tag: "paid-member"}})
	require.NoError(t, err)
	m := s.member(t, "P", customer.Birthday{})
	earn := func(id string, when time.Time) loyalty.EarnResult {
		s.clock.set(latest(when, s.clock.Now()))
		p := s.record(t, id, m.ID, when, line("RICE", "grocery", 1, "100.00"))
		res, err := svc.Earn(ctx, p)
		require.NoError(t, err)
		return res
	}
	before := earn("before", card.Add(-time.Hour))
	after := earn("after", card.Add(time.Hour))
	late := earn("late", card.Add(-2*time.Hour)) // synced after the card, made before it
	rules := func(r loyalty.EarnResult) map[string]int64 {
		out := map[string]int64{}
		for _, q := range r.Quote.Rules {
			out[q.RuleID] = q.Points
		}
		return out
	}
	assert.NotContains(t, rules(before), "tier:gold")
	assert.NotContains(t, rules(before), "paid-bonus")
	assert.Contains(t, rules(after), "tier:gold", "the card's tier brings its multiplier")
	assert.Equal(t, int64(50), rules(after)["paid-bonus"], "the card's tag reaches the rules")
	assert.Positive(t, rules(after)["tier:gold"])
	assert.NotContains(t, rules(late), "tier:gold", "a purchase made before the card earns without it")
	assert.NotContains(t, rules(late), "paid-bonus")
}
