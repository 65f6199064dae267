package loyalty

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuoteBaseRounding(t *testing.T) {
	at := sh(t, 2026, 6, 1, 12, 0)
	cases := []struct {
		rate     string
		rounding Rounding
		want     int64
	}{
		{"1", "", 99},           // 99.99 floors by default
		{"1", RoundFloor, 99},   // explicitly
		{"1", RoundHalfUp, 100}, // 99.99 rounds up
		{"1", RoundCeil, 100},
		{"1.5", RoundFloor, 149}, // 149.985
		{"1.5", RoundHalfUp, 150},
		{"0.01", RoundHalfUp, 1}, // 0.9999
		{"0.01", RoundFloor, 0},  // 0.9999 floors to nothing, and the quote says so
	}
	for _, c := range cases {
		t.Run(c.rate+"/"+string(c.rounding), func(t *testing.T) {
			p := testProgram(t, func(p *Program) {
				p.EarnRules[0].Rate, p.EarnRules[0].Rounding = dec(c.rate), c.rounding
			})
			q := quote(t, p, QuoteInput{Purchase: buy(at, ln("A", "food", "3", "33.33"))})
			assert.Equal(t, c.want, q.Total)
			require.Len(t, q.Rules, 1)
			assert.True(t, dec(c.rate).Mul(dec("99.99")).Equal(q.Rules[0].Exact()), "exact %s", q.Rules[0].Exact())
			assert.Equal(t, c.rounding.orFloor(), q.Rules[0].Rounding)
			assert.Equal(t, c.want, q.Rules[0].Rounded)
		})
	}
}

func TestQuoteOrderDiscountAllocationIsExact(t *testing.T) {
	p := testProgram(t, func(p *Program) { p.NonEarning = Selector{Tags: []string{"gift-card"}} })
	pu := buy(sh(t, 2026, 6, 1, 12, 0),
		ln("A", "food", "1", "10"), ln("B", "food", "1", "10"), ln("C", "food", "1", "10"),
		ln("GC", "cards", "1", "100", "gift-card"))
	pu.OrderDiscount = dec("10")
	q := quote(t, p, QuoteInput{Purchase: pu})
	wantDisc := []string{"3.34", "3.33", "3.33", "0"}
	wantNet := []string{"6.66", "6.67", "6.67", "0"}
	sum := dec("0")
	for i, l := range q.Lines {
		assert.True(t, dec(wantDisc[i]).Equal(l.OrderDiscount()), "line %d discount %s", i+1, l.OrderDiscount())
		assert.True(t, dec(wantNet[i]).Equal(l.Net()), "line %d net %s", i+1, l.Net())
		sum = sum.Add(l.OrderDiscount())
	}
	assert.True(t, sum.Equal(dec("10")), "discount shares add up to the order discount exactly")
	assert.False(t, q.Lines[3].Earning)
	// 20.00 net earns 20 points, spread 6/7/7 by largest remainder.
	assert.Equal(t, int64(20), q.Total)
	assert.Equal(t, []int64{6, 7, 7, 0}, []int64{q.Lines[0].Points, q.Lines[1].Points, q.Lines[2].Points, q.Lines[3].Points})
}

func TestQuoteDiscountAllocationRandomExact(t *testing.T) {
	p := testProgram(t, nil)
	prices := []string{"0.01", "9.99", "123.45", "0.07", "1000", "33.33", "5"}
	for n := 1; n <= len(prices); n++ {
		pu := buy(sh(t, 2026, 6, 1, 12, 0))
		for i := 0; i < n; i++ {
			pu.Lines = append(pu.Lines, ln("S", "c", "1", prices[i]))
		}
		pu.OrderDiscount = pu.Subtotal().Div(dec("3")).Round(2)
		q := quote(t, p, QuoteInput{Purchase: pu})
		sum := dec("0")
		for _, l := range q.Lines {
			sum = sum.Add(l.OrderDiscount())
			assert.False(t, l.OrderDiscount().IsNegative())
			assert.True(t, l.Net().Add(l.OrderDiscount()).Equal(pu.Lines[l.Line-1].Total))
		}
		assert.True(t, sum.Equal(pu.OrderDiscount), "n=%d: %s != %s", n, sum, pu.OrderDiscount)
	}
}

