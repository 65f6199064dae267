package loyaltytest

import (
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func recordRules() []rule {
	return []rule{
		{"GetRecords", "InTheOrderOfKeysSkippingMissing", getRecordsByKey},
		{"GetRecords", "KindsAreSeparate", getRecordsKinds},
		{"GetRecords", "UnknownMemberIsEmpty", getRecordsUnknown},
		{"Records", "ByKeyByteOrderOfOneKind", recordsByKey},
		{"Records", "DataKeptByteForByte", recordsBytes},
	}
}

// recordData are record payloads a store must keep byte for byte: JSON
// it must not re-encode, a zero byte, bytes that are not UTF-8, nothing.
var recordData = [][]byte{
	[]byte("{\n  \"b\": 1.50,\n  \"a\": [ ]\n}"),
	[]byte("\x00purchase\x02\xff\xfe\x00\x80 not text \x00"),
	[]byte("\xc3\x28 invalid UTF-8"),
	[]byte(`{"dup":1,"dup":2,"html":"<&>\u2028"}`),
	{},
}

// recordsSeed saves records of two kinds under the order-sensitive keys:
// the purchase records' data names the key, the coupon records' are
// different bytes, so a store mixing kinds shows it.
func recordsSeed(t *testing.T, s loyalty.Store) *member {
	t.Helper()
	m, w := simpleWrite(t, "M00001", 10)
	for i, k := range shuffled(orderIDs) {
		w.Records = append(w.Records,
			loyalty.Record{Kind: loyalty.RecordPurchase, Key: k, Data: []byte("purchase " + k)},
			loyalty.Record{Kind: loyalty.RecordCoupon, Key: k, Data: recordData[i%len(recordData)]})
	}
	w.Records = append(w.Records, loyalty.Record{Kind: loyalty.RecordRewardCount, Key: "only-a-count", Data: []byte("1")})
	m.save(t, s, w)
	return m
}

func getRecordsByKey(t *testing.T, s loyalty.Store) {
	m := recordsSeed(t, s)
	keys := []string{"b", "missing", "\u00e9", "a_1", "only-a-count", "a-1", "B"}
	for _, kind := range []loyalty.RecordKind{loyalty.RecordPurchase, loyalty.RecordCoupon} {
		var want []loyalty.Record
		for _, k := range keys {
			if data, ok := m.records[recordKey{kind, k}]; ok {
				want = append(want, loyalty.Record{Kind: kind, Key: k, Data: data})
			}
		}
		require.Len(t, want, 5, "the fixture's records")
		got, err := s.GetRecords(t.Context(), "M00001", kind, keys)
		require.NoError(t, err)
		assertRecords(t, want, got, "GetRecords "+string(kind))
	}
	got, err := s.GetRecords(t.Context(), "M00001", loyalty.RecordPurchase, nil)
	require.NoError(t, err)
	assert.Empty(t, got, "no keys")
}

// getRecordsKinds: a key names a record within its kind only.
func getRecordsKinds(t *testing.T, s loyalty.Store) {
	m := recordsSeed(t, s)
	ctx := t.Context()
	got, err := s.GetRecords(ctx, "M00001", loyalty.RecordOperation, []string{"a-1", "b", "only-a-count"})
	require.NoError(t, err)
	assert.Empty(t, got, "records of other kinds with those keys")
	got, err = s.GetRecords(ctx, "M00001", loyalty.RecordRewardCount, []string{"a-1", "only-a-count"})
	require.NoError(t, err)
	assertRecords(t, m.wantRecords(loyalty.RecordRewardCount), got, "GetRecords reward-count")
}

func getRecordsUnknown(t *testing.T, s loyalty.Store) {
	recordsSeed(t, s)
	got, err := s.GetRecords(t.Context(), "M00002", loyalty.RecordPurchase, []string{"a-1"})
	require.NoError(t, err, "a member without an account has no records")
	assert.Empty(t, got)
}

func recordsByKey(t *testing.T, s loyalty.Store) {
	m := recordsSeed(t, s)
	for _, kind := range recordKinds {
		assertRecords(t, m.wantRecords(kind), kit.Collect(t, s.Records(t.Context(), "M00001", kind)), "Records "+string(kind))
	}
	assert.Empty(t, kit.Collect(t, s.Records(t.Context(), "M00002", loyalty.RecordPurchase)), "unknown member")
	assert.Empty(t, kit.Collect(t, s.Records(t.Context(), "M00001", "no-such-kind")), "unknown kind")
}

// recordsBytes: Data is opaque and comes back byte for byte, through both
// reads, after a write and after a replacement.
func recordsBytes(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 10)
	keys := make([]string, len(recordData))
	for i, data := range recordData {
		keys[i] = string(rune('a' + i))
		w.Records = append(w.Records, loyalty.Record{Kind: loyalty.RecordPurchase, Key: keys[i], Data: data})
	}
	m.save(t, s, w)
	check := func() {
		t.Helper()
		want := m.wantRecords(loyalty.RecordPurchase)
		assertRecords(t, want, kit.Collect(t, s.Records(t.Context(), "M00001", loyalty.RecordPurchase)), "Records")
		got, err := s.GetRecords(t.Context(), "M00001", loyalty.RecordPurchase, keys)
		require.NoError(t, err)
		assertRecords(t, want, got, "GetRecords")
	}
	check()
	w = m.next(t, "", nil)
	for i, k := range keys {
		w.Records = append(w.Records, loyalty.Record{Kind: loyalty.RecordPurchase, Key: k, Data: recordData[(i+1)%len(recordData)]})
	}
	m.save(t, s, w)
	check()
}
