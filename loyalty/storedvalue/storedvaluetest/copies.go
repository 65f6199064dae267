package storedvaluetest

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func copyRules() []rule {
	return []rule{
		{"Copies", "ReturnedAccountsAreCopies", func(t *testing.T, s storedvalue.Store) {
			a := fullAccount()
			a.save(t, s, a.next("create:P1"))
			got, err := s.GetAccount(t.Context(), "P1")
			require.NoError(t, err)
			got.Punch.Remaining = 0
			got, err = s.AccountByCode(t.Context(), a.hdr.CodeKey, "no-decoy")
			require.NoError(t, err)
			got.Punch.Service = "changed"
			stored(t, s, a)
		}},
		{"Copies", "WriteIsNotKept", func(t *testing.T, s storedvalue.Store) {
			a := fullAccount()
			w := a.next("create:P1", paid("p", 1, at(0)))
			w.Records = []storedvalue.Record{{Kind: storedvalue.RecordUse, Key: "u", Data: []byte("data")}}
			a.save(t, s, w)
			w.Account.Punch.Remaining = 99
			w.Records[0].Data[0] = 'X'
			w.Operation.Result[0] = 'X'
			stored(t, s, a)
			recs, err := s.GetRecords(t.Context(), "P1", storedvalue.RecordUse, []string{"u"})
			require.NoError(t, err)
			require.Len(t, recs, 1)
			assert.Equal(t, "data", string(recs[0].Data))
			op, err := s.GetOperation(t.Context(), "create:P1")
			require.NoError(t, err)
			assert.Equal(t, `{"ok":1}`, string(op.Result))
		}},
		{"Copies", "ReturnedRecordsAreCopies", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			w := a.next("op:1")
			w.Records = []storedvalue.Record{{Kind: storedvalue.RecordUse, Key: "u", Data: []byte("data")}}
			a.save(t, s, w)
			for range 2 {
				recs, err := s.GetRecords(t.Context(), "A1", storedvalue.RecordUse, []string{"u"})
				require.NoError(t, err)
				require.Len(t, recs, 1)
				assert.Equal(t, "data", string(recs[0].Data))
				recs[0].Data[0] = 'X'
				op, err := s.GetOperation(t.Context(), "op:1")
				require.NoError(t, err)
				assert.Equal(t, `{"ok":1}`, string(op.Result))
				op.Result[0] = 'X'
			}
		}},
	}
}
