package loyaltytest

import (
	"bytes"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// take reads the first n values of seq and breaks off, failing the test
// if the iterator yields an error or calls yield after the break (which
// makes the range statement panic).
func take[T any](t *testing.T, seq iter.Seq2[T, error], n int) (out []T) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			require.Failf(t, "the iterator called yield after the loop broke off", "%v", p)
		}
	}()
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
		if len(out) == n {
			break
		}
	}
	return out
}

// storedEntries is every entry the store holds for the member.
func storedEntries(t *testing.T, s loyalty.Store, memberID string) []ledger.Entry {
	t.Helper()
	return kit.Collect(t, s.Entries(t.Context(), memberID, 0))
}

// memberIDs lists the accounts' member IDs in order.
func memberIDs(accts []loyalty.Account) []string {
	ids := make([]string, 0, len(accts))
	for _, a := range accts {
		ids = append(ids, a.MemberID)
	}
	return ids
}

func assertTime(t *testing.T, want, got time.Time, field string) {
	t.Helper()
	assert.Truef(t, want.Equal(got), "%s: want %s, got %s", field, want.Format(time.RFC3339Nano), got.Format(time.RFC3339Nano))
}

func assertDecimal(t *testing.T, want, got decimal.Decimal, field string) {
	t.Helper()
	assert.Truef(t, want.Equal(got), "%s: want %s, got %s", field, want, got)
}

// assertStored requires the store to hold exactly the member's account and
// entries.
func assertStored(t *testing.T, s loyalty.Store, m *member) {
	t.Helper()
	got, err := s.GetAccount(t.Context(), m.acct.MemberID)
	require.NoError(t, err)
	assertAccount(t, m.acct, got)
	assertEntries(t, m.entries, storedEntries(t, s, m.acct.MemberID))
}

// assertAbsent requires the store to hold no account and no entries for
// the member.
func assertAbsent(t *testing.T, s loyalty.Store, memberID string) {
	t.Helper()
	_, err := s.GetAccount(t.Context(), memberID)
	require.ErrorIsf(t, err, loyalty.ErrNotFound, "account %s was written", memberID)
	assert.Emptyf(t, storedEntries(t, s, memberID), "entries of %s were written", memberID)
}

// assertNoOperation requires the store to hold no operation with the key.
func assertNoOperation(t *testing.T, s loyalty.Store, key string) {
	t.Helper()
	_, err := s.GetOperation(t.Context(), key)
	require.ErrorIsf(t, err, loyalty.ErrNotFound, "operation %s was recorded", key)
}

// assertOperation requires the store to hold exactly op.
func assertOperation(t *testing.T, s loyalty.Store, op *loyalty.Operation) {
	t.Helper()
	got, err := s.GetOperation(t.Context(), op.Key)
	require.NoError(t, err)
	assert.Equal(t, op.Key, got.Key, "Key")
	assert.Equal(t, op.MemberID, got.MemberID, "MemberID")
	assert.Equal(t, op.Hash, got.Hash, "Hash")
	assert.Truef(t, bytes.Equal(op.Result, got.Result), "Result: want %q, got %q", op.Result, got.Result)
}

// assertEntries compares entries one by one with ledger.Entry.Equal.
func assertEntries(t *testing.T, want, got []ledger.Entry) {
	t.Helper()
	if !assert.Lenf(t, got, len(want), "entries: want %v, got %v", entryIDs(want), entryIDs(got)) {
		return
	}
	for i := range want {
		assert.Truef(t, want[i].Equal(got[i]), "entry %d: want %+v, got %+v", i+1, want[i], got[i])
	}
}

func entryIDs(entries []ledger.Entry) []string {
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	return ids
}

// assertAccount compares every field: times with Equal, decimals with
// Equal, nil and empty slices and maps as the same, and the points ledger
// through its Snapshot.
func assertAccount(t *testing.T, want, got loyalty.Account) {
	t.Helper()
	assert.Equal(t, want.MemberID, got.MemberID, "MemberID")
	assert.Equal(t, want.Version, got.Version, "Version")
	assertPoints(t, want.Points, got.Points)
	assertTier(t, want.Tier, got.Tier)
	assertActivity(t, want.Activity, got.Activity)
	assert.Equal(t, want.Purchases, got.Purchases, "Purchases")
	assertReturned(t, want, got)
	assertSameMap(t, want.PaidWith, got.PaidWith, "PaidWith")
	assertCoupons(t, want.Coupons, got.Coupons)
	assert.Equal(t, want.MergedInto, got.MergedInto, "MergedInto")
	assert.Equal(t, want.MergingInto, got.MergingInto, "MergingInto")
	assertTime(t, want.MergingAt, got.MergingAt, "MergingAt")
}

// assertPoints compares two ledger accounts through their snapshots, with
// times in UTC, and their balances.
func assertPoints(t *testing.T, want, got ledger.Account) {
	t.Helper()
	assert.Equal(t, want.ID(), got.ID(), "Points.ID")
	assert.Equal(t, want.Seq(), got.Seq(), "Points.Seq")
	assert.Equal(t, want.Version(), got.Version(), "Points.Version")
	assert.Equal(t, comparableSnapshot(want.Snapshot()), comparableSnapshot(got.Snapshot()), "Points.Snapshot")
	now := want.LastActivity()
	assert.Equal(t, want.Balance(now), got.Balance(now), "Points.Balance")
}

