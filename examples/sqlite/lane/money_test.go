package lane_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cny(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// flyer defines a generic flyer code usable three times in all, centrally.
func flyer(t *testing.T, hq lane.Services) {
	ctx := t.Context()
	require.NoError(t, hq.Coupons.Define(ctx, coupon.Definition{ID: "flyer", Currency: "CNY", UsesPerCode: 3,
		Offer: pricing.Offer{ID: "flyer", Name: "20 off 100", Kind: pricing.KindAmountOff, Amount: cny("20"), MinSpend: cny("100")}}))
	_, err := hq.Coupons.Import(ctx, coupon.ImportRequest{ID: "flyer-batch", Definition: "flyer", Codes: []string{"FLYER-2026"},
		Source: coupon.SourceGeneric, At: t0.Add(-time.Hour)})
	require.NoError(t, err)
}

// balance is an account's spendable money in minor units, 0 when there
// is no account.
func balance(t *testing.T, s lane.Services, member string) int64 {
	a, err := s.Wallets.Store().GetAccount(t.Context(), storedvalue.WalletID(member))
	if err != nil {
		require.ErrorIs(t, err, storedvalue.ErrNotFound)
		return 0
	}
	return a.Paid + a.Bonus
}

// TestMoneyOffline records wallet payments, top-ups, holds, refunds and
// coupon uses on a lane while the centre spends the same wallet and uses
// up the same flyer code at other stores. The replay never overdraws nor
// doubles: the payment the centre's balance no longer covers and the
// coupon use past the code's limit are refused centrally and reported,
// everything else lands once; a second replay, and one from a copy of the
// lane taken before the first, change nothing. Refresh then brings the
// centre's balances and counters to the lane, which refuses what they no
// longer allow before queueing it.
func TestMoneyOffline(t *testing.T) { forEachCentral(t, testMoneyOffline) }

func testMoneyOffline(t *testing.T, newCentral func(t testing.TB) lane.Services) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "lane.db")
	l := openLane(t, path)
	hq := newCentral(t)
	ids := members(t, hq, l, "M-1", "M-2")
	_, err := hq.Wallets.TopUp(ctx, storedvalue.TopUpRequest{ID: "HQ/T1", MemberID: ids[0], Amount: cny("500"), At: t0.Add(-time.Hour)})
	require.NoError(t, err)
	flyer(t, hq)
	_, err = l.Refresh(ctx, hq)
	require.NoError(t, err)
	require.NoError(t, l.DownloadCodes(ctx, hq, "flyer-2026"))
	assert.EqualValues(t, 53000, balance(t, l.Local(), ids[0]), "the wallet copied to the lane: 500 and 30 bonus")

	// Offline.
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/P1", MemberID: ids[0], Amount: cny("300"), At: at(1), Order: "L1/0001"})
	require.NoError(t, err)
	_, err = l.HoldCoupon(ctx, coupon.HoldRequest{ID: "L1/C1", Code: "FLYER2026", Customer: ids[0], At: at(1)})
	require.NoError(t, err)
	_, err = l.CommitCoupon(ctx, "L1/C1", "L1/0001", at(1))
	require.NoError(t, err)
	_, err = l.TopUp(ctx, storedvalue.TopUpRequest{ID: "L1/T1", MemberID: ids[1], Amount: cny("100"), At: at(2)})
	require.NoError(t, err)
	_, err = l.Hold(ctx, storedvalue.PayRequest{ID: "L1/H1", MemberID: ids[1], Amount: cny("60"), At: at(3)})
	require.NoError(t, err)
	_, err = l.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "L1/H1", At: at(3)})
	require.NoError(t, err)
	_, err = l.Hold(ctx, storedvalue.PayRequest{ID: "L1/H2", MemberID: ids[1], Amount: cny("20"), At: at(4)})
	require.NoError(t, err)
	_, err = l.ReleaseHold(ctx, storedvalue.SettleRequest{HoldID: "L1/H2", At: at(4)})
	require.NoError(t, err)
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/P2", MemberID: ids[1], Amount: cny("40"), At: at(5)})
	require.NoError(t, err)
	_, err = l.Refund(ctx, storedvalue.RefundRequest{ID: "L1/F1", PaymentID: "L1/P2", Amount: cny("10"), At: at(6)})
	require.NoError(t, err)
	again, err := l.Pay(ctx, storedvalue.PayRequest{ID: "L1/P2", MemberID: ids[1], Amount: cny("40"), At: at(5)})
	require.NoError(t, err, "a retried payment")
	assert.Equal(t, "L1/P2", again.PaymentID)
	_, err = l.ReleaseHold(ctx, storedvalue.SettleRequest{HoldID: "L1/H1", At: at(7)})
	require.Error(t, err, "a committed hold is not released too")
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/P3", MemberID: ids[1], Amount: cny("11"), At: at(7)})
	require.ErrorIs(t, err, storedvalue.ErrInsufficientFunds, "more than the lane's copy holds")
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/G1", Code: "GIFT-CARD-CODE", Amount: cny("1"), At: at(7)})
	require.ErrorIs(t, err, storedvalue.ErrNotFound, "a gift card the lane never downloaded")
	assert.EqualValues(t, 23000, balance(t, l.Local(), ids[0]))
	assert.EqualValues(t, 1000, balance(t, l.Local(), ids[1]))

	// Meanwhile, at other stores: M-1 spends 400 of the wallet, and the
	// flyer code is used three times.
	_, err = hq.Wallets.Pay(ctx, storedvalue.PayRequest{ID: "S9/P1", MemberID: ids[0], Amount: cny("400"), At: at(2)})
	require.NoError(t, err)
	for _, id := range []string{"S9/C1", "S9/C2", "S9/C3"} {
		_, err := hq.Coupons.Hold(ctx, coupon.HoldRequest{ID: id, Code: "FLYER2026", At: at(2)})
		require.NoError(t, err)
		_, err = hq.Coupons.Commit(ctx, id, id, at(2))
		require.NoError(t, err)
	}

	require.NoError(t, l.Close())
	copyFile(t, path, filepath.Join(dir, "before-sync.db"))
	l = openLane(t, path)
	defer l.Close()
	rep, err := l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 10, rep.Sent)
	assert.Equal(t, 3, rep.Refused, "%v", rep.Notes)
	notes := strings.Join(rep.Notes, "\n")
	assert.Contains(t, notes, "svpay:L1/P1: refused: payment L1/P1 of 300 from member "+ids[0]+"'s wallet refused centrally")
	assert.Contains(t, notes, "insufficient funds: requested 30000, available 13000")
	assert.Contains(t, notes, "cphold:L1/C1: refused: coupon use L1/C1 refused centrally")
	assert.Contains(t, notes, "cpclose:L1/C1: refused: coupon use L1/C1 is not held centrally")
	assert.NotContains(t, notes, "FLYER", "no code in a report")

	check := func() {
		t.Helper()
		assert.EqualValues(t, 13000, balance(t, hq, ids[0]), "M-1: 530 less 400 spent elsewhere; the lane's 300 refused, never overdrawn")
		assert.EqualValues(t, 1000, balance(t, hq, ids[1]), "M-2: 100 less 60 and 40, 10 refunded, once each")
		c, err := hq.Coupons.Store().GetCode(ctx, "FLYER2026")
		require.NoError(t, err)
		assert.EqualValues(t, 3, c.Used, "the code's limit holds centrally")
		assert.Zero(t, c.Held)
		for _, id := range ids {
			assert.NoError(t, storedvalue.Audit(ctx, hq.Wallets.Store(), storedvalue.WalletID(id)), "central ledger of %s", id)
		}
	}
	check()
	rep, err = l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Zero(t, rep.Sent, "a second sync sends nothing")

	// A lane that crashed before it marked anything sent replays it all:
	// the centre answers from its records, the same refusals included.
	stale := openLane(t, filepath.Join(dir, "before-sync.db"))
	defer stale.Close()
	rep, err = stale.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 10, rep.Sent)
	assert.Equal(t, 3, rep.Refused)
	check()

	// Refresh: the lane learns the centre's balances and counters.
	ref, err := l.Refresh(ctx, hq)
	require.NoError(t, err)
	assert.Contains(t, strings.Join(ref.Notes, "\n"), "account "+storedvalue.WalletID(ids[0])+": paid/bonus/held")
	assert.EqualValues(t, 13000, balance(t, l.Local(), ids[0]))
	assert.EqualValues(t, 1000, balance(t, l.Local(), ids[1]))
	for _, id := range ids {
		assert.NoError(t, storedvalue.Audit(ctx, l.Local().Wallets.Store(), storedvalue.WalletID(id)), "lane ledger of %s", id)
	}
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/P4", MemberID: ids[0], Amount: cny("200"), At: at(10)})
	require.ErrorIs(t, err, storedvalue.ErrInsufficientFunds)
	_, err = l.HoldCoupon(ctx, coupon.HoldRequest{ID: "L1/C2", Code: "FLYER2026", Customer: ids[1], At: at(10)})
	require.ErrorIs(t, err, coupon.ErrRefused, "the lane knows the code is used up")
	_, err = l.Refund(ctx, storedvalue.RefundRequest{ID: "L1/F2", PaymentID: "L1/P1", Amount: cny("10"), At: at(10)})
	require.ErrorIs(t, err, storedvalue.ErrNotFound, "a payment the centre refused is not refunded")
	rep, err = l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Zero(t, rep.Sent, "what the lane refused was not queued")
}