func TestQuoteTaxExcluded(t *testing.T) {
	p := testProgram(t, func(p *Program) { p.ExcludeTax = true })
	pu := buy(sh(t, 2026, 6, 1, 12, 0), ln("A", "food", "1", "100"), ln("B", "food", "1", "30"))
	pu.Tax = dec("13")
	q := quote(t, p, QuoteInput{Purchase: pu})
	assert.True(t, dec("10").Equal(q.Lines[0].Tax()))
	assert.True(t, dec("3").Equal(q.Lines[1].Tax()))
	assert.Equal(t, int64(117), q.Total)

	p2 := testProgram(t, nil) // tax ignored unless ExcludeTax
	assert.Equal(t, int64(130), quote(t, p2, QuoteInput{Purchase: pu}).Total)
}

func TestQuoteNonEarningLines(t *testing.T) {
	p := testProgram(t, func(p *Program) {
		p.NonEarning = Selector{Tags: []string{"tobacco"}, Categories: []string{"delivery"}, SKUs: []string{"DEPOSIT"}}
	})
	pu := buy(sh(t, 2026, 6, 1, 12, 0),
		ln("A", "food", "1", "10"), ln("CIG", "smokes", "1", "50", "tobacco"),
		ln("DLV", "delivery", "1", "8"), ln("DEPOSIT", "x", "1", "1"), ln("NEG", "food", "1", "-5"))
	q := quote(t, p, QuoteInput{Purchase: pu})
	assert.Equal(t, int64(10), q.Total)
	for _, l := range q.Lines[1:] {
		assert.False(t, l.Earning, "line %d", l.Line)
		assert.Zero(t, l.Points)
	}
}

