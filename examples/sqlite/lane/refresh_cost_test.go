package lane_test

import (
	"context"
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// calls logs the central store calls a refresh makes, each with the
// number of rows it returned.
type calls struct {
	mu  sync.Mutex
	log []string
}

func (c *calls) add(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log = append(c.log, fmt.Sprintf(format, args...))
}

func (c *calls) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.log
	c.log = nil
	return out
}

// counted yields seq and logs, when it ends, how many rows it yielded.
func counted[T any](c *calls, name string, seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		n := 0
		defer func() { c.add("%s %d", name, n) }()
		for v, err := range seq {
			if err == nil {
				n++
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

type loggedWallets struct {
	storedvalue.Store
	c *calls
}

func (s loggedWallets) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	s.c.add("GetAccount %s", id)
	return s.Store.GetAccount(ctx, id)
}

func (s loggedWallets) AllParts(ctx context.Context, id string) iter.Seq2[storedvalue.Part, error] {
	return counted(s.c, "AllParts "+id, s.Store.AllParts(ctx, id))
}

func (s loggedWallets) Entries(ctx context.Context, id string, after int64) iter.Seq2[storedvalue.Entry, error] {
	return counted(s.c, "Entries "+id, s.Store.Entries(ctx, id, after))
}

func (s loggedWallets) GetRecords(ctx context.Context, id string, kind storedvalue.RecordKind, keys []string) ([]storedvalue.Record, error) {
	recs, err := s.Store.GetRecords(ctx, id, kind, keys)
	s.c.add("GetRecords %s keys %d found %d", id, len(keys), len(recs))
	return recs, err
}

type loggedPoints struct {
	loyalty.Store
	c *calls
}

func (s loggedPoints) GetAccount(ctx context.Context, id string) (loyalty.Account, error) {
	s.c.add("points GetAccount %s", id)
	return s.Store.GetAccount(ctx, id)
}

func (s loggedPoints) AllLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	return counted(s.c, "points AllLots "+id, s.Store.AllLots(ctx, id))
}

func (s loggedPoints) Records(ctx context.Context, id string, kind loyalty.RecordKind) iter.Seq2[loyalty.Record, error] {
	return counted(s.c, "points Records "+id, s.Store.Records(ctx, id, kind))
}

func (s loggedPoints) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return counted(s.c, "points Entries "+id, s.Store.Entries(ctx, id, after))
}

func (s loggedPoints) Lots(ctx context.Context, id string, ids []string) ([]ledger.Lot, error) {
	lots, err := s.Store.Lots(ctx, id, ids)
	s.c.add("points Lots %s ids %d found %d", id, len(ids), len(lots))
	return lots, err
}

func (s loggedPoints) GetRecords(ctx context.Context, id string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	recs, err := s.Store.GetRecords(ctx, id, kind, keys)
	s.c.add("points GetRecords %s %s keys %d found %d", id, kind, len(keys), len(recs))
	return recs, err
}

func (s loggedPoints) Changes(ctx context.Context, id string, since int64) (loyalty.Changes, error) {
	ch, err := s.Store.(loyalty.ChangeFeed).Changes(ctx, id, since)
	s.c.add("points Changes %s lots %d records %d", id, len(ch.Lots), len(ch.Records))
	return ch, err
}

type loggedCoupons struct {
	coupon.Store
	c *calls
}

func (s loggedCoupons) GetDefinition(ctx context.Context, id string) (coupon.Definition, error) {
	s.c.add("GetDefinition %s", id)
	return s.Store.GetDefinition(ctx, id)
}

func (s loggedCoupons) GetCode(ctx context.Context, code string) (coupon.Code, error) {
	s.c.add("GetCode %s", coupon.Mask(code))
	return s.Store.GetCode(ctx, code)
}

func (s loggedCoupons) GetUses(ctx context.Context, code, customer string) (coupon.Uses, error) {
	s.c.add("GetUses %s %s", coupon.Mask(code), customer)
	return s.Store.GetUses(ctx, code, customer)
}

// TestRefreshReadsWhatChanged runs the same day after a short and after a
// long history of wallet payments and coupon uses on the lane, all synced
// and refreshed: a refresh with nothing changed since, then one after a
// payment on the lane, one at another store and a coupon use at another
// store. The central store calls of each refresh, and the rows they
// return, are the same whatever the history: an unchanged loyalty
// account, wallet or code costs its header; a changed wallet its new
// entries and the payment records they name, a changed code the members'
// counts of it, a changed loyalty account the rows the sales on either side
// wrote, never the history. After each refresh the lane's wallets hold the
// centre's entries and balances, and after the last its loyalty accounts
// the centre's lots, records and entries.
func TestRefreshReadsWhatChanged(t *testing.T) {
	logs := map[int][2][]string{}
	for _, history := range []int{2, 40} {
		logs[history] = refreshDay(t, history)
	}
	for i, name := range []string{"nothing changed", "after a change"} {
		t.Logf("%s: %q", name, logs[40][i])
		assert.Equal(t, logs[2][i], logs[40][i], "%s: the calls after 2 and after 40 earlier payments", name)
	}
	for _, c := range logs[40][0] {
		assert.True(t, strings.HasPrefix(c, "GetAccount ") || strings.HasPrefix(c, "GetCode ") || strings.HasPrefix(c, "points GetAccount "),
			"nothing changed, yet the refresh read %s", c)
	}
}

