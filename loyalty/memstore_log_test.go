package loyalty

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The encoded log reads like the slice it replaces: entries after any Seq,
// in order, at most limit at a time, every field back (times as instants,
// in UTC).
func TestEntryLogReadsLikeASlice(t *testing.T) {
	var log entryLog
	var all []ledger.Entry
	sh := zone(t, "Asia/Shanghai")
	for seq := int64(1); seq <= 700; seq++ {
		e := ledger.Entry{Seq: seq, ID: fmt.Sprint("m#", seq), Account: "m", Kind: ledger.KindEarn, Points: seq, Pending: -seq,
			Held: 3, Debt: 4, Time: time.Date(2026, 3, 2, 10, 0, 0, int(seq), sh), Reference: "r", Purchase: "p",
			Corrects: "c", Draws: []ledger.Draw{{LotID: "l", Points: seq, Pending: 1, Held: 2}}, Reason: "why", Actor: "who"}
		switch seq {
		case 1:
			e.Draws = nil
		case 2:
			e.Draws = []ledger.Draw{}
		case 3:
			e.Time = time.Time{}
		}
		log.append(&e)
		e.Time = e.Time.UTC()
		all = append(all, e)
	}
	for _, after := range []int64{-1, 0, 1, 3, 4, 5, 59, 60, 61, 255, 256, 699, 700, 800} {
		for _, limit := range []int{1, 7, 256, 1000} {
			var want []ledger.Entry
			for _, e := range all {
				if e.Seq > after && len(want) < limit {
					want = append(want, e)
				}
			}
			got, err := log.after(after, limit)
			require.NoError(t, err)
			assert.Equal(t, want, got, "after %d limit %d", after, limit)
		}
	}
}

// The operation table finds every operation it was given, across chunks.
func TestOpTableFindsEveryOperation(t *testing.T) {
	table := newOpTable()
	for i := range 3*opChunk + 5 {
		table.add(Operation{Key: fmt.Sprint("k", i), Hash: fmt.Sprint(i)})
	}
	for i := range 3*opChunk + 5 {
		op, ok := table.get(fmt.Sprint("k", i))
		require.True(t, ok)
		assert.Equal(t, fmt.Sprint(i), op.Hash)
	}
	_, ok := table.get("missing")
	assert.False(t, ok)
	assert.False(t, table.has("missing"))
	assert.True(t, table.has("k0"))
}