func TestQuoteRuleKinds(t *testing.T) {
	at := sh(t, 2026, 6, 1, 12, 0) // a Monday
	cases := []struct {
		name   string
		rules  []EarnRule
		member Member
		lines  []customer.Line
		want   map[string]int64
	}{
		{
			name:  "category multiplier",
			rules: []EarnRule{{ID: "dairy", Kind: KindMultiplier, Factor: dec("2"), When: Condition{Lines: Selector{Categories: []string{"dairy"}}}}},
			lines: []customer.Line{ln("M", "dairy", "1", "10.50"), ln("B", "bakery", "1", "20")},
			want:  map[string]int64{"base": 30, "dairy": 10},
		},
		{
			name:  "brand filter and exclusion",
			rules: []EarnRule{{ID: "brand", Kind: KindMultiplier, Factor: dec("3"), When: Condition{Lines: Selector{Brands: []string{"Acme"}}, Exclude: Selector{SKUs: []string{"A2"}}}}},
			lines: []customer.Line{{SKU: "A1", Brand: "Acme", Quantity: dec("1"), Total: dec("10")}, {SKU: "A2", Brand: "Acme", Quantity: dec("1"), Total: dec("10")}},
			want:  map[string]int64{"base": 20, "brand": 20},
		},
		{
			name:  "product bonus per unit",
			rules: []EarnRule{{ID: "tea", Kind: KindProductBonus, Points: 20, When: Condition{Lines: Selector{SKUs: []string{"TEA"}}}}},
			lines: []customer.Line{ln("TEA", "drinks", "3", "5"), ln("X", "food", "1", "1")},
			want:  map[string]int64{"base": 16, "tea": 60},
		},
		{
			name:  "product bonus on a fractional quantity",
			rules: []EarnRule{{ID: "cheese", Kind: KindProductBonus, Points: 15, When: Condition{Lines: Selector{Tags: []string{"by-weight"}}}}},
			lines: []customer.Line{ln("CH", "dairy", "0.25", "80", "by-weight")},
			want:  map[string]int64{"base": 20, "cheese": 3}, // 3.75 floors
		},
		{
			name:   "first purchase bonus at the minimum exactly",
			rules:  []EarnRule{{ID: "first", Kind: KindOrderBonus, Points: 200, When: Condition{FirstPurchase: true, MinAmount: dec("50")}}},
			member: Member{FirstPurchase: true},
			lines:  []customer.Line{ln("A", "food", "1", "30"), ln("B", "food", "1", "20")},
			want:   map[string]int64{"base": 50, "first": 200},
		},
		{
			name:   "first purchase bonus below the minimum",
			rules:  []EarnRule{{ID: "first", Kind: KindOrderBonus, Points: 200, When: Condition{FirstPurchase: true, MinAmount: dec("50")}}},
			member: Member{FirstPurchase: true},
			lines:  []customer.Line{ln("A", "food", "1", "30"), ln("B", "food", "1", "19.99")},
			want:   map[string]int64{"base": 49},
		},
		{
			name:   "first purchase bonus not for a returning member",
			rules:  []EarnRule{{ID: "first", Kind: KindOrderBonus, Points: 200, When: Condition{FirstPurchase: true}}},
			member: Member{FirstPurchase: false},
			lines:  []customer.Line{ln("A", "food", "1", "30")},
			want:   map[string]int64{"base": 30},
		},
		{
			name:  "minimum quantity",
			rules: []EarnRule{{ID: "multi", Kind: KindOrderBonus, Points: 5, When: Condition{Lines: Selector{Categories: []string{"fruit"}}, MinQuantity: dec("3")}}},
			lines: []customer.Line{ln("AP", "fruit", "2", "1"), ln("PE", "fruit", "1", "1")},
			want:  map[string]int64{"base": 3, "multi": 5},
		},
		{
			name:   "tier restriction and member tag",
			rules:  []EarnRule{{ID: "staff", Kind: KindMultiplier, Factor: dec("2"), When: Condition{MemberTags: []string{"staff"}, Tiers: []string{"gold"}}}},
			member: Member{Tier: "gold", Tags: []string{"staff"}},
			lines:  []customer.Line{ln("A", "food", "1", "10")},
			want:   map[string]int64{"base": 10, "staff": 10, "tier:gold": 5},
		},
		{
			name:   "birthday month",
			rules:  []EarnRule{{ID: "bday", Kind: KindMultiplier, Factor: dec("2"), When: Condition{Birthday: BirthdayMonth}}},
			member: Member{Birthday: customer.Birthday{Month: time.June, Day: 30}},
			lines:  []customer.Line{ln("A", "food", "1", "10")},
			want:   map[string]int64{"base": 10, "bday": 10},
		},
		{
			name:   "birthday day is not another day",
			rules:  []EarnRule{{ID: "bday", Kind: KindMultiplier, Factor: dec("2"), When: Condition{Birthday: BirthdayDay}}},
			member: Member{Birthday: customer.Birthday{Month: time.June, Day: 30}},
			lines:  []customer.Line{ln("A", "food", "1", "10")},
			want:   map[string]int64{"base": 10},
		},
		{
			name:  "store and channel",
			rules: []EarnRule{{ID: "app", Kind: KindMultiplier, Factor: dec("2"), When: Condition{Channels: []customer.SalesChannel{customer.ChannelApp}}}, {ID: "store", Kind: KindMultiplier, Factor: dec("2"), When: Condition{Stores: []string{"SH-01"}}}},
			lines: []customer.Line{ln("A", "food", "1", "10")},
			want:  map[string]int64{"base": 10, "store": 10},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := testProgram(t, func(p *Program) {
				p.EarnRules = append(p.EarnRules, c.rules...)
				p.Tiers = testLadder()
			})
			q := quote(t, p, QuoteInput{Purchase: buy(at, c.lines...), Member: c.member})
			got := map[string]int64{}
			for _, r := range q.Rules {
				got[r.RuleID] = r.Points
			}
			assert.Equal(t, c.want, got)
		})
	}
}

