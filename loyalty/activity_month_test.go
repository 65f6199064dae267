package loyalty_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/require"
)

// foldCase is one programme of the month-fold property test.
type foldCase struct {
	window   loyalty.QualWindow
	weekly   bool // a weekly cap, whose weeks cut months
	byPoints bool
}

// TestMonthFoldChangesNothing is the month fold's property: over some
// fifteen months of a member who buys most days, with returns and facts
// that a lane syncs days or weeks late (into months already folded), the
// account ends the same (tier state and progress, points per purchase,
// balance, qualifying points) whether months are folded or every day kept
// in the header, and whatever the arrival order. The seed is logged;
// FOLD_SEED replays one, FOLD_TRACE logs every entry. (Seed
// 1796652752476778020 run 5 found a re-quote writing a purchase's new
// points into another event, its index stale after a return's correction
// was added before it.)
func TestMonthFoldChangesNothing(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("FOLD_SEED"); v != "" {
		var err error
		seed, err = strconv.ParseUint(v, 10, 64)
		require.NoError(t, err)
	}
	runs := 8
	if testing.Short() {
		runs = 2
	}
	t.Logf("seed %d", seed)
	windows := []loyalty.QualWindow{{Kind: loyalty.WindowRolling, Months: 12}, {Kind: loyalty.WindowRolling, Months: 3},
		{Kind: loyalty.WindowAnniversary}, {Kind: loyalty.WindowCalendarYear}}
	for i := range runs {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		c := foldCase{window: windows[rng.IntN(len(windows))], weekly: rng.IntN(2) == 0, byPoints: rng.IntN(2) == 0}
		facts := dailyFacts(rng)
		var plain [2]foldResult
		for k, late := range []bool{false, true} {
			plain[k] = foldOutcome(t, facts, late, false, c)
			require.Zero(t, plain[k].Folded, "the plain run folded months")
			folded := foldOutcome(t, facts, late, true, c)
			require.Equal(t, plain[k], folded, "seed %d run %d case %+v late %v: folded against plain", seed, i, c, late)
		}
		require.Equal(t, plain[0], plain[1], "seed %d run %d case %+v: in order against late", seed, i, c)
	}
}

// dailyFacts draws a purchase on most days of fifteen months (two on some),
// returns of about one in twelve, and arrivals: most on time, some days
// late, a few weeks late.
func dailyFacts(rng *rand.Rand) []lateSale {
	var facts []lateSale
	day := at(2026, 1, 3, 0, 0)
	n := 0
	for d := range 455 {
		if rng.IntN(10) >= 7 {
			continue
		}
		for range 1 + rng.IntN(4)/3 {
			when := day.AddDate(0, 0, d).Add(time.Duration(8*60+rng.IntN(12*60)) * time.Minute)
			facts = append(facts, lateSale{when: when, purchase: n})
			if rng.IntN(12) == 0 {
				facts = append(facts, lateSale{when: when.Add(time.Duration(1+rng.IntN(10*24)) * time.Hour), purchase: n, isReturn: true})
			}
			n++
		}
	}
	for i := range facts {
		facts[i].arrives = facts[i].when
		switch r := rng.IntN(100); {
		case r < 6:
			facts[i].arrives = facts[i].when.Add(time.Duration(10*24+rng.IntN(35*24)) * time.Hour)
		case r < 25:
			facts[i].arrives = facts[i].when.Add(time.Duration(rng.IntN(6*24)) * time.Hour)
		}
	}
	slices.SortStableFunc(facts, func(a, b lateSale) int { return a.when.Compare(b.when) })
	return facts
}

type foldResult struct {
	Tier     tierOutcome
	Progress loyalty.Progress
	Folded   int // month summaries in the header at the end (not compared)
}

