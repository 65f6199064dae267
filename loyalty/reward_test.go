package loyalty

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaxRedeemable(t *testing.T) {
	p := loadTestProgram(t, "program.json") // 100 points = 1 CNY, min 500, step 100, half the order
	cases := []struct {
		name      string
		order     string
		available int64
		mod       func(*Redemption)
		points    int64
		value     string
		limit     string
	}{
		{"half the order, in steps", "123.45", 100000, nil, 6100, "61", "share"},
		{"the balance", "123.45", 2345, nil, 2300, "23", "balance"},
		{"below the minimum", "123.45", 450, nil, 0, "0", "minimum"},
		{"exactly the minimum", "100", 500, nil, 500, "5", "balance"},
		{"small order", "9.99", 100000, nil, 0, "0", "minimum"},
		{"max points", "10000", 100000, func(r *Redemption) { r.MaxPoints = 2000 }, 2000, "20", "max-points"},
		{"whole order without a share", "12.34", 100000, func(r *Redemption) { r.MaxShare = dec("0"); r.Step = 1; r.MinPoints = 0 }, 1234, "12.34", "share"},
		{"odd rate rounds cash down", "100", 7, func(r *Redemption) { r.Points = 3; r.Value = dec("0.02"); r.Step = 0; r.MinPoints = 0 }, 7, "0.04", "balance"},
		{"negative balance", "100", -50, nil, 0, "0", "minimum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := *p
			if c.mod != nil {
				c.mod(&q.Redemption)
				require.NoError(t, q.Validate())
			}
			r, err := q.MaxRedeemable(dec(c.order), c.available)
			require.NoError(t, err)
			assert.Equal(t, c.points, r.Points)
			assert.True(t, dec(c.value).Equal(r.Value), "value %s", r.Value)
			assert.Equal(t, c.limit, r.Limit)
			// Never more cash than the share of the order allows.
			assert.True(t, r.Value.LessThanOrEqual(dec(c.order)))
		})
	}
	// Each refusal names the order total and says which kind it is.
	for order, want := range map[string]error{"1.001": ErrInvalid, "-1": ErrInvalid, "1e400": ErrOutOfRange, "99999999999999": ErrOutOfRange} {
		_, err := p.MaxRedeemable(dec(order), 100)
		assert.ErrorIs(t, err, want, order)
		assert.ErrorContains(t, err, "orderTotal", order)
	}
}

func TestCashValue(t *testing.T) {
	p := loadTestProgram(t, "program.json")
	for pts, want := range map[int64]string{0: "0", 1: "0.01", 150: "1.5", 199: "1.99", 1_000_000: "10000"} {
		v, err := p.CashValue(pts)
		require.NoError(t, err)
		assert.True(t, dec(want).Equal(v), "%d → %s", pts, v)
	}
	_, err := p.CashValue(-1)
	assert.ErrorIs(t, err, ErrInvalid)

	yen := 0
	jp := testProgram(t, func(p *Program) {
		p.Currency = "JPY"
		p.MinorUnits = &yen
		p.Redemption = Redemption{Points: 10, Value: dec("1")}
	})
	v, err := jp.CashValue(1234)
	require.NoError(t, err)
	assert.True(t, dec("123").Equal(v))
}

func TestBirthdayIn(t *testing.T) {
	loc := zone(t, "Asia/Shanghai")
	leap := customer.Birthday{Month: time.February, Day: 29}
	cases := []struct {
		name     string
		b        customer.Birthday
		from, to time.Time
		want     time.Time // zero: not in the window
	}{
		{"29 Feb observed on 28 Feb in a common year", leap, sh(t, 2026, 2, 28, 0, 0), sh(t, 2026, 3, 1, 0, 0), sh(t, 2026, 2, 28, 0, 0)},
		{"not on 1 March", leap, sh(t, 2026, 3, 1, 0, 0), sh(t, 2026, 3, 2, 0, 0), time.Time{}},
		{"29 Feb itself in a leap year", leap, sh(t, 2028, 2, 29, 0, 0), sh(t, 2028, 3, 1, 0, 0), sh(t, 2028, 2, 29, 0, 0)},
		{"not 28 Feb in a leap year", leap, sh(t, 2028, 2, 28, 0, 0), sh(t, 2028, 2, 29, 0, 0), time.Time{}},
		{"window over the year end, January birthday", customer.Birthday{Month: 1, Day: 2}, sh(t, 2026, 12, 20, 0, 0), sh(t, 2027, 1, 10, 0, 0), sh(t, 2027, 1, 2, 0, 0)},
		{"window over the year end, December birthday", customer.Birthday{Year: 1990, Month: 12, Day: 31}, sh(t, 2026, 12, 20, 0, 0), sh(t, 2027, 1, 10, 0, 0), sh(t, 2026, 12, 31, 0, 0)},
		{"end is exclusive", customer.Birthday{Month: 5, Day: 1}, sh(t, 2026, 4, 1, 0, 0), sh(t, 2026, 5, 1, 0, 0), time.Time{}},
		{"start is inclusive", customer.Birthday{Month: 5, Day: 1}, sh(t, 2026, 5, 1, 0, 0), sh(t, 2026, 5, 1, 0, 1), sh(t, 2026, 5, 1, 0, 0)},
		{"no birthday", customer.Birthday{}, sh(t, 2026, 1, 1, 0, 0), sh(t, 2027, 1, 1, 0, 0), time.Time{}},
		{"invalid birthday", customer.Birthday{Month: 2, Day: 30}, sh(t, 2026, 1, 1, 0, 0), sh(t, 2027, 1, 1, 0, 0), time.Time{}},
		{"empty window", customer.Birthday{Month: 5, Day: 1}, sh(t, 2026, 5, 2, 0, 0), sh(t, 2026, 5, 1, 0, 0), time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := BirthdayIn(c.b, c.from, c.to, loc)
			assert.Equal(t, !c.want.IsZero(), ok)
			assert.True(t, c.want.Equal(got), "got %s", got)
		})
	}
	// Midnight is the programme's: at 23:30 UTC on 30 April it is already
	// 1 May in Shanghai.
	got, ok := BirthdayIn(customer.Birthday{Month: 5, Day: 1}, mustTime(t, "2026-04-30T00:00:00Z"), mustTime(t, "2026-04-30T23:59:00Z"), loc)
	assert.True(t, ok)
	assert.True(t, sh(t, 2026, 5, 1, 0, 0).Equal(got))
}