func TestQuoteBirthdayAndWelcomeDays(t *testing.T) {
	p := testProgram(t, func(p *Program) {
		p.EarnRules = append(p.EarnRules,
			EarnRule{ID: "bday", Kind: KindMultiplier, Factor: dec("2"), When: Condition{Birthday: BirthdayDay}},
			EarnRule{ID: "welcome", Kind: KindMultiplier, Factor: dec("3"), When: Condition{JoinedWithinDays: 30}})
	})
	leap := Member{Birthday: customer.Birthday{Month: time.February, Day: 29}}
	cases := []struct {
		name   string
		at     time.Time
		member Member
		rule   string
		apply  bool
	}{
		{"29 Feb birthday on 28 Feb of a common year", sh(t, 2027, 2, 28, 9, 0), leap, "bday", true},
		{"not on 1 March of a common year", sh(t, 2027, 3, 1, 9, 0), leap, "bday", false},
		{"on 29 Feb of a leap year", sh(t, 2028, 2, 29, 9, 0), leap, "bday", true},
		{"not on 28 Feb of a leap year", sh(t, 2028, 2, 28, 9, 0), leap, "bday", false},
		{"welcome on the 30th day", sh(t, 2026, 1, 31, 23, 59), Member{JoinedAt: sh(t, 2026, 1, 1, 8, 0)}, "welcome", true},
		{"welcome over on the 31st day", sh(t, 2026, 2, 1, 0, 0), Member{JoinedAt: sh(t, 2026, 1, 1, 8, 0)}, "welcome", false},
		{"no join date, no welcome", sh(t, 2026, 1, 2, 0, 0), Member{}, "welcome", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := quote(t, p, QuoteInput{Purchase: buy(c.at, ln("A", "f", "1", "10")), Member: c.member})
			assert.Equal(t, c.apply, rulePoints(q, c.rule) > 0)
		})
	}
}

func TestQuoteOrderBonusAttributedProRata(t *testing.T) {
	p := testProgram(t, func(p *Program) {
		p.EarnRules = append(p.EarnRules, EarnRule{ID: "first", Kind: KindOrderBonus, Points: 200, When: Condition{FirstPurchase: true}})
	})
	q := quote(t, p, QuoteInput{Purchase: buy(sh(t, 2026, 6, 1, 12, 0), ln("A", "f", "1", "30"), ln("B", "f", "1", "20")), Member: Member{FirstPurchase: true}})
	assert.Equal(t, int64(30+120), q.Lines[0].Points)
	assert.Equal(t, int64(20+80), q.Lines[1].Points)
}

