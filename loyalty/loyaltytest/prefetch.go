package loyaltytest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func prefetchRules() []rule {
	return []rule{
		{"Prefetch", "MatchesTheSeparateReads", prefetchMatches},
		{"Prefetch", "MissingIsNil", prefetchMissing},
	}
}

// prefetcher returns the store as a Prefetcher, skipping the rule for a
// store without one.
func prefetcher(t *testing.T, s loyalty.Store) loyalty.Prefetcher {
	p, ok := s.(loyalty.Prefetcher)
	if !ok {
		t.Skip("the store is not a Prefetcher")
	}
	return p
}

// prefetchMatches: an operation, a header and records by key (some
// missing, in the caller's order) are what GetOperation, GetAccount and
// GetRecords return.
func prefetchMatches(t *testing.T, s loyalty.Store) {
	p := prefetcher(t, s)
	m := recordsSeed(t, s)
	next := m.next(t, "redeem:r-1", redeem("r-1", 3, at(time.Hour)))
	m.save(t, s, next)
	id := m.acct.MemberID
	keys := []string{"b", "missing", "\u00e9", "a-1"}
	got, err := p.Prefetch(t.Context(), loyalty.Prefetch{OperationKey: next.Operation.Key, MemberID: id, Kind: loyalty.RecordPurchase, Keys: keys})
	require.NoError(t, err)
	require.NotNil(t, got.Operation, "the recorded operation")
	op, err := s.GetOperation(t.Context(), next.Operation.Key)
	require.NoError(t, err)
	assert.Equal(t, op, *got.Operation)
	require.NotNil(t, got.Account, "the stored header")
	assertAccount(t, m.acct, *got.Account)
	want, err := s.GetRecords(t.Context(), id, loyalty.RecordPurchase, keys)
	require.NoError(t, err)
	assertRecords(t, want, got.Records, "Prefetch records")

	other, err := p.Prefetch(t.Context(), loyalty.Prefetch{OperationKey: next.Operation.Key, MemberID: id, Kind: loyalty.RecordCoupon, Keys: keys})
	require.NoError(t, err)
	want, err = s.GetRecords(t.Context(), id, loyalty.RecordCoupon, keys)
	require.NoError(t, err)
	assertRecords(t, want, other.Records, "Prefetch records of another kind")
}

// prefetchMissing: no operation, no account and no records come back as
// nil, not as errors.
func prefetchMissing(t *testing.T, s loyalty.Store) {
	p := prefetcher(t, s)
	m := recordsSeed(t, s)
	got, err := p.Prefetch(t.Context(), loyalty.Prefetch{OperationKey: "earn:never", MemberID: "M09999", Kind: loyalty.RecordPurchase, Keys: []string{"b"}})
	require.NoError(t, err)
	assert.Nil(t, got.Operation)
	assert.Nil(t, got.Account)
	assert.Empty(t, got.Records)
	got, err = p.Prefetch(t.Context(), loyalty.Prefetch{OperationKey: "earn:never", MemberID: m.acct.MemberID, Kind: loyalty.RecordPurchase})
	require.NoError(t, err)
	assert.Nil(t, got.Operation)
	require.NotNil(t, got.Account)
	assert.Empty(t, got.Records, "no keys, no records")
}
