package metrics

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

func assertDecs(t *testing.T, want []decimal.Decimal, got []decimal.Decimal, msg string) {
	t.Helper()
	require.Len(t, got, len(want), msg)
	for i := range want {
		assert.True(t, want[i].Equal(got[i]), "%s[%d]: want %s, got %s", msg, i, want[i], got[i])
	}
}

func TestCohortsShanghai(t *testing.T) {
	asOf := marSH.To // 1 April in Shanghai
	got, err := Cohorts(seq(examplePurchases...), seq(exampleReturns...), asOf, Month, shanghai)
	require.NoError(t, err)
	assert.Equal(t, "Asia/Shanghai", got.Location)
	assert.False(t, got.LastPartial)
	assert.Zero(t, got.UnmatchedReturns, "r4 is after asOf, the rest match")
	require.Len(t, got.Cohorts, 3)

	jan, feb, mar := got.Cohorts[0], got.Cohorts[1], got.Cohorts[2]
	// January: A and B. February: A again. March: B again.
	assert.Equal(t, "2026-01", jan.Period.String())
	assert.Equal(t, 2, jan.Customers)
	assert.Equal(t, []int{2, 1, 1}, jan.Active)
	assert.Equal(t, []float64{1, 0.5, 0.5}, jan.Retention)
	// Jan: 100 + 50 − 5 (r0); Feb: 80 − 80 (r2) + 20; Mar: 40.
	assertDecs(t, decs("145", "20", "40"), jan.Revenue, "jan revenue")
	assertDecs(t, decs("72.50", "82.50", "102.50"), jan.CumulativePerCustomer, "jan per customer")

	// February: C, who bought again in March (r4 is after asOf).
	assert.Equal(t, 1, feb.Customers)
	assert.Equal(t, []int{1, 1}, feb.Active)
	assertDecs(t, decs("100", "33.33"), feb.Revenue, "feb revenue")
	assertDecs(t, decs("100", "133.33"), feb.CumulativePerCustomer, "feb per customer")

	// March: D, whose purchase at 16:30 UTC on 28 February is 1 March in
	// Shanghai.
	assert.Equal(t, 1, mar.Customers)
	assert.Equal(t, []int{1}, mar.Active)
	assertDecs(t, decs("60"), mar.Revenue, "mar revenue")
}

func TestCohortsTimeZoneMatters(t *testing.T) {
	asOf := utc("2026-03-20T00:00:00Z")
	got, err := Cohorts(seq(examplePurchases...), seq(exampleReturns...), asOf, Month, time.UTC)
	require.NoError(t, err)
	require.Len(t, got.Cohorts, 3)
	assert.True(t, got.LastPartial)
	feb := got.Cohorts[1]
	assert.Equal(t, 2, feb.Customers, "in UTC, D joins in February")
	assert.Equal(t, []int{2, 1}, feb.Active)
	assert.Equal(t, 0, got.Cohorts[2].Customers, "March gained nobody: an empty row, kept")
	assert.Equal(t, []int{0}, got.Cohorts[2].Active)
	assertDecs(t, decs("0"), got.Cohorts[2].CumulativePerCustomer, "empty cohort")
	assert.Zero(t, got.UnmatchedReturns)
}

func TestCohortsWeekly(t *testing.T) {
	// A and B join in ISO week 10 (A twice, counted once); A is back in
	// week 12; asOf falls inside week 12.
	ps := []customer.Purchase{
		buy("w1", "A", "2026-03-02T09:00:00Z", "10"),
		buy("w3", "A", "2026-03-03T09:00:00Z", "10"),
		buy("w2", "B", "2026-03-08T09:00:00Z", "10"),
		buy("w4", "A", "2026-03-17T09:00:00Z", "10"),
	}
	got, err := Cohorts(seq(ps...), nil, utc("2026-03-19T00:00:00Z"), Week, time.UTC)
	require.NoError(t, err)
	assert.True(t, got.LastPartial)
	require.Len(t, got.Cohorts, 3)
	assert.Equal(t, "2026-W10", got.Cohorts[0].Period.String())
	assert.Equal(t, []int{2, 0, 1}, got.Cohorts[0].Active)
	assertDecs(t, decs("30", "0", "10"), got.Cohorts[0].Revenue, "W10 revenue")
	assert.Equal(t, []int{0, 0}, got.Cohorts[1].Active)
	assert.Equal(t, "2026-W12", got.Cohorts[2].Period.String())
}

