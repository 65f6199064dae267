package storedvaluetest

import (
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listRules() []rule {
	return []rule{
		{"Entries", "AfterSeqFilters", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			a.save(t, s, a.next("op:1", paid("a", 1, at(0)), paid("b", 1, at(0))))
			a.save(t, s, a.next("op:2", paid("c", 1, at(0))))
			assert.Equal(t, []int64{1, 2, 3}, seqs(entries(t, s, "A1", 0)))
			assert.Equal(t, []int64{2, 3}, seqs(entries(t, s, "A1", 1)))
			assert.Empty(t, entries(t, s, "A1", 3))
		}},
		{"Entries", "UnknownAccountIsEmpty", func(t *testing.T, s storedvalue.Store) {
			create(t, s, "A1")
			assert.Empty(t, entries(t, s, "A2", 0))
		}},
		{"Entries", "NeverChangedByLaterWrites", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			w := a.next("op:1", paid("a", 5, at(0)))
			w.Entries[0].Corrects, w.Entries[0].HeldPaid, w.Entries[0].Uses = "x", 1, -1
			a.save(t, s, w)
			first := entries(t, s, "A1", 0)
			w2 := a.next("op:2", paid("b", 6, at(day)))
			a.save(t, s, w2)
			got := entries(t, s, "A1", 0)
			require.Len(t, got, 2)
			requireEntry(t, w.Entries[0], first[0])
			requireEntry(t, w.Entries[0], got[0])
			requireEntry(t, w2.Entries[0], got[1])
		}},
		{"Accounts", "AscendingIDByteOrder", func(t *testing.T, s storedvalue.Store) {
			for _, id := range []string{"b", "B", "a", "é", "A"} {
				create(t, s, id)
			}
			var got []string
			for _, a := range kit.Collect(t, s.Accounts(t.Context(), "")) {
				got = append(got, a.ID)
			}
			assert.Equal(t, []string{"A", "B", "a", "b", "é"}, got)
		}},
		{"Accounts", "AfterIsExclusive", func(t *testing.T, s storedvalue.Store) {
			for _, id := range ids(5, "A") {
				create(t, s, id)
			}
			var got []string
			for _, a := range kit.Collect(t, s.Accounts(t.Context(), "A02")) {
				got = append(got, a.ID)
			}
			assert.Equal(t, []string{"A03", "A04"}, got)
		}},
		{"Accounts", "SaveInsideTheLoopNeitherBlocksNorRepeats", func(t *testing.T, s storedvalue.Store) {
			accts := map[string]*account{}
			for _, id := range ids(5, "A") {
				accts[id] = create(t, s, id)
			}
			var seen []string
			for a, err := range s.Accounts(t.Context(), "") {
				require.NoError(t, err)
				seen = append(seen, a.ID)
				x := accts[a.ID]
				x.save(t, s, x.next("loop:"+a.ID))
			}
			assert.Equal(t, ids(5, "A"), seen)
		}},
	}
}

func requireEntry(t *testing.T, want, got storedvalue.Entry) {
	t.Helper()
	assertTime(t, want.At, got.At, "entry At")
	want.At = got.At
	assert.Equal(t, want, got)
}