func TestQuoteStacking(t *testing.T) {
	nov11 := sh(t, 2026, 11, 11, 10, 0)
	bdayNov := Member{Birthday: customer.Birthday{Month: time.November, Day: 3}}
	rules := func(mode StackMode) func(*Program) {
		return func(p *Program) {
			p.Stacking = []StackingGroup{{ID: "promo", Mode: mode}}
			p.EarnRules = append(p.EarnRules,
				EarnRule{ID: "bday", Kind: KindMultiplier, Factor: dec("2"), Group: "promo", Priority: 40, When: Condition{Birthday: BirthdayMonth}},
				EarnRule{ID: "d11", Kind: KindMultiplier, Factor: dec("3"), Group: "promo", Priority: 45, When: Condition{From: Date{2026, 11, 11}, To: Date{2026, 11, 11}}},
				EarnRule{ID: "dairy", Kind: KindMultiplier, Factor: dec("2"), Priority: 50, When: Condition{Lines: Selector{Categories: []string{"dairy"}}}},
			)
		}
	}
	pu := buy(nov11, ln("M", "dairy", "1", "100"))
	t.Run("best-of keeps the largest in its group, other groups add", func(t *testing.T) {
		q := quote(t, testProgram(t, rules(StackBestOf)), QuoteInput{Purchase: pu, Member: bdayNov})
		assert.Equal(t, int64(100+200+100), q.Total)
		assert.Zero(t, rulePoints(q, "bday"))
		assert.Equal(t, int64(200), rulePoints(q, "d11"))
	})
	t.Run("additive adds every extra", func(t *testing.T) {
		q := quote(t, testProgram(t, rules(StackAdditive)), QuoteInput{Purchase: pu, Member: bdayNov})
		assert.Equal(t, int64(100+100+200+100), q.Total)
	})
	t.Run("best-of tie goes to the higher priority", func(t *testing.T) {
		p := testProgram(t, func(p *Program) {
			p.Stacking = []StackingGroup{{ID: "g", Mode: StackBestOf}}
			p.EarnRules = append(p.EarnRules,
				EarnRule{ID: "z-high", Kind: KindMultiplier, Factor: dec("2"), Group: "g", Priority: 9},
				EarnRule{ID: "a-low", Kind: KindMultiplier, Factor: dec("2"), Group: "g", Priority: 1},
			)
		})
		q := quote(t, p, QuoteInput{Purchase: pu})
		assert.Equal(t, int64(100), rulePoints(q, "z-high"))
		assert.Zero(t, rulePoints(q, "a-low"))
		// The rule order in the programme does not matter.
		p.EarnRules[1], p.EarnRules[2] = p.EarnRules[2], p.EarnRules[1]
		require.NoError(t, p.Validate())
		q2 := quote(t, p, QuoteInput{Purchase: pu})
		assert.Equal(t, q.Rules, q2.Rules)
	})
	t.Run("best-of base rates", func(t *testing.T) {
		p := testProgram(t, func(p *Program) {
			p.Stacking = []StackingGroup{{ID: "base", Mode: StackBestOf}}
			p.EarnRules[0].Group, p.EarnRules[0].Priority = "base", 10
			p.EarnRules = append(p.EarnRules, EarnRule{ID: "app", Kind: KindBase, Rate: dec("1.5"), Group: "base", Priority: 20,
				When: Condition{Channels: []customer.SalesChannel{customer.ChannelApp}}})
		})
		app := pu
		app.Channel = customer.ChannelApp
		q := quote(t, p, QuoteInput{Purchase: app})
		assert.Equal(t, int64(150), q.Total)
		assert.Zero(t, rulePoints(q, "base"))
		assert.Equal(t, int64(100), quote(t, p, QuoteInput{Purchase: pu}).Total)
	})
	t.Run("best-of order bonuses", func(t *testing.T) {
		p := testProgram(t, func(p *Program) {
			p.Stacking = []StackingGroup{{ID: "welcome", Mode: StackBestOf}}
			p.EarnRules = append(p.EarnRules,
				EarnRule{ID: "first", Kind: KindOrderBonus, Points: 200, Group: "welcome", Priority: 2, When: Condition{FirstPurchase: true}},
				EarnRule{ID: "big", Kind: KindOrderBonus, Points: 300, Group: "welcome", Priority: 1, When: Condition{MinAmount: dec("100")}})
		})
		q := quote(t, p, QuoteInput{Purchase: pu, Member: Member{FirstPurchase: true}})
		assert.Equal(t, int64(300), rulePoints(q, "big"))
		assert.Zero(t, rulePoints(q, "first"))
	})
	t.Run("multiplier of several base rules", func(t *testing.T) {
		p := testProgram(t, func(p *Program) {
			p.EarnRules = append(p.EarnRules,
				EarnRule{ID: "extra-base", Kind: KindBase, Rate: dec("0.5")},
				EarnRule{ID: "x2", Kind: KindMultiplier, Factor: dec("2")})
		})
		q := quote(t, p, QuoteInput{Purchase: pu})
		assert.Equal(t, int64(100+50+150), q.Total)
		for _, r := range q.Rules {
			if r.RuleID == "x2" {
				assert.True(t, dec("150").Equal(r.BasePoints()))
			}
		}
	})
}

