package loyalty

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tierProgram(t testing.TB, mod func(*TierLadder)) *Program {
	return testProgram(t, func(p *Program) {
		p.Tiers = testLadder()
		if mod != nil {
			mod(&p.Tiers)
		}
	})
}

func spend(at time.Time, amount string) QualifyingEvent {
	return QualifyingEvent{Time: at, Spend: dec(amount), Purchases: 1}
}

func evalTier(t testing.TB, p *Program, s TierState, ev []QualifyingEvent, now time.Time) (TierState, []TierChange, Progress) {
	t.Helper()
	ns, ch, pr, err := EvaluateTier(p, s, QualifyingActivity{Events: ev}, now)
	require.NoError(t, err)
	return ns, ch, pr
}

func TestTierThresholdBoundary(t *testing.T) {
	p := tierProgram(t, nil)
	joined := sh(t, 2026, 1, 5, 10, 0)
	cases := []struct {
		name string
		ev   []QualifyingEvent
		want string
	}{
		{"exactly the spend threshold", []QualifyingEvent{spend(sh(t, 2026, 3, 1, 12, 0), "2000")}, "silver"},
		{"one fen short", []QualifyingEvent{spend(sh(t, 2026, 3, 1, 12, 0), "1999.99")}, "regular"},
		{"exactly the purchase count", repeat(sh(t, 2026, 3, 1, 12, 0), 10, "1"), "silver"},
		{"one purchase short", repeat(sh(t, 2026, 3, 1, 12, 0), 9, "1"), "regular"},
		{"exactly gold", []QualifyingEvent{spend(sh(t, 2026, 3, 1, 12, 0), "5000")}, "gold"},
		{"a return takes spend back", []QualifyingEvent{spend(sh(t, 2026, 3, 1, 12, 0), "2100"), {Time: sh(t, 2026, 3, 1, 11, 0), Spend: dec("-200")}}, "regular"},
		{"last year's spend does not count", []QualifyingEvent{spend(sh(t, 2025, 12, 31, 23, 59), "9000")}, "regular"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, _ := evalTier(t, p, TierState{MemberSince: joined, Since: joined}, c.ev, sh(t, 2026, 6, 1, 0, 0))
			assert.Equal(t, c.want, s.Tier)
		})
	}
}

func repeat(start time.Time, n int, amount string) []QualifyingEvent {
	var ev []QualifyingEvent
	for i := range n {
		ev = append(ev, spend(start.Add(time.Duration(i)*time.Hour), amount))
	}
	return ev
}

func TestTierAllConditions(t *testing.T) {
	p := tierProgram(t, func(l *TierLadder) { l.Levels[1].Qualify.Match = MatchAll })
	joined := sh(t, 2026, 1, 5, 10, 0)
	s, _, _ := evalTier(t, p, TierState{MemberSince: joined}, []QualifyingEvent{spend(sh(t, 2026, 3, 1, 12, 0), "3000")}, sh(t, 2026, 6, 1, 0, 0))
	assert.Equal(t, "regular", s.Tier, "spend alone is not enough when all conditions apply")
	s, _, _ = evalTier(t, p, TierState{MemberSince: joined}, repeat(sh(t, 2026, 3, 1, 12, 0), 10, "200"), sh(t, 2026, 6, 1, 0, 0))
	assert.Equal(t, "silver", s.Tier)
}

func TestTierUpgradeLandsWithThePurchase(t *testing.T) {
	p := tierProgram(t, func(l *TierLadder) { l.Review.GuaranteeMonths = 12 })
	joined := sh(t, 2026, 1, 5, 10, 0)
	crossing := sh(t, 2026, 4, 10, 15, 30)
	ev := []QualifyingEvent{spend(sh(t, 2026, 3, 1, 12, 0), "1500"), spend(crossing, "600"), spend(sh(t, 2026, 5, 1, 12, 0), "10")}
	// Evaluated two months late: the upgrade still dates from the purchase
	// that crossed the threshold.
	s, ch, _ := evalTier(t, p, TierState{MemberSince: joined}, ev, sh(t, 2026, 6, 1, 0, 0))
	assert.Equal(t, "silver", s.Tier)
	assert.True(t, crossing.Equal(s.Since))
	require.Len(t, ch, 1)
	assert.Equal(t, TierChange{From: "regular", To: "silver", At: crossing, Reason: TierUpgraded}, ch[0])
	assert.True(t, sh(t, 2027, 4, 11, 0, 0).Equal(s.GuaranteedUntil), s.GuaranteedUntil.String())
	// Evaluating again changes nothing.
	s2, ch2, _ := evalTier(t, p, s, ev, sh(t, 2026, 6, 2, 0, 0))
	assert.Empty(t, ch2)
	assert.Equal(t, s, s2)
}

