package custindex

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forty is a 40-byte record type; only its first field is used.
type forty struct {
	a int64
	_ [4]int64
}

func TestRecordFillsACacheLine(t *testing.T) {
	assert.Equal(t, uintptr(64), unsafe.Sizeof(record[forty]{}), "a 40-byte record type must make a 64-byte record")
}

// ids returns n distinct IDs: short, exactly InlineKey bytes, and long.
func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		id := fmt.Sprintf("%c-%d", 'a'+i%26, i)
		switch i % 3 {
		case 0:
			id += "-a-long-identifier-beyond-the-inline-limit"
		case 1:
			id = (id + "-exactly-fifteen")[:InlineKey]
		}
		out[i] = id
	}
	return out
}

func TestLookupAddsThenFinds(t *testing.T) {
	for _, hint := range []int{0, 100, 10_000} {
		t.Run(fmt.Sprint("hint ", hint), func(t *testing.T) {
			tb := New[forty](hint)
			all := ids(5000)
			for i, id := range all {
				pos, added, err := tb.Lookup(id, tb.Hash(id))
				require.NoError(t, err)
				require.True(t, added, id)
				require.Equal(t, i, pos, "positions follow first appearance")
				tb.At(pos).a = int64(i)
			}
			require.Equal(t, len(all), tb.Len())
			for i, id := range all {
				pos, added, err := tb.Lookup(id, tb.Hash(id))
				require.NoError(t, err)
				require.False(t, added, id)
				require.Equal(t, i, pos)
				require.Equal(t, int64(i), tb.At(pos).a, "records survive growth")
				require.Equal(t, id, tb.ID(pos))
			}
		})
	}
}

func TestLookupTellsNearKeysApart(t *testing.T) {
	tb := New[forty](0)
	long := "a-0-a-long-identifier-beyond-the-inline-limit"
	cases := []string{long, long[:len(long)-1] + "T", "exactly-fifteen", "exactly-fifteeN", "exactly-fifteen!", "x", "x\x00"}
	for i, id := range cases {
		pos, added, err := tb.Lookup(id, tb.Hash(id))
		require.NoError(t, err)
		assert.True(t, added, "%q is a new customer", id)
		assert.Equal(t, i, pos)
	}
}

// A forged hash shared by every ID drives all lookups through tag
// collisions and long probe runs: the table must still tell IDs apart by
// their bytes.
func TestLookupSurvivesHashCollisions(t *testing.T) {
	tb := New[forty](0)
	const h = 0xdeadbeef_00000000 | tagBit
	all := ids(300)
	for i, id := range all {
		pos, added, err := tb.Lookup(id, h)
		require.NoError(t, err)
		require.True(t, added)
		require.Equal(t, i, pos)
	}
	for i, id := range all {
		pos, added, err := tb.Lookup(id, h)
		require.NoError(t, err)
		require.False(t, added)
		require.Equal(t, i, pos)
	}
}

func TestPipelineFoldsInStreamOrder(t *testing.T) {
	for _, n := range []int{0, 1, BatchLen - 1, BatchLen, BatchLen + 1, 2 * BatchLen, 1000} {
		t.Run(fmt.Sprint(n, " items"), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			tb := New[[]int](0)
			var addedOrder []string
			p := NewPipeline(tb, func(item *int, r *[]int, pos int, added bool) error {
				if added {
					addedOrder = append(addedOrder, tb.ID(pos))
				}
				*r = append(*r, *item)
				return nil
			})
			want := map[string][]int{}
			var firstSeen []string
			for i := range n {
				id := fmt.Sprint("c", rng.IntN(50))
				if want[id] == nil {
					firstSeen = append(firstSeen, id)
				}
				want[id] = append(want[id], i)
				require.NoError(t, p.Push(id, i))
			}
			require.NoError(t, p.Flush())
			require.Equal(t, len(want), tb.Len())
			assert.Equal(t, firstSeen, addedOrder)
			for i := range tb.Len() {
				assert.Equal(t, firstSeen[i], tb.ID(i))
				assert.Equal(t, want[tb.ID(i)], *tb.At(i), "items fold in stream order")
			}
		})
	}
}

func TestPipelineStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	tb := New[int](0)
	folded := 0
	p := NewPipeline(tb, func(item *int, r *int, _ int, _ bool) error {
		if *item == 40 {
			return boom
		}
		folded++
		return nil
	})
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		err = p.Push(fmt.Sprint(i), i)
	}
	if err == nil {
		err = p.Flush()
	}
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 40, folded, "items before the failing one are folded, none after")
}
