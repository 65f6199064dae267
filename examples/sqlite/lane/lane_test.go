package lane_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/postgres"
	"github.com/clientele-go/clientele/examples/sqlite/internal/pgschema"
	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return t0.Add(24 * time.Hour) }

func program(t testing.TB) *loyalty.Program {
	t.Helper()
	data, err := os.ReadFile("../../../loyalty/testdata/program.json")
	require.NoError(t, err)
	p, err := loyalty.ParseProgram(data)
	require.NoError(t, err)
	return p
}

// centralOn returns central services over the stores of the named kind:
// "memory", or "postgres" (a schema of its own on the server
// CLIENTELE_PG_DSN names; the test skips without one, outside CI).
func centralOn(t testing.TB, kind string) lane.Services {
	var customers customer.Store
	var points loyalty.Store
	var wallets storedvalue.Store
	var coupons coupon.Store
	switch kind {
	case "memory":
		customers, points = customer.NewMemoryStore(), loyalty.NewMemoryStore()
		wallets, coupons = storedvalue.NewMemoryStore(), coupon.NewMemoryStore()
	case "postgres":
		db, err := postgres.Open(t.Context(), pgschema.Fresh(t))
		require.NoError(t, err)
		t.Cleanup(db.Close)
		require.NoError(t, db.Migrate(t.Context()))
		customers, points = db.Customers(), db.JournaledLoyalty()
		wallets, coupons = db.StoredValue(), db.Coupons()
	default:
		t.Fatalf("no central services on %q", kind)
	}
	var s lane.Services
	var mu sync.Mutex
	n := 0
	s.Customers = customer.NewService(customers, &customer.Options{
		Clock: clock,
		NewID: func() string { mu.Lock(); defer mu.Unlock(); n++; return fmt.Sprintf("c%04d", n) },
		OnMerge: []func(context.Context, customer.MergeRecord) error{func(ctx context.Context, m customer.MergeRecord) error {
			return s.Points.MergeHook()(ctx, m)
		}},
	})
	var err error
	s.Points, err = loyalty.NewService(program(t), points, s.Customers, &loyalty.Options{Clock: clock})
	require.NoError(t, err)
	s.Wallets, err = storedvalue.NewService(wallets, programme(t), nil)
	require.NoError(t, err)
	s.Coupons = coupon.NewService(coupons, nil)
	return s
}

// programme is the stored-value programme of the lane and the centre:
// CNY wallets, a bonus on top-ups of 500 and more, a balance cap.
func programme(t testing.TB) *storedvalue.Programme {
	t.Helper()
	data, err := os.ReadFile("../../../loyalty/storedvalue/testdata/programme.json")
	require.NoError(t, err)
	p, err := storedvalue.ParseProgramme(data)
	require.NoError(t, err)
	return p
}

// forEachCentral runs the test against central services in memory and on
// PostgreSQL, the central database the lane replays into in production.
func forEachCentral(t *testing.T, test func(t *testing.T, newCentral func(t testing.TB) lane.Services)) {
	for _, kind := range []string{"memory", "postgres"} {
		t.Run("central="+kind, func(t *testing.T) {
			test(t, func(t testing.TB) lane.Services { return centralOn(t, kind) })
		})
	}
}

func openLane(t testing.TB, path string) *lane.Lane {
	t.Helper()
	l, err := lane.Open(t.Context(), path, lane.Config{Program: program(t),
		Customer: &customer.Options{Clock: clock}, Loyalty: &loyalty.Options{Clock: clock},
		StoredValue: programme(t), Coupons: &coupon.Options{}})
	require.NoError(t, err)
	return l
}

func line(sku string, qty int64, price string) customer.Line {
	q, p := decimal.NewFromInt(qty), decimal.RequireFromString(price)
	return customer.Line{SKU: sku, Category: "grocery", Quantity: q, UnitPrice: p, Total: q.Mul(p)}
}

// members registers the members centrally and copies their records to
// the lane, as a lane's member download would.
func members(t *testing.T, c lane.Services, l *lane.Lane, numbers ...string) []string {
	ctx := t.Context()
	var ids []string
	for _, n := range numbers {
		m, err := c.Customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Member " + n}, MemberNumber: n})
		require.NoError(t, err)
		require.NoError(t, l.Local().Customers.Store().CreateCustomer(ctx, m))
		ids = append(ids, m.ID)
	}
	return ids
}