func TestBirthdayCouponDue(t *testing.T) {
	p := loadTestProgram(t, "program.json") // issued 3 days before, valid 3 before to 7 after
	b := customer.Birthday{Month: 1, Day: 2}
	day := func(y int, m time.Month, d int) (time.Time, time.Time) {
		return sh(t, y, m, d, 0, 0), sh(t, y, m, d+1, 0, 0)
	}
	from, to := day(2026, 12, 30)
	g, ok := p.BirthdayCouponDue(b, "regular", from, to)
	require.True(t, ok)
	assert.Equal(t, "bday-50", g.RewardID)
	assert.True(t, sh(t, 2027, 1, 2, 0, 0).Equal(g.Birthday))
	assert.True(t, from.Equal(g.IssueAt))
	assert.True(t, sh(t, 2026, 12, 30, 0, 0).Equal(g.ValidFrom))
	assert.True(t, sh(t, 2027, 1, 10, 0, 0).Equal(g.ValidUntil))
	from, to = day(2026, 12, 31)
	_, ok = p.BirthdayCouponDue(b, "regular", from, to)
	assert.False(t, ok, "issued once, on one day")

	g, ok = p.BirthdayCouponDue(customer.Birthday{Month: 2, Day: 29}, "gold", sh(t, 2027, 2, 25, 0, 0), sh(t, 2027, 2, 26, 0, 0))
	require.True(t, ok)
	assert.True(t, sh(t, 2027, 2, 28, 0, 0).Equal(g.Birthday))

	// A year of daily runs issues exactly one coupon.
	n := 0
	for d := sh(t, 2026, 6, 1, 0, 0); d.Before(sh(t, 2027, 6, 1, 0, 0)); d = d.AddDate(0, 0, 1) {
		if _, ok := p.BirthdayCouponDue(customer.Birthday{Month: 2, Day: 29}, "", d, d.AddDate(0, 0, 1)); ok {
			n++
		}
	}
	assert.Equal(t, 1, n)
}

func TestCheckReward(t *testing.T) {
	p := loadTestProgram(t, "program.json")
	at := sh(t, 2026, 12, 15, 12, 0)
	_, err := p.CheckReward("mug", "regular", 0, at)
	assert.NoError(t, err)
	_, err = p.CheckReward("mug", "regular", 1, at)
	assert.ErrorIs(t, err, ErrRewardLimit)
	_, err = p.CheckReward("nope", "regular", 0, at)
	assert.ErrorIs(t, err, ErrRewardUnknown)
	_, err = p.CheckReward("coupon-10pct", "regular", 0, at)
	assert.ErrorIs(t, err, ErrRewardTier)
	_, err = p.CheckReward("coupon-10pct", "gold", 0, sh(t, 2027, 1, 1, 0, 0))
	assert.ErrorIs(t, err, ErrRewardUnavailable)
	r, err := p.CheckReward("coupon-10pct", "gold", 0, sh(t, 2026, 12, 31, 23, 59))
	require.NoError(t, err)
	assert.True(t, sh(t, 2027, 1, 1, 0, 0).Equal(p.CouponValidUntil(r, at)))
	c20, _ := p.Reward("coupon-20")
	assert.True(t, sh(t, 2027, 1, 15, 0, 0).Equal(p.CouponValidUntil(c20, at)))
	mug, _ := p.Reward("mug")
	s, e := p.RewardLimitWindow(mug, at)
	assert.True(t, sh(t, 2026, 1, 1, 0, 0).Equal(s))
	assert.True(t, sh(t, 2027, 1, 1, 0, 0).Equal(e))
}
