package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// snapshotState is the state column of migration 002's account rows, as
// the snapshot-era adapter wrote it: the per-purchase maps and the coupons
// beside tier, activity and merge state.
type snapshotState struct {
	Tier        loyalty.TierState                `json:"tier"`
	Activity    []loyalty.QualifyingEvent        `json:"activity,omitempty"`
	Purchases   int64                            `json:"purchases,omitempty"`
	Returned    map[string][]customer.ReturnLine `json:"returned,omitempty"`
	PaidWith    map[string]string                `json:"paidWith,omitempty"`
	Coupons     []loyalty.Coupon                 `json:"coupons,omitempty"`
	MergedInto  string                           `json:"mergedInto,omitempty"`
	MergingInto string                           `json:"mergingInto,omitempty"`
	MergingAt   time.Time                        `json:"mergingAt,omitzero"`
}

// purchaseRecord is the JSON of a loyalty.RecordPurchase.
type purchaseRecord struct {
	Returned   []customer.ReturnLine `json:"returned,omitempty"`
	ClawedBack int64                 `json:"clawedBack,omitempty"`
	PaidWith   string                `json:"paidWith,omitempty"`
}

// twoShops is one customer service with two loyalty services over it, one
// on the memory store and one on PostgreSQL, so that the same requests go
// to both.
type twoShops struct {
	customers *customer.Service
	mem, pg   *loyalty.Service
}

func newTwoShops(t *testing.T, pg loyalty.Store) *twoShops {
	clock := func() time.Time { return t0.Add(24 * time.Hour) }
	n := 0
	cs := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: clock,
		NewID: func() string { n++; return fmt.Sprintf("c%04d", n) }})
	s := &twoShops{customers: cs}
	var err error
	s.mem, err = loyalty.NewService(program(t), loyalty.NewMemoryStore(), cs, &loyalty.Options{Clock: clock})
	require.NoError(t, err)
	s.pg, err = loyalty.NewService(program(t), pg, cs, &loyalty.Options{Clock: clock})
	require.NoError(t, err)
	return s
}

// both runs a request on the memory service, the PostgreSQL one when pg is
// set, and checks the two agree.
func both[R any](t *testing.T, s *twoShops, pg bool, f func(*loyalty.Service) (R, error)) R {
	t.Helper()
	want, err := f(s.mem)
	require.NoError(t, err)
	if pg {
		got, err := f(s.pg)
		require.NoError(t, err)
		wantJSON, _ := json.Marshal(want)
		gotJSON, _ := json.Marshal(got)
		require.JSONEq(t, string(wantJSON), string(gotJSON))
	}
	return want
}

// migrationHistory gives a member purchases, a redemption and a committed hold
// paid with points, an open hold, a partial return and a coupon, on the
// memory service (and on PostgreSQL too when pg is set).
func migrationHistory(t *testing.T, s *twoShops, pg bool) (member string, purchases []customer.Purchase) {
	ctx := t.Context()
	c, err := s.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Lin Wei"}, MemberNumber: "M-1001"})
	require.NoError(t, err)
	for i := range 8 {
		p, err := s.customers.RecordPurchase(ctx, customer.Purchase{ID: fmt.Sprintf("pos/%04d", i), CustomerID: c.ID, Store: "SH-02",
			Channel: customer.ChannelInStore, Time: t0.Add(time.Duration(i) * time.Minute), Currency: "CNY",
			Lines: []customer.Line{line("MILK", "dairy", 2, "12.50"), line("TEA-500", "tea", 1, "88.00"), line("RICE", "grocery", 4, "125.00")}})
		require.NoError(t, err)
		purchases = append(purchases, p)
		both(t, s, pg, func(l *loyalty.Service) (loyalty.EarnResult, error) { return l.Earn(ctx, p) })
	}
	at := t0.Add(time.Hour)
	both(t, s, pg, func(l *loyalty.Service) (loyalty.RedeemResult, error) {
		return l.Redeem(ctx, loyalty.RedeemRequest{ID: "r1", MemberID: c.ID, Points: 700, PurchaseID: purchases[1].ID, At: at})
	})
	both(t, s, pg, func(l *loyalty.Service) (loyalty.RedeemResult, error) {
		return l.Hold(ctx, loyalty.RedeemRequest{ID: "h1", MemberID: c.ID, Points: 500, At: at})
	})
	both(t, s, pg, func(l *loyalty.Service) (loyalty.RedeemResult, error) {
		return l.CommitHold(ctx, c.ID, "h1", purchases[2].ID)
	})
	both(t, s, pg, func(l *loyalty.Service) (loyalty.RedeemResult, error) {
		return l.Hold(ctx, loyalty.RedeemRequest{ID: "h2", MemberID: c.ID, Points: 600, At: at})
	})
	both(t, s, pg, func(l *loyalty.Service) (loyalty.CouponResult, error) {
		return l.ExchangeReward(ctx, loyalty.RewardRequest{ID: "cp1", MemberID: c.ID, RewardID: "coupon-20", At: at})
	})
	ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: "ret-1", PurchaseID: purchases[1].ID, Store: "SH-02",
		Time: t0.Add(2 * time.Hour), Currency: "CNY", Refund: decimal.RequireFromString("250.00"),
		Lines: []customer.ReturnLine{{Line: 3, Quantity: decimal.NewFromInt(2)}}})
	require.NoError(t, err)
	both(t, s, pg, func(l *loyalty.Service) (loyalty.ReturnResult, error) { return l.Return(ctx, ret) })
	return c.ID, purchases
}

