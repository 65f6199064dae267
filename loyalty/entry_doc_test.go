package loyalty

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docEntries are entries of several kinds as a store keeps them: keyed by
// the ledger's own IDs, or naming another (a fixture's); times in zones
// other than UTC and the zero time; nil, empty and several draws.
func docEntries() []ledger.Entry {
	at := codecFixtureTime()
	return []ledger.Entry{
		{Seq: 7, ID: "M-1#7", Account: "M-1", Kind: ledger.KindEarn, Points: 120, Pending: 120, Time: at,
			Reference: "M-1#7", Purchase: "order-9", Draws: []ledger.Draw{{LotID: "M-1#7", Points: 120, Pending: 120}}},
		{Seq: 8, ID: "M-1#8", Account: "M-1", Kind: ledger.KindRedeem, Points: -150, Time: at.UTC(), Reference: "r-1",
			Draws: []ledger.Draw{{LotID: "M-1#7", Points: -100}, {LotID: "lot-\u00e9", Points: -50, Held: 3}}},
		{Seq: 9, ID: "M-1#9", Account: "M-1", Kind: ledger.KindAdjust, Points: -25, Debt: 5, Reason: "correction \u2014 staff",
			Actor: "agent-7", Time: at.In(time.FixedZone("", -5*3600)), Corrects: "M-1#3", Draws: []ledger.Draw{}},
		{Seq: 1, ID: "fixture-1", Account: "M-2", Kind: ledger.KindMergeIn, Points: 1 << 40},
		{},
	}
}

// TestEntryDocDecodesAsJSONDid: the document of an entry decodes, under its
// key, to what its JSON decoded to, and is less than half its size; JSON
// documents (of stores written before) still read.
func TestEntryDocDecodesAsJSONDid(t *testing.T) {
	for i, e := range docEntries() {
		doc, err := EncodeEntry(e, e.Account, e.Seq)
		require.NoError(t, err)
		viaDoc, err := DecodeEntry(doc, e.Account, e.Seq)
		require.NoError(t, err, "entry %d", i)
		js, err := json.Marshal(e)
		require.NoError(t, err)
		var viaJSON ledger.Entry
		require.NoError(t, json.Unmarshal(js, &viaJSON))
		assert.Equal(t, viaJSON, viaDoc, "entry %d", i)
		assert.Less(t, len(doc), len(js)/2, "entry %d: compact", i)
		old, err := DecodeEntry(js, "other", 99)
		require.NoError(t, err, "entry %d: a JSON document", i)
		assert.Equal(t, viaJSON, old, "entry %d: JSON names its own key", i)
	}
	// A keyed document takes its key from the store, so a copy kept under
	// another member is that member's entry.
	e := docEntries()[0]
	doc, err := EncodeEntry(e, e.Account, e.Seq)
	require.NoError(t, err)
	moved, err := DecodeEntry(doc, "M-3", 7)
	require.NoError(t, err)
	assert.Equal(t, "M-3", moved.Account)
	assert.Equal(t, "M-3#7", moved.ID)
	// One naming another ID keeps its own.
	named := docEntries()[3]
	doc, err = EncodeEntry(named, named.Account, named.Seq)
	require.NoError(t, err)
	back, err := DecodeEntry(doc, "M-3", 1)
	require.NoError(t, err)
	assert.Equal(t, "fixture-1", back.ID)
	assert.Equal(t, "M-2", back.Account)
	// An entry written for another member's key, or another sequence
	// number, names its own and reads back whole under that key.
	for _, key := range []struct {
		account string
		seq     int64
	}{{"M-3", 7}, {"M-1", 8}} {
		doc, err := EncodeEntry(e, key.account, key.seq)
		require.NoError(t, err)
		assert.Equal(t, byte(entryNamed), doc[len(entryMagic)], "%v", key)
		back, err := DecodeEntry(doc, key.account, key.seq)
		require.NoError(t, err)
		assert.True(t, back.Equal(e), "%v: %+v", key, back)
	}
}

// A document cut short, with bytes to spare, of another kind or breaking
// its own rules is refused, never half read.
func TestEntryDocRejectsMalformed(t *testing.T) {
	e := docEntries()[1]
	doc, err := EncodeEntry(e, e.Account, e.Seq)
	require.NoError(t, err)
	for n := range len(doc) {
		_, err := DecodeEntry(doc[:n], e.Account, e.Seq)
		assert.Error(t, err, "cut to %d bytes", n)
	}
	_, err = DecodeEntry(append(doc, 0), e.Account, e.Seq)
	assert.ErrorIs(t, err, errRecord, "a byte to spare")
	op := ledgerOps()[0]
	raw, err := encodeLedgerOp(&op)
	require.NoError(t, err)
	_, err = DecodeEntry(raw, e.Account, e.Seq)
	assert.ErrorIs(t, err, errRecord, "a ledger operation is no entry")
	// A keyed document that names a key after all is not one EncodeEntry
	// wrote.
	named, err := EncodeEntry(docEntries()[3], "M-2", 1)
	require.NoError(t, err)
	named[len(entryMagic)] = entryKeyed
	_, err = DecodeEntry(named, "M-2", 1)
	assert.ErrorIs(t, err, errRecord)
	bad := ledger.Entry{Seq: 1, ID: "M#1", Account: "M", Kind: ledger.KindEarn, Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, err = EncodeEntry(bad, bad.Account, bad.Seq)
	assert.Error(t, err, "a time RFC 3339 cannot hold fails, as in JSON")
}

func FuzzEntryDoc(f *testing.F) {
	for _, e := range docEntries() {
		doc, err := EncodeEntry(e, e.Account, e.Seq)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(doc, e.Account, e.Seq)
	}
	f.Fuzz(func(t *testing.T, doc []byte, account string, seq int64) {
		e, err := DecodeEntry(doc, account, seq)
		if err != nil || len(doc) == 0 || doc[0] != 0 {
			return
		}
		// What decodes re-encodes to a document that decodes the same
		// under its key, as JSON shows it (a time whose offset is the
		// local zone's comes back in Local, as parsing its text gives it).
		again, err := EncodeEntry(e, account, seq)
		require.NoError(t, err)
		back, err := DecodeEntry(again, account, seq)
		require.NoError(t, err)
		a, _ := json.Marshal(e)
		b, _ := json.Marshal(back)
		require.Equal(t, string(a), string(b))
	})
}