func TestQuoteCaps(t *testing.T) {
	at := sh(t, 2026, 6, 1, 12, 0)
	withBonus := func(caps Caps, max int64) func(*Program) {
		return func(p *Program) {
			p.Caps = caps
			p.EarnRules[0].Priority = 10
			p.EarnRules = append(p.EarnRules, EarnRule{ID: "bonus", Kind: KindOrderBonus, Points: 200, Priority: 1, MaxPoints: max})
		}
	}
	pu := buy(at, ln("A", "f", "1", "60"), ln("B", "f", "1", "40"))
	cases := []struct {
		name      string
		caps      Caps
		ruleMax   int64
		usage     CapUsage
		total     int64
		base      int64
		bonus     int64
		cappedBy  string
		ruleTrims int64
	}{
		{"no caps", Caps{}, 0, CapUsage{}, 300, 100, 200, "", 0},
		{"per order trims lowest priority first", Caps{PerOrder: 250}, 0, CapUsage{}, 250, 100, 150, "order", 0},
		{"per order below the base", Caps{PerOrder: 60}, 0, CapUsage{}, 60, 60, 0, "order", 0},
		{"per day counts usage", Caps{PerDay: 500}, 0, CapUsage{Today: 450}, 50, 50, 0, "day", 0},
		{"day already spent", Caps{PerDay: 500}, 0, CapUsage{Today: 600}, 0, 0, 0, "day", 0},
		{"per period", Caps{PerPeriod: 1000, Period: PeriodMonth}, 0, CapUsage{Today: 0, Period: 800}, 200, 100, 100, "period", 0},
		{"tightest cap wins", Caps{PerOrder: 280, PerDay: 1000, PerPeriod: 1000, Period: PeriodYear}, 0, CapUsage{Today: 750, Period: 900}, 100, 100, 0, "period", 0},
		{"rule cap", Caps{}, 50, CapUsage{}, 150, 100, 50, "", 150},
		{"exactly at the cap", Caps{PerOrder: 300}, 0, CapUsage{}, 300, 100, 200, "", 0},
		{"negative usage frees nothing", Caps{PerDay: 250}, 0, CapUsage{Today: math.MinInt64}, 250, 100, 150, "day", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := quote(t, testProgram(t, withBonus(c.caps, c.ruleMax)), QuoteInput{Purchase: pu, Usage: c.usage})
			assert.Equal(t, c.total, q.Total)
			assert.Equal(t, c.base, rulePoints(q, "base"))
			assert.Equal(t, c.bonus, rulePoints(q, "bonus"))
			assert.Equal(t, c.cappedBy, q.CappedBy)
			var trims int64
			for _, r := range q.Rules {
				trims += r.CappedByRule
			}
			assert.Equal(t, c.ruleTrims, trims)
			assert.Equal(t, 300-c.ruleTrims-c.total, q.Capped)
		})
	}
}

func TestQuotePromotionsAcrossZones(t *testing.T) {
	d11 := EarnRule{ID: "d11", Kind: KindMultiplier, Factor: dec("2"), When: Condition{From: Date{2026, 11, 11}, To: Date{2026, 11, 11}}}
	happy := EarnRule{ID: "happy", Kind: KindMultiplier, Factor: dec("2"), When: Condition{
		Weekdays: []Weekday{Weekday(time.Sunday)}, Hours: []HourRange{{From: 14 * 60, To: 17 * 60}}}}
	late := EarnRule{ID: "late", Kind: KindMultiplier, Factor: dec("2"), When: Condition{Hours: []HourRange{{From: 22 * 60, To: 2 * 60}}}}
	cases := []struct {
		zone  string
		rule  EarnRule
		at    string
		apply bool
	}{
		{"Asia/Shanghai", d11, "2026-11-10T16:00:00Z", true},  // 11 Nov 00:00 local
		{"Asia/Shanghai", d11, "2026-11-10T15:59:59Z", false}, // 10 Nov 23:59:59 local
		{"Asia/Shanghai", d11, "2026-11-11T15:59:59Z", true},
		{"Asia/Shanghai", d11, "2026-11-11T16:00:00Z", false},
		{"America/New_York", d11, "2026-11-10T16:30:00Z", false}, // still 10 Nov in New York
		{"America/New_York", d11, "2026-11-12T04:59:59Z", true},  // 11 Nov 23:59:59 EST
		// 8 March 2026: New York springs forward at 02:00 local.
		{"America/New_York", happy, "2026-03-08T18:00:00Z", true},  // 14:00 EDT
		{"America/New_York", happy, "2026-03-08T17:59:00Z", false}, // 13:59 EDT
		{"America/New_York", happy, "2026-03-08T20:59:00Z", true},  // 16:59 EDT
		{"America/New_York", happy, "2026-03-08T21:00:00Z", false}, // 17:00 EDT
		{"America/New_York", happy, "2026-03-01T19:00:00Z", true},  // 14:00 EST a week before
		// 1 November 2026: New York falls back at 02:00 local.
		{"America/New_York", happy, "2026-11-01T19:00:00Z", true},  // 14:00 EST
		{"America/New_York", happy, "2026-11-01T18:00:00Z", false}, // 13:00 EST
		{"Europe/Berlin", late, "2026-03-28T21:30:00Z", true},      // 22:30 CET
		{"Europe/Berlin", late, "2026-03-29T00:30:00Z", true},      // 01:30 CET, the night of the change
		{"Europe/Berlin", late, "2026-03-29T00:59:59Z", true},      // 01:59:59 CET
		{"Europe/Berlin", late, "2026-03-29T01:00:00Z", false},     // 03:00 CEST
	}
	for _, c := range cases {
		t.Run(c.zone+"/"+c.rule.ID+"/"+c.at, func(t *testing.T) {
			p := testProgram(t, func(p *Program) {
				p.TimeZone = c.zone
				p.EarnRules = append(p.EarnRules, c.rule)
			})
			at, err := time.Parse(time.RFC3339, c.at)
			require.NoError(t, err)
			q := quote(t, p, QuoteInput{Purchase: buy(at, ln("A", "f", "1", "10"))})
			assert.Equal(t, c.apply, rulePoints(q, c.rule.ID) == 10)
			// The instant decides, not the zone the POS wrote it in.
			q2 := quote(t, p, QuoteInput{Purchase: buy(at.In(zone(t, "Pacific/Kiritimati")), ln("A", "f", "1", "10"))})
			assert.Equal(t, q.Total, q2.Total)
		})
	}
}

