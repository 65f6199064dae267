package storedvaluetest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dueRecord is a payment record due at d (zero: not due).
func dueRecord(key string, d time.Time) storedvalue.Record {
	return storedvalue.Record{Kind: storedvalue.RecordPayment, Key: key, Data: []byte(`{"state":"held"}`), DueAt: d}
}

func dueKeys(t *testing.T, s storedvalue.Store, until time.Time, after storedvalue.DueRecord) []string {
	t.Helper()
	var out []string
	for _, d := range kit.Collect(t, s.DueRecords(t.Context(), storedvalue.RecordPayment, until, after)) {
		out = append(out, d.AccountID+"/"+d.Key)
	}
	return out
}

func dueRules() []rule {
	return []rule{
		{"DueRecords", "DueUpToUntilInOrder", func(t *testing.T, s storedvalue.Store) {
			a, b := wallet("A1"), wallet("B1")
			w := a.next("op:a")
			w.Records = []storedvalue.Record{dueRecord("h3", at(3*time.Hour)), dueRecord("h1", at(time.Hour)),
				dueRecord("never", time.Time{}), dueRecord("late", at(9*time.Hour)),
				{Kind: storedvalue.RecordUse, Key: "use", Data: []byte("u"), DueAt: at(time.Hour)}}
			a.save(t, s, w)
			w = b.next("op:b")
			w.Records = []storedvalue.Record{dueRecord("h2", at(time.Hour)), dueRecord("h0", at(3*time.Hour).In(shanghai))}
			b.save(t, s, w)
			assert.Equal(t, []string{"A1/h1", "B1/h2", "A1/h3", "B1/h0"}, dueKeys(t, s, at(3*time.Hour), storedvalue.DueRecord{}),
				"by due time, account and key; until inclusive; other kinds, undue and later records left out")
			assert.Empty(t, dueKeys(t, s, at(time.Hour-time.Microsecond), storedvalue.DueRecord{}))
			got := kit.Collect(t, s.DueRecords(t.Context(), storedvalue.RecordPayment, at(time.Hour), storedvalue.DueRecord{}))
			require.Len(t, got, 2)
			assertTime(t, at(time.Hour), got[0].At, "DueRecord.At")
			assert.Equal(t, storedvalue.RecordPayment, got[0].Kind)
			assert.Equal(t, []string{"A1/h3", "B1/h0"}, dueKeys(t, s, at(3*time.Hour), got[1]), "after is exclusive")
			assert.Equal(t, []string{"B1/h2", "A1/h3", "B1/h0"}, dueKeys(t, s, at(3*time.Hour),
				storedvalue.DueRecord{At: at(time.Hour), AccountID: "A1", Kind: storedvalue.RecordPayment, Key: "h1"}))
			recs, err := s.GetRecords(t.Context(), "A1", storedvalue.RecordPayment, []string{"h3", "never"})
			require.NoError(t, err)
			require.Len(t, recs, 2)
			assertTime(t, at(3*time.Hour), recs[0].DueAt, "GetRecords DueAt")
			assert.True(t, recs[1].DueAt.IsZero(), "a record without DueAt reads back zero")
		}},
		{"DueRecords", "ReplacementMovesOrRemoves", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			w := a.next("op:1")
			w.Records = []storedvalue.Record{dueRecord("h1", at(time.Hour)), dueRecord("h2", at(2*time.Hour))}
			a.save(t, s, w)
			w = a.next("op:2")
			w.Records = []storedvalue.Record{dueRecord("h1", time.Time{}), dueRecord("h2", at(30*time.Minute))}
			a.save(t, s, w)
			assert.Equal(t, []string{"A1/h2"}, dueKeys(t, s, at(3*time.Hour), storedvalue.DueRecord{}))
			w = a.next("op:3")
			w.Records = []storedvalue.Record{dueRecord("h2", time.Time{})}
			a.save(t, s, w)
			assert.Empty(t, dueKeys(t, s, at(3*time.Hour), storedvalue.DueRecord{}))
		}},
		{"DueRecords", "RefusedWriteIndexesNothing", func(t *testing.T, s storedvalue.Store) {
			a := create(t, s, "A1")
			stale := a.next("op:stale")
			stale.Records = []storedvalue.Record{dueRecord("h1", at(time.Hour))}
			a.save(t, s, a.next("op:2"))
			require.ErrorIs(t, s.Save(t.Context(), stale), storedvalue.ErrConflict)
			assert.Empty(t, dueKeys(t, s, at(3*time.Hour), storedvalue.DueRecord{}))
		}},
	}
}
