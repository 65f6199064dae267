package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/metrics"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoredValueFlowsLiabilityAndBreakage(t *testing.T) {
	ctx := context.Background()
	st := storedvalue.NewMemoryStore()
	svc, err := storedvalue.NewService(st, &storedvalue.Programme{
		Currency: "CNY", SpendOrder: storedvalue.PaidFirst, BonusValidDays: 10, CashOut: storedvalue.ForfeitAll,
		TopUps: []storedvalue.TopUpRule{{ID: "t", Pay: decimal.NewFromInt(500), Bonus: decimal.NewFromInt(50)}},
	}, nil)
	require.NoError(t, err)
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	jan := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	feb := time.Date(2026, 2, 5, 10, 0, 0, 0, time.UTC)
	must := func(_ any, err error) { t.Helper(); require.NoError(t, err) }
	// January: m1 tops up 500 (+50 bonus) and spends all of it; m2 tops up
	// 500 (+50), and its bonus lapses unspent.
	must(svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "a", MemberID: "m1", Amount: d("500"), At: jan}))
	must(svc.Pay(ctx, storedvalue.PayRequest{ID: "p1", MemberID: "m1", Amount: d("550"), At: jan}))
	must(svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "b", MemberID: "m2", Amount: d("500"), At: jan}))
	// February: m2's bonus expires on its next payment; m3 tops up and
	// holds 100; m1 gets 50 back.
	must(svc.Pay(ctx, storedvalue.PayRequest{ID: "p2", MemberID: "m2", Amount: d("100"), At: feb}))
	must(svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "c", MemberID: "m3", Amount: d("1000"), At: feb}))
	must(svc.Hold(ctx, storedvalue.PayRequest{ID: "h3", MemberID: "m3", Amount: d("100"), At: feb}))
	must(svc.Refund(ctx, storedvalue.RefundRequest{ID: "r1", PaymentID: "p1", Amount: d("55"), At: feb}))

	w := metrics.Window{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	r, err := metrics.StoredValue(storedvalue.AllEntries(ctx, st), w, "CNY")
	require.NoError(t, err)
	eq := func(want string, got decimal.Decimal, what string) {
		t.Helper()
		assert.Truef(t, got.Equal(d(want)), "%s: %s, want %s", what, got, want)
	}
	eq("1000", r.ToppedUp.Paid, "topped up paid")
	eq("50", r.ToppedUp.Bonus, "topped up bonus")
	eq("100", r.Spent.Paid, "spent paid (the hold is not spent)")
	eq("50", r.Expired.Bonus, "expired")
	eq("50", r.Refunded.Paid, "refunded paid")
	eq("5", r.Refunded.Bonus, "refunded bonus")
	// Owed at the end of February: m1 50+5, m2 400, m3 1000+50, of which
	// 100 held (owed until the hold is committed).
	eq("1450", r.Liability.Paid, "liability paid")
	eq("55", r.Liability.Bonus, "liability bonus")
	eq("100", r.Held.Paid, "held")
	assert.Equal(t, 3, r.Accounts)
	assert.Equal(t, 1, r.TopUps)
	assert.Equal(t, 1, r.Payments, "the hold is not a payment until committed")
	// Bonus settled: m1 spent 50 and got 5 back (45), m2's 50 lapsed:
	// 50 / 95 lapsed; 55 outstanding × 50/95 = 28.95.
	assert.Equal(t, int64(9500), r.BreakageBasis)
	assert.InDelta(t, 50.0/95.0, r.BonusBreakage, 1e-12)
	eq("28.95", r.ExpectedBonusBreakage, "expected breakage")
	assert.Equal(t, metrics.StoredValueBreakageMethod, r.Method)

	_, err = metrics.StoredValue(storedvalue.AllEntries(ctx, st), w, "XXX")
	require.ErrorIs(t, err, metrics.ErrCurrency)
}
