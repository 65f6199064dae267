package loyalty_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/require"
)

func TestChangeCodecRoundTrips(t *testing.T) {
	for _, c := range []loyalty.Change{
		{},
		{Version: 1, EntriesAfter: 0, Lots: []string{"p1"}, Records: []loyalty.RecordRef{{Kind: loyalty.RecordPurchase, Key: "p1"}}},
		{Version: 1 << 40, EntriesAfter: 1<<40 - 3, Lots: []string{"", "p1~2", "利"},
			Records: []loyalty.RecordRef{{Kind: loyalty.RecordActivity, Key: "2026-03-01/p/1"}, {Kind: "", Key: ""}}},
	} {
		got, err := loyalty.DecodeChange(loyalty.EncodeChange(c))
		require.NoError(t, err)
		require.Equal(t, c, got)
	}
}

func TestChangeCodecRejectsMalformed(t *testing.T) {
	good := loyalty.EncodeChange(loyalty.Change{Version: 3, Lots: []string{"p1"}})
	for name, b := range map[string][]byte{
		"empty":    nil,
		"json":     []byte(`{"version":3}`),
		"cut":      good[:len(good)-1],
		"trailing": append(append([]byte{}, good...), 0),
		"too many": append(append([]byte{}, good[:len(good)-4]...), 0xff, 0xff, 0x03),
	} {
		_, err := loyalty.DecodeChange(b)
		require.Error(t, err, name)
	}
}

func FuzzChangeCodec(f *testing.F) {
	f.Add(int64(7), int64(3), "p1", "purchase", "p1", []byte(nil))
	f.Add(int64(-1), int64(0), "", "", "", loyalty.EncodeChange(loyalty.Change{Version: 2, Lots: []string{"a", "b"}}))
	f.Fuzz(func(t *testing.T, version, after int64, lot, kind, key string, raw []byte) {
		c := loyalty.Change{Version: version, EntriesAfter: after, Lots: []string{lot},
			Records: []loyalty.RecordRef{{Kind: loyalty.RecordKind(kind), Key: key}}}
		got, err := loyalty.DecodeChange(loyalty.EncodeChange(c))
		require.NoError(t, err)
		require.Equal(t, c, got)
		if d, err := loyalty.DecodeChange(raw); err == nil { // whatever decodes reads back the same re-encoded
			again, err := loyalty.DecodeChange(loyalty.EncodeChange(d))
			require.NoError(t, err)
			require.Equal(t, d, again)
		}
	})
}
