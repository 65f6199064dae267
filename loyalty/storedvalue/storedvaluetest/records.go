package storedvaluetest

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func recordRules() []rule {
	return []rule{
		{"GetRecords", "ByKeyInTheOrderAskedSkippingMissing", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			w := a.next("op:1")
			w.Records = []storedvalue.Record{
				{Kind: storedvalue.RecordPayment, Key: "p1", Data: []byte(`{"a":1}`)},
				{Kind: storedvalue.RecordPayment, Key: "p2", Data: []byte{0, 1, 2}},
				{Kind: storedvalue.RecordUse, Key: "p1", Data: []byte(`use`)},
			}
			a.save(t, s, w)
			got, err := s.GetRecords(t.Context(), "A1", storedvalue.RecordPayment, []string{"p2", "nope", "p1"})
			require.NoError(t, err)
			assert.Equal(t, []storedvalue.Record{w.Records[1], w.Records[0]}, got)
			got, err = s.GetRecords(t.Context(), "A1", storedvalue.RecordUse, []string{"p1", "p2"})
			require.NoError(t, err)
			assert.Equal(t, []storedvalue.Record{w.Records[2]}, got, "kinds are apart")
			got, err = s.GetRecords(t.Context(), "B1", storedvalue.RecordUse, []string{"p1"})
			require.NoError(t, err)
			assert.Empty(t, got)
		}},
		{"GetRecords", "ReplacedByKindAndKey", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			w := a.next("op:1")
			w.Records = []storedvalue.Record{{Kind: storedvalue.RecordPayment, Key: "p1", Data: []byte(`held`)}}
			a.save(t, s, w)
			w = a.next("op:2")
			w.Records = []storedvalue.Record{{Kind: storedvalue.RecordPayment, Key: "p1", Data: []byte(`committed`)}}
			a.save(t, s, w)
			got, err := s.GetRecords(t.Context(), "A1", storedvalue.RecordPayment, []string{"p1"})
			require.NoError(t, err)
			require.Len(t, got, 1)
			assert.Equal(t, "committed", string(got[0].Data))
		}},
	}
}
