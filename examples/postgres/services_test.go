package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is when the tests' shop opens; the service clocks stand a day later,
// so every purchase lies in the past.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// program is the loyalty package's sample programme with points
// available at once.
func program(tb testing.TB) *loyalty.Program {
	tb.Helper()
	data, err := os.ReadFile("../../loyalty/testdata/program.json")
	require.NoError(tb, err)
	p, err := loyalty.ParseProgram(data)
	require.NoError(tb, err)
	p.Pending = loyalty.PendingPolicy{}
	return p
}

// shop is the customer and loyalty services wired over two stores, as a
// POS back end wires them, with a fixed clock and sequential IDs so two
// shops given the same requests make the same records.
type shop struct {
	customers *customer.Service
	loyalty   *loyalty.Service
}

func newShop(tb testing.TB, cs customer.Store, ls loyalty.Store) *shop {
	tb.Helper()
	clock := func() time.Time { return t0.Add(24 * time.Hour) }
	var mu sync.Mutex
	n := 0
	s := &shop{}
	s.customers = customer.NewService(cs, &customer.Options{
		Clock: clock,
		NewID: func() string { mu.Lock(); defer mu.Unlock(); n++; return fmt.Sprintf("c%04d", n) },
		OnMerge: []func(context.Context, customer.MergeRecord) error{func(ctx context.Context, m customer.MergeRecord) error {
			return s.loyalty.MergeHook()(ctx, m)
		}},
	})
	var err error
	s.loyalty, err = loyalty.NewService(program(tb), ls, s.customers, &loyalty.Options{
		Clock: clock,
	})
	require.NoError(tb, err)
	return s
}

// line is qty units at price with no discount.
func line(sku, category string, qty int64, price string) customer.Line {
	q, p := decimal.NewFromInt(qty), decimal.RequireFromString(price)
	return customer.Line{SKU: sku, Category: category, Quantity: q, UnitPrice: p, Total: q.Mul(p)}
}

// journey is a member's first visit and a partial return, through both
// services: everything it returns is what a POS would show.
func journey(t *testing.T, s *shop) map[string]any {
	ctx := t.Context()
	c, err := s.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Lin Wei"}, MemberNumber: "M-1001"})
	require.NoError(t, err)
	p, err := s.customers.RecordPurchase(ctx, customer.Purchase{ID: "pos-07/0001", CustomerID: c.ID, Store: "SH-02",
		Channel: customer.ChannelInStore, Time: t0, Currency: "CNY",
		Lines: []customer.Line{line("MILK", "dairy", 2, "12.50"), line("TEA-500", "tea", 1, "88.00"), line("RICE", "grocery", 1, "45.00")}})
	require.NoError(t, err)
	earned, err := s.loyalty.Earn(ctx, p)
	require.NoError(t, err)
	replayed, err := s.loyalty.Earn(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, earned.Entries, replayed.Entries, "a replayed earn returns the recorded result")

	r, err := s.customers.RecordReturn(ctx, customer.Return{ID: "pos-07/R001", PurchaseID: p.ID, Store: "SH-02",
		Time: t0.Add(2 * time.Hour), Currency: "CNY", Refund: decimal.RequireFromString("88.00"),
		Lines: []customer.ReturnLine{{Line: 2, Quantity: decimal.NewFromInt(1)}}})
	require.NoError(t, err)
	returned, err := s.loyalty.Return(ctx, r)
	require.NoError(t, err)
	balance, err := s.loyalty.Balance(ctx, c.ID)
	require.NoError(t, err)

	var history []string
	for p, err := range s.customers.Store().PurchasesOf(ctx, c.ID) {
		require.NoError(t, err)
		history = append(history, p.ID)
	}
	_, err = loyaltytest.CheckInvariants(ctx, s.loyalty.Store(), c.ID, nil)
	require.NoError(t, err, "the stored ledger keeps its invariants")
	return map[string]any{"customer": c.ID, "earned": earned, "returned": returned, "balance": balance, "history": history}
}

// TestServicesEndToEnd runs a member's visit through the customer and
// loyalty services over PostgreSQL and over the in-memory stores: the
// adapter must give the services exactly the answers the embedded stores
// give.
func TestServicesEndToEnd(t *testing.T) {
	db := freshDB(t)
	got := journey(t, newShop(t, db.Customers(), db.Loyalty()))
	want := journey(t, newShop(t, customer.NewMemoryStore(), loyalty.NewMemoryStore()))

	earned := got["earned"].(loyalty.EarnResult)
	returned := got["returned"].(loyalty.ReturnResult)
	t.Logf("earned %d, returned tea owed %d, taken %d; balance %d", earned.Quote.Total, returned.Owed, returned.Taken,
		got["balance"].(loyalty.BalanceView).Available)
	require.Positive(t, earned.Quote.Total, "the purchase earns")
	assert.Positive(t, returned.Owed, "the returned tea owes back what it earned")
	assert.Equal(t, earned.Quote.Total-returned.Owed, got["balance"].(loyalty.BalanceView).Available)

	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	gotJSON, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(wantJSON), string(gotJSON))
}