// writeSnapshotRow writes the member's account from the memory store into
// a schema at migration 005 as the snapshot-era adapter stored it: one
// row with the whole ledger snapshot and state, its entries, and the
// operation records of the requests.
func writeSnapshotRow(t *testing.T, conn *pgx.Conn, store loyalty.Store, member string, keys []string) {
	ctx := t.Context()
	whole, err := loyalty.LoadWhole(ctx, store, member)
	require.NoError(t, err)
	st := snapshotState{Tier: whole.Tier, Activity: whole.Activity, Purchases: whole.Purchases,
		Returned: map[string][]customer.ReturnLine{}, PaidWith: map[string]string{}}
	for r, err := range store.Records(ctx, member, loyalty.RecordPurchase) {
		require.NoError(t, err)
		var ps purchaseRecord
		require.NoError(t, json.Unmarshal(r.Data, &ps))
		if len(ps.Returned) > 0 {
			st.Returned[r.Key] = ps.Returned
		}
		if ps.PaidWith != "" {
			st.PaidWith[r.Key] = ps.PaidWith
		}
	}
	for r, err := range store.Records(ctx, member, loyalty.RecordCoupon) {
		require.NoError(t, err)
		var c loyalty.Coupon
		require.NoError(t, json.Unmarshal(r.Data, &c))
		st.Coupons = append(st.Coupons, c)
	}
	state, err := json.Marshal(st)
	require.NoError(t, err)
	points, err := json.Marshal(whole.Points) // the ledger.Snapshot
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `INSERT INTO loyalty_accounts (member_id, version, state, points) VALUES ($1, $2, $3, $4)`,
		member, whole.Version, state, points)
	require.NoError(t, err)
	for e, err := range store.Entries(ctx, member, 0) {
		require.NoError(t, err)
		doc, err := json.Marshal(e)
		require.NoError(t, err)
		_, err = conn.Exec(ctx, `INSERT INTO loyalty_entries (member_id, seq, doc) VALUES ($1, $2, $3)`, member, e.Seq, doc)
		require.NoError(t, err)
	}
	for _, k := range keys {
		op, err := store.GetOperation(ctx, k)
		require.NoError(t, err, k)
		_, err = conn.Exec(ctx, `INSERT INTO loyalty_operations (key, member_id, hash, result) VALUES ($1, $2, $3, $4)`,
			op.Key, op.MemberID, op.Hash, []byte(op.Result))
		require.NoError(t, err)
	}
}

