package loyalty_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A day's purchases become one qualifying event and its returns another,
// so an account holds at most two events per active day, not one per
// purchase or return.
func TestActivityHoldsADayOfPurchasesAsOneEvent(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "A", customer.Birthday{})
	day := at(2026, 3, 2, 9, 0)
	var first customer.Purchase
	for i := range 30 {
		when := day.Add(time.Duration(i) * 10 * time.Minute)
		s.clock.set(when)
		p, _ := s.buy(t, fmt.Sprint("p", i), m.ID, when, line("TEA", "tea", 1, "100.00"))
		if i == 0 {
			first = p
		}
	}
	acct, err := s.loyalty.Account(ctx, m.ID)
	require.NoError(t, err)
	require.Len(t, acct.Activity, 1)
	ev := acct.Activity[0]
	assert.Equal(t, int64(30), ev.Purchases)
	assert.True(t, dec("3000").Equal(ev.Spend), ev.Spend.String())
	assert.True(t, day.Add(290*time.Minute).Equal(ev.Time), "the day's event is at its last purchase")
	assert.Equal(t, "gold", acct.Tier.Tier, "20 purchases reach gold")

	when := day.Add(6 * time.Hour)
	s.clock.set(when)
	ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: "r1", PurchaseID: first.ID, Store: "SH-02", Time: when,
		Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
	require.NoError(t, err)
	_, err = s.loyalty.Return(ctx, ret)
	require.NoError(t, err)
	s.clock.set(day.Add(7 * time.Hour))
	s.buy(t, "late", m.ID, day.Add(7*time.Hour), line("TEA", "tea", 1, "100.00"))
	s.clock.set(day.Add(24 * time.Hour))
	s.buy(t, "next", m.ID, day.Add(24*time.Hour), line("TEA", "tea", 1, "100.00"))
	acct, err = s.loyalty.Account(ctx, m.ID)
	require.NoError(t, err)
	require.Len(t, acct.Activity, 3, "the day's return apart from its purchases, and the next day")
	assert.Equal(t, int64(-1), acct.Activity[0].Purchases, "the return")
	assert.Equal(t, int64(31), acct.Activity[1].Purchases, "the later purchase joined the day's")
	assert.Equal(t, int64(31), acct.Activity[1].Count)
	assert.Equal(t, int64(1), acct.Activity[2].Purchases)

	for i := range 40 { // many returns of one day stay one event
		when := day.Add(25*time.Hour + time.Duration(i)*time.Minute)
		s.clock.set(when)
		p, _ := s.buy(t, fmt.Sprint("q", i), m.ID, when, line("TEA", "tea", 2, "100.00"))
		ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: fmt.Sprint("qr", i), PurchaseID: p.ID, Store: "SH-02",
			Time: when.Add(time.Second), Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
		require.NoError(t, err)
		_, err = s.loyalty.Return(ctx, ret)
		require.NoError(t, err)
	}
	acct, err = s.loyalty.Account(ctx, m.ID)
	require.NoError(t, err)
	require.LessOrEqual(t, len(acct.Activity), 5, "two days, at most two events each, and the last return not yet walked")

	var bought []customer.Purchase // returns with no earn between them are summed too
	for i := range 30 {
		when := day.Add(48*time.Hour + time.Duration(i)*time.Minute)
		s.clock.set(when)
		p, _ := s.buy(t, fmt.Sprint("s", i), m.ID, when, line("TEA", "tea", 1, "100.00"))
		bought = append(bought, p)
	}
	for i, p := range bought {
		when := day.Add(72*time.Hour + time.Duration(i)*time.Minute)
		s.clock.set(when)
		ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: fmt.Sprint("sr", i), PurchaseID: p.ID, Store: "SH-02",
			Time: when, Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
		require.NoError(t, err)
		_, err = s.loyalty.Return(ctx, ret)
		require.NoError(t, err)
	}
	acct, err = s.loyalty.Account(ctx, m.ID)
	require.NoError(t, err)
	require.LessOrEqual(t, len(acct.Activity), 7, "four days, at most two events each, one of them with no purchase")
}

// The service keeps a day's purchases as one event and its returns as
// another, and evaluates only what is new since its watermark; its tier
// state is still exactly what evaluating every purchase and return one by
// one gives (the rule as it was before either shortcut), upgrade instants
// included. A fact synced late makes the days after it be walked again,
// each summary's facts read back from their records. Random sequences; the
// seed is logged.
func TestTierOfMergedActivityIsExact(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	ladders := []func(*loyalty.TierLadder){
		nil,
		func(l *loyalty.TierLadder) {
			l.Window = loyalty.QualWindow{Kind: loyalty.WindowRolling, Months: 2}
			l.Review = loyalty.TierReview{Schedule: loyalty.ReviewMonthly, Downgrade: loyalty.DowngradeToQualified, GraceDays: 10}
		},
		func(l *loyalty.TierLadder) {
			l.Window = loyalty.QualWindow{Kind: loyalty.WindowAnniversary}
			l.Review = loyalty.TierReview{Schedule: loyalty.ReviewQuarterly, Downgrade: loyalty.DowngradeOneStep}
		},
	}
	for li, ladder := range ladders {
		for member := range 6 {
			t.Run(fmt.Sprintf("ladder=%d/member=%d", li, member), func(t *testing.T) {
				checkMergedActivity(t, rng, ladder)
			})
		}
	}
}