func TestTierIncrementalEqualsLate(t *testing.T) {
	p := tierProgram(t, func(l *TierLadder) { l.Review.GraceDays = 14 })
	joined := sh(t, 2025, 1, 5, 10, 0)
	var ev []QualifyingEvent
	at := sh(t, 2025, 1, 10, 12, 0)
	amounts := []string{"800", "900", "1200", "50", "3000", "10", "20", "400", "2500", "90", "60", "1800"}
	for i, a := range amounts {
		ev = append(ev, spend(at.AddDate(0, 0, 37*i), a))
	}
	now := sh(t, 2026, 3, 1, 0, 0)
	late, lateCh, _ := evalTier(t, p, TierState{MemberSince: joined}, ev, now)
	step := TierState{MemberSince: joined}
	var stepCh []TierChange
	for _, e := range ev {
		var ch []TierChange
		step, ch, _ = evalTier(t, p, step, ev, e.Time)
		stepCh = append(stepCh, ch...)
	}
	var ch []TierChange
	step, ch, _ = evalTier(t, p, step, ev, now)
	stepCh = append(stepCh, ch...)
	assert.Equal(t, late, step)
	assert.Equal(t, lateCh, stepCh)
	assert.NotEmpty(t, lateCh)
}

func TestTierReview(t *testing.T) {
	gold := func(since time.Time) TierState {
		return TierState{Tier: "gold", Since: since, MemberSince: sh(t, 2024, 6, 1, 10, 0)}
	}
	review := sh(t, 2026, 1, 1, 0, 0)
	cases := []struct {
		name   string
		mod    func(*TierLadder)
		state  TierState
		ev     []QualifyingEvent
		now    time.Time
		want   string
		reason TierChangeReason
	}{
		{"still qualified", nil, gold(sh(t, 2025, 3, 1, 0, 0)), []QualifyingEvent{spend(sh(t, 2025, 6, 1, 0, 0), "5000")}, sh(t, 2026, 1, 2, 0, 0), "gold", ""},
		{"one step down", nil, gold(sh(t, 2025, 3, 1, 0, 0)), []QualifyingEvent{spend(sh(t, 2025, 6, 1, 0, 0), "100")}, sh(t, 2026, 1, 2, 0, 0), "silver", TierDowngraded},
		{"to the tier qualified for", func(l *TierLadder) { l.Review.Downgrade = DowngradeToQualified }, gold(sh(t, 2025, 3, 1, 0, 0)),
			[]QualifyingEvent{spend(sh(t, 2025, 6, 1, 0, 0), "100")}, sh(t, 2026, 1, 2, 0, 0), "regular", TierDowngraded},
		{"not before the review", nil, gold(sh(t, 2025, 3, 1, 0, 0)), nil, sh(t, 2025, 12, 31, 23, 59), "gold", ""},
		{"guaranteed after an upgrade", func(l *TierLadder) { l.Review.GuaranteeMonths = 12 },
			TierState{Tier: "gold", Since: sh(t, 2025, 11, 1, 0, 0), GuaranteedUntil: sh(t, 2026, 11, 2, 0, 0), MemberSince: sh(t, 2024, 6, 1, 10, 0)},
			nil, sh(t, 2026, 1, 2, 0, 0), "gold", ""},
		{"grace starts", func(l *TierLadder) { l.Review.GraceDays = 30 }, gold(sh(t, 2025, 3, 1, 0, 0)), nil, sh(t, 2026, 1, 2, 0, 0), "gold", TierGraceStarted},
		{"grace runs out", func(l *TierLadder) { l.Review.GraceDays = 30 }, gold(sh(t, 2025, 3, 1, 0, 0)), nil, sh(t, 2026, 2, 1, 0, 0), "silver", TierDowngraded},
		{"qualified again within grace", func(l *TierLadder) { l.Review.GraceDays = 30 }, gold(sh(t, 2025, 3, 1, 0, 0)),
			[]QualifyingEvent{spend(sh(t, 2026, 1, 20, 0, 0), "5000")}, sh(t, 2026, 2, 1, 0, 0), "gold", TierGraceCleared},
		{"several missed reviews", func(l *TierLadder) { l.Review.Downgrade = DowngradeOneStep }, gold(sh(t, 2024, 3, 1, 0, 0)), nil, sh(t, 2026, 1, 2, 0, 0), "regular", TierDowngraded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := tierProgram(t, c.mod)
			s, ch, _ := evalTier(t, p, c.state, c.ev, c.now)
			assert.Equal(t, c.want, s.Tier)
			if c.reason == "" {
				assert.Empty(t, ch)
				return
			}
			require.NotEmpty(t, ch)
			last := ch[len(ch)-1]
			assert.Equal(t, c.reason, last.Reason)
			if c.reason == TierDowngraded && c.name == "one step down" {
				assert.True(t, review.Equal(last.At))
				assert.True(t, review.Equal(s.Since))
			}
		})
	}
}

