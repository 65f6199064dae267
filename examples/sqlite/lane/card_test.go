package lane_test

import (
	"bytes"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGiftCardOffline pays from a gift card on a lane while the card is
// spent at another store: the payment the card no longer covers is
// refused centrally and reported, the one it covers lands once, a replay
// from a copy of the lane taken before the sync changes nothing, and the
// card's code is kept only as the unsent items' secret: never in a
// payload, a report, or an item once sent.
func TestGiftCardOffline(t *testing.T) { forEachCentral(t, testGiftCardOffline) }

func testGiftCardOffline(t *testing.T, newCentral func(t testing.TB) lane.Services) {
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "lane.db")
	l := openLane(t, path)
	hq := newCentral(t)
	code, err := storedvalue.GenerateCode(rand.Reader)
	require.NoError(t, err)
	_, err = hq.Wallets.IssueGiftCard(ctx, storedvalue.IssueGiftCardRequest{CardID: "G-1", Code: code, At: t0.Add(-time.Hour)})
	require.NoError(t, err)
	_, err = hq.Wallets.ActivateGiftCard(ctx, storedvalue.ActivateGiftCardRequest{ID: "HQ/sale-G-1", Code: code,
		Amount: cny("100"), At: t0.Add(-time.Hour)})
	require.NoError(t, err)
	require.NoError(t, l.DownloadCard(ctx, hq, storedvalue.FormatCode(code), t0))
	card := func(s lane.Services) int64 {
		a, err := s.Wallets.Store().GetAccount(ctx, "g:G-1")
		require.NoError(t, err)
		return a.Paid + a.Bonus
	}
	assert.EqualValues(t, 10000, card(l.Local()))

	// Offline: 60 and 20 from the card, as the lane's copy allows.
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/G1", Code: code, Amount: cny("60"), At: t0})
	require.NoError(t, err)
	_, err = l.Hold(ctx, storedvalue.PayRequest{ID: "L1/G2", Code: code, Amount: cny("20"), At: t0.Add(time.Minute)})
	require.NoError(t, err)
	_, err = l.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "L1/G2", At: t0.Add(time.Minute)})
	require.NoError(t, err)
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/G3", Code: code, Amount: cny("30"), At: t0.Add(2 * time.Minute)})
	require.ErrorIs(t, err, storedvalue.ErrInsufficientFunds, "beyond the lane's copy")
	other, err := storedvalue.GenerateCode(rand.Reader)
	require.NoError(t, err)
	_, err = l.Pay(ctx, storedvalue.PayRequest{ID: "L1/G1", Code: other, Amount: cny("60"), At: t0})
	require.Error(t, err, "the same payment ID with another card")
	assert.EqualValues(t, 2000, card(l.Local()))
	// Meanwhile the card pays 50 at another store.
	_, err = hq.Wallets.Pay(ctx, storedvalue.PayRequest{ID: "S9/G1", Code: code, Amount: cny("50"), At: t0.Add(30 * time.Second)})
	require.NoError(t, err)

	for it, err := range l.Outbox().All(ctx) {
		require.NoError(t, err)
		assert.False(t, bytes.Contains(it.Payload, []byte(code)), "item %s: no code in the payload", it.Key)
	}
	require.NoError(t, l.Close())
	copyFile(t, path, filepath.Join(dir, "before-sync.db"))
	l = openLane(t, path)
	defer l.Close()
	rep, err := l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Sent)
	assert.Equal(t, 1, rep.Refused, "%v", rep.Notes)
	notes := strings.Join(rep.Notes, "\n")
	assert.Contains(t, notes, "svpay:L1/G1: refused: payment L1/G1 of 60 from a gift card refused centrally")
	assert.Contains(t, notes, "requested 6000, available 5000")
	assert.NotContains(t, notes, code)
	assert.EqualValues(t, 3000, card(hq), "100 less 50 elsewhere and the lane's 20; the 60 refused, never overdrawn")
	for it, err := range l.Outbox().All(ctx) {
		require.NoError(t, err)
		assert.Nil(t, it.Secret, "item %s: the code is cleared once sent", it.Key)
	}

	stale := openLane(t, filepath.Join(dir, "before-sync.db"))
	defer stale.Close()
	rep, err = stale.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Sent)
	assert.Equal(t, 1, rep.Refused)
	assert.EqualValues(t, 3000, card(hq), "a replay takes nothing twice")
	require.NoError(t, storedvalue.Audit(ctx, hq.Wallets.Store(), "g:G-1"))

	_, err = l.Refresh(ctx, hq)
	require.NoError(t, err)
	assert.EqualValues(t, 3000, card(l.Local()), "Refresh copies the card back")
	require.NoError(t, storedvalue.Audit(ctx, l.Local().Wallets.Store(), "g:G-1"))
}
