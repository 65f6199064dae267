package lane_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRefresh: points a member spent at another store after the lane's
// sale reached the centre leave the centre less to claw back when the
// lane's return of that sale arrives; the sync reports what the centre
// took of what was owed. Refresh then copies the centre's view to the
// lane (balances, statements, a merge, an erasure), reports what differed,
// and the lane's next decisions use it: a sale to the merged member is
// recorded against the survivor, a sale to the erased member is refused
// before anything is queued. Refresh refuses while a fact is unsent.
func TestRefresh(t *testing.T) { forEachCentral(t, testRefresh) }

func testRefresh(t *testing.T, newCentral func(t testing.TB) lane.Services) {
	ctx := t.Context()
	l := openLane(t, filepath.Join(t.TempDir(), "lane.db"))
	defer l.Close()
	hq := newCentral(t)
	ids := members(t, hq, l, "M-1", "M-2", "M-3", "M-4")
	// M-5 is registered centrally only: the lane learns of it when M-3 is
	// merged into it.
	m5, err := hq.Customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Member M-5"}, MemberNumber: "M-5"})
	require.NoError(t, err)

	// A sale old enough for its points to be released (the programme
	// holds points 7 days), and one to the member the centre will merge.
	released := clock().Add(-8 * 24 * time.Hour)
	_, err = l.Sell(ctx, purchase("L1/0001", ids[1], released, "1000.00"))
	require.NoError(t, err)
	_, err = l.Sell(ctx, purchase("L1/0002", ids[2], released.Add(time.Minute), "50.00"))
	require.NoError(t, err)
	_, err = l.Sync(ctx, hq)
	require.NoError(t, err)

	// Centrally: M-2 spends most of those points at another store, M-3 is
	// merged into M-1, M-4 is erased.
	// The nightly batch releases the sale's points; the redemption spends
	// all but what the programme's step leaves.
	_, err = hq.Points.Expire(ctx, clock(), "")
	require.NoError(t, err)
	spend, err := hq.Points.Balance(ctx, ids[1])
	require.NoError(t, err)
	require.GreaterOrEqual(t, spend.Available, int64(500), "the programme's minimum redemption: %+v", spend)
	spent := spend.Available / 100 * 100
	_, err = hq.Points.Redeem(ctx, loyalty.RedeemRequest{ID: "S9/R001", MemberID: ids[1], Points: spent})
	require.NoError(t, err)
	_, err = hq.Customers.Merge(ctx, m5.ID, ids[2], customer.MergeRequest{Actor: "hq", Reason: "same person", At: clock()})
	require.NoError(t, err)
	require.NoError(t, hq.Customers.Erase(ctx, ids[3], customer.EraseRequest{Actor: "dpo", At: clock()}))

	// The lane, not knowing, takes back the big line and claws back
	// everything it earned from its own balance.
	refund, err := l.Return(ctx, customer.Return{ID: "L1/R001", PurchaseID: "L1/0001", Store: "SH-02", Time: clock(),
		Currency: "CNY", Refund: decimal.RequireFromString("1000.00"), Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
	require.NoError(t, err)
	before, err := hq.Points.Balance(ctx, ids[1])
	require.NoError(t, err)
	require.Less(t, before.Available, refund.Taken, "the centre holds less than the lane took")

	_, err = l.Refresh(ctx, hq)
	require.ErrorIs(t, err, sqlite.ErrUnsent, "no refresh while the return is unsent")
	laneBal, err := l.Local().Points.Balance(ctx, ids[1])
	require.NoError(t, err)

	rep, err := l.Sync(ctx, hq)
	require.NoError(t, err)
	// Under the programme's within-balance policy the centre takes what the
	// member still has and forgives the rest.
	assert.Contains(t, strings.Join(rep.Notes, "\n"), fmt.Sprintf("return:L1/R001: central clawback took %d of %d owed (debt 0, forgiven %d)",
		before.Available, refund.Taken, refund.Taken-before.Available))
	after, err := hq.Points.Balance(ctx, ids[1])
	require.NoError(t, err)
	require.NotEqual(t, laneBal, after, "the lane's view is stale before the refresh")

	ref, err := l.Refresh(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 5, ref.Members, "the lane's four members and the one M-3 was merged into")
	notes := strings.Join(ref.Notes, "\n")
	assert.Contains(t, notes, fmt.Sprintf("member %s: points available/pending/debt %d/%d/%d on the lane, %d/%d/%d centrally",
		ids[1], laneBal.Available, laneBal.Pending, laneBal.Debt, after.Available, after.Pending, after.Debt))
	assert.Contains(t, notes, fmt.Sprintf("member %s: merged into %s centrally", ids[2], m5.ID))
	assert.Contains(t, notes, fmt.Sprintf("member %s: erased centrally", ids[3]))
	ids = append(ids, m5.ID)
	for _, id := range ids {
		assertSameMember(t, hq, l.Local(), id)
	}
	again, err := l.Refresh(ctx, hq)
	require.NoError(t, err)
	assert.Empty(t, again.Notes, "a second refresh finds nothing new")

	// Decisions after the refresh use the centre's view.
	sale, err := l.Sell(ctx, purchase("L1/0003", ids[2], clock(), "20.00"))
	require.NoError(t, err)
	assert.Equal(t, m5.ID, sale.Purchase.CustomerID, "the merged member's sale goes to the survivor on the lane too")
	_, err = l.Sell(ctx, purchase("L1/0004", ids[3], clock(), "20.00"))
	require.Error(t, err, "the erased member's sale is refused on the lane")
	assert.True(t, lane.Refusal(err), "%v", err)
	_, err = l.Outbox().Get(ctx, 6)
	assert.ErrorIs(t, err, sqlite.ErrNoItem, "the refused sale is not queued")

	rep, err = l.Sync(ctx, hq)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Sent)
	last, err := l.Refresh(ctx, hq)
	require.NoError(t, err)
	assert.Zero(t, last.Whole, "every account copied before is refreshed by what changed")
	for _, id := range ids {
		assertSameMember(t, hq, l.Local(), id)
	}
}

// assertSameMember compares a member's customer record and points on two
// sets of services.
func assertSameMember(t *testing.T, want, got lane.Services, id string) {
	t.Helper()
	ctx := t.Context()
	wc, err := want.Customers.Store().GetCustomer(ctx, id)
	require.NoError(t, err)
	gc, err := got.Customers.Store().GetCustomer(ctx, id)
	require.NoError(t, err)
	wc.Version, gc.Version = 0, 0 // the lane's copy takes a version of its own
	assert.JSONEq(t, jsonOf(t, wc), jsonOf(t, gc), "customer %s", id)
	wb, werr := want.Points.Balance(ctx, id)
	gb, gerr := got.Points.Balance(ctx, id)
	assert.Equal(t, werr == nil, gerr == nil, "account of %s: %v / %v", id, werr, gerr)
	assert.Equal(t, wb, gb, "balance of %s", id)
	ws, werr := want.Points.Statement(ctx, id)
	gs, gerr := got.Points.Statement(ctx, id)
	assert.Equal(t, werr == nil, gerr == nil, "statement of %s: %v / %v", id, werr, gerr)
	assert.Equal(t, ws, gs, "statement of %s", id)
	if werr != nil {
		return
	}
	// The whole account: header, every lot, the ledger operations, and
	// the ledger invariants on the copy.
	wa, err := loyalty.LoadWhole(ctx, want.Points.Store(), id)
	ga, gerr := loyalty.LoadWhole(ctx, got.Points.Store(), id)
	if errors.Is(err, loyalty.ErrNotFound) {
		assert.ErrorIs(t, gerr, loyalty.ErrNotFound, "%s has no account on either side", id)
		return
	}
	require.NoError(t, err)
	require.NoError(t, gerr, "the lane's copy of %s is whole", id)
	wa.Version, ga.Version = 0, 0
	assert.Equal(t, jsonOf(t, wa.Points.Snapshot()), jsonOf(t, ga.Points.Snapshot()), "ledger of %s", id)
	_, err = loyaltytest.CheckInvariants(ctx, got.Points.Store(), id, nil)
	assert.NoError(t, err, "ledger invariants of the lane's copy of %s", id)
}
