package storedvalue_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func programme(order storedvalue.SpendOrder) *storedvalue.Programme {
	return &storedvalue.Programme{
		Currency:   "CNY",
		SpendOrder: order,
		TopUps: []storedvalue.TopUpRule{
			{ID: "500", Pay: d("500"), Bonus: d("30")},
			{ID: "1000", Pay: d("1000"), Bonus: d("100"), BonusPoints: 200, Tier: "gold"},
		},
		BonusValidDays: 30,
		TimeZone:       "Asia/Shanghai",
		CashOut:        storedvalue.ForfeitProportional,
	}
}

func newService(t testing.TB, p *storedvalue.Programme, opts *storedvalue.Options) (*storedvalue.Service, storedvalue.Store) {
	t.Helper()
	st := storedvalue.NewMemoryStore()
	s, err := storedvalue.NewService(st, p, opts)
	require.NoError(t, err)
	return s, st
}

func requireMoney(t *testing.T, paid, bonus string, m storedvalue.Money) {
	t.Helper()
	require.Truef(t, m.Paid.Equal(d(paid)), "paid %s, want %s", m.Paid, paid)
	require.Truef(t, m.Bonus.Equal(d(bonus)), "bonus %s, want %s", m.Bonus, bonus)
}

func audit(t *testing.T, st storedvalue.Store, id string) {
	t.Helper()
	require.NoError(t, storedvalue.Audit(t.Context(), st, id))
}
