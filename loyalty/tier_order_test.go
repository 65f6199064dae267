package loyalty_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// lateFact is one purchase or return of the cross-review property test.
type lateFact struct {
	when     time.Time
	purchase int // index of the purchase; a return names the purchase it returns
	isReturn bool
	arrives  time.Time // when it reaches loyalty in the shuffled run
}

// TestLateFactsAcrossTierReviews is the order-independence property over a
// tier ladder with monthly reviews and earn multipliers: purchases and
// returns that a lane syncs days late, across reviews, upgrades and grace
// ends, end in the account (points, lots, tier state) of the run that
// received every fact when it happened. The seed is logged.
//
// The programme here has no earn multipliers and no first-purchase bonus:
// a late fact that moves a past tier step, or a purchase synced after a
// later one, does not re-quote the purchases already earned after it (see
// the package documentation). With those rules only the tier state is
// order-independent, which TestLateFactsKeepTheTierState checks.
func TestLateFactsAcrossTierReviews(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	runs := 40
	if testing.Short() {
		runs = 10
	}
	t.Logf("seed %d", seed)
	for i := range runs {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		facts := lateFacts(rng)
		inOrder := tierOrderOutcome(t, facts, false, false)
		shuffled := tierOrderOutcome(t, facts, true, false)
		require.Equal(t, inOrder, shuffled, "seed %d run %d", seed, i)
	}
}

// TestLateFactsKeepTheTierState: with earn multipliers, late facts still
// end in the tier state of the in-order run.
func TestLateFactsKeepTheTierState(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	for i := range 20 {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		facts := lateFacts(rng)
		inOrder := tierOrderOutcome(t, facts, false, true)
		shuffled := tierOrderOutcome(t, facts, true, true)
		require.Equal(t, inOrder.State, shuffled.State, "seed %d run %d", seed, i)
	}
}

// lateFacts draws purchases over about two months and returns of some of
// them, each with a delay of up to four days before it reaches loyalty.
func lateFacts(rng *rand.Rand) []lateFact {
	var facts []lateFact
	when := at(2026, 1, 20, 10, 0)
	n := 6 + rng.IntN(10)
	for i := range n {
		when = when.Add(time.Duration(2+rng.IntN(5*24)) * time.Hour)
		facts = append(facts, lateFact{when: when, purchase: i})
		if rng.IntN(4) == 0 {
			facts = append(facts, lateFact{when: when.Add(time.Duration(1+rng.IntN(72)) * time.Hour), purchase: i, isReturn: true})
		}
	}
	for i := range facts {
		facts[i].arrives = facts[i].when
		if rng.IntN(3) == 0 {
			facts[i].arrives = facts[i].when.Add(time.Duration(rng.IntN(4*24)) * time.Hour)
		}
	}
	return facts
}

type tierOutcome struct {
	State loyalty.TierState
	Lots  map[string]int64
	Avail int64
}

func tierOrderOutcome(t *testing.T, facts []lateFact, late, multipliers bool) tierOutcome {
	t.Helper()
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.Caps = loyalty.Caps{}
		p.Tiers.Window = loyalty.QualWindow{Kind: loyalty.WindowRolling, Months: 1}
		p.Tiers.Review = loyalty.TierReview{Schedule: loyalty.ReviewMonthly, Downgrade: loyalty.DowngradeOneStep, GraceDays: 5}
		p.Tiers.Levels[1].Qualify = loyalty.Qualification{Purchases: 2}
		p.Tiers.Levels[2].Qualify = loyalty.Qualification{Spend: dec("900"), Purchases: 3, Match: loyalty.MatchAll}
		p.Tiers.Levels[3].Qualify = loyalty.Qualification{Spend: dec("2500"), Purchases: 6, Match: loyalty.MatchAll}
		if !multipliers {
			for i := range p.Tiers.Levels {
				p.Tiers.Levels[i].Benefits.EarnMultiplier = decimal.Zero
			}
			p.EarnRules = slices.DeleteFunc(p.EarnRules, func(r loyalty.EarnRule) bool { return r.When.FirstPurchase })
		}
	})
	m := s.member(t, "L", customer.Birthday{})
	order := slices.Clone(facts)
	if late {
		slices.SortStableFunc(order, func(a, b lateFact) int { return a.arrives.Compare(b.arrives) })
	}
	bought := map[int]customer.Purchase{}
	for i, f := range facts { // the customer service records every fact when it happens
		if f.isReturn {
			continue
		}
		price := fmt.Sprint(100+(i*137)%400, ".00")
		p := s.record(t, fmt.Sprint("p", f.purchase), m.ID, f.when, line("TEA", "tea", 2, price))
		bought[f.purchase] = p
	}
	returns := map[int]customer.Return{}
	for _, f := range facts {
		if !f.isReturn {
			continue
		}
		r, err := s.customers.RecordReturn(ctx, customer.Return{ID: fmt.Sprint("r", f.purchase), PurchaseID: bought[f.purchase].ID,
			Store: "SH-02", Time: f.when, Currency: "CNY", Refund: bought[f.purchase].Lines[0].UnitPrice,
			Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}})
		require.NoError(t, err)
		returns[f.purchase] = r
	}
	for _, f := range order {
		arrive := f.when
		if late {
			arrive = f.arrives
		}
		s.clock.set(arrive)
		if f.isReturn {
			_, err := s.loyalty.Return(ctx, returns[f.purchase])
			require.NoError(t, err)
			continue
		}
		_, err := s.loyalty.Earn(ctx, bought[f.purchase])
		require.NoError(t, err)
	}
	end := facts[0].arrives
	for _, f := range facts {
		end = latest(end, f.arrives)
	}
	s.clock.set(end.Add(time.Hour)) // both runs end when the last fact has arrived
	_, err := s.loyalty.EvaluateTier(ctx, m.ID)
	require.NoError(t, err)
	acct, err := loyalty.LoadWhole(ctx, s.loyalty.Store(), m.ID)
	require.NoError(t, err)
	out := tierOutcome{State: acct.Tier, Lots: map[string]int64{}, Avail: s.balance(t, m.ID).Available}
	out.State.Seen = time.Time{}
	for l := range acct.Points.AllLots() {
		out.Lots[l.ID] = l.Remaining
	}
	return out
}
