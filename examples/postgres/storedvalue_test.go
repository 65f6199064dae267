package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoredValueConformance(t *testing.T) {
	storedvaluetest.Run(t, func(t *testing.T) storedvalue.Store { return freshDB(t).StoredValue() })
}

// TestStoredValueServiceOnPostgres runs the till's operations through the
// service against the adapter, racing payments on one wallet, and audits
// the ledger after.
func TestStoredValueServiceOnPostgres(t *testing.T) {
	st := freshDB(t).StoredValue()
	svc, err := storedvalue.NewService(st, &storedvalue.Programme{
		Currency: "CNY", SpendOrder: storedvalue.Proportional, CashOut: storedvalue.ForfeitProportional,
		TopUps: []storedvalue.TopUpRule{{ID: "t", Pay: decimal.NewFromInt(500), Bonus: decimal.NewFromInt(50)}},
	}, nil)
	require.NoError(t, err)
	ctx := t.Context()
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	_, err = svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: decimal.NewFromInt(500), At: at})
	require.NoError(t, err)
	errs := kit.Race(8, func(i int) error {
		_, err := svc.Pay(ctx, storedvalue.PayRequest{ID: fmt.Sprint("p", i), MemberID: "m1", Amount: decimal.NewFromInt(100), At: at})
		return err
	})
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			require.ErrorIs(t, err, storedvalue.ErrInsufficientFunds)
		}
	}
	assert.Equal(t, 5, ok, "550 pays five payments of 100")
	h, err := svc.Hold(ctx, storedvalue.PayRequest{ID: "h1", MemberID: "m1", Amount: decimal.NewFromInt(50), At: at})
	require.NoError(t, err)
	_, err = svc.CommitHold(ctx, storedvalue.SettleRequest{HoldID: h.PaymentID, At: at})
	require.NoError(t, err)
	r, err := svc.Refund(ctx, storedvalue.RefundRequest{ID: "r1", PaymentID: "h1", Amount: decimal.NewFromInt(50), At: at})
	require.NoError(t, err)
	assert.True(t, r.Refunded.Total().Equal(decimal.NewFromInt(50)))
	require.NoError(t, storedvalue.Audit(ctx, st, "w:m1"))
}
