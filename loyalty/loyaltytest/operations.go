package loyaltytest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func operationRules() []rule {
	return []rule{
		{"Save", "ReusedOperationKeyIsAlreadyExistsWritingNothing", reusedKey},
		{"Save", "ReusedOperationKeyOfAnotherMemberIsAlreadyExists", reusedKeyOtherMember},
		{"Save", "StaleVersionWithReusedKeyWritesNothing", staleAndReused},
		{"GetOperation", "RecordedOperationRoundTrips", operationRoundTrip},
		{"GetOperation", "ResultBytesRoundTripExactly", resultBytes},
	}
}

// reusedKey: a retried request whose first attempt was recorded, computed
// again on the new version (a replay check the service lost a race with).
func reusedKey(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	first := m.next(t, "redeem:r-1", redeem("r-1", 30, at(time.Hour)))
	m.save(t, s, first)
	retry := m.next(t, "redeem:r-1", redeem("r-2", 30, at(time.Hour)))
	retry.Operation.Hash = "another request"
	requireRefused(t, s, s.Save(t.Context(), retry), loyalty.ErrAlreadyExists, m, loyalty.Write{})
	assertOperation(t, s, first.Operation)
}

// reusedKeyOtherMember: operation keys are unique across the store, and a
// refused create writes no account.
func reusedKeyOtherMember(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	_, dup := simpleWrite(t, "M00002", 50)
	dup.Operation.Key = w.Operation.Key
	require.ErrorIs(t, s.Save(t.Context(), dup), loyalty.ErrAlreadyExists)
	assertAbsent(t, s, "M00002")
	assertStored(t, s, m)
	assertOperation(t, s, w.Operation)
	assert.Equal(t, []string{"M00001"}, memberIDs(kit.Collect(t, s.Accounts(t.Context(), ""))))
}

// staleAndReused breaks both rules at once: the contract does not say
// which error wins, so either will do, but nothing may be written.
func staleAndReused(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	bad := m.next(t, "", redeem("r-1", 30, at(time.Hour)))
	bad.Operation = w.Operation
	m.save(t, s, m.next(t, "", redeem("r-0", 10, at(time.Minute))))
	err := s.Save(t.Context(), bad)
	require.Truef(t, errors.Is(err, loyalty.ErrConflict) || errors.Is(err, loyalty.ErrAlreadyExists),
		"want ErrConflict or ErrAlreadyExists, got %v", err)
	assertStored(t, s, m)
	assertOperation(t, s, w.Operation)
}

func operationRoundTrip(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	assertOperation(t, s, w.Operation)
	for i, key := range []string{"redeem:pos-07/0001", "redeem:pos-07/0001 ", "adjust:Ärger-über-Lieferung", "bonus:birthday:M00001:2026"} {
		next := m.next(t, key, redeem(key, 1, at(time.Duration(i+1)*time.Minute)))
		m.save(t, s, next)
		assertOperation(t, s, next.Operation)
	}
	assertStored(t, s, m)
}

// resultBytes: the service decodes what it recorded to replay it, and a
// store that re-encodes JSON (a jsonb column, say) reorders keys,
// unescapes characters and drops white space. The contract keeps a
// request's result as recorded, byte for byte; an earn's is binary (a
// zero byte first, then bytes that need not be UTF-8), which a text
// column refuses or mangles.
func resultBytes(t *testing.T, s loyalty.Store) {
	results := [][]byte{
		mustJSON(t, struct {
			Zeta  string `json:"zeta"`
			Alpha string `json:"alpha"`
			HTML  string `json:"html"`
		}{"last key first", "<&>", "\u00e9\u2028"}),
		[]byte("{\n  \"b\": 1.50,\n  \"a\": [ ]\n}"),
		[]byte(`{"dup":1,"dup":2}`),
		[]byte("null"),
		[]byte("\x00earn1\x02m1\xff\xfe\x00\x80 binary, not text \x00"),
	}
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	for i, raw := range results {
		next := m.next(t, "op-"+string(rune('a'+i)), nil)
		next.Operation.Result = raw
		m.save(t, s, next)
		assertOperation(t, s, next.Operation)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return raw
}