func TestQuoteNeverNegative(t *testing.T) {
	p := testProgram(t, nil)
	pu := buy(sh(t, 2026, 6, 1, 12, 0), ln("A", "f", "1", "10"), ln("R", "f", "1", "-30"))
	pu.OrderDiscount = dec("500")
	q := quote(t, p, QuoteInput{Purchase: pu})
	assert.Zero(t, q.Total)
	for _, l := range q.Lines {
		assert.False(t, l.Net().IsNegative())
	}
}

func TestQuoteLotTimes(t *testing.T) {
	p := testProgram(t, func(p *Program) {
		p.Pending = PendingPolicy{Days: 7}
		p.Expiry = ExpiryPolicy{Kind: ExpirePeriodEnd, Unit: PeriodYear, Periods: 1}
	})
	q := quote(t, p, QuoteInput{Purchase: buy(sh(t, 2026, 12, 31, 23, 30), ln("A", "f", "1", "10"))})
	assert.True(t, q.PendingUntil.Equal(sh(t, 2027, 1, 8, 0, 0)), "pending until %s", q.PendingUntil)
	assert.True(t, q.ExpiresAt.Equal(sh(t, 2028, 1, 1, 0, 0)), "expires %s", q.ExpiresAt)
	assert.False(t, q.ReleaseByHost)
	p.Pending = PendingPolicy{UntilReleased: true}
	require.NoError(t, p.Validate())
	q = quote(t, p, QuoteInput{Purchase: buy(sh(t, 2026, 12, 31, 23, 30), ln("A", "f", "1", "10"))})
	assert.True(t, q.ReleaseByHost)
	assert.True(t, q.PendingUntil.IsZero())
}

