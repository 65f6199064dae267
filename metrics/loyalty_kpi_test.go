package metrics

import (
	"errors"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// programmeLedger is a small hand-made ledger over two accounts, with the
// sums worked out in the comments.
//
//	account A: earn 1000 (Jan, pending), release 1000 (Jan), redeem 300 (Feb),
//	           refund 100 of it (Feb), expire 200 (Mar), adjust +50 (Feb)
//	account B: earn 500 (Feb), clawback 120 (Feb, 20 of it as debt),
//	           hold 80 (Feb), hold-commit 80 (Feb), adjust −30 (Mar),
//	           merge-out 10 (Feb) into C, merge-in 10 (Feb) on C
func programmeLedger() []ledger.Entry {
	jan, feb, mar := utc("2026-01-10T10:00:00Z"), utc("2026-02-10T10:00:00Z"), utc("2026-03-10T10:00:00Z")
	return []ledger.Entry{
		{ID: "A#1", Account: "A", Kind: ledger.KindEarn, Points: 1000, Pending: 1000, Time: jan},
		{ID: "A#2", Account: "A", Kind: ledger.KindRelease, Pending: -1000, Time: jan},
		{ID: "A#3", Account: "A", Kind: ledger.KindRedeem, Points: -300, Time: feb},
		{ID: "A#4", Account: "A", Kind: ledger.KindRefund, Points: 100, Time: feb},
		{ID: "A#5", Account: "A", Kind: ledger.KindAdjust, Points: 50, Time: feb},
		{ID: "A#6", Account: "A", Kind: ledger.KindExpire, Points: -200, Time: mar},
		{ID: "B#1", Account: "B", Kind: ledger.KindEarn, Points: 500, Time: feb},
		{ID: "B#2", Account: "B", Kind: ledger.KindClawback, Points: -100, Debt: 20, Time: feb},
		{ID: "B#3", Account: "B", Kind: ledger.KindHold, Held: 80, Time: feb},
		{ID: "B#4", Account: "B", Kind: ledger.KindHoldCommit, Points: -80, Held: -80, Time: feb},
		{ID: "B#5", Account: "B", Kind: ledger.KindMergeOut, Points: -10, Time: feb},
		{ID: "C#1", Account: "C", Kind: ledger.KindMergeIn, Points: 10, Time: feb},
		{ID: "B#6", Account: "B", Kind: ledger.KindAdjust, Points: -30, Time: mar},
	}
}

func TestPointsInWorkedExample(t *testing.T) {
	q1 := Window{From: utc("2026-01-01T00:00:00Z"), To: utc("2026-04-01T00:00:00Z")}
	f, err := PointsIn(seq(programmeLedger()...), q1)
	require.NoError(t, err)
	assert.Equal(t, 13, f.Entries)
	assert.Equal(t, 3, f.Accounts)
	assert.Equal(t, int64(1500), f.Issued)    // 1000 + 500
	assert.Equal(t, int64(280), f.Redeemed)   // 300 + 80 − 100
	assert.Equal(t, int64(200), f.Expired)    // A's expiry
	assert.Equal(t, int64(120), f.ClawedBack) // 100 from lots + 20 debt
	assert.Equal(t, int64(20), f.Adjusted)    // +50 − 30
	assert.InDelta(t, 280.0/1500, f.RedemptionRate, 1e-12)
	assert.InDelta(t, 200.0/1500, f.BreakageRate, 1e-12)
	assert.Equal(t, int64(1000), f.Totals.Released)
	assert.Equal(t, int64(10), f.Totals.MergedIn)
	assert.Equal(t, int64(10), f.Totals.MergedOut)

	feb := Window{From: utc("2026-02-01T00:00:00Z"), To: utc("2026-03-01T00:00:00Z")}
	f, err = PointsIn(seq(programmeLedger()...), feb)
	require.NoError(t, err)
	assert.Equal(t, int64(500), f.Issued)
	assert.Equal(t, int64(280), f.Redeemed)
	assert.Equal(t, int64(0), f.Expired)
	assert.Equal(t, int64(50), f.Adjusted)
	assert.InDelta(t, 280.0/500, f.RedemptionRate, 1e-12)
}

func TestPointsInRejects(t *testing.T) {
	w := Window{From: utc("2026-01-01T00:00:00Z"), To: utc("2026-04-01T00:00:00Z")}
	_, err := PointsIn(seq(programmeLedger()...), Window{})
	assert.ErrorIs(t, err, ErrInvalidArgument)

	bad := ledger.Entry{ID: "X#1", Account: "X", Kind: "gift", Points: 5, Time: w.From}
	_, err = PointsIn(seq(bad), w)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Kind", fe.Field)
	assert.ErrorIs(t, err, ErrInvalidArgument)

	boom := errors.New("disk gone")
	_, err = PointsIn(failing(boom, programmeLedger()[0]), w)
	assert.ErrorIs(t, err, boom)
}

func TestExpectedBreakage(t *testing.T) {
	// Before April: E = 200 expired; R = 300 + 80 − 100 = 280 redeemed net.
	// B = 200 / 480 = 0.41666… → 0.4167.
	b, err := ExpectedBreakage(seq(programmeLedger()...), utc("2026-04-01T00:00:00Z"))
	require.NoError(t, err)
	assert.Equal(t, int64(200), b.Expired)
	assert.Equal(t, int64(280), b.Redeemed)
	assert.Equal(t, int64(480), b.Settled)
	assert.True(t, decimal.RequireFromString("0.4167").Equal(b.Rate), b.Rate.String())

	// Before March nothing has expired: B = 0.
	b, err = ExpectedBreakage(seq(programmeLedger()...), utc("2026-03-01T00:00:00Z"))
	require.NoError(t, err)
	assert.True(t, b.Rate.IsZero())
	assert.Equal(t, int64(280), b.Settled)

	_, err = ExpectedBreakage(seq(programmeLedger()...), time.Time{})
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestLiabilityWorkedExample(t *testing.T) {
	asOf := utc("2026-04-01T00:00:00Z")
	// Points per account before April:
	//   A: 1000 − 300 + 100 + 50 − 200 = 650
	//   B: 500 − 100 − 80 − 10 − 30 = 280, debt 20 → 260
	//   C: 10
	// Outstanding = 650 + 260 + 10 = 920.
	opts := LiabilityOptions{Currency: "CNY", ValuePerPoint: decimal.RequireFromString("0.01")}
	l, err := LiabilityAt(seq(programmeLedger()...), asOf, opts)
	require.NoError(t, err)
	assert.Equal(t, int64(920), l.Outstanding)
	assert.Equal(t, 3, l.Accounts)
	assert.Equal(t, int64(20), l.Debt)
	assert.Equal(t, RateEstimated, l.RateSource)
	// Redemption rate 1 − 0.4167 = 0.5833; gross 9.20; 9.20 × 0.5833 =
	// 5.36636 → 5.37 CNY.
	assert.True(t, decimal.RequireFromString("0.5833").Equal(l.RedemptionRate))
	assert.True(t, decimal.RequireFromString("9.2").Equal(l.Gross), l.Gross.String())
	assert.True(t, decimal.RequireFromString("5.37").Equal(l.Value), l.Value.String())
	assert.Equal(t, int32(2), l.Scale)

	// A rate given as input is used as is: 9.20 × 0.85 = 7.82.
	rate := decimal.RequireFromString("0.85")
	opts.RedemptionRate = &rate
	l, err = LiabilityAt(seq(programmeLedger()...), asOf, opts)
	require.NoError(t, err)
	assert.Equal(t, RateFromInput, l.RateSource)
	assert.True(t, decimal.RequireFromString("7.82").Equal(l.Value), l.Value.String())

	// JPY has no minor unit: 920 × 1.5 × 0.85 = 1173 exactly; with 0.8333
	// it is 1149.954 → 1150.
	rate = decimal.RequireFromString("0.8333")
	l, err = LiabilityAt(seq(programmeLedger()...), asOf, LiabilityOptions{Currency: "JPY", ValuePerPoint: decimal.RequireFromString("1.5"), RedemptionRate: &rate})
	require.NoError(t, err)
	assert.True(t, decimal.NewFromInt(1150).Equal(l.Value), l.Value.String())

	// With no settled points, every point is assumed redeemed.
	l, err = LiabilityAt(seq(programmeLedger()[:2]...), asOf, LiabilityOptions{Currency: "CNY", ValuePerPoint: decimal.RequireFromString("0.01")})
	require.NoError(t, err)
	assert.Equal(t, RateNoHistory, l.RateSource)
	assert.True(t, decimal.RequireFromString("10").Equal(l.Value), l.Value.String())
}

func TestLiabilityOptionsReportEveryProblem(t *testing.T) {
	rate := decimal.RequireFromString("1.2")
	_, err := LiabilityAt(seq(programmeLedger()...), time.Time{}, LiabilityOptions{
		Currency: "yuan", ValuePerPoint: decimal.RequireFromString("-0.01"), RedemptionRate: &rate,
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrCurrency)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	for _, field := range []string{"Currency", "ValuePerPoint", "RedemptionRate", "AsOf"} {
		assert.Contains(t, err.Error(), field)
	}
}

func tierState(tier string, since time.Time) loyalty.TierState {
	return loyalty.TierState{Tier: tier, Since: since, MemberSince: since}
}

func TestTierDistributionAndMigration(t *testing.T) {
	jan, jun, dec := utc("2026-01-01T00:00:00Z"), utc("2026-06-01T00:00:00Z"), utc("2026-12-01T00:00:00Z")
	joined := utc("2025-01-01T00:00:00Z")
	order := []string{"", "silver", "gold"}
	atJan := []MemberTier{
		{"m1", tierState("", joined)},
		{"m2", tierState("silver", joined)},
		{"m3", tierState("silver", joined)},
		{"m4", tierState("gold", joined)},
		{"m5", tierState("", joined)}, // leaves before June
	}
	// m1 up to silver, m2 stays, m3 down to entry, m4 holds gold by an
	// override only (earned silver), m6 joins in March; m7 joins after June.
	override := tierState("silver", joined)
	override.Override = &loyalty.TierOverride{Tier: "gold", Until: dec}
	atJun := []MemberTier{
		{"m1", tierState("silver", joined)},
		{"m2", tierState("silver", joined)},
		{"m3", tierState("", joined)},
		{"m4", override},
		{"m6", tierState("gold", utc("2026-03-01T00:00:00Z"))},
		{"m7", tierState("", utc("2026-07-01T00:00:00Z"))},
	}

	d, err := TierDistributionAt(seq(atJun...), jun, order)
	require.NoError(t, err)
	assert.Equal(t, 5, d.Members) // m7 not yet a member
	require.Len(t, d.Tiers, 3)
	assert.Equal(t, TierCount{Tier: EntryTier, Members: 1, Share: 0.2}, d.Tiers[0])
	assert.Equal(t, TierCount{Tier: "silver", Members: 2, Share: 0.4}, d.Tiers[1])
	assert.Equal(t, TierCount{Tier: "gold", Members: 2, Share: 0.4}, d.Tiers[2])

	m, err := TierMigrationBetween(seq(atJan...), seq(atJun...), jan, jun, order)
	require.NoError(t, err)
	assert.Equal(t, []string{EntryTier, "silver", "gold"}, m.Tiers)
	assert.Equal(t, [][]int{
		{0, 1, 0}, // m1 entry → silver (m5 left)
		{1, 1, 0}, // m3 silver → entry, m2 stays
		{0, 0, 1}, // m4 gold → gold (override)
	}, m.Counts)
	assert.Equal(t, []int{0, 0, 1}, m.Joined) // m6
	assert.Equal(t, []int{1, 0, 0}, m.Left)   // m5
	assert.Equal(t, 1, m.Upgraded)
	assert.Equal(t, 1, m.Downgraded)
	assert.Equal(t, 2, m.Stayed)

	// A tier outside the ladder still gets a row, after it.
	d, err = TierDistributionAt(seq(MemberTier{"m9", tierState("platinum", joined)}), jun, order)
	require.NoError(t, err)
	assert.Equal(t, "platinum", d.Tiers[3].Tier)

	_, err = TierDistributionAt(seq(atJan[0], atJan[0]), jun, order)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = TierMigrationBetween(seq(atJan...), seq(atJun...), jun, jan, order)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestCouponUsage(t *testing.T) {
	w := Window{From: utc("2026-03-01T00:00:00Z"), To: utc("2026-04-01T00:00:00Z")}
	feb, mar5, mar20, apr10 := utc("2026-02-10T00:00:00Z"), utc("2026-03-05T00:00:00Z"), utc("2026-03-20T00:00:00Z"), utc("2026-04-10T00:00:00Z")
	coupons := []loyalty.Coupon{
		{ID: "k1", IssuedAt: feb, UsedAt: mar5},                     // used in March, issued before
		{ID: "k2", IssuedAt: feb, ValidUntil: mar20},                // expires unused in March
		{ID: "k3", IssuedAt: mar5, UsedAt: mar20},                   // issued and used in March
		{ID: "k4", IssuedAt: mar5, ValidUntil: mar20},               // issued and expired in March
		{ID: "k5", IssuedAt: mar5, ValidUntil: apr10},               // issued, still open
		{ID: "k6", IssuedAt: mar20, UsedAt: apr10},                  // issued in March, used later: open at the end
		{ID: "k7", IssuedAt: apr10},                                 // outside
		{ID: "k8", IssuedAt: feb, UsedAt: mar5, ValidUntil: w.From}, // used, so not expired
	}
	u, err := CouponUsageIn(seq(coupons...), w)
	require.NoError(t, err)
	assert.Equal(t, 4, u.Issued)  // k3..k6
	assert.Equal(t, 3, u.Used)    // k1, k3, k8
	assert.Equal(t, 2, u.Expired) // k2, k4
	assert.Equal(t, 2, u.Open)    // k5, k6
	assert.Equal(t, 1, u.UseRate.Numerator)
	assert.Equal(t, 4, u.UseRate.Denominator)

	_, err = CouponUsageIn(seq(loyalty.Coupon{ID: "bad"}), w)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestParseLiabilityOptions(t *testing.T) {
	o, err := ParseLiabilityOptions([]byte(`{"currency":"CNY","valuePerPoint":"0.01","redemptionRate":"0.8"}`))
	require.NoError(t, err)
	assert.Equal(t, "CNY", o.Currency)
	assert.True(t, decimal.RequireFromString("0.01").Equal(o.ValuePerPoint))
	require.NotNil(t, o.RedemptionRate)
	assert.True(t, decimal.RequireFromString("0.8").Equal(*o.RedemptionRate))

	o, err = ParseLiabilityOptions([]byte(`{"currency":"JPY","valuePerPoint":1}`))
	require.NoError(t, err)
	assert.Nil(t, o.RedemptionRate, "no rate: estimated from the ledger")

	for _, tc := range []struct {
		json   string
		fields []string
	}{
		{`{"currency":"CNY","valuePerPoint":"0.01","rate":"0.8"}`, []string{"JSON"}},
		{`{"currency":"CNY","valuePerPoint":"0.01"} {}`, []string{"JSON"}},
		{`{"currency":"cny","valuePerPoint":"-1","redemptionRate":"2"}`, []string{"Currency", "ValuePerPoint", "RedemptionRate"}},
		{`{"currency":"CNY","valuePerPoint":"1e9999"}`, []string{"ValuePerPoint"}},
		{`{"currency":"CNY","valuePerPoint":"0.01","redemptionRate":"1e-99"}`, []string{"RedemptionRate"}},
		// Issue 21: a number decimal cannot hold is its field's problem,
		// reported with the others, not a JSON error.
		{`{"currency":"CNY","valuePerPoint":"1e999999"}`, []string{"ValuePerPoint"}},
		{`{"currency":"cny","valuePerPoint":1e999999,"redemptionRate":"often"}`, []string{"Currency", "ValuePerPoint", "RedemptionRate"}},
	} {
		_, err := ParseLiabilityOptions([]byte(tc.json))
		require.Error(t, err, tc.json)
		assert.ErrorIs(t, err, ErrInvalidArgument, tc.json)
		for _, f := range tc.fields {
			assert.Contains(t, err.Error(), "."+f+":", tc.json)
		}
		if tc.fields[0] != "JSON" {
			assert.NotContains(t, err.Error(), ".JSON:", tc.json)
		}
	}
}

func FuzzParseLiabilityOptions(f *testing.F) {
	f.Add([]byte(`{"currency":"CNY","valuePerPoint":"0.01","redemptionRate":"0.8"}`))
	f.Add([]byte(`{"currency":"JPY","valuePerPoint":1}`))
	f.Add([]byte(`{"currency":"CNY","valuePerPoint":"1e999999999"}`))
	entries := programmeLedger()
	asOf := utc("2026-04-01T00:00:00Z")
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseLiabilityOptions(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) && !errors.Is(err, ErrCurrency) {
				t.Fatalf("error %v is neither ErrInvalidArgument nor ErrCurrency", err)
			}
			return
		}
		// Whatever parses values a ledger without error, to the minor unit.
		l, err := LiabilityAt(seq(entries...), asOf, o)
		require.NoError(t, err)
		assert.LessOrEqual(t, -l.Value.Exponent(), l.Scale)
		assert.False(t, l.Value.IsNegative())
	})
}
