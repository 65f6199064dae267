package metrics

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decPtr(s string) *decimal.Decimal { d := dec(s); return &d }

// Issue 21: the sale of 2,000 USD earning 2,000 points worth 0.10 with
// 85% expected to be redeemed. LiabilityAt's Value is the points'
// stand-alone selling price (170); the contract liability IFRS 15 books
// is the relative share of the price, 2,000 × 170 / 2,170 = 156.68.
func TestAllocatePointsIssueExample(t *testing.T) {
	opts := LiabilityOptions{Currency: "USD", ValuePerPoint: dec("0.10"), RedemptionRate: decPtr("0.85")}
	a, err := AllocatePoints(PointsSale{Price: dec("2000"), Currency: "USD", Points: 2000}, opts)
	require.NoError(t, err)
	assert.True(t, dec("170").Equal(a.PointsSSP), a.PointsSSP.String())
	assert.True(t, dec("2000").Equal(a.GoodsSSP))
	assert.True(t, dec("156.68").Equal(a.Liability), a.Liability.String())
	assert.True(t, dec("1843.32").Equal(a.Goods), a.Goods.String())
	assert.True(t, dec("1700").Equal(a.ExpectedRedemptions))
	assert.Equal(t, int32(2), a.Scale)
	assert.Equal(t, RoundingRule, a.Rounding)

	// The same points in a ledger: LiabilityAt values them at their
	// stand-alone selling price, which is not the contract liability.
	at := utc("2026-01-10T10:00:00Z")
	l, err := LiabilityAt(seq(ledger.Entry{ID: "e1", Account: "A", Kind: ledger.KindEarn, Points: 2000, Time: at}), at.Add(time.Hour), opts)
	require.NoError(t, err)
	assert.True(t, dec("170").Equal(l.Value), l.Value.String())

	// Half the points redeemed, the estimate unchanged (1,700 in all):
	// 1,000 / 1,700 of 156.68 is recognised, 92.16, and 64.52 is left.
	r, err := a.Release(1000, 0, nil)
	require.NoError(t, err)
	assert.True(t, dec("92.16").Equal(r.Recognised), r.Recognised.String())
	assert.True(t, dec("64.52").Equal(r.Liability), r.Liability.String())

	// The other 1,000 expire: nothing more will be redeemed, so the rest
	// is recognised (breakage).
	r, err = a.Release(1000, 1000, nil)
	require.NoError(t, err)
	assert.True(t, dec("1000").Equal(r.ExpectedRedemptions), "the estimate follows the facts")
	assert.True(t, dec("156.68").Equal(r.Recognised))
	assert.True(t, r.Liability.IsZero())
}

// IFRS 15 Illustrative Example 52 ("customer loyalty programme"), whose
// figures are whole currency units (JPY here has no minor unit).
func TestAllocatePointsIFRS15Example52(t *testing.T) {
	a, err := AllocatePoints(PointsSale{Price: dec("100000"), Currency: "JPY", Points: 10000},
		LiabilityOptions{Currency: "JPY", ValuePerPoint: dec("1"), RedemptionRate: decPtr("0.95")})
	require.NoError(t, err)
	assert.True(t, dec("9500").Equal(a.PointsSSP))
	assert.True(t, dec("8676").Equal(a.Liability), a.Liability.String())
	assert.True(t, dec("91324").Equal(a.Goods), a.Goods.String())

	// Year 1: 4,500 points redeemed, 9,500 still expected in all.
	y1, err := a.Release(4500, 0, decPtr("9500"))
	require.NoError(t, err)
	assert.True(t, dec("4110").Equal(y1.Recognised), y1.Recognised.String())
	assert.True(t, dec("4566").Equal(y1.Liability), y1.Liability.String())
	// Year 2: 8,500 redeemed in all, the estimate raised to 9,700.
	y2, err := a.Release(8500, 0, decPtr("9700"))
	require.NoError(t, err)
	assert.True(t, dec("7603").Equal(y2.Recognised), y2.Recognised.String())
	assert.True(t, dec("3493").Equal(y2.Recognised.Sub(y1.Recognised)), "year 2 revenue")
	assert.True(t, dec("1073").Equal(y2.Liability), y2.Liability.String())
}

func TestAllocatePointsRefusesBadInput(t *testing.T) {
	_, err := AllocatePoints(PointsSale{Price: dec("-1"), Currency: "CNY", Points: -5, GoodsPrice: dec("1e40")},
		LiabilityOptions{Currency: "USD", ValuePerPoint: dec("0.01")})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.ErrorIs(t, err, ErrMixedCurrency)
	for _, f := range []string{"RedemptionRate", "Currency", "Price", "GoodsPrice", "Points"} {
		assert.Contains(t, err.Error(), "."+f+":")
	}

	a, err := AllocatePoints(PointsSale{Price: dec("100"), Currency: "CNY", Points: 100},
		LiabilityOptions{Currency: "CNY", ValuePerPoint: dec("0.01"), RedemptionRate: decPtr("0.5")})
	require.NoError(t, err)
	for _, tc := range []struct {
		redeemed, expired int64
		expected          *decimal.Decimal
	}{
		{-1, 0, nil}, {0, -1, nil}, {60, 50, nil}, {10, 0, decPtr("5")}, {10, 50, decPtr("60")}, {10, 0, decPtr("1e99")},
	} {
		_, err := a.Release(tc.redeemed, tc.expired, tc.expected)
		assert.ErrorIs(t, err, ErrInvalidArgument, "%+v", tc)
	}
}

// Whatever the sale, the two shares add up to the price, the points'
// share never exceeds the price, and the recognised revenue grows with
// redemptions up to the allocation and never beyond it.
func TestAllocatePointsInvariants(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 21))
	for range 2000 {
		price := decimal.New(rng.Int64N(10_000_000), -2)
		points := rng.Int64N(100_000)
		rate := decimal.New(rng.Int64N(10_001), -4)
		opts := LiabilityOptions{Currency: "CNY", ValuePerPoint: decimal.New(rng.Int64N(100), -2), RedemptionRate: &rate}
		a, err := AllocatePoints(PointsSale{Price: price, Currency: "CNY", Points: points}, opts)
		require.NoError(t, err)
		require.True(t, a.Goods.Add(a.Liability).Equal(price), "seed %d", seed)
		require.False(t, a.Liability.IsNegative(), "seed %d", seed)
		require.True(t, a.Liability.LessThanOrEqual(price), "seed %d", seed)
		require.LessOrEqual(t, -a.Liability.Exponent(), int32(2), "seed %d", seed)
		prev := decimal.Zero
		for redeemed := int64(0); redeemed <= points; redeemed += 1 + points/7 {
			r, err := a.Release(redeemed, 0, nil)
			require.NoError(t, err, "seed %d", seed)
			require.True(t, r.Recognised.GreaterThanOrEqual(prev), "seed %d: recognised never falls", seed)
			require.True(t, r.Recognised.LessThanOrEqual(a.Liability), "seed %d", seed)
			require.True(t, r.Recognised.Add(r.Liability).Equal(a.Liability), "seed %d", seed)
			prev = r.Recognised
		}
		r, err := a.Release(0, points, nil)
		require.NoError(t, err)
		require.True(t, r.Liability.IsZero(), "seed %d: all expired, nothing owed", seed)
	}
}