// collect gathers a stream, failing the test on an error.
func collect[T any](t *testing.T, seq func(yield func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// assertSameRecords checks that two stores hold the same records of a
// kind: the same keys with the same JSON (a migrated record is jsonb's
// rendering, so its bytes may differ).
func assertSameRecords(t *testing.T, want, got loyalty.Store, member string, kind loyalty.RecordKind) {
	t.Helper()
	ctx := t.Context()
	w := collect(t, want.Records(ctx, member, kind))
	g := collect(t, got.Records(ctx, member, kind))
	require.Len(t, g, len(w), kind)
	for i := range w {
		assert.Equal(t, w[i].Key, g[i].Key, kind)
		assert.JSONEq(t, string(recordJSON(t, kind, withoutReturnFacts(t, kind, w[i].Data))), string(recordJSON(t, kind, g[i].Data)),
			"%s %s", kind, w[i].Key)
	}
}

// recordJSON is a record's data as JSON: a ledger operation's, which the
// service writes in a binary form, decoded and encoded again.
func recordJSON(t *testing.T, kind loyalty.RecordKind, data []byte) []byte {
	t.Helper()
	if kind != loyalty.RecordOperation {
		return data
	}
	op, err := loyalty.DecodeLedgerOperation(data)
	require.NoError(t, err)
	out, err := json.Marshal(op)
	require.NoError(t, err)
	return out
}

// withoutReturnFacts drops a purchase record's "returns", the per-return
// facts records gained after the snapshot schema: the snapshot never held
// them, so a migrated record has none (a re-quote then leaves the
// qualifying points of those returns as they were).
func withoutReturnFacts(t *testing.T, kind loyalty.RecordKind, data []byte) []byte {
	t.Helper()
	if kind != loyalty.RecordPurchase {
		return data
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	delete(m, "returns")
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

// TestMigrationConvertsSnapshotRows: an account written by the snapshot
// schema (002) comes out of migration 010 as the header, lots and records
// the memory store holds for the same history; the services then go on to
// give the same answers on both stores, and the converted account keeps
// the ledger's invariants.
func TestMigrationConvertsSnapshotRows(t *testing.T) {
	db, dsn := blankSchema(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	applyUpTo(t, conn, 5)

	s := newTwoShops(t, db.Loyalty())
	member, purchases := migrationHistory(t, s, false)
	var keys []string
	for _, p := range purchases {
		keys = append(keys, "earn:"+p.ID)
	}
	keys = append(keys, "redeem:r1", "hold:h1", "hold:h2", "coupon:cp1", "return:ret-1")
	mem := s.mem.Store()
	writeSnapshotRow(t, conn, mem, member, keys)
	require.NoError(t, db.Migrate(ctx))

	pg := db.Loyalty()
	want, err := mem.GetAccount(ctx, member)
	require.NoError(t, err)
	got, err := pg.GetAccount(ctx, member)
	require.NoError(t, err)
	assert.Equal(t, want.Version, got.Version)
	assert.Equal(t, want.Points.Header(), got.Points.Header())
	assert.Equal(t, want.Purchases, got.Purchases)
	wantState, _ := json.Marshal([]any{want.Tier, want.Activity})
	gotState, _ := json.Marshal([]any{got.Tier, got.Activity})
	assert.JSONEq(t, string(wantState), string(gotState), "tier and activity")
	assert.Equal(t, collect(t, mem.AllLots(ctx, member)), collect(t, pg.AllLots(ctx, member)))
	assert.Equal(t, collect(t, mem.SpendingLots(ctx, member)), collect(t, pg.SpendingLots(ctx, member)))
	assert.Equal(t, collect(t, mem.Entries(ctx, member, 0)), collect(t, pg.Entries(ctx, member, 0)))
	for _, kind := range []loyalty.RecordKind{loyalty.RecordOperation, loyalty.RecordPurchase, loyalty.RecordCoupon} {
		assertSameRecords(t, mem, pg, member, kind)
	}
	recs, err := pg.GetRecords(ctx, member, loyalty.RecordPurchase, []string{purchases[1].ID, purchases[2].ID})
	require.NoError(t, err)
	require.Len(t, recs, 2)
	var returned, paid purchaseRecord
	require.NoError(t, json.Unmarshal(recs[0].Data, &returned))
	require.NoError(t, json.Unmarshal(recs[1].Data, &paid))
	assert.Equal(t, "r1", returned.PaidWith)
	assert.Len(t, returned.Returned, 1)
	assert.Positive(t, returned.ClawedBack, "the clawback's points, from the snapshot's clawback operation")
	assert.Equal(t, purchaseRecord{PaidWith: "h1"}, paid)
	ops := collect(t, pg.Records(ctx, member, loyalty.RecordOperation))
	require.NotEmpty(t, ops)
	for _, r := range ops {
		op, err := loyalty.DecodeLedgerOperation(r.Data)
		require.NoError(t, err)
		assert.Equal(t, ledger.OperationKey(op.Kind, op.ID), r.Key)
	}
	_, err = loyaltytest.CheckInvariants(ctx, pg, member, nil)
	require.NoError(t, err, "the converted account keeps the ledger's invariants")

	// The services go on alike: the rest of the returned purchase (its
	// redemption's points come back), the open hold, the coupon.
	ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: "ret-2", PurchaseID: purchases[1].ID, Store: "SH-02",
		Time: t0.Add(3 * time.Hour), Currency: "CNY", Refund: decimal.RequireFromString("113.00"),
		Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(2)}, {Line: 2, Quantity: decimal.NewFromInt(1)},
			{Line: 3, Quantity: decimal.NewFromInt(2)}}})
	require.NoError(t, err)
	both(t, s, true, func(l *loyalty.Service) (loyalty.ReturnResult, error) { return l.Return(ctx, ret) })
	both(t, s, true, func(l *loyalty.Service) (loyalty.RedeemResult, error) {
		return l.CommitHold(ctx, member, "h2", purchases[3].ID)
	})
	both(t, s, true, func(l *loyalty.Service) (loyalty.CouponResult, error) {
		return l.UseCoupon(ctx, member, "cp1", purchases[4].ID, t0.Add(4*time.Hour))
	})
	both(t, s, true, func(l *loyalty.Service) (loyalty.RedeemResult, error) {
		return l.Redeem(ctx, loyalty.RedeemRequest{ID: "r1", MemberID: member, Points: 700, PurchaseID: purchases[1].ID, At: t0.Add(time.Hour)})
	}) // a replay of a request recorded before the migration
	both(t, s, true, func(l *loyalty.Service) (loyalty.BalanceView, error) { return l.Balance(ctx, member) })
	_, err = loyaltytest.CheckInvariants(ctx, pg, member, nil)
	require.NoError(t, err)
}

// TestMigrationConvertsAnEmptyLedger: the snapshot era stored an account
// that never had points (a birthday coupon's) with the zero ledger's
// snapshot, which has no ID; the header takes the member's.
func TestMigrationConvertsAnEmptyLedger(t *testing.T) {
	db, dsn := blankSchema(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	applyUpTo(t, conn, 5)
	points, err := json.Marshal(ledger.Snapshot{Lots: []ledger.Lot{}, Operations: []ledger.Operation{}})
	require.NoError(t, err)
	coupon := loyalty.Coupon{ID: "birthday:c0001:2026-05-01", RewardID: "bday-50", IssuedAt: t0, ValidFrom: t0,
		ValidUntil: t0.Add(240 * time.Hour)}
	state, err := json.Marshal(snapshotState{Coupons: []loyalty.Coupon{coupon}})
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `INSERT INTO loyalty_accounts (member_id, version, state, points) VALUES ('c0001', 1, $1, $2)`, state, points)
	require.NoError(t, err)
	require.NoError(t, db.Migrate(ctx))

	pg := db.Loyalty()
	got, err := pg.GetAccount(ctx, "c0001")
	require.NoError(t, err)
	assert.Equal(t, ledger.Header{ID: "c0001"}, got.Points.Header())
	assert.Empty(t, collect(t, pg.AllLots(ctx, "c0001")))
	recs, err := pg.GetRecords(ctx, "c0001", loyalty.RecordCoupon, []string{coupon.ID})
	require.NoError(t, err)
	require.Len(t, recs, 1)
	var c loyalty.Coupon
	require.NoError(t, json.Unmarshal(recs[0].Data, &c))
	assert.True(t, c.IssuedAt.Equal(coupon.IssuedAt) && c.ValidUntil.Equal(coupon.ValidUntil))
	assert.Equal(t, coupon.ID, c.ID)
}
