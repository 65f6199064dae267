package storedvaluetest

import (
	"bytes"
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lookupRules() []rule {
	return []rule{
		{"GetAccount", "MissingIsNotFound", func(t *testing.T, s storedvalue.Store) {
			create(t, s, "A1")
			_, err := s.GetAccount(t.Context(), "A2")
			require.ErrorIs(t, err, storedvalue.ErrNotFound)
		}},
		{"AccountByCode", "FindsTheAccountWithTheKey", func(t *testing.T, s storedvalue.Store) {
			for _, id := range []string{"G1", "G2"} {
				a := wallet(id)
				a.hdr.Type, a.hdr.CodeKey, a.hdr.State = storedvalue.GiftCardAccount, "key-"+id, storedvalue.Issued
				a.save(t, s, a.next("issue:"+id))
			}
			got, err := s.AccountByCode(t.Context(), "key-G2", "key-G1")
			require.NoError(t, err)
			assert.Equal(t, "G2", got.ID)
			assert.Equal(t, "key-G2", got.CodeKey)
		}},
		{"AccountByCode", "MissingIsNotFound", func(t *testing.T, s storedvalue.Store) {
			a := wallet("G1")
			a.hdr.CodeKey = "key-G1"
			a.save(t, s, a.next("issue:G1"))
			create(t, s, "W1") // no code: an empty key finds nothing either
			for _, k := range []string{"key-G2", "KEY-G1", ""} {
				_, err := s.AccountByCode(t.Context(), k, "key-none")
				require.ErrorIsf(t, err, storedvalue.ErrNotFound, "key %q", k)
			}
		}},
		{"AccountByCode", "DecoyOnAMissOnly", func(t *testing.T, s storedvalue.Store) {
			for _, id := range []string{"G1", "D1"} {
				a := wallet(id)
				a.hdr.Type, a.hdr.CodeKey = storedvalue.GiftCardAccount, "key-"+id
				a.save(t, s, a.next("issue:"+id))
			}
			for _, c := range []struct{ key, decoy, want string }{
				{"key-G1", "key-D1", "G1"}, // a hit never reads as the decoy
				{"key-G2", "key-D1", "D1"}, // a miss reads the decoy
				{"key-G1", "key-D2", "G1"},
				{"key-G2", "key-G1", "G1"}, // any key may be the decoy
				{"", "key-D1", "D1"},
			} {
				got, err := s.AccountByCode(t.Context(), c.key, c.decoy)
				require.NoErrorf(t, err, "key %q, decoy %q", c.key, c.decoy)
				assert.Equalf(t, c.want, got.ID, "key %q, decoy %q", c.key, c.decoy)
			}
			_, err := s.AccountByCode(t.Context(), "key-G2", "key-D2")
			require.ErrorIs(t, err, storedvalue.ErrNotFound, "neither exists")
		}},
		{"GetOperation", "MissingIsNotFound", func(t *testing.T, s storedvalue.Store) {
			create(t, s, "A1")
			_, err := s.GetOperation(t.Context(), "create:A2")
			require.ErrorIs(t, err, storedvalue.ErrNotFound)
		}},
		{"GetOperation", "ResultBytesRoundTripExactly", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			w := a.next("op:1")
			// Not JSON, with a zero byte, trailing spaces and invalid UTF-8:
			// a result is opaque bytes.
			result := []byte("\x00fail \xff{\"a\": 1}  ")
			w.Operation.Result = bytes.Clone(result)
			a.save(t, s, w)
			got, err := s.GetOperation(t.Context(), "op:1")
			require.NoError(t, err)
			assert.Equal(t, storedvalue.Operation{Key: "op:1", AccountID: "A1", Hash: "h-op:1", Result: result}, got)
		}},
	}
}
