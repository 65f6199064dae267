package loyaltytest

import (
	"bytes"
	"iter"
	"maps"
	"slices"
	"strings"
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

// assertStored requires the store to hold exactly the member: its header,
// every lot, every record of each kind, and its entries.
func assertStored(t *testing.T, s loyalty.Store, m *member) {
	t.Helper()
	got, err := s.GetAccount(t.Context(), m.acct.MemberID)
	require.NoError(t, err)
	assertAccount(t, m.acct, got)
	assertLots(t, m.wantLots(), kit.Collect(t, s.AllLots(t.Context(), m.acct.MemberID)), "AllLots")
	for _, kind := range recordKinds {
		assertRecords(t, m.wantRecords(kind), kit.Collect(t, s.Records(t.Context(), m.acct.MemberID, kind)), "Records "+string(kind))
	}
	assertEntries(t, m.entries, storedEntries(t, s, m.acct.MemberID))
}

// recordKinds are the kinds of records the service writes.
var recordKinds = []loyalty.RecordKind{loyalty.RecordOperation, loyalty.RecordPurchase, loyalty.RecordCoupon, loyalty.RecordRewardCount, loyalty.RecordActivity, loyalty.RecordActivityMonth}

// wantLots is every lot of the member, by ID.
func (m *member) wantLots() []ledger.Lot {
	out := make([]ledger.Lot, 0, len(m.lots))
	for _, id := range slices.Sorted(maps.Keys(m.lots)) {
		out = append(out, m.lots[id])
	}
	return out
}

// wantRecords is every record of the member of the kind, by key.
func (m *member) wantRecords(kind loyalty.RecordKind) []loyalty.Record {
	var out []loyalty.Record
	for k, data := range m.records {
		if k.kind == kind {
			out = append(out, loyalty.Record{Kind: kind, Key: k.key, Data: data})
		}
	}
	slices.SortFunc(out, func(a, b loyalty.Record) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// assertLots compares lots one by one, times with Equal.
func assertLots(t *testing.T, want, got []ledger.Lot, what string) {
	t.Helper()
	if !assert.Equalf(t, lotIDs(want), lotIDs(got), "%s: lot IDs", what) {
		return
	}
	for i := range want {
		assert.Equalf(t, comparableLot(want[i]), comparableLot(got[i]), "%s: lot %s", what, want[i].ID)
	}
}

func lotIDs(lots []ledger.Lot) []string {
	ids := make([]string, 0, len(lots))
	for _, l := range lots {
		ids = append(ids, l.ID)
	}
	return ids
}

// comparableLot puts a lot's times in UTC, so two copies of one lot
// compare equal whatever zone a store returns.
func comparableLot(l ledger.Lot) ledger.Lot {
	l.EarnedAt, l.PendingUntil, l.ExpiresAt, l.LapsedAt = utc(l.EarnedAt), utc(l.PendingUntil), utc(l.ExpiresAt), utc(l.LapsedAt)
	return l
}

// assertRecords compares records one by one, data byte for byte (a nil
// and an empty Data are the same).
func assertRecords(t *testing.T, want, got []loyalty.Record, what string) {
	t.Helper()
	if !assert.Lenf(t, got, len(want), "%s: want keys %q, got %q", what, recordKeys(want), recordKeys(got)) {
		return
	}
	for i, w := range want {
		g := got[i]
		assert.Equalf(t, w.Kind, g.Kind, "%s: record %d kind", what, i)
		assert.Equalf(t, w.Key, g.Key, "%s: record %d key", what, i)
		assert.Truef(t, bytes.Equal(w.Data, g.Data), "%s: record %q: want data %q, got %q", what, w.Key, w.Data, g.Data)
	}
}

func recordKeys(recs []loyalty.Record) []string {
	keys := make([]string, 0, len(recs))
	for _, r := range recs {
		keys = append(keys, r.Key)
	}
	return keys
}

// assertAbsent requires the store to hold no account, lots, records or
// entries for the member.
func assertAbsent(t *testing.T, s loyalty.Store, memberID string) {
	t.Helper()
	ctx := t.Context()
	_, err := s.GetAccount(ctx, memberID)
	require.ErrorIsf(t, err, loyalty.ErrNotFound, "account %s was written", memberID)
	assert.Emptyf(t, kit.Collect(t, s.AllLots(ctx, memberID)), "lots of %s were written", memberID)
	for _, kind := range recordKinds {
		assert.Emptyf(t, kit.Collect(t, s.Records(ctx, memberID, kind)), "%s records of %s were written", kind, memberID)
	}
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

// assertAccount compares every field of the header: times with Equal,
// decimals with Equal, nil and empty slices as the same, and the points
// ledger through its Header.
func assertAccount(t *testing.T, want, got loyalty.Account) {
	t.Helper()
	assert.Equal(t, want.MemberID, got.MemberID, "MemberID")
	assert.Equal(t, want.Version, got.Version, "Version")
	assertHeader(t, want.Points.Header(), got.Points.Header())
	assertTier(t, want.Tier, got.Tier)
	assertActivity(t, want.Activity, got.Activity)
	assert.Equal(t, want.Purchases, got.Purchases, "Purchases")
	assert.Equal(t, want.MergedInto, got.MergedInto, "MergedInto")
	assert.Equal(t, want.MergingInto, got.MergingInto, "MergingInto")
	assertTime(t, want.MergingAt, got.MergingAt, "MergingAt")
}

// assertHeader compares two ledger headers, LastActivity with Equal.
func assertHeader(t *testing.T, want, got ledger.Header) {
	t.Helper()
	assertTime(t, want.LastActivity, got.LastActivity, "Points.LastActivity")
	want.LastActivity, got.LastActivity = time.Time{}, time.Time{}
	assert.Equal(t, want, got, "Points.Header")
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
		assert.Equalf(t, w.Count, g.Count, "Activity[%d].Count", i)
		assert.Equalf(t, w.Purchase, g.Purchase, "Activity[%d].Purchase", i)
		assert.Equalf(t, w.Month, g.Month, "Activity[%d].Month", i)
	}
}
