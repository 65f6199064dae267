package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSaveShapes: a save of none, one or several lots, records and
// entries, with or without an operation, creating the account or moving
// it on, writes exactly what it was given (each shape is a statement of
// its own).
func TestSaveShapes(t *testing.T) {
	ctx := t.Context()
	store := freshDB(t).Loyalty()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	for _, counts := range [][3]int{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}, {2, 1, 0}, {1, 2, 2}, {3, 0, 2}, {2, 3, 1}} {
		for _, withOp := range []bool{false, true} {
			n++
			member := fmt.Sprintf("m%02d", n)
			pts, err := ledger.FromHeader(ledger.Header{ID: member})
			require.NoError(t, err)
			seq := int64(0)
			for version := int64(1); version <= 2; version++ {
				w := loyalty.Write{Account: loyalty.Account{MemberID: member, Version: version, Points: pts}}
				for i := range counts[0] {
					w.Lots = append(w.Lots, ledger.Lot{ID: fmt.Sprint("l", i), EarnEntry: member + "#1", Origin: ledger.KindEarn, Source: "p",
						Amount: 10 * version, Remaining: 10 * version, EarnedAt: at, Released: true, ExpiresAt: at.AddDate(1, 0, int(version))})
				}
				for i := range counts[1] {
					w.Records = append(w.Records, loyalty.Record{Kind: loyalty.RecordPurchase, Key: fmt.Sprint("r", i), Data: []byte(fmt.Sprint(version))})
				}
				for range counts[2] {
					seq++
					w.Entries = append(w.Entries, ledger.Entry{Seq: seq, ID: fmt.Sprint(member, "#", seq), Account: member, Kind: ledger.KindAdjust,
						Points: 1, Time: at})
				}
				if withOp {
					w.Operation = &loyalty.Operation{Key: fmt.Sprint("op-", member, "-", version), MemberID: member, Hash: "h", Result: []byte("{}")}
				}
				require.NoError(t, store.Save(ctx, w), "%v op=%v v%d", counts, withOp, version)
				assert.ErrorIs(t, store.Save(ctx, w), loyalty.ErrConflict, "the same version again")

				got, err := store.GetAccount(ctx, member)
				require.NoError(t, err)
				assert.Equal(t, version, got.Version)
				lots := collect(t, store.AllLots(ctx, member))
				require.Len(t, lots, counts[0])
				for _, l := range lots {
					assert.Equal(t, 10*version, l.Remaining)
					assert.True(t, l.ExpiresAt.Equal(at.AddDate(1, 0, int(version))))
				}
				recs := collect(t, store.Records(ctx, member, loyalty.RecordPurchase))
				require.Len(t, recs, counts[1])
				for _, r := range recs {
					assert.Equal(t, fmt.Sprint(version), string(r.Data))
				}
				assert.Len(t, collect(t, store.Entries(ctx, member, 0)), int(seq))
				if withOp {
					_, err := store.GetOperation(ctx, fmt.Sprint("op-", member, "-", version))
					assert.NoError(t, err)
				}
			}
		}
	}
}

// TestSaveLotTakenForNew: a lot whose earn entry the write carries, and
// an activity fact, are inserted as new, without an upsert; if the key is
// taken all the same, the save replaces the stored row, as the contract
// says, instead of failing.
func TestSaveLotTakenForNew(t *testing.T) {
	ctx := t.Context()
	store := freshDB(t).Loyalty()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	pts, err := ledger.FromHeader(ledger.Header{ID: "m"})
	require.NoError(t, err)
	for version := int64(1); version <= 2; version++ {
		entry := fmt.Sprint("m#", version)
		w := loyalty.Write{Account: loyalty.Account{MemberID: "m", Version: version, Points: pts},
			Lots: []ledger.Lot{{ID: "l", EarnEntry: entry, Origin: ledger.KindEarn, Source: "p",
				Amount: 10 * version, Remaining: 10 * version, EarnedAt: at, Released: true}},
			Entries: []ledger.Entry{{Seq: version, ID: entry, Account: "m", Kind: ledger.KindAdjust, Points: 1, Time: at}},
			Records: []loyalty.Record{{Kind: loyalty.RecordActivity, Key: "2026-03-02/p/1", Data: []byte(entry)}}}
		if version == 2 { // the fact alone, then with the lot
			require.NoError(t, store.Save(ctx, loyalty.Write{Account: w.Account, Records: w.Records}))
			w.Account.Version++
		}
		require.NoError(t, store.Save(ctx, w), "v%d", version)
		recs, err := store.GetRecords(ctx, "m", loyalty.RecordActivity, []string{"2026-03-02/p/1"})
		require.NoError(t, err)
		require.Len(t, recs, 1)
		assert.Equal(t, entry, string(recs[0].Data))
		lots, err := store.Lots(ctx, "m", []string{"l"})
		require.NoError(t, err)
		require.Len(t, lots, 1)
		assert.Equal(t, 10*version, lots[0].Remaining)
		assert.Equal(t, entry, lots[0].EarnEntry)
	}
	got, err := store.GetAccount(ctx, "m")
	require.NoError(t, err)
	assert.Equal(t, int64(3), got.Version)
}
