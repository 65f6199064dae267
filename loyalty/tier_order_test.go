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
	"github.com/stretchr/testify/require"
)

// lateSale is one purchase or return of the cross-review property test.
type lateSale struct {
	when     time.Time
	purchase int // index of the purchase; a return names the purchase it returns
	isReturn bool
	arrives  time.Time // when it reaches loyalty in the shuffled run
}

// TestLateFactsAcrossTierReviews is the order-independence property over a
// tier ladder with monthly reviews, earn multipliers, a first-purchase
// bonus and (in half the runs) a daily cap: purchases and returns that a
// lane syncs days late, across reviews, upgrades and grace ends, end in
// the account (points per purchase, balance, tier state) of the run that
// received every fact when it happened. A late fact re-quotes the
// purchases after it whose quote it changes; the difference is a further
// lot of the purchase or a claw-back from it, so the points each purchase
// holds are compared, not lot by lot. The seed is logged.
func TestLateFactsAcrossTierReviews(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	runs := 60
	if testing.Short() {
		runs = 15
	}
	t.Logf("seed %d", seed)
	for i := range runs {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		facts := lateFacts(rng)
		capped, byPoints := rng.IntN(2) == 0, rng.IntN(2) == 0
		inOrder := tierOrderOutcome(t, facts, false, capped, byPoints)
		shuffled := tierOrderOutcome(t, facts, true, capped, byPoints)
		require.Equal(t, inOrder, shuffled, "seed %d run %d capped %v by points %v", seed, i, capped, byPoints)
	}
}

// lateFacts draws purchases over about two months and returns of some of
// them, each with a delay of up to four days before it reaches loyalty.
func lateFacts(rng *rand.Rand) []lateSale {
	var facts []lateSale
	when := at(2026, 1, 20, 10, 0)
	n := 6 + rng.IntN(10)
	for i := range n {
		when = when.Add(time.Duration(2+rng.IntN(5*24)) * time.Hour)
		facts = append(facts, lateSale{when: when, purchase: i})
		if rng.IntN(4) == 0 {
			facts = append(facts, lateSale{when: when.Add(time.Duration(1+rng.IntN(72)) * time.Hour), purchase: i, isReturn: true})
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
	State     loyalty.TierState
	Purchases map[string]int64 // points left in each purchase's lots
	Avail     int64
	// Qualifying is the qualifying points of the activity the account
	// holds: what purchases earn less what returns took back.
	Qualifying int64
}

// tierOrderOutcome runs the facts in time order, or late in order of
// arrival. capped adds a daily cap; byPoints makes the upper levels
// qualify on points (which returns take back by what the purchase earns)
// instead of spend.
func tierOrderOutcome(t *testing.T, facts []lateSale, late, capped, byPoints bool) tierOutcome {
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
		if capped {
			p.Caps = loyalty.Caps{PerDay: 1500}
		}
		if byPoints {
			p.Tiers.Levels[2].Qualify = loyalty.Qualification{Points: 900, Purchases: 3, Match: loyalty.MatchAll}
			p.Tiers.Levels[3].Qualify = loyalty.Qualification{Points: 2500, Purchases: 6, Match: loyalty.MatchAll}
		}
	})
	m := s.member(t, "L", customer.Birthday{})
	order := slices.Clone(facts)
	if late {
		slices.SortStableFunc(order, func(a, b lateSale) int { return a.arrives.Compare(b.arrives) })
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
		res, err := s.loyalty.Earn(ctx, bought[f.purchase])
		require.NoError(t, err)
		if testing.Verbose() {
			t.Logf("earn %s at %s arriving %s: %d, entries %d", bought[f.purchase].ID, f.when, arrive, res.Quote.Total, len(res.Entries))
			for _, e := range res.Entries {
				t.Logf("   %s %s %s", e.Kind, e.Reference, e.Purchase)
			}
		}
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
	out := tierOutcome{State: acct.Tier, Purchases: map[string]int64{}, Avail: s.balance(t, m.ID).Available}
	out.State.Seen = time.Time{}
	for _, e := range acct.Activity {
		out.Qualifying += e.Points
	}
	for l := range acct.Points.AllLots() {
		if l.Remaining > 0 { // a purchase that holds nothing, whether it has an emptied lot or none
			out.Purchases[l.Source] += l.Remaining
		}
	}
	return out
}