func refreshDay(t *testing.T, history int) [2][]string {
	ctx := t.Context()
	c := &calls{}
	hq := centralOn(t, "memory")
	var err error
	hq.Wallets, err = storedvalue.NewService(loggedWallets{storedvalue.NewMemoryStore(), c}, programme(t), nil)
	require.NoError(t, err)
	hq.Coupons = coupon.NewService(loggedCoupons{coupon.NewMemoryStore(), c}, nil)
	hq.Points, err = loyalty.NewService(program(t), loggedPoints{loyalty.NewMemoryStore(), c}, hq.Customers, &loyalty.Options{Clock: clock})
	require.NoError(t, err)
	l := openLane(t, filepath.Join(t.TempDir(), "lane.db"))
	ids := members(t, hq, l, "M-1", "M-2")
	for i, id := range ids {
		_, err := hq.Wallets.TopUp(ctx, storedvalue.TopUpRequest{ID: fmt.Sprint("HQ/T", i), MemberID: id, Amount: cny("5000"), At: t0.Add(-time.Hour)})
		require.NoError(t, err)
	}
	require.NoError(t, hq.Coupons.Define(ctx, coupon.Definition{ID: "club", Currency: "CNY", UsesPerCode: 1000, PerCustomer: 500,
		Offer: pricing.Offer{ID: "club", Name: "5 off 50", Kind: pricing.KindAmountOff, Amount: cny("5"), MinSpend: cny("50")}}))
	_, err = hq.Coupons.Import(ctx, coupon.ImportRequest{ID: "club-batch", Definition: "club", Codes: []string{"CLUB-2026"},
		Source: coupon.SourceGeneric, At: t0.Add(-time.Hour)})
	require.NoError(t, err)
	_, err = l.Refresh(ctx, hq)
	require.NoError(t, err)
	require.NoError(t, l.DownloadCodes(ctx, hq, "CLUB-2026"))

	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	for i, id := range ids { // each member has points
		_, err := l.Sell(ctx, purchase(fmt.Sprint("L1/M", i), id, at(0), "10.00"))
		require.NoError(t, err)
	}
	for i := range history {
		_, err := l.Sell(ctx, purchase(fmt.Sprint("L1/S", i), ids[0], at(i), "10.00"))
		require.NoError(t, err)
		_, err = l.Pay(ctx, storedvalue.PayRequest{ID: fmt.Sprint("L1/P", i), MemberID: ids[0], Amount: cny("1"), At: at(i)})
		require.NoError(t, err)
		_, err = l.HoldCoupon(ctx, coupon.HoldRequest{ID: fmt.Sprint("L1/C", i), Code: "CLUB-2026", Customer: ids[0], At: at(i)})
		require.NoError(t, err)
		_, err = l.CommitCoupon(ctx, fmt.Sprint("L1/C", i), fmt.Sprint("L1/S", i), at(i))
		require.NoError(t, err)
	}
	sync := func() {
		t.Helper()
		rep, err := l.Sync(ctx, hq)
		require.NoError(t, err)
		require.Empty(t, rep.Refused)
	}
	refresh := func() []string {
		t.Helper()
		c.take()
		_, err := l.Refresh(ctx, hq)
		require.NoError(t, err)
		log := c.take()
		for _, id := range ids {
			sameWallet(t, hq, l.Local(), storedvalue.WalletID(id))
		}
		return log
	}
	sync()
	refresh() // copies the history's changes

	var out [2][]string
	out[0] = refresh()

	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/NEW", MemberID: ids[0], Amount: cny("2"), At: at(history)})
	require.NoError(t, err)
	_, err = hq.Wallets.Pay(ctx, storedvalue.PayRequest{ID: "HQ/NEW", MemberID: ids[0], Amount: cny("3"), At: at(history)})
	require.NoError(t, err)
	_, err = hq.Coupons.Hold(ctx, coupon.HoldRequest{ID: "HQ/C", Code: "CLUB-2026", Customer: ids[1], At: at(history)})
	require.NoError(t, err)
	_, err = l.Sell(ctx, purchase("L1/NEW-S", ids[0], at(history), "12.00"))
	require.NoError(t, err)
	p, err := hq.Customers.RecordPurchase(ctx, purchase("HQ/NEW-S", ids[0], at(history+1), "30.00"))
	require.NoError(t, err)
	_, err = hq.Points.Earn(ctx, p)
	require.NoError(t, err)
	sync()
	out[1] = refresh()
	for _, id := range ids {
		assertSameMember(t, hq, l.Local(), id)
	}
	return out
}

// sameWallet checks that the lane's copy of an account has the centre's
// header money, sequence and entries.
func sameWallet(t *testing.T, hq, local lane.Services, id string) {
	t.Helper()
	ctx := t.Context()
	want, err := hq.Wallets.Store().GetAccount(ctx, id)
	require.NoError(t, err)
	got, err := local.Wallets.Store().GetAccount(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, [5]int64{want.Paid, want.Bonus, want.HeldPaid, want.HeldBonus, want.Seq},
		[5]int64{got.Paid, got.Bonus, got.HeldPaid, got.HeldBonus, got.Seq}, "account %s", id)
	entries := func(s storedvalue.Store) []storedvalue.Entry {
		var out []storedvalue.Entry
		for e, err := range s.Entries(ctx, id, 0) {
			require.NoError(t, err)
			e.At = e.At.UTC()
			out = append(out, e)
		}
		return out
	}
	assert.Equal(t, entries(hq.Wallets.Store()), entries(local.Wallets.Store()), "entries of %s", id)
	require.NoError(t, storedvalue.Audit(ctx, local.Wallets.Store(), id))
}
