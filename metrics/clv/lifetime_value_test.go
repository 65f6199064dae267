package clv

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var publishedGG = GammaGamma{P: 6.25, Q: 3.74, V: 15.44}

// Reference values from mpmath (40 digits) with eq. 10 of Fader, Hardie &
// Lee (2005), the Gamma-Gamma conditional mean, 12 periods of 4 weeks and
// 1% discount per period.
func TestLifetimeValuesAgainstMpmath(t *testing.T) {
	s := Summaries{Unit: Week, Customers: []Summary{
		{CustomerID: "1", Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35},
		{CustomerID: "3", Frequency: 0, Recency: 0, T: 38.86},
		{CustomerID: "x", Frequency: 7, Recency: 35.71, T: 38.86, Monetary: 41.12},
	}}
	h := Horizon{Periods: 12, Period: 28 * 24 * time.Hour, DiscountRate: 0.01, Places: 2}
	v, err := LifetimeValues(lifetimesCDNOW, publishedGG, s, h)
	require.NoError(t, err)
	assert.Equal(t, h, v.Horizon)
	assert.Equal(t, Week, v.Unit)
	assert.InDelta(t, 4.0, v.PeriodUnits, 1e-12)
	want := []struct {
		value           string
		spend, expected float64
	}{
		{"33.89", 24.663713910761154856, 1.4592017401765746433},  // 33.8890...
		{"7.77", 35.218978102189781022, 0.23450096442032026567},  // 7.7659...
		{"203.08", 40.772209077220907722, 5.2843180310460651236}, // 203.0773...
	}
	for i, w := range want {
		c := v.Customers[i]
		assert.Equal(t, s.Customers[i].CustomerID, c.CustomerID)
		assert.True(t, decimal.RequireFromString(w.value).Equal(c.Value), "customer %d: %s", i, c.Value)
		assert.InEpsilon(t, w.spend, c.ExpectedSpend, 1e-12)
		assert.InEpsilon(t, w.expected, c.ExpectedPurchases, 1e-10)
	}
}

// The same calendar horizon gives the same value whether the data and model
// are weekly or daily: α scales with the unit, times are converted, and the
// horizon is a duration, not a count of units.
func TestLifetimeValueIndependentOfUnit(t *testing.T) {
	h := Horizon{Periods: 6, Period: 30 * 24 * time.Hour, DiscountRate: 0.02, Places: 6}
	weekly := Summary{CustomerID: "c", Frequency: 3, Recency: 20, T: 35, Monetary: 30}
	daily := Summary{CustomerID: "c", Frequency: 3, Recency: 140, T: 245, Monetary: 30}
	dayModel := lifetimesCDNOW
	dayModel.Alpha *= 7
	dayModel.Unit = Day
	vw, err := LifetimeValue(lifetimesCDNOW, publishedGG, weekly, Week, h)
	require.NoError(t, err)
	vd, err := LifetimeValue(dayModel, publishedGG, daily, Day, h)
	require.NoError(t, err)
	assert.InDelta(t, vw.Value.InexactFloat64(), vd.Value.InexactFloat64(), 2e-6)
	assert.InEpsilon(t, vw.ExpectedPurchases, vd.ExpectedPurchases, 1e-10)
}

func TestLifetimeValueDiscounting(t *testing.T) {
	c := Summary{CustomerID: "c", Frequency: 4, Recency: 30, T: 38, Monetary: 25}
	h := Horizon{Periods: 10, Period: 7 * 24 * time.Hour, Places: 10}
	flat, err := LifetimeValue(lifetimesCDNOW, publishedGG, c, Week, h)
	require.NoError(t, err)
	// Without discounting the value is expected purchases times spend.
	assert.InDelta(t, flat.ExpectedPurchases*flat.ExpectedSpend, flat.Value.InexactFloat64(), 1e-9)
	h.DiscountRate = 0.05
	disc, err := LifetimeValue(lifetimesCDNOW, publishedGG, c, Week, h)
	require.NoError(t, err)
	assert.True(t, disc.Value.LessThan(flat.Value))
	// Recompute the discounted sum period by period.
	sum, prev := 0.0, 0.0
	f := 1.0
	for k := 1; k <= 10; k++ {
		e, err := lifetimesCDNOW.ConditionalExpectedPurchases(float64(k), 4, 30, 38)
		require.NoError(t, err)
		f *= 1.05
		sum += (e - prev) * disc.ExpectedSpend / f
		prev = e
	}
	assert.InDelta(t, sum, disc.Value.InexactFloat64(), 1e-9)
}

func TestLifetimeValueRoundsExplicitly(t *testing.T) {
	c := Summary{CustomerID: "c", Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	h := Horizon{Periods: 12, Period: 28 * 24 * time.Hour, DiscountRate: 0.01}
	v, err := LifetimeValue(lifetimesCDNOW, publishedGG, c, Week, h)
	require.NoError(t, err)
	assert.True(t, decimal.NewFromInt(34).Equal(v.Value), "%s", v.Value) // 33.889 half away from zero
	h.Places = 3
	v, err = LifetimeValue(lifetimesCDNOW, publishedGG, c, Week, h)
	require.NoError(t, err)
	assert.True(t, decimal.RequireFromString("33.889").Equal(v.Value), "%s", v.Value)
}

func TestLifetimeValuesRejectsBadInput(t *testing.T) {
	good := Horizon{Periods: 12, Period: 24 * time.Hour, Places: 2}
	s := Summaries{Unit: Week, Customers: []Summary{{CustomerID: "a", Frequency: 1, Recency: 1, T: 2, Monetary: 10}}}

	_, err := LifetimeValues(lifetimesCDNOW, publishedGG, Summaries{Unit: Day, Customers: s.Customers}, good)
	assert.ErrorIs(t, err, ErrUnitMismatch)

	_, err = LifetimeValues(lifetimesCDNOW, publishedGG, s, Horizon{Periods: 0, Period: -1, DiscountRate: -0.5, Places: 40})
	require.ErrorIs(t, err, ErrInvalidInput)
	fields := map[string]bool{}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		require.True(t, errors.As(e, &fe))
		fields[fe.Field] = true
	}
	assert.Equal(t, map[string]bool{"Horizon.Periods": true, "Horizon.Period": true, "Horizon.DiscountRate": true, "Horizon.Places": true}, fields)

	_, err = LifetimeValues(lifetimesCDNOW, GammaGamma{P: 1, Q: 0.5, V: 1}, Summaries{Unit: Week, Customers: []Summary{{CustomerID: "z", T: 3}}}, good)
	assert.ErrorIs(t, err, ErrMeanUndefined)

	_, err = LifetimeValues(lifetimesCDNOW, publishedGG, Summaries{Unit: Week, Customers: []Summary{{CustomerID: "n", Frequency: 2, Recency: 1, T: 2, Monetary: 0}}}, good)
	assert.ErrorIs(t, err, ErrNonPositiveMonetary)

	_, err = LifetimeValues(lifetimesCDNOW, publishedGG, Summaries{Unit: Week, Customers: []Summary{{CustomerID: "r", Frequency: 2, Recency: 3, T: 2, Monetary: 5}}}, good)
	assert.ErrorIs(t, err, ErrInvalidInput)
}
