package loyalty

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The memory store's spending key must order lots exactly as
// ledger.SpendingOrder does, zero (never) expiry last included.
func TestMemoryStoreSpendingKeyOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	when := func() time.Time {
		switch rng.IntN(5) {
		case 0:
			return time.Time{}
		case 1:
			return t0.Add(-time.Duration(rng.IntN(3)) * 24 * time.Hour).In(time.FixedZone("x", 3600))
		}
		return t0.Add(time.Duration(rng.IntN(4)) * time.Hour).Add(time.Duration(rng.IntN(3)) * time.Nanosecond)
	}
	sign := func(c int) int { return min(max(c, -1), 1) }
	for range 20000 {
		a := ledger.Lot{ID: fmt.Sprint("l", rng.IntN(4)), ExpiresAt: when(), EarnedAt: when()}
		b := ledger.Lot{ID: fmt.Sprint("l", rng.IntN(4)), ExpiresAt: when(), EarnedAt: when()}
		require.Equal(t, sign(ledger.SpendingOrder(a, b)), sign(compareSpending(spendKeyOf(&a), spendKeyOf(&b))), "%+v %+v", a, b)
	}
}

// A stream longer than many pages yields every lot once, in order, while
// the loop spends the lots it was given (each write moves the index the
// next page is read from).
func TestMemoryStorePagesAcrossWrites(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore().(*memoryStore)
	pts, err := ledger.New("m1")
	require.NoError(t, err)
	acct := Account{MemberID: "m1", Version: 1, Points: pts}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(5, 5))
	var lots []ledger.Lot
	var recs []Record
	for i := range 1500 {
		l := ledger.Lot{ID: fmt.Sprintf("lot-%04d", rng.IntN(100000)), Amount: 5, Remaining: 5, Released: i%3 != 0,
			EarnedAt: t0.Add(time.Duration(i) * time.Minute), PendingUntil: t0.Add(time.Duration(rng.IntN(500)) * time.Minute)}
		if i%7 != 0 {
			l.ExpiresAt = t0.AddDate(0, 0, rng.IntN(300))
		}
		lots = append(lots, l)
		recs = append(recs, Record{Kind: RecordPurchase, Key: l.ID, Data: []byte(l.ID)})
	}
	require.NoError(t, m.Save(ctx, Write{Account: acct, Lots: lots, Records: append(recs, Record{Kind: RecordCoupon, Key: "c", Data: []byte("c")})}))
	lots = nil
	for _, l := range m.accounts["m1"].lots.All() {
		lots = append(lots, *l) // the last of each duplicate ID
	}

	save := func(l ledger.Lot) {
		acct.Version++
		l.Remaining = 0
		require.NoError(t, m.Save(ctx, Write{Account: acct, Lots: []ledger.Lot{l}}))
	}
	want := slices.Clone(lots)
	slices.SortFunc(want, ledger.SpendingOrder)
	var got []ledger.Lot
	for l, err := range m.SpendingLots(ctx, "m1") {
		require.NoError(t, err)
		got = append(got, l)
		save(l) // closes it: it leaves the index being paged
	}
	assert.Equal(t, want, got)
	for range m.SpendingLots(ctx, "m1") {
		t.Fatal("every lot was closed")
	}

	var ids []string
	for l, err := range m.AllLots(ctx, "m1") {
		require.NoError(t, err)
		assert.Zero(t, l.Remaining)
		ids = append(ids, l.ID)
	}
	assert.True(t, slices.IsSorted(ids))
	assert.Len(t, ids, len(lots))

	var keys []string
	for r, err := range m.Records(ctx, "m1", RecordPurchase) {
		require.NoError(t, err)
		assert.Equal(t, r.Key, string(r.Data))
		keys = append(keys, r.Key)
	}
	assert.Equal(t, ids, keys, "one record per lot ID, by key, and not the coupon")
}

// Pending lots come by PendingUntil then ID, only those due by through,
// across pages, and a released lot leaves the index.
func TestMemoryStorePendingPages(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore()
	pts, err := ledger.New("m1")
	require.NoError(t, err)
	acct := Account{MemberID: "m1", Version: 1, Points: pts}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var lots []ledger.Lot
	for i := range 600 {
		lots = append(lots, ledger.Lot{ID: fmt.Sprintf("p%03d", i), Amount: 1, Remaining: 1,
			EarnedAt: t0, PendingUntil: t0.Add(time.Duration(599-i) * time.Minute)})
	}
	require.NoError(t, m.Save(ctx, Write{Account: acct, Lots: lots}))
	through := t0.Add(400 * time.Minute)
	var got []string
	for l, err := range m.PendingLots(ctx, "m1", through) {
		require.NoError(t, err)
		got = append(got, l.ID)
	}
	var want []string
	for i := 599; i >= 199; i-- {
		want = append(want, fmt.Sprintf("p%03d", i))
	}
	assert.Equal(t, want, got)

	acct.Version++
	rel := lots[599]
	rel.Released = true
	require.NoError(t, m.Save(ctx, Write{Account: acct, Lots: []ledger.Lot{rel}}))
	for l := range m.PendingLots(ctx, "m1", through) {
		assert.Equal(t, "p598", l.ID, "the released lot is gone")
		break
	}
}