func checkMergedActivity(t *testing.T, rng *rand.Rand, ladder func(*loyalty.TierLadder)) {
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.Caps = loyalty.Caps{}
		if ladder != nil {
			ladder(&p.Tiers)
		}
	})
	m := s.member(t, "A", customer.Birthday{})
	var raw []loyalty.QualifyingEvent
	var bought []customer.Purchase
	now := at(2026, 1, 3, 9, 0)
	for i := range 120 {
		now = now.Add(time.Duration(rng.IntN(30*60)) * time.Minute)
		s.clock.set(now)
		when := now
		if rng.IntN(6) == 0 { // a lane syncing late
			when = now.Add(-time.Duration(rng.IntN(48*60)) * time.Minute)
		}
		if rng.IntN(7) == 0 && len(bought) > 0 {
			p := bought[rng.IntN(len(bought))]
			ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: fmt.Sprint("r", i), PurchaseID: p.ID, Store: "SH-02",
				Time: when, Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: p.Lines[0].Quantity}}})
			if err != nil {
				continue // returned before
			}
			res, err := s.loyalty.Return(ctx, ret)
			require.NoError(t, err)
			raw = append(raw, loyalty.QualifyingEvent{Time: ret.Time, Spend: ret.Refund.Neg(), Purchases: -1, Points: -res.Owed})
			continue
		}
		p, res := s.buy(t, fmt.Sprint("p", i), m.ID, when, line("TEA", "tea", 1, fmt.Sprint(50+rng.IntN(1500), ".00")))
		bought = append(bought, p)
		raw = append(raw, loyalty.QualifyingEvent{Time: p.Time, Spend: p.Total(), Purchases: 1, Points: res.Quote.Total})
		// The reference walks every fact from joining, whatever order they
		// arrived in.
		ref, _, _, err := loyalty.EvaluateTier(s.program, loyalty.TierState{MemberSince: m.JoinedAt}, loyalty.QualifyingActivity{Events: raw}, latest(p.Time, now))
		require.NoError(t, err)
		got := res.Tier
		got.Seen = time.Time{}
		require.Equal(t, ref, got, "purchase %d at %s (clock %s)", i, p.Time, now)
	}
	acct, err := s.loyalty.Account(ctx, m.ID)
	require.NoError(t, err)
	assert.Less(t, len(acct.Activity), len(raw), "same-day purchases were merged")
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// A merge moves the duplicate's facts, not its summaries: the survivor's
// tier is what the two members' facts together give, and a purchase synced
// late to a summarised day of the duplicate's is walked against the
// duplicate's facts at their own instants. Random sequences; the seed is
// logged.
func TestMergedActivityKeepsItsFacts(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 12))
	for round := range 8 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			ctx := context.Background()
			s := newShop(t, func(p *loyalty.Program) { noPending(p); p.Caps = loyalty.Caps{} })
			a := s.member(t, "A", customer.Birthday{})
			b := s.member(t, "B", customer.Birthday{})
			var raw []loyalty.QualifyingEvent
			now := at(2026, 2, 1, 9, 0)
			for i := range 40 {
				now = now.Add(time.Duration(rng.IntN(6*60)) * time.Minute)
				s.clock.set(now)
				who := a.ID
				if rng.IntN(2) == 0 {
					who = b.ID
				}
				p, res := s.buy(t, fmt.Sprint("p", i), who, now, line("TEA", "tea", 2, fmt.Sprint(50+rng.IntN(900), ".00")))
				raw = append(raw, loyalty.QualifyingEvent{Time: p.Time, Spend: p.Total(), Purchases: 1, Points: res.Quote.Total})
				if rng.IntN(3) == 0 {
					ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: fmt.Sprint("r", i), PurchaseID: p.ID, Store: "SH-02",
						Time: now.Add(time.Minute), Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
					require.NoError(t, err)
					rr, err := s.loyalty.Return(ctx, ret)
					require.NoError(t, err)
					raw = append(raw, loyalty.QualifyingEvent{Time: ret.Time, Spend: ret.Refund.Neg(), Points: -rr.Owed})
				}
			}
			now = now.Add(time.Hour)
			s.clock.set(now)
			_, err := s.customers.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "t", At: now})
			require.NoError(t, err)
			acct, err := s.loyalty.Account(ctx, a.ID)
			require.NoError(t, err)
			assert.Less(t, len(acct.Activity), len(raw), "the survivor summarised its days")

			when := raw[rng.IntN(len(raw))].Time.Add(-time.Second) // late, inside a summarised day
			p, res := s.buy(t, "late", a.ID, when, line("TEA", "tea", 1, "700.00"))
			raw = append(raw, loyalty.QualifyingEvent{Time: p.Time, Spend: p.Total(), Purchases: 1, Points: res.Quote.Total})
			ref, _, _, err := loyalty.EvaluateTier(s.program, loyalty.TierState{MemberSince: a.JoinedAt}, loyalty.QualifyingActivity{Events: raw}, now)
			require.NoError(t, err)
			got := res.Tier
			got.Seen = time.Time{}
			ref.MemberSince = got.MemberSince // the earlier joining date of the two
			require.Equal(t, ref, got)
		})
	}
}