// foldOutcome runs the facts in time order or in order of arrival, with
// months folded or not.
func foldOutcome(t *testing.T, facts []lateSale, late, fold bool, c foldCase) foldResult {
	t.Helper()
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.Caps = loyalty.Caps{PerDay: 1500}
		if c.weekly {
			p.Caps = loyalty.Caps{PerDay: 1500, PerPeriod: 4000, Period: loyalty.PeriodWeek}
		}
		p.Tiers.Window = c.window
		p.Tiers.Review = loyalty.TierReview{Schedule: loyalty.ReviewMonthly, Downgrade: loyalty.DowngradeOneStep, GraceDays: 10}
		p.Tiers.Levels[1].Qualify = loyalty.Qualification{Purchases: 20}
		p.Tiers.Levels[2].Qualify = loyalty.Qualification{Spend: dec("30000"), Purchases: 60, Match: loyalty.MatchAll}
		p.Tiers.Levels[3].Qualify = loyalty.Qualification{Spend: dec("80000"), Purchases: 150, Match: loyalty.MatchAll}
		if c.byPoints {
			p.Tiers.Levels[2].Qualify = loyalty.Qualification{Points: 30000, Purchases: 60, Match: loyalty.MatchAll}
			p.Tiers.Levels[3].Qualify = loyalty.Qualification{Points: 80000, Purchases: 150, Match: loyalty.MatchAll}
		}
	})
	if !fold {
		loyalty.DisableMonthFolding(s.loyalty)
	}
	m := s.member(t, "F", customer.Birthday{})
	order := slices.Clone(facts)
	if late {
		slices.SortStableFunc(order, func(a, b lateSale) int { return a.arrives.Compare(b.arrives) })
	}
	bought := map[int]customer.Purchase{}
	for i, f := range facts {
		if !f.isReturn {
			price := fmt.Sprint(100+(i*137)%400, ".00")
			bought[f.purchase] = s.record(t, fmt.Sprint("p", f.purchase), m.ID, f.when, line("TEA", "tea", 2, price))
		}
	}
	returns := map[int]customer.Return{}
	for _, f := range facts {
		if f.isReturn {
			r, err := s.customers.RecordReturn(ctx, customer.Return{ID: fmt.Sprint("r", f.purchase), PurchaseID: bought[f.purchase].ID,
				Store: "SH-02", Time: f.when, Currency: "CNY", Refund: bought[f.purchase].Lines[0].UnitPrice,
				Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}})
			require.NoError(t, err)
			returns[f.purchase] = r
		}
	}
	end := facts[0].arrives
	for _, f := range order {
		arrive := f.when
		if late {
			arrive = f.arrives
		}
		end = latest(end, f.arrives)
		s.clock.set(arrive)
		var err error
		var entries []ledger.Entry
		if f.isReturn {
			var res loyalty.ReturnResult
			res, err = s.loyalty.Return(ctx, returns[f.purchase])
			entries = res.Entries
		} else {
			var res loyalty.EarnResult
			res, err = s.loyalty.Earn(ctx, bought[f.purchase])
			entries = res.Entries
		}
		if os.Getenv("FOLD_TRACE") != "" {
			for _, e := range entries {
				t.Logf("p%d return %v at %s: %s %d %s", f.purchase, f.isReturn, arrive.In(shanghai).Format("01-02 15:04"), e.Kind, e.Points, e.Purchase)
			}
		}
		require.NoError(t, err, "%s of purchase %d at %s arriving %s", map[bool]string{true: "return", false: "earn"}[f.isReturn], f.purchase, f.when, arrive)
	}
	s.clock.set(end.Add(time.Hour)) // every run ends when the last fact has arrived
	_, err := s.loyalty.EvaluateTier(ctx, m.ID)
	require.NoError(t, err)
	st, err := s.loyalty.TierStatus(ctx, m.ID, "en")
	require.NoError(t, err)
	acct, err := loyalty.LoadWhole(ctx, s.loyalty.Store(), m.ID)
	require.NoError(t, err)
	out := foldResult{Tier: tierOutcome{State: acct.Tier, Purchases: map[string]int64{}, Avail: s.balance(t, m.ID).Available}, Progress: st.Progress}
	out.Tier.State.Seen = time.Time{}
	for _, e := range acct.Activity {
		out.Tier.Qualifying += e.Points
		if e.Month {
			out.Folded++
		}
	}
	for l := range acct.Points.AllLots() {
		if l.Remaining > 0 {
			out.Tier.Purchases[l.Source] += l.Remaining
		}
	}
	if fold {
		t.Logf("late %v: %d events in the header, %d of them month summaries", late, len(acct.Activity), out.Folded)
		out.Folded = 0
	}
	return out
}