// comparableSnapshot puts every time in UTC and every empty slice to nil,
// so two snapshots of the same state compare equal.
func comparableSnapshot(s ledger.Snapshot) ledger.Snapshot {
	s.LastActivity = utc(s.LastActivity)
	lots := make([]ledger.Lot, 0, len(s.Lots))
	for _, l := range s.Lots {
		l.EarnedAt, l.PendingUntil, l.ExpiresAt = utc(l.EarnedAt), utc(l.PendingUntil), utc(l.ExpiresAt)
		lots = append(lots, l)
	}
	ops := make([]ledger.Operation, 0, len(s.Operations))
	for _, op := range s.Operations {
		op.Time, op.ExpiresAt = utc(op.Time), utc(op.ExpiresAt)
		op.Portions = slices.Clip(slices.Clone(op.Portions))
		if len(op.Portions) == 0 {
			op.Portions = nil
		}
		ops = append(ops, op)
	}
	s.Lots, s.Operations = nilIfEmpty(lots), nilIfEmpty(ops)
	return s
}

func nilIfEmpty[E any](s []E) []E {
	if len(s) == 0 {
		return nil
	}
	return s
}

func utc(t time.Time) time.Time { return t.UTC().Round(0) }

func assertTier(t *testing.T, want, got loyalty.TierState) {
	t.Helper()
	assert.Equal(t, want.Tier, got.Tier, "Tier.Tier")
	assertTime(t, want.Since, got.Since, "Tier.Since")
	assertTime(t, want.MemberSince, got.MemberSince, "Tier.MemberSince")
	assertTime(t, want.GuaranteedUntil, got.GuaranteedUntil, "Tier.GuaranteedUntil")
	assertTime(t, want.GraceUntil, got.GraceUntil, "Tier.GraceUntil")
	assertTime(t, want.GraceSince, got.GraceSince, "Tier.GraceSince")
	assertTime(t, want.NextReview, got.NextReview, "Tier.NextReview")
	assertTime(t, want.Seen, got.Seen, "Tier.Seen")
	if want.Override == nil {
		assert.Nil(t, got.Override, "Tier.Override")
		return
	}
	if !assert.NotNil(t, got.Override, "Tier.Override") {
		return
	}
	assert.Equal(t, want.Override.Tier, got.Override.Tier, "Tier.Override.Tier")
	assertTime(t, want.Override.Until, got.Override.Until, "Tier.Override.Until")
	assert.Equal(t, want.Override.Reason, got.Override.Reason, "Tier.Override.Reason")
}

func assertActivity(t *testing.T, want, got []loyalty.QualifyingEvent) {
	t.Helper()
	if !assert.Len(t, got, len(want), "Activity") {
		return
	}
	for i, w := range want {
		g := got[i]
		assertTime(t, w.Time, g.Time, "Activity.Time")
		assertDecimal(t, w.Spend, g.Spend, "Activity.Spend")
		assert.Equalf(t, w.Purchases, g.Purchases, "Activity[%d].Purchases", i)
		assert.Equalf(t, w.Points, g.Points, "Activity[%d].Points", i)
	}
}

func assertReturned(t *testing.T, want, got loyalty.Account) {
	t.Helper()
	if !assert.Len(t, got.Returned, len(want.Returned), "Returned") {
		return
	}
	for purchase, lines := range want.Returned {
		g, ok := got.Returned[purchase]
		if !assert.Truef(t, ok, "Returned[%q] missing", purchase) || !assert.Lenf(t, g, len(lines), "Returned[%q]", purchase) {
			continue
		}
		for i, l := range lines {
			assert.Equalf(t, l.Line, g[i].Line, "Returned[%q][%d].Line", purchase, i)
			assertDecimal(t, l.Quantity, g[i].Quantity, "Returned["+purchase+"].Quantity")
		}
	}
}

// assertSameMap compares maps, treating nil and empty as equal.
func assertSameMap(t *testing.T, want, got map[string]string, field string) {
	t.Helper()
	if len(want) == 0 {
		assert.Emptyf(t, got, "%s", field)
		return
	}
	assert.Equalf(t, want, got, "%s", field)
}

func assertCoupons(t *testing.T, want, got []loyalty.Coupon) {
	t.Helper()
	if !assert.Len(t, got, len(want), "Coupons") {
		return
	}
	for i, w := range want {
		g := got[i]
		assert.Equalf(t, w.ID, g.ID, "Coupons[%d].ID", i)
		assert.Equalf(t, w.RewardID, g.RewardID, "Coupons[%d].RewardID", i)
		assertTime(t, w.IssuedAt, g.IssuedAt, "Coupons.IssuedAt")
		assertTime(t, w.ValidFrom, g.ValidFrom, "Coupons.ValidFrom")
		assertTime(t, w.ValidUntil, g.ValidUntil, "Coupons.ValidUntil")
		assertTime(t, w.UsedAt, g.UsedAt, "Coupons.UsedAt")
		assert.Equalf(t, w.UsedOn, g.UsedOn, "Coupons[%d].UsedOn", i)
	}
}
