package clv

import (
	"iter"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitHoldoutSmallStream(t *testing.T) {
	d := func(m time.Month, day, hour int) time.Time { return time.Date(2024, m, day, hour, 0, 0, 0, time.UTC) }
	one := decimal.NewFromInt(1)
	txs := []Transaction{
		{CustomerID: "a", Time: d(1, 1, 9), Amount: one},
		{CustomerID: "b", Time: d(1, 3, 9), Amount: one},
		{CustomerID: "a", Time: d(1, 8, 9), Amount: one},
		{CustomerID: "a", Time: d(1, 8, 18), Amount: one}, // same day: one purchase day
		{CustomerID: "c", Time: d(1, 20, 9), Amount: one}, // first buys in the holdout: not in the cohort
		{CustomerID: "b", Time: d(1, 21, 9), Amount: one}, // holdout
		{CustomerID: "a", Time: d(1, 22, 9), Amount: one}, // holdout
		{CustomerID: "a", Time: d(1, 29, 9), Amount: one}, // after the holdout end
	}
	h, err := SplitHoldout(purchasesOf(txs), HoldoutParams{CalibrationEnd: d(1, 14, 0), HoldoutEnd: d(1, 28, 0), Unit: Week, Location: time.UTC})
	require.NoError(t, err)
	require.Len(t, h.Calibration.Customers, 2)
	assert.Equal(t, "a", h.Calibration.Customers[0].CustomerID)
	assert.Equal(t, []int{1, 1}, h.Purchases)
	assert.InDelta(t, 2, h.Length, 1e-12)
	assert.Equal(t, d(1, 1, 0), h.FirstDay)
	require.Len(t, h.RepeatsByDay, 28)
	want := make([]int, 28)
	want[7], want[20], want[21] = 1, 1, 1 // a on Jan 8, b on Jan 21, a on Jan 22
	assert.Equal(t, want, h.RepeatsByDay)

	// Tracking by hand: customer a first bought on day 0, b on day 2; at
	// the end of week k the ages are 7k-1 and 7k-3 days.
	m := BGNBD{R: 0.5, Alpha: 2, A: 0.8, B: 2.5, Unit: Week}
	tr, err := Tracking(m, h)
	require.NoError(t, err)
	require.Len(t, tr, 4)
	for k, p := range tr {
		ea, err := m.ExpectedPurchases(float64(7*(k+1)-1) / 7)
		require.NoError(t, err)
		eb, err := m.ExpectedPurchases(float64(7*(k+1)-3) / 7)
		require.NoError(t, err)
		assert.InDelta(t, ea+eb, p.Predicted, 1e-12)
		assert.Equal(t, k+1, p.Period)
	}
	assert.Equal(t, []int{0, 1, 2, 3}, []int{tr[0].Actual, tr[1].Actual, tr[2].Actual, tr[3].Actual})
	assert.Equal(t, d(1, 28, 0), tr[3].End)
}

func purchasesOf(txs []Transaction) iter.Seq2[Transaction, error] {
	return func(yield func(Transaction, error) bool) {
		for _, tx := range txs {
			if !yield(tx, nil) {
				return
			}
		}
	}
}

// A stream that cannot be ranged over twice (a consumed cursor) is
// detected, not silently split on half the data.
func TestSplitHoldoutDetectsAOneShotStream(t *testing.T) {
	txs := []Transaction{{CustomerID: "a", Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Amount: decimal.NewFromInt(1)}}
	used := false
	once := func(yield func(Transaction, error) bool) {
		if used {
			return
		}
		used = true
		for _, tx := range txs {
			if !yield(tx, nil) {
				return
			}
		}
	}
	_, err := SplitHoldout(once, HoldoutParams{CalibrationEnd: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC), HoldoutEnd: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Unit: Day, Location: time.UTC})
	assert.ErrorIs(t, err, ErrInvalidInput)
}
