package lane_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRefusals: a sale the lane's own services refuse leaves nothing
// queued; a sale the centre refuses (the member was erased there
// meanwhile) is marked sent with the refusal, reported once, and not
// sent again.
func TestRefusals(t *testing.T) { forEachCentral(t, testRefusals) }

func testRefusals(t *testing.T, newCentral func(t testing.TB) lane.Services) {
	ctx := t.Context()
	l := openLane(t, filepath.Join(t.TempDir(), "lane.db"))
	defer l.Close()
	hq := newCentral(t)
	ids := members(t, hq, l, "M-1", "M-2")

	_, err := l.Sell(ctx, purchase("L1/0001", "nobody", t0, "10.00"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, customer.ErrNotFound), "%v", err)
	bad := purchase("L1/0002", ids[0], t0, "10.00")
	bad.Lines[0].Total = bad.Lines[0].Total.Add(bad.Lines[0].Total) // does not add up
	_, err = l.Sell(ctx, bad)
	require.ErrorIs(t, err, customer.ErrInvalid)
	n := 0
	for _, err := range l.Outbox().All(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n, "refused sales leave nothing queued")

	_, err = l.Sell(ctx, purchase("L1/0003", ids[1], t0.Add(time.Minute), "30.00"))
	require.NoError(t, err)
	_, err = l.Sell(ctx, purchase("L1/0004", ids[0], t0.Add(2*time.Minute), "40.00"))
	require.NoError(t, err)
	require.NoError(t, hq.Customers.Erase(ctx, ids[1], customer.EraseRequest{Actor: "dpo", At: t0.Add(30 * time.Second)}))

	rep, err := l.Sync(ctx, hq)
	require.NoError(t, err, "a refusal does not stop the replay")
	assert.Equal(t, 2, rep.Sent)
	assert.Equal(t, 1, rep.Refused)
	notes := strings.Join(rep.Notes, "\n")
	assert.Contains(t, notes, "purchase:L1/0003: refused:")
	_, err = hq.Customers.Purchase(ctx, "L1/0004")
	assert.NoError(t, err, "the sale after the refused one reached the centre")

	rep, err = l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Zero(t, rep.Sent, "a refused item is not sent again")
}
