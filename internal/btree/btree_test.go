package btree

import (
	"cmp"
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// model is the map the tree must match: a plain sorted slice.
type model struct{ keys, vals []int }

func (s *model) set(k, v int) bool {
	i, found := slices.BinarySearch(s.keys, k)
	if found {
		s.vals[i] = v
		return true
	}
	s.keys, s.vals = slices.Insert(s.keys, i, k), slices.Insert(s.vals, i, v)
	return false
}

func (s *model) del(k int) bool {
	i, found := slices.BinarySearch(s.keys, k)
	if found {
		s.keys, s.vals = slices.Delete(s.keys, i, i+1), slices.Delete(s.vals, i, i+1)
	}
	return found
}

// run applies one operation to both and compares what each answers.
func run(t testing.TB, m *Map[int, int], s *model, op, k, v int) {
	switch op % 6 {
	case 0, 1, 2:
		if want, got := s.set(k, v), m.Set(k, v); want != got {
			t.Fatalf("set %d: replaced %v, want %v", k, got, want)
		}
	case 3, 4:
		if want, got := s.del(k), m.Delete(k); want != got {
			t.Fatalf("delete %d: found %v, want %v", k, got, want)
		}
	default:
		// A walk from k, stopped after v%20 entries, and one after k.
		limit := v % 20
		i, found := slices.BinarySearch(s.keys, k)
		if want, got := pairs(s.keys[i:], s.vals[i:], limit), collect(m.From(k), limit); !slices.Equal(want, got) {
			t.Fatalf("from %d: %v, want %v", k, got, want)
		}
		if found {
			i++
		}
		if want, got := pairs(s.keys[i:], s.vals[i:], limit), collect(m.After(k), limit); !slices.Equal(want, got) {
			t.Fatalf("after %d: %v, want %v", k, got, want)
		}
	}
	got, ok := m.Get(k)
	i, found := slices.BinarySearch(s.keys, k)
	if found != ok || found && s.vals[i] != got {
		t.Fatalf("get %d: %d %v", k, got, ok)
	}
	if m.Len() != len(s.keys) {
		t.Fatalf("len %d, want %d", m.Len(), len(s.keys))
	}
}

func pairs(keys, vals []int, limit int) [][2]int {
	out := [][2]int{}
	for i := range keys {
		if i == limit {
			break
		}
		out = append(out, [2]int{keys[i], vals[i]})
	}
	return out
}

func collect(seq func(func(int, int) bool), limit int) [][2]int {
	out := [][2]int{}
	for k, v := range seq {
		if len(out) == limit {
			break
		}
		out = append(out, [2]int{k, v})
	}
	return out
}

// check verifies the tree's shape: sizes within bounds, every leaf at one
// depth, keys strictly ascending, and the whole walk equal to the model.
func check(t testing.TB, m *Map[int, int], s *model) {
	depth := -1
	var walk func(n *node[int, int], d int, root bool)
	walk = func(n *node[int, int], d int, root bool) {
		require.LessOrEqual(t, len(n.items), maxItems)
		if !root {
			require.GreaterOrEqual(t, len(n.items), minItems)
		}
		if n.kids == nil {
			if depth < 0 {
				depth = d
			}
			require.Equal(t, depth, d, "every leaf at one depth")
			return
		}
		require.Len(t, n.kids, len(n.items)+1)
		for _, c := range n.kids {
			walk(c, d+1, false)
		}
	}
	if m.root != nil {
		walk(m.root, 0, true)
	}
	require.Equal(t, pairs(s.keys, s.vals, -1), collect(m.All(), -1))
}

// TestAgainstSortedSlice runs long random sequences, dense and sparse,
// growing and shrinking, so that nodes split, borrow and merge at every
// level (three levels at the largest sizes).
func TestAgainstSortedSlice(t *testing.T) {
	for _, c := range []struct {
		keys, ops int
		bias      int // of six: how many operations are sets (more: the tree grows)
	}{{50, 2000, 3}, {3000, 60000, 4}, {20000, 150000, 4}, {20000, 150000, 2}} {
		rng := rand.New(rand.NewPCG(uint64(c.keys), uint64(c.ops)))
		m := New[int, int](cmp.Compare[int])
		s := &model{}
		for i := range c.ops {
			op := rng.IntN(6)
			if op < 5 {
				if op < c.bias {
					op = 0
				} else {
					op = 3
				}
			}
			run(t, &m, s, op, rng.IntN(c.keys), rng.IntN(1000))
			if i%5000 == 0 {
				check(t, &m, s)
			}
		}
		check(t, &m, s)
		// Empty it in a random order: every merge path to the root.
		for _, k := range rng.Perm(c.keys) {
			run(t, &m, s, 3, k, 0)
		}
		check(t, &m, s)
		require.Zero(t, m.Len())
	}
}

// Ascending and descending inserts and deletes (lots in spending order
// arrive ascending, and spends take them from the front).
func TestInOrder(t *testing.T) {
	m := New[int, int](cmp.Compare[int])
	s := &model{}
	for i := range 10000 {
		run(t, &m, s, 0, i, i)
	}
	check(t, &m, s)
	for i := range 5000 {
		run(t, &m, s, 3, i, 0)
		run(t, &m, s, 3, 9999-i, 0)
		if i%1000 == 0 {
			check(t, &m, s)
		}
	}
	check(t, &m, s)
	for i := 20000; i > 0; i-- {
		run(t, &m, s, 0, i, -i)
	}
	check(t, &m, s)
}

func FuzzAgainstSortedSlice(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 3, 1, 5, 0})
	f.Add(binary.LittleEndian.AppendUint64(nil, 0x0102030405060708))
	f.Fuzz(func(t *testing.T, ops []byte) {
		m := New[int, int](cmp.Compare[int])
		s := &model{}
		// Each pair of bytes is an operation and a key; a run of inserts
		// seeded from the first byte makes the tree deep enough to split.
		if len(ops) > 0 {
			for i := range int(ops[0]) * 40 {
				run(t, &m, s, 0, (i*7919)%8192, i)
			}
		}
		for i := 1; i+1 < len(ops); i += 2 {
			k := int(ops[i+1]) * 32
			run(t, &m, s, int(ops[i]), k+int(ops[i])%32, i)
		}
		check(t, &m, s)
	})
}