func TestQuoteInputErrors(t *testing.T) {
	p := testProgram(t, nil)
	at := sh(t, 2026, 6, 1, 12, 0)
	pu := buy(at, ln("A", "f", "1", "10"))
	pu.Currency = "USD"
	_, err := p.Quote(QuoteInput{Purchase: pu})
	assert.ErrorIs(t, err, ErrCurrencyMismatch)

	bad := buy(at, customer.Line{SKU: "A", Quantity: dec("1"), Total: dec("1.001")}, customer.Line{SKU: "B", Quantity: dec("-1"), Total: dec("1")})
	bad.OrderDiscount = dec("-1")
	_, err = p.Quote(QuoteInput{Purchase: bad})
	require.ErrorIs(t, err, ErrInvalid)
	assert.Contains(t, err.Error(), "lines[0].total")
	assert.Contains(t, err.Error(), "lines[1].quantity")
	assert.Contains(t, err.Error(), "orderDiscount")

	// A line too large to compute is out of range (documented), at its path.
	huge := buy(at, customer.Line{SKU: "A", Quantity: dec("1"), Total: dec("1e400")})
	_, err = p.Quote(QuoteInput{Purchase: huge})
	assert.ErrorIs(t, err, ErrOutOfRange)
	var re *RangeError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "purchase.lines[0].total", re.Field)

	_, err = p.Quote(QuoteInput{Purchase: customer.Purchase{Currency: "CNY"}})
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestQuoteUnvalidatedProgram(t *testing.T) {
	p := &Program{ID: "x", Currency: "CNY", TimeZone: "Asia/Shanghai", EarnRules: []EarnRule{{ID: "b", Kind: KindBase, Rate: dec("2")}},
		Expiry: ExpiryPolicy{Kind: ExpireNever}, ReturnPolicy: ReturnOnlyPending, Redemption: Redemption{Points: 100, Value: dec("1")}}
	q, err := p.Quote(QuoteInput{Purchase: buy(sh(t, 2026, 1, 1, 0, 0), ln("A", "f", "1", "10"))})
	require.NoError(t, err)
	assert.Equal(t, int64(20), q.Total)
	p.Currency = "cny"
	_, err = p.Quote(QuoteInput{Purchase: buy(sh(t, 2026, 1, 1, 0, 0), ln("A", "f", "1", "10"))})
	assert.True(t, errors.Is(err, ErrInvalid))
}

func TestQuoteEvent(t *testing.T) {
	p := loadTestProgram(t, "program.json")
	at := sh(t, 2026, 6, 1, 12, 0)
	cases := []struct {
		ev   EventKind
		want int64
	}{
		{EventRegistration, 100},
		{EventReview, 10},
		{EventReferrer, 300},
		{EventReferee, 150},
		{EventProfileCompleted, 0},
	}
	for _, c := range cases {
		q, err := p.QuoteEvent(EventInput{Event: c.ev, Time: at})
		require.NoError(t, err)
		checkQuote(t, q)
		assert.Equal(t, c.want, q.Total, string(c.ev))
		assert.True(t, q.ExpiresAt.Equal(sh(t, 2028, 1, 1, 0, 0)))
	}
	_, err := p.QuoteEvent(EventInput{Event: "party", Time: at})
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestQuoteDeterministic(t *testing.T) {
	p := loadTestProgram(t, "program.json")
	pu := benchPurchase(50)
	in := QuoteInput{Purchase: pu, Member: Member{Tier: "gold", FirstPurchase: true, Birthday: customer.Birthday{Month: time.November, Day: 11}}}
	a := quote(t, p, in)
	for range 5 {
		b := quote(t, p, in)
		assert.Equal(t, a, b)
	}
	assert.Positive(t, a.Total)
}

func TestQuoteOutOfRange(t *testing.T) {
	yen := 0
	p := testProgram(t, func(p *Program) {
		p.Currency, p.MinorUnits = "JPY", &yen
		p.EarnRules[0].Rate = dec("1000")
		for i := range 20 {
			p.EarnRules = append(p.EarnRules, EarnRule{ID: fmt.Sprintf("x%d", i), Kind: KindMultiplier, Factor: dec("100")})
		}
	})
	pu := buy(sh(t, 2026, 6, 1, 12, 0), customer.Line{SKU: "GOLD-BAR", Quantity: dec("1"), Total: dec("1000000000000")})
	pu.Currency = "JPY"
	_, err := p.Quote(QuoteInput{Purchase: pu})
	assert.ErrorIs(t, err, ErrOutOfRange)
	pu.Lines[0].Total = dec("1000")
	q := quote(t, p, QuoteInput{Purchase: pu})
	assert.Equal(t, int64(1000*1000+20*99*1000*1000), q.Total)
}
