package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStoredValueStore(t *testing.T) {
	storedvaluetest.Run(t, func(t *testing.T) storedvalue.Store { return open(t).StoredValue() })
}

// TestStoredValueSurvivesReopen runs a lane's till through the service on
// a file, closes it, and on the reopened file finds the wallet as it was:
// the ledger audits clean, a retried commit replays its recorded result,
// and a refund of the payment made before the close goes back to its
// parts.
func TestStoredValueSurvivesReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "lane.db")
	prog := &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.PaidFirst,
		TopUps: []storedvalue.TopUpRule{{ID: "t", Pay: decimal.NewFromInt(500), Bonus: decimal.NewFromInt(50)}}}
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	service := func(db *sqlite.DB) *storedvalue.Service {
		svc, err := storedvalue.NewService(db.StoredValue(), prog, nil)
		require.NoError(t, err)
		return svc
	}

	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	require.NoError(t, err)
	svc := service(db)
	_, err = svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: decimal.NewFromInt(500), At: at})
	require.NoError(t, err)
	hold, err := svc.Hold(ctx, storedvalue.PayRequest{ID: "h1", MemberID: "m1", Amount: decimal.NewFromInt(520), At: at})
	require.NoError(t, err)
	first, err := svc.CommitHold(ctx, storedvalue.SettleRequest{HoldID: hold.PaymentID, At: at})
	require.NoError(t, err)
	require.NoError(t, db.Close())

	db, err = sqlite.Open(ctx, path, sqlite.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	svc = service(db)
	require.NoError(t, storedvalue.Audit(ctx, db.StoredValue(), storedvalue.WalletID("m1")))
	again, err := svc.CommitHold(ctx, storedvalue.SettleRequest{HoldID: hold.PaymentID, At: at.Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, first.State, again.State, "a retried commit replays what the first returned")
	assert.True(t, first.Spent.Paid.Equal(again.Spent.Paid) && first.Spent.Bonus.Equal(again.Spent.Bonus),
		"replayed spend %v, first %v", again.Spent, first.Spent)
	bal, err := svc.WalletBalance(ctx, "m1", at)
	require.NoError(t, err)
	assert.True(t, bal.Spendable.Total().Equal(decimal.NewFromInt(30)), "550 less 520: %s", bal.Spendable.Total())
	r, err := svc.Refund(ctx, storedvalue.RefundRequest{ID: "r1", PaymentID: "h1", Amount: decimal.NewFromInt(520), At: at})
	require.NoError(t, err)
	assert.True(t, r.Refunded.Total().Equal(decimal.NewFromInt(520)))
	bal, err = svc.WalletBalance(ctx, "m1", at)
	require.NoError(t, err)
	assert.True(t, bal.Spendable.Total().Equal(decimal.NewFromInt(550)), "all back: %s", bal.Spendable.Total())
	require.NoError(t, storedvalue.Audit(ctx, db.StoredValue(), storedvalue.WalletID("m1")))
}

// TestStoredValueLanesRace has twelve tills pay 70 each at once from one
// wallet of 550 (500 paid, 50 bonus) on one file: the payments' reads
// race on the reader pool while their Saves queue for the one writer and
// retry on ErrConflict (up to 32 attempts: twelve racers can lose eleven
// times), and exactly seven are paid, the rest refused as
// insufficient, with the ledger auditing clean and 60 left.
func TestStoredValueLanesRace(t *testing.T) {
	ctx := t.Context()
	st := open(t).StoredValue()
	svc, err := storedvalue.NewService(st, &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.Proportional,
		TopUps: []storedvalue.TopUpRule{{ID: "t", Pay: decimal.NewFromInt(500), Bonus: decimal.NewFromInt(50)}}},
		&storedvalue.Options{MaxAttempts: 32})
	require.NoError(t, err)
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	_, err = svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: decimal.NewFromInt(500), At: at})
	require.NoError(t, err)
	paid := 0
	for i, err := range kit.Race(12, func(i int) error {
		_, err := svc.Pay(ctx, storedvalue.PayRequest{ID: fmt.Sprint("lane", i), MemberID: "m1", Amount: decimal.NewFromInt(70), At: at})
		return err
	}) {
		if err == nil {
			paid++
			continue
		}
		require.ErrorIs(t, err, storedvalue.ErrInsufficientFunds, "lane %d", i)
	}
	assert.Equal(t, 7, paid, "550 pays seven payments of 70")
	bal, err := svc.WalletBalance(ctx, "m1", at)
	require.NoError(t, err)
	assert.True(t, bal.Spendable.Total().Equal(decimal.NewFromInt(60)), "left: %s", bal.Spendable.Total())
	require.NoError(t, storedvalue.Audit(ctx, st, storedvalue.WalletID("m1")))
}