func TestTierOverride(t *testing.T) {
	p := tierProgram(t, nil)
	until := sh(t, 2026, 3, 1, 0, 0)
	s := TierState{Tier: "regular", MemberSince: sh(t, 2026, 1, 5, 0, 0), Override: &TierOverride{Tier: "gold", Until: until, Reason: "complaint goodwill"}}
	assert.Equal(t, "gold", s.Effective(until.Add(-time.Second)))
	assert.Equal(t, "regular", s.Effective(until))
	ns, ch, pr := evalTier(t, p, s, nil, sh(t, 2026, 2, 1, 0, 0))
	assert.Empty(t, ch)
	assert.Equal(t, "gold", pr.Effective)
	ns, ch, pr = evalTier(t, p, ns, nil, sh(t, 2026, 3, 2, 0, 0))
	require.Len(t, ch, 1)
	assert.Equal(t, TierChange{From: "gold", To: "regular", At: until, Reason: TierOverrideExpired}, ch[0])
	assert.Nil(t, ns.Override)
	assert.Equal(t, "regular", pr.Effective)

	s.Override.Tier = "diamond"
	_, _, _, err := EvaluateTier(p, s, QualifyingActivity{}, until)
	assert.ErrorIs(t, err, ErrInvalid)
	s.Override = &TierOverride{Tier: "gold"}
	_, _, _, err = EvaluateTier(p, s, QualifyingActivity{}, until)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestTierRollingWindow(t *testing.T) {
	p := tierProgram(t, func(l *TierLadder) {
		l.Window = QualWindow{Kind: WindowRolling, Months: 12}
		l.Review.Schedule = ReviewMonthly
	})
	joined := sh(t, 2025, 1, 1, 0, 0)
	ev := []QualifyingEvent{spend(sh(t, 2025, 2, 15, 12, 0), "1500"), spend(sh(t, 2026, 2, 10, 12, 0), "600")}
	s, _, _ := evalTier(t, p, TierState{MemberSince: joined}, ev, sh(t, 2026, 2, 11, 0, 0))
	assert.Equal(t, "silver", s.Tier, "both purchases fall in the last 12 months")
	ev[1].Time = sh(t, 2026, 2, 16, 12, 0)
	s, _, _ = evalTier(t, p, TierState{MemberSince: joined}, ev, sh(t, 2026, 2, 17, 0, 0))
	assert.Equal(t, "regular", s.Tier, "the first purchase has left the window")
}

func TestTierAnniversary(t *testing.T) {
	p := tierProgram(t, func(l *TierLadder) {
		l.Window = QualWindow{Kind: WindowAnniversary}
		l.Review.Schedule = ReviewAnniversary
	})
	joined := sh(t, 2024, 2, 29, 10, 0) // a leap-day member
	s := TierState{Tier: "silver", Since: sh(t, 2024, 5, 1, 0, 0), MemberSince: joined}
	ev := []QualifyingEvent{spend(sh(t, 2025, 3, 1, 0, 0), "2000")}
	ns, ch, _ := evalTier(t, p, s, ev, sh(t, 2025, 3, 2, 0, 0))
	// Reviewed on 28 February 2025 on the membership year to then: nothing
	// spent. The purchase on 1 March counts in the new membership year and
	// upgrades again.
	require.Len(t, ch, 2)
	assert.Equal(t, TierChange{From: "silver", To: "regular", At: sh(t, 2025, 2, 28, 0, 0), Reason: TierDowngraded}, ch[0])
	assert.Equal(t, TierChange{From: "regular", To: "silver", At: sh(t, 2025, 3, 1, 0, 0), Reason: TierUpgraded}, ch[1])
	assert.Equal(t, "silver", ns.Tier)
	assert.True(t, sh(t, 2026, 2, 28, 0, 0).Equal(ns.NextReview), ns.NextReview.String())
}

func TestTierProgressAndRender(t *testing.T) {
	p := tierProgram(t, nil)
	joined := sh(t, 2025, 6, 1, 0, 0)
	var ev []QualifyingEvent
	ev = append(ev, spend(sh(t, 2026, 2, 1, 12, 0), "4000"))
	ev = append(ev, repeat(sh(t, 2026, 3, 1, 12, 0), 17, "8.82")...) // 4149.94, 18 purchases
	ev = append(ev, QualifyingEvent{Time: sh(t, 2026, 4, 1, 0, 0), Spend: dec("0.06")})
	s, _, pr := evalTier(t, p, TierState{Tier: "silver", Since: sh(t, 2026, 2, 1, 12, 0), MemberSince: joined}, ev, sh(t, 2026, 6, 1, 0, 0))
	require.Equal(t, "silver", s.Tier)
	require.NotNil(t, pr.Next)
	assert.Equal(t, "gold", pr.Next.Tier)
	assert.True(t, dec("850").Equal(pr.Next.Spend), pr.Next.Spend.String())
	assert.Equal(t, int64(2), pr.Next.Purchases)
	assert.True(t, sh(t, 2027, 1, 1, 0, 0).Equal(pr.Next.Deadline))
	require.NotNil(t, pr.Keep)
	assert.True(t, pr.Keep.Met)
	lines := p.RenderProgress(pr, "en")
	require.NotEmpty(t, lines)
	assert.Equal(t, "850 CNY or 2 purchases to Gold by 31 Dec 2026", lines[0])
	zh := p.RenderProgress(pr, "zh-Hans-CN")
	assert.Equal(t, "2026年12月31日前再消费 850 CNY或购买 2 次即可升级为金卡", zh[0])

	// A gold member who must spend to keep the tier.
	allGold := tierProgram(t, func(l *TierLadder) {
		l.Levels[1].Qualify.Purchases = 2
		l.Levels[2].Qualify.Match, l.Levels[2].Qualify.Purchases = MatchAll, 2
	})
	_, _, pr = evalTier(t, allGold, TierState{Tier: "gold", Since: sh(t, 2026, 1, 15, 0, 0), MemberSince: joined},
		[]QualifyingEvent{spend(sh(t, 2026, 2, 1, 0, 0), "3800"), spend(sh(t, 2026, 3, 1, 0, 0), "0")}, sh(t, 2026, 6, 1, 0, 0))
	require.NotNil(t, pr.Keep)
	assert.False(t, pr.Keep.Met)
	assert.True(t, dec("1200").Equal(pr.Keep.Spend))
	assert.Equal(t, []string{"spend 1,200 CNY by 31 Dec 2026 to keep Gold"}, allGold.RenderProgress(pr, "en"))
	assert.Nil(t, pr.Next)
}

func TestTierErrors(t *testing.T) {
	p := testProgram(t, nil)
	_, _, _, err := EvaluateTier(p, TierState{}, QualifyingActivity{}, time.Now())
	assert.ErrorIs(t, err, ErrNoTiers)
	pt := tierProgram(t, nil)
	_, _, _, err = EvaluateTier(pt, TierState{Tier: "bronze"}, QualifyingActivity{}, time.Now())
	assert.ErrorIs(t, err, ErrInvalid)
	_, _, _, err = EvaluateTier(pt, TierState{}, QualifyingActivity{Events: []QualifyingEvent{{Spend: decimal.New(1, 900)}}}, time.Now())
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestTierName(t *testing.T) {
	tier := testLadder().Levels[2]
	assert.Equal(t, "金卡", tier.Name("zh-Hans-CN"))
	assert.Equal(t, "Gold", tier.Name("fr"))
	assert.Equal(t, "x", Tier{Code: "x"}.Name("en"))
}

func TestTierUnvalidatedProgramUsesItsZone(t *testing.T) {
	valid := tierProgram(t, nil)
	raw := *valid
	raw.Location, raw.compiled = nil, nil
	ev := []QualifyingEvent{spend(mustTime(t, "2025-12-31T17:00:00Z"), "2500")} // 1 January in Shanghai
	now := sh(t, 2026, 2, 1, 0, 0)
	a, _, _ := evalTier(t, valid, TierState{MemberSince: sh(t, 2025, 6, 1, 0, 0)}, ev, now)
	b, _, _ := evalTier(t, &raw, TierState{MemberSince: sh(t, 2025, 6, 1, 0, 0)}, ev, now)
	assert.Equal(t, "silver", a.Tier)
	assert.Equal(t, a, b)
}

func TestTierWithoutDates(t *testing.T) {
	p := tierProgram(t, func(l *TierLadder) { l.Review.Schedule = ReviewMonthly })
	// An imported member with no dates: the replay starts at the first
	// event instead of replaying reviews since year 1.
	ev := []QualifyingEvent{spend(sh(t, 2026, 3, 1, 12, 0), "2500")}
	s, ch, _ := evalTier(t, p, TierState{}, ev, sh(t, 2026, 3, 15, 0, 0))
	assert.Equal(t, "silver", s.Tier)
	require.Len(t, ch, 1)
	assert.True(t, sh(t, 2026, 4, 1, 0, 0).Equal(s.NextReview), s.NextReview.String())
	s, _, _ = evalTier(t, p, TierState{}, nil, sh(t, 2026, 3, 15, 0, 0))
	assert.Equal(t, "regular", s.Tier)
}

// However often EvaluateTier runs, the tier history is the same: it is a
// function of the events, the programme and the clock only. Random
// members, random evaluation times, several ladders; the seed is logged.
func TestTierEvaluationTimingDoesNotMatter(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 3))
	ladders := []func(*TierLadder){
		nil,
		func(l *TierLadder) { l.Review.GraceDays = 20; l.Review.GuaranteeMonths = 3 },
		func(l *TierLadder) {
			l.Window = QualWindow{Kind: WindowRolling, Months: 6}
			l.Review = TierReview{Schedule: ReviewMonthly, Downgrade: DowngradeToQualified, GraceDays: 10}
		},
		func(l *TierLadder) {
			l.Window = QualWindow{Kind: WindowAnniversary}
			l.Review = TierReview{Schedule: ReviewQuarterly, Downgrade: DowngradeOneStep, GuaranteeMonths: 1}
		},
	}
	for li, mod := range ladders {
		p := tierProgram(t, mod)
		for member := range 25 {
			joined := sh(t, 2024, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0)
			var ev []QualifyingEvent
			at := joined
			for range rng.IntN(60) {
				at = at.Add(time.Duration(1+rng.IntN(30*24)) * time.Hour)
				e := QualifyingEvent{Time: at, Spend: decimal.New(int64(rng.IntN(300000)), -2), Purchases: 1}
				if rng.IntN(8) == 0 {
					e.Spend, e.Purchases = e.Spend.Neg(), 0 // a return
				}
				ev = append(ev, e)
			}
			now := at.Add(time.Duration(rng.IntN(400*24)) * time.Hour)
			late, lateCh, _ := evalTier(t, p, TierState{MemberSince: joined}, ev, now)
			inc := TierState{MemberSince: joined}
			var incCh []TierChange
			for tick := joined; tick.Before(now); tick = tick.Add(time.Duration(1+rng.IntN(45*24)) * time.Hour) {
				var ch []TierChange
				inc, ch, _ = evalTier(t, p, inc, ev, tick)
				incCh = append(incCh, ch...)
			}
			var ch []TierChange
			inc, ch, _ = evalTier(t, p, inc, ev, now)
			incCh = append(incCh, ch...)
			require.Equal(t, late, inc, "ladder %d member %d", li, member)
			require.Equal(t, lateCh, incCh, "ladder %d member %d", li, member)
		}
	}
}
