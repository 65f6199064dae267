package loyalty

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codecFixtureTime is the instant the binary codecs' fixtures are made at:
// in a zone other than UTC, with nanoseconds a microsecond store keeps.
func codecFixtureTime() time.Time {
	return time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.FixedZone("", 8*3600))
}

// ledgerOps are operations of every kind, with the fields each kind fills,
// times in zones other than UTC and the zero time, and nil and empty
// portion lists.
func ledgerOps() []ledger.Operation {
	at := codecFixtureTime()
	return []ledger.Operation{
		{Kind: ledger.KindRedeem, ID: "r-1", Points: 150, Portions: []ledger.Portion{{LotID: "lot-1", Points: 100, Refunded: 20},
			{LotID: "lot-\u00e9", Points: 50}}, Refunded: 20, Entry: "e-7", Time: at},
		{Kind: ledger.KindHold, ID: "h-1", Points: 30, State: ledger.HoldCommitted, Portions: []ledger.Portion{}, Entry: "e-8",
			EndEntry: "e-9", Time: at.UTC()},
		{Kind: ledger.KindClawback, ID: "ret-1", Points: 40, Target: "order-1", Policy: ledger.WithinBalance, Entry: "e-10",
			Time: at.In(time.FixedZone("", -5*3600))},
		{Kind: ledger.KindAdjust, ID: "adj-1", Points: -25, Reason: "correction \u2014 staff", Actor: "agent-7", Entry: "e-11",
			Time: at, ExpiresAt: at.AddDate(1, 0, 0)},
		{Kind: ledger.KindMergeIn, ID: "merge-1", Points: 1 << 40, Target: "M-2", Entry: "e-12"},
		{},
	}
}

// TestLedgerOpRecordDecodesAsJSONDid: the binary record of an operation
// decodes to what its JSON decoded to, and is smaller; JSON records (of
// stores written before, and of hosts' fixtures) still read.
func TestLedgerOpRecordDecodesAsJSONDid(t *testing.T) {
	for i, op := range ledgerOps() {
		raw, err := encodeLedgerOp(&op)
		require.NoError(t, err)
		viaRecord, err := decodeLedgerOp(raw)
		require.NoError(t, err, "operation %d", i)
		js, err := json.Marshal(op)
		require.NoError(t, err)
		var viaJSON ledger.Operation
		require.NoError(t, json.Unmarshal(js, &viaJSON))
		assert.Equal(t, viaJSON, viaRecord, "operation %d", i)
		assert.Less(t, len(raw), len(js)/2, "operation %d: compact", i)
		old, err := decodeLedgerOp(js)
		require.NoError(t, err, "operation %d: a JSON record", i)
		assert.Equal(t, viaJSON, old)
	}
}

// A record cut short, with bytes to spare, of another kind or breaking its
// own rules is refused, never half read.
func TestLedgerOpRecordRejectsMalformed(t *testing.T) {
	op := ledgerOps()[0]
	raw, err := encodeLedgerOp(&op)
	require.NoError(t, err)
	for n := range len(raw) {
		_, err := decodeLedgerOp(raw[:n])
		assert.Error(t, err, "cut to %d bytes", n)
	}
	_, err = decodeLedgerOp(append(raw, 0))
	assert.ErrorIs(t, err, errRecord, "a byte to spare")
	earn, err := encodeResult(fullEarnResult(t))
	require.NoError(t, err)
	_, err = decodeLedgerOp(earn)
	assert.ErrorIs(t, err, errRecord, "an earn record is no ledger operation")
	bad := ledger.Operation{Kind: ledger.KindRedeem, ID: "r", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, err = encodeLedgerOp(&bad)
	assert.Error(t, err, "a time RFC 3339 cannot hold fails, as in JSON")
}

func FuzzLedgerOpRecord(f *testing.F) {
	for _, op := range ledgerOps() {
		raw, err := encodeLedgerOp(&op)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		op, err := decodeLedgerOp(raw)
		if err != nil || len(raw) == 0 || raw[0] != 0 {
			return
		}
		// What decodes re-encodes to a record that decodes the same, as
		// JSON shows it (a time whose offset is the local zone's comes
		// back in Local, as parsing its text gives it).
		again, err := encodeLedgerOp(&op)
		require.NoError(t, err)
		back, err := decodeLedgerOp(again)
		require.NoError(t, err)
		a, _ := json.Marshal(op)
		b, _ := json.Marshal(back)
		require.Equal(t, string(a), string(b))
	})
}