func TestCohortsArguments(t *testing.T) {
	_, err := Cohorts(seq(examplePurchases...), nil, time.Time{}, Month, time.UTC)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = Cohorts(seq(examplePurchases...), nil, marSH.To, Month, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	got, err := Cohorts(seq(examplePurchases[:0]...), nil, marSH.To, Month, time.UTC)
	require.NoError(t, err)
	assert.Empty(t, got.Cohorts)
}

func TestHistoricValue(t *testing.T) {
	got, err := HistoricValue(seq(examplePurchases...), seq(exampleReturns...), marSH.To, Month, shanghai)
	require.NoError(t, err)
	require.Len(t, got.Customers, 4)
	want := []struct {
		id, cohort, gross, refunds, net string
		orders                          int
	}{
		{"A", "2026-01", "200", "80", "120", 3},
		{"B", "2026-01", "90", "5", "85", 2},
		{"C", "2026-02", "153.33", "20", "133.33", 2},
		{"D", "2026-03", "60", "0", "60", 1},
	}
	for i, w := range want {
		c := got.Customers[i]
		assert.Equal(t, w.id, c.CustomerID)
		assert.Equal(t, w.cohort, c.Cohort)
		assert.Equal(t, w.orders, c.Orders)
		assertDec(t, w.gross, c.Gross, w.id+" gross")
		assertDec(t, w.refunds, c.Refunds, w.id+" refunds")
		assertDec(t, w.net, c.Net, w.id+" net")
	}
	assert.Equal(t, utc("2026-01-05T10:00:00Z"), got.Customers[0].First)
	assert.Equal(t, utc("2026-02-15T10:00:00Z"), got.Customers[0].Last)
	assertDec(t, "398.33", got.Net, "total")
	assertDec(t, "99.58", got.PerCustomer, "398.33 / 4 = 99.5825")

	require.Len(t, got.Cohorts, 3)
	assert.Equal(t, 2, got.Cohorts[0].Customers)
	assertDec(t, "205", got.Cohorts[0].Net, "January cohort")
	assertDec(t, "102.50", got.Cohorts[0].PerCustomer, "January per customer")
	assertDec(t, "133.33", got.Cohorts[1].Net, "February cohort")
	assertDec(t, "60", got.Cohorts[2].Net, "March cohort")

	// The cohort table's last cumulative column agrees.
	table, err := Cohorts(seq(examplePurchases...), seq(exampleReturns...), marSH.To, Month, shanghai)
	require.NoError(t, err)
	for i, c := range got.Cohorts {
		row := table.Cohorts[i]
		last := row.CumulativePerCustomer[len(row.CumulativePerCustomer)-1]
		assert.True(t, c.PerCustomer.Equal(last), "cohort %s: %s vs %s", c.Period, c.PerCustomer, last)
	}
}

func TestCohortsRefuseHugeTables(t *testing.T) {
	ps := []customer.Purchase{buy("old", "A", "2000-01-01T00:00:00Z", "1")}
	_, err := Cohorts(seq(ps...), nil, utc("2026-01-01T00:00:00Z"), Day, time.UTC)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Granularity", fe.Field)
	got, err := Cohorts(seq(ps...), nil, utc("2026-01-01T00:00:00Z"), Month, time.UTC)
	require.NoError(t, err)
	assert.Len(t, got.Cohorts, 26*12)
}
