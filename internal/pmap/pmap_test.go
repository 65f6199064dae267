package pmap

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPmapAgainstMap checks the persistent tree against a Go map, and that
// every earlier version stays as it was (persistence).
func TestPmapAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	m := New[int, int](func(a, b int) int { return a - b })
	ref := map[int]int{}
	type version struct {
		m   Map[int, int]
		ref map[int]int
	}
	var versions []version
	for i := range 5000 {
		k := rng.IntN(300)
		if rng.IntN(3) == 0 {
			m = m.Delete(k)
			delete(ref, k)
		} else {
			m = m.Set(k, i)
			ref[k] = i
		}
		if i%250 == 0 {
			versions = append(versions, version{m, clone(ref)})
		}
		require.Equal(t, len(ref), m.Len())
		require.LessOrEqual(t, int(m.root.h()), 2*bitsLen(len(ref))+1, "stays balanced")
	}
	for _, v := range versions {
		assert.Equal(t, sortedKeys(v.ref), keys(v.m), "an old version is unchanged")
		for k, want := range v.ref {
			got, ok := v.m.Get(k)
			assert.True(t, ok)
			assert.Equal(t, want, got)
		}
	}
	from := 150
	var want []int
	for _, k := range sortedKeys(ref) {
		if k >= from {
			want = append(want, k)
		}
	}
	var got []int
	for k := range m.From(from) {
		got = append(got, k)
	}
	assert.Equal(t, want, got)
}

func clone(m map[int]int) map[int]int {
	c := make(map[int]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func sortedKeys(m map[int]int) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func keys(m Map[int, int]) []int {
	ks := []int{}
	for k := range m.All() {
		ks = append(ks, k)
	}
	return ks
}

func bitsLen(n int) int {
	b := 0
	for ; n > 0; n >>= 1 {
		b++
	}
	return b
}

// Inserts rotate the nodes they made in place: every earlier version must
// stay exactly as it was and every node must keep true heights and sizes,
// for ascending, descending and random keys (ascending keys, like lots in
// spending order, rotate on nearly every insert).
func TestPmapInsertsLeaveEveryVersionIntact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	orders := map[string]func(i int) int{
		"ascending":  func(i int) int { return i },
		"descending": func(i int) int { return -i },
		"random":     func(int) int { return rng.IntN(400) },
		"zigzag":     func(i int) int { return (i % 2) * (1000 - i) },
	}
	for name, key := range orders {
		m := New[int, int](func(a, b int) int { return a - b })
		var versions []Map[int, int]
		var want [][]int
		for i := range 600 {
			if i%5 == 4 {
				m = m.Delete(key(i - 1))
			} else {
				m = m.Set(key(i), i)
			}
			versions = append(versions, m)
			want = append(want, keys(m))
			checkNodes(t, m.root)
		}
		for i, v := range versions {
			require.Equal(t, want[i], keys(v), "%s: version %d changed", name, i)
		}
	}
}

// checkNodes checks every node's height and AVL balance.
func checkNodes(t *testing.T, n *pnode[int, int]) (height int8) {
	if n == nil {
		return 0
	}
	lh, rh := checkNodes(t, n.left), checkNodes(t, n.right)
	require.Equal(t, 1+max(lh, rh), n.height, "height")
	require.LessOrEqual(t, lh-rh, int8(1), "balanced")
	require.GreaterOrEqual(t, lh-rh, int8(-1), "balanced")
	return n.height
}
