package loyalty_test

import (
	"context"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A request refused for want of points is recorded: retried after the
// member earned enough, it fails again the same way, with the same
// figures, and writes nothing; the same ID with another payload is still
// a mismatch, and a new ID spends.
func TestAFailedRedemptionStaysFailed(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "F", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "800")) // 1000 points
	req := loyalty.RedeemRequest{ID: "lane-1", MemberID: m.ID, Points: 1500}
	_, first := s.loyalty.Redeem(ctx, req)
	require.ErrorIs(t, first, loyalty.ErrInsufficientPoints)
	var short *ledger.InsufficientPointsError
	require.ErrorAs(t, first, &short)
	assert.Equal(t, ledger.InsufficientPointsError{Requested: 1500, Available: 1000}, *short)

	s.buy(t, "p2", m.ID, at(2026, 3, 2, 11, 0), line("RICE", "grocery", 1, "800"))
	before := s.balance(t, m.ID)
	_, again := s.loyalty.Redeem(ctx, req)
	require.ErrorIs(t, again, loyalty.ErrInsufficientPoints, "the retry fails as the request did")
	short = nil
	require.ErrorAs(t, again, &short)
	assert.Equal(t, ledger.InsufficientPointsError{Requested: 1500, Available: 1000}, *short, "with the figures it failed with")
	assert.Equal(t, first.Error(), again.Error())
	assert.Equal(t, before, s.balance(t, m.ID), "and spends nothing")

	other := req
	other.Points = 1000
	_, err := s.loyalty.Redeem(ctx, other)
	assert.ErrorIs(t, err, loyalty.ErrIdempotencyMismatch)
	req.ID = "lane-2"
	_, err = s.loyalty.Redeem(ctx, req)
	require.NoError(t, err, "a new request spends")
	assert.Equal(t, before.Available-1500, s.balance(t, m.ID).Available)
}

// Only business failures are kept: a request the rules refuse before it
// reaches the account (too many points for the order) leaves no record,
// so the lane may correct it under the same ID; committing a released
// hold is recorded and fails again the same way.
func TestOnlyBusinessFailuresAreRecorded(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "G", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "1300")) // 1,500 points
	_, err := s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h1", MemberID: m.ID, Points: 1600, OrderTotal: dec("30")})
	require.ErrorIs(t, err, loyalty.ErrNotRedeemable)
	_, err = s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "h1", MemberID: m.ID, Points: 600, OrderTotal: dec("30")})
	require.NoError(t, err)

	_, err = s.loyalty.ReleaseHold(ctx, m.ID, "h1")
	require.NoError(t, err)
	_, first := s.loyalty.CommitHold(ctx, m.ID, "h1", "")
	require.ErrorIs(t, first, ledger.ErrHoldClosed)
	_, again := s.loyalty.CommitHold(ctx, m.ID, "h1", "")
	require.ErrorIs(t, again, ledger.ErrHoldClosed)
	assert.Equal(t, first.Error(), again.Error())
	_, err = s.loyalty.Store().GetOperation(ctx, "commit:h1")
	require.NoError(t, err, "the failure is on record")
	_, err = s.loyalty.Store().GetOperation(ctx, "hold:h1")
	require.NoError(t, err)
}
