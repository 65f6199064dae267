package loyalty

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
)

// The chunked log reads like the slice it replaces: entries after any Seq,
// in order, at most limit at a time, across chunk boundaries.
func TestEntryLogReadsLikeASlice(t *testing.T) {
	var log entryLog
	var all []ledger.Entry
	for seq := int64(1); seq <= 700; seq++ {
		e := ledger.Entry{Seq: seq, Draws: []ledger.Draw{{LotID: "l", Points: seq}}}
		log.append(e)
		all = append(all, e)
	}
	assert.LessOrEqual(t, cap(log.chunks[len(log.chunks)-1]), maxChunk)
	for _, after := range []int64{-1, 0, 1, 3, 4, 5, 59, 60, 61, 255, 256, 699, 700, 800} {
		for _, limit := range []int{1, 7, 256, 1000} {
			var want []ledger.Entry
			for _, e := range all {
				if e.Seq > after && len(want) < limit {
					want = append(want, e)
				}
			}
			assert.Equal(t, want, log.after(after, limit), "after %d limit %d", after, limit)
		}
	}
	got := log.after(0, 1)
	got[0].Draws[0].Points = -1
	assert.Equal(t, int64(1), log.after(0, 1)[0].Draws[0].Points, "a copy")
}
