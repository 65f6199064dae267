package storedvalue_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHoldExpiryValidation(t *testing.T) {
	s, _ := newService(t, programme(storedvalue.PaidFirst), nil)
	ctx := t.Context()
	_, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t", MemberID: "m", Amount: d("100"), At: t0})
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		hold bool
		exp  time.Time
	}{
		{"PaymentWithExpiry", false, t0.Add(time.Hour)},
		{"ExpiryAtTheHold", true, t0},
		{"ExpiryBeforeTheHold", true, t0.Add(-time.Minute)},
		{"ExpiryOutOfRange", true, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := storedvalue.PayRequest{ID: tc.name, MemberID: "m", Amount: d("1"), At: t0, ExpiresAt: tc.exp}
			var err error
			if tc.hold {
				_, err = s.Hold(ctx, req)
			} else {
				_, err = s.Pay(ctx, req)
			}
			require.ErrorIs(t, err, storedvalue.ErrInvalid)
			var fe *storedvalue.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "expiresAt", fe.Field)
		})
	}
	_, err = s.ReleaseExpiredHolds(ctx, t0, -1)
	require.ErrorIs(t, err, storedvalue.ErrInvalid)
}

// TestReleaseExpiredHolds: the sweep releases holds due at or before its
// time, earliest first, up to its limit; a rerun resumes and releases
// nothing twice; a hold committed before its expiry, or without one, is
// left alone; and a commit after the sweep finds the hold released.
func TestReleaseExpiredHolds(t *testing.T) {
	s, st := newService(t, programme(storedvalue.PaidFirst), nil)
	ctx := t.Context()
	for _, m := range []string{"m1", "m2"} {
		_, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t-" + m, MemberID: m, Amount: d("100"), At: t0})
		require.NoError(t, err)
	}
	hold := func(id, member string, exp time.Duration) {
		t.Helper()
		req := storedvalue.PayRequest{ID: id, MemberID: member, Amount: d("10"), At: t0}
		if exp > 0 {
			req.ExpiresAt = t0.Add(exp)
		}
		_, err := s.Hold(ctx, req)
		require.NoError(t, err)
	}
	hold("h3", "m1", 3*time.Minute)
	hold("h1", "m2", time.Minute)
	hold("h2", "m1", 2*time.Minute)
	hold("committed", "m1", time.Minute)
	hold("forever", "m2", 0)
	hold("later", "m2", time.Hour)
	_, err := s.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "committed", At: t0})
	require.NoError(t, err)

	got, err := s.ReleaseExpiredHolds(ctx, t0.Add(time.Minute-time.Microsecond), 0)
	require.NoError(t, err)
	assert.Empty(t, got, "nothing due yet")
	got, err = s.ReleaseExpiredHolds(ctx, t0.Add(5*time.Minute), 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"h1", "h2"}, got, "earliest first, up to the limit")
	got, err = s.ReleaseExpiredHolds(ctx, t0.Add(5*time.Minute), 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"h3"}, got, "a rerun resumes")
	got, err = s.ReleaseExpiredHolds(ctx, t0.Add(5*time.Minute), 0)
	require.NoError(t, err)
	assert.Empty(t, got, "and releases nothing twice")

	_, err = s.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "h1", At: t0.Add(6 * time.Minute)})
	require.ErrorIs(t, err, storedvalue.ErrHoldSettled, "the sweep released it")
	again, err := s.ReleaseHold(ctx, storedvalue.SettleRequest{HoldID: "h1", At: t0.Add(7 * time.Minute)})
	require.NoError(t, err, "a late release by the till replays the sweep's")
	assert.Equal(t, storedvalue.Released, again.State)
	_, err = s.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "later", At: t0.Add(7 * time.Minute)})
	require.NoError(t, err, "a hold not yet swept still commits")

	for _, m := range []string{"m1", "m2"} {
		b, err := s.WalletBalance(ctx, m, t0)
		require.NoError(t, err)
		audit(t, st, storedvalue.WalletID(m))
		switch m {
		case "m1": // h2, h3 released; committed spent
			requireMoney(t, "90", "0", b.Spendable)
			requireMoney(t, "0", "0", b.Held)
		case "m2": // h1 released; forever held; later committed
			requireMoney(t, "80", "0", b.Spendable)
			requireMoney(t, "10", "0", b.Held)
		}
	}
	got, err = s.ReleaseExpiredHolds(ctx, time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	require.NoError(t, err)
	assert.Empty(t, got, "a hold without an expiry is never swept")
}

// TestSweepReadsOnlyDueHolds: the sweep's store calls are those of the
// holds due, whatever the number of open holds not yet due.
func TestSweepReadsOnlyDueHolds(t *testing.T) {
	costs := map[int][]string{}
	for _, open := range []int{0, 200} {
		log := &callLog{Store: storedvalue.NewMemoryStore()}
		s, err := storedvalue.NewService(log, programme(storedvalue.PaidFirst), nil)
		require.NoError(t, err)
		ctx := t.Context()
		_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t", MemberID: "m", Amount: d("10000"), At: t0})
		require.NoError(t, err)
		for i := range open {
			_, err := s.Hold(ctx, storedvalue.PayRequest{ID: fmt.Sprint("open", i), MemberID: "m", Amount: d("1"), At: t0, ExpiresAt: t0.Add(time.Hour)})
			require.NoError(t, err)
		}
		for i := range 2 {
			_, err := s.Hold(ctx, storedvalue.PayRequest{ID: fmt.Sprint("due", i), MemberID: "m", Amount: d("1"), At: t0, ExpiresAt: t0.Add(time.Minute)})
			require.NoError(t, err)
		}
		log.take()
		got, err := s.ReleaseExpiredHolds(ctx, t0.Add(time.Minute), 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"due0", "due1"}, got)
		costs[open] = log.take()
	}
	assert.Equal(t, costs[0], costs[200], "store calls of a sweep with 0 and 200 open holds not due")
	walks := 0
	for _, c := range costs[0] {
		if strings.HasPrefix(c, "DueRecords") {
			walks++
		}
	}
	assert.Equal(t, 1, walks, "one walk of the due index")
	assert.Contains(t, costs[0], "DueRecords 2", "yielding the two due holds only")
	assert.False(t, slices.ContainsFunc(costs[200], func(c string) bool { return strings.HasPrefix(c, "Accounts") }), "no scan of accounts")
	t.Logf("sweep of 2 due holds: %q", costs[200])
}
