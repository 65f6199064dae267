package loyalty

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fieldsOf(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *FieldError
		if errors.As(e, &fe) {
			out = append(out, fe.Field)
		}
	}
	walk(err)
	return out
}

func TestValidateReportsEveryProblem(t *testing.T) {
	p := &Program{
		Currency: "cny",
		TimeZone: "Mars/Olympus",
		EarnRules: []EarnRule{
			{ID: "a", Kind: KindBase},
			{ID: "a", Kind: KindMultiplier, Factor: dec("0.5"), Group: "nope"},
			{ID: "b", Kind: "typo"},
			{ID: "c", Kind: KindOrderBonus, Points: 10, Rounding: "bankers", When: Condition{From: Date{2026, 5, 1}, To: Date{2026, 4, 1}, Tiers: []string{"gold"}}},
			{ID: "d", Kind: KindEventBonus, Points: 10, Event: "birthday-party", When: Condition{Stores: []string{"x"}}},
		},
		Caps:         Caps{PerPeriod: 10},
		Expiry:       ExpiryPolicy{Kind: ExpireRolling},
		Pending:      PendingPolicy{Days: 3, UntilReleased: true},
		ReturnPolicy: "sometimes",
		Redemption:   Redemption{Points: 0, Value: dec("-1"), MaxShare: dec("1.5")},
	}
	err := p.Validate()
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalid)
	got := fieldsOf(err)
	for _, want := range []string{
		"id", "currency", "timeZone",
		"earnRules[0].rate", "earnRules[1].id", "earnRules[1].factor", "earnRules[1].group",
		"earnRules[2].kind", "earnRules[3].rounding", "earnRules[3].when.to", "earnRules[3].when.tiers",
		"earnRules[4].event", "earnRules[4].when",
		"caps.period", "expiry.days", "pending", "returnPolicy",
		"redemption.points", "redemption.value", "redemption.maxShare",
	} {
		assert.Contains(t, got, want)
	}
	assert.Nil(t, p.compiled, "an invalid programme is not compiled")
	assert.NotContains(t, err.Error(), "Olympus", "errors name fields, not values")
}

func TestValidateStackingPriority(t *testing.T) {
	mk := func(p1, p2 int, g2 string) *Program {
		return &Program{ID: "x", Currency: "CNY", TimeZone: "UTC",
			Stacking: []StackingGroup{{ID: "promo", Mode: StackBestOf}, {ID: "other", Mode: StackAdditive}},
			EarnRules: []EarnRule{
				{ID: "base", Kind: KindBase, Rate: dec("1")},
				{ID: "m1", Kind: KindMultiplier, Factor: dec("2"), Group: "promo", Priority: p1},
				{ID: "m2", Kind: KindMultiplier, Factor: dec("3"), Group: g2, Priority: p2},
			},
			Expiry: ExpiryPolicy{Kind: ExpireNever}, ReturnPolicy: ReturnAllowDebt, Redemption: Redemption{Points: 1, Value: dec("1")}}
	}
	err := mk(5, 5, "promo").Validate()
	require.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, []string{"earnRules[2].priority"}, fieldsOf(err))
	assert.Contains(t, err.Error(), `"m1"`)
	assert.NoError(t, mk(5, 6, "promo").Validate())
	assert.NoError(t, mk(5, 5, "other").Validate(), "equal priorities in different groups are fine")
	assert.NoError(t, mk(5, 5, "").Validate())

	mixed := mk(5, 6, "promo")
	mixed.EarnRules[0].Group = "promo"
	assert.Contains(t, fieldsOf(mixed.Validate()), "earnRules[1].group")
}

func TestValidateTiersAndRewards(t *testing.T) {
	p := testProgram(t, nil)
	p.Tiers = testLadder()
	p.Tiers.Levels[0].Qualify.Purchases = 1
	p.Tiers.Levels[1].Code = "gold"
	p.Tiers.Levels[2].Qualify = Qualification{Spend: dec("100")}
	p.Tiers.Window = QualWindow{Kind: WindowRolling}
	p.Tiers.Review.Downgrade = "sideways"
	p.Rewards = []Reward{{ID: "r", Kind: RewardCouponPercent, Percent: dec("120"), Names: map[string]string{"en": "x"}}, {ID: "r", Kind: RewardItem}}
	p.BirthdayCoupon = &BirthdayCoupon{RewardID: "missing", IssueDaysBefore: -1}
	got := fieldsOf(p.Validate())
	for _, want := range []string{
		"tiers.levels[0].qualify", "tiers.levels[2].code", "tiers.levels[2].qualify", "tiers.window.months", "tiers.review.downgrade",
		"rewards[0].percent", "rewards[1].id", "rewards[1].names", "rewards[1].sku",
		"birthdayCoupon.rewardId", "birthdayCoupon.issueDaysBefore",
	} {
		assert.Contains(t, got, want)
	}
}

func TestValidateLocationLiteral(t *testing.T) {
	p := testProgram(t, func(p *Program) { p.TimeZone = ""; p.Location = zone(t, "Europe/Berlin") })
	assert.Equal(t, "Europe/Berlin", p.TimeZone)
	q := *p
	q.TimeZone, q.Location = "../../etc/passwd", nil
	assert.Contains(t, fieldsOf(q.Validate()), "timeZone")
	q.TimeZone, q.Location = "Asia/Tokyo", time.UTC
	assert.Contains(t, fieldsOf(q.Validate()), "timeZone")
}

func TestDateClockWeekdayJSON(t *testing.T) {
	var c Condition
	doc := `{"from":"2026-02-28","to":"2026-03-01","weekdays":["mon","sun"],"hours":[{"from":"09:30","to":"24:00"}]}`
	require.NoError(t, unmarshalStrict(doc, &c))
	assert.Equal(t, Date{2026, 2, 28}, c.From)
	assert.Equal(t, []Weekday{1, 0}, c.Weekdays)
	assert.Equal(t, Clock(9*60+30), c.Hours[0].From)
	assert.Equal(t, Clock(1440), c.Hours[0].To)
	// 2026-02-30 has the shape of a date: validation, not decoding, refuses
	// it at its field path (TestParseProgramNamesAnImpossibleDate).
	for _, bad := range []string{`{"from":"2026-2-28"}`, `{"weekdays":["monday"]}`, `{"hours":[{"from":"25:00","to":"26:00"}]}`, `{"hours":[{"from":"9:30","to":"10:00"}]}`} {
		assert.Error(t, unmarshalStrict(bad, &c), bad)
	}
	out, err := marshal(c)
	require.NoError(t, err)
	assert.True(t, strings.Contains(out, `"from":"2026-02-28"`) && strings.Contains(out, `"09:30"`) && strings.Contains(out, `"sun"`), out)
}