func purchase(id, customerID string, at time.Time, price string) customer.Purchase {
	return customer.Purchase{ID: id, CustomerID: customerID, Store: "SH-02", Channel: customer.ChannelInStore,
		Time: at, Currency: "CNY", Lines: []customer.Line{line("RICE", 1, price), line("TEA", 2, "20.00")}}
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func copyFile(t *testing.T, from, to string) {
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.Create(to)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// TestOfflineReplay sells on a lane while the central services are
// unreachable, changes things centrally meanwhile (a merge, points spent
// elsewhere), and replays: the central state equals that of the same
// facts recorded centrally in the same order; a second replay, and a
// replay from a copy of the lane taken before the first (a lane that
// crashed before it marked anything sent), change nothing.
func TestOfflineReplay(t *testing.T) { forEachCentral(t, testOfflineReplay) }

func testOfflineReplay(t *testing.T, newCentral func(t testing.TB) lane.Services) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "lane.db")
	l := openLane(t, path)
	hq, ref := newCentral(t), newCentral(t)
	ids := members(t, hq, l, "M-1", "M-2", "M-3")
	for _, n := range []string{"M-1", "M-2", "M-3"} { // the reference has the same members
		_, err := ref.Customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Member " + n}, MemberNumber: n})
		require.NoError(t, err)
	}

	// Offline: four sales (one anonymous) and a return.
	sales := []customer.Purchase{
		purchase("L1/0001", ids[0], t0, "100.00"),
		purchase("L1/0002", ids[1], t0.Add(time.Minute), "300.00"),
		purchase("L1/0003", ids[2], t0.Add(2*time.Minute), "50.00"),
		purchase("L1/0004", "", t0.Add(3*time.Minute), "10.00"),
	}
	for _, p := range sales {
		_, err := l.Sell(ctx, p)
		require.NoError(t, err)
	}
	again, err := l.Sell(ctx, sales[0]) // a retried request
	require.NoError(t, err)
	assert.Equal(t, sales[0].ID, again.Purchase.ID)
	ret := customer.Return{ID: "L1/R001", PurchaseID: "L1/0002", Store: "SH-02", Time: t0.Add(time.Hour), Currency: "CNY",
		Refund: decimal.RequireFromString("300.00"), Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}}
	refund, err := l.Return(ctx, ret)
	require.NoError(t, err)
	assert.Positive(t, refund.Taken)
	// A return of the sale to M-3, whom the centre merges meanwhile.
	ret3 := customer.Return{ID: "L1/R002", PurchaseID: "L1/0003", Store: "SH-02", Time: t0.Add(2 * time.Hour), Currency: "CNY",
		Refund: decimal.RequireFromString("50.00"), Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}}
	_, err = l.Return(ctx, ret3)
	require.NoError(t, err)

	// Meanwhile, centrally (and in the reference): M-3 merged into M-1,
	// and M-2 earned at another store.
	for _, c := range []lane.Services{hq, ref} {
		_, err := c.Customers.Merge(ctx, ids[0], ids[2], customer.MergeRequest{Actor: "hq", Reason: "same person", At: t0.Add(30 * time.Second)})
		require.NoError(t, err)
		p, err := c.Customers.RecordPurchase(ctx, purchase("S9/0001", ids[1], t0.Add(10*time.Second), "80.00"))
		require.NoError(t, err)
		_, err = c.Points.Earn(ctx, p)
		require.NoError(t, err)
	}
	// The reference takes the lane's facts directly, in the lane's order.
	for _, p := range sales {
		stored, err := ref.Customers.RecordPurchase(ctx, p)
		require.NoError(t, err)
		if stored.CustomerID != "" {
			_, err = ref.Points.Earn(ctx, stored)
			require.NoError(t, err)
		}
	}
	for _, rt := range []customer.Return{ret, ret3} {
		r, err := ref.Customers.RecordReturn(ctx, rt)
		require.NoError(t, err)
		_, err = ref.Points.Return(ctx, r)
		require.NoError(t, err)
	}

	// The central services are unreachable: nothing is sent or lost.
	require.NoError(t, l.Close())
	copyFile(t, path, filepath.Join(dir, "before-sync.db"))
	l = openLane(t, path)
	defer l.Close()
	down, cancel := context.WithCancel(ctx)
	cancel()
	rep, err := l.Sync(down, hq)
	require.Error(t, err)
	assert.Zero(t, rep.Sent)

	rep, err = l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 6, rep.Sent)
	assert.Zero(t, rep.Refused)
	notes := strings.Join(rep.Notes, "\n")
	assert.Contains(t, notes, "L1/0003: member "+ids[2]+" was merged into "+ids[0], "the merged sale is reported")
	assert.Contains(t, notes, "L1/R002: member "+ids[2]+" was merged into "+ids[0], "the merged return is reported")
	assertSameCentral(t, ref, hq, ids)

	rep, err = l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Zero(t, rep.Sent, "a second sync sends nothing")

	// A lane that crashed before it marked anything sent replays it all.
	stale := openLane(t, filepath.Join(dir, "before-sync.db"))
	defer stale.Close()
	rep, err = stale.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 6, rep.Sent)
	assertSameCentral(t, ref, hq, ids)
}

// assertSameCentral compares what two central service sets hold for the
// members: balances, statements, purchases.
func assertSameCentral(t *testing.T, want, got lane.Services, ids []string) {
	t.Helper()
	ctx := t.Context()
	for _, id := range ids {
		wb, err := want.Points.Balance(ctx, id)
		require.NoError(t, err)
		gb, err := got.Points.Balance(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, wb, gb, "balance of %s", id)
		ws, err := want.Points.Statement(ctx, id)
		require.NoError(t, err)
		gs, err := got.Points.Statement(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, ws, gs, "statement of %s", id)
		wp, err := want.Customers.Stats(ctx, id)
		require.NoError(t, err)
		gp, err := got.Customers.Stats(ctx, id)
		require.NoError(t, err)
		// As JSON: a decimal read back from the queue's JSON is the same
		// number with another exponent (100 for 100.00).
		assert.JSONEq(t, jsonOf(t, wp), jsonOf(t, gp), "purchase stats of %s", id)
	}
}
