package btree

import (
	"iter"
	"slices"
)

// degree is the fewest children an inner node other than the root has; a
// node holds degree-1 to 2*degree-1 entries. 32 keeps 50,000 keys within
// three levels and a node's entries within a few kilobytes, so an insert
// shifts little.
const (
	degree   = 32
	maxItems = 2*degree - 1
	minItems = degree - 1
)

// Map is an ordered map from K to V by cmp. The zero Map is not usable:
// make one with New.
type Map[K, V any] struct {
	root *node[K, V]
	cmp  func(a, b K) int
	n    int
}

type entry[K, V any] struct {
	key K
	val V
}

// node is a leaf (kids nil) or an inner node with len(items)+1 kids; every
// leaf is at the same depth.
type node[K, V any] struct {
	items []entry[K, V]
	kids  []*node[K, V]
}

// New returns an empty map ordered by cmp.
func New[K, V any](cmp func(a, b K) int) Map[K, V] { return Map[K, V]{cmp: cmp} }

// Len reports the number of keys.
func (m *Map[K, V]) Len() int { return m.n }

// find returns the index of the first entry whose key is >= k, and
// whether it is k.
func (n *node[K, V]) find(k K, cmp func(a, b K) int) (int, bool) {
	lo, hi := 0, len(n.items)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cmp(n.items[mid].key, k) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(n.items) && cmp(n.items[lo].key, k) == 0
}

// Get returns the value stored under k.
func (m *Map[K, V]) Get(k K) (V, bool) {
	for n := m.root; n != nil; {
		i, found := n.find(k, m.cmp)
		if found {
			return n.items[i].val, true
		}
		if n.kids == nil {
			break
		}
		n = n.kids[i]
	}
	var zero V
	return zero, false
}

// Set binds k to v (the key stored is k too) and reports whether k was
// there before.
func (m *Map[K, V]) Set(k K, v V) (replaced bool) {
	if m.root == nil {
		m.root = &node[K, V]{}
	}
	if len(m.root.items) >= maxItems {
		mid, right := m.root.split()
		m.root = &node[K, V]{items: []entry[K, V]{mid}, kids: []*node[K, V]{m.root, right}}
	}
	replaced = m.root.insert(entry[K, V]{k, v}, m.cmp)
	if !replaced {
		m.n++
	}
	return replaced
}

// split moves the upper half of a full node to a new node, and returns
// the middle entry and the new node.
func (n *node[K, V]) split() (entry[K, V], *node[K, V]) {
	const i = maxItems / 2
	mid := n.items[i]
	right := &node[K, V]{items: append(make([]entry[K, V], 0, maxItems), n.items[i+1:]...)}
	clear(n.items[i:]) // no stale references for the collector
	n.items = n.items[:i]
	if n.kids != nil {
		right.kids = append(make([]*node[K, V], 0, maxItems+1), n.kids[i+1:]...)
		clear(n.kids[i+1:])
		n.kids = n.kids[:i+1]
	}
	return mid, right
}

// insert puts e into the subtree of n, which is not full.
func (n *node[K, V]) insert(e entry[K, V], cmp func(a, b K) int) bool {
	i, found := n.find(e.key, cmp)
	if found {
		n.items[i] = e
		return true
	}
	if n.kids == nil {
		n.items = slices.Insert(n.items, i, e)
		return false
	}
	if len(n.kids[i].items) >= maxItems {
		mid, right := n.kids[i].split()
		n.items = slices.Insert(n.items, i, mid)
		n.kids = slices.Insert(n.kids, i+1, right)
		switch c := cmp(e.key, mid.key); {
		case c == 0:
			n.items[i] = e
			return true
		case c > 0:
			i++
		}
	}
	return n.kids[i].insert(e, cmp)
}

// Delete removes k and reports whether it was there.
func (m *Map[K, V]) Delete(k K) bool {
	if m.root == nil {
		return false
	}
	ok := m.root.remove(k, m.cmp)
	if len(m.root.items) == 0 && m.root.kids != nil {
		m.root = m.root.kids[0] // a merge emptied the root
	}
	if ok {
		m.n--
	}
	return ok
}

// remove deletes k from the subtree of n, which has more than minItems
// entries unless it is the root: a child is grown before the descent
// enters it, so a removal never leaves a node short.
func (n *node[K, V]) remove(k K, cmp func(a, b K) int) bool {
	i, found := n.find(k, cmp)
	if n.kids == nil {
		if found {
			n.items = slices.Delete(n.items, i, i+1)
		}
		return found
	}
	if len(n.kids[i].items) <= minItems {
		n.grow(i)
		return n.remove(k, cmp) // the entries moved: look again
	}
	if found {
		// The entry's predecessor, the largest key of the child before
		// it, takes its place.
		n.items[i] = n.kids[i].removeMax()
		return true
	}
	return n.kids[i].remove(k, cmp)
}

// removeMax removes and returns the largest entry of the subtree of n,
// which has more than minItems entries unless it is the root.
func (n *node[K, V]) removeMax() entry[K, V] {
	if n.kids == nil {
		last := len(n.items) - 1
		e := n.items[last]
		n.items = slices.Delete(n.items, last, last+1)
		return e
	}
	i := len(n.items)
	if len(n.kids[i].items) <= minItems {
		n.grow(i)
		return n.removeMax()
	}
	return n.kids[i].removeMax()
}

// grow gives child i of n more than minItems entries: it takes one from a
// sibling through n, or merges with a sibling and takes n's entry between
// them.
func (n *node[K, V]) grow(i int) {
	child := n.kids[i]
	switch {
	case i > 0 && len(n.kids[i-1].items) > minItems:
		left := n.kids[i-1]
		last := len(left.items) - 1
		child.items = slices.Insert(child.items, 0, n.items[i-1])
		n.items[i-1] = left.items[last]
		left.items = slices.Delete(left.items, last, last+1)
		if left.kids != nil {
			lk := len(left.kids) - 1
			child.kids = slices.Insert(child.kids, 0, left.kids[lk])
			left.kids = slices.Delete(left.kids, lk, lk+1)
		}
	case i < len(n.items) && len(n.kids[i+1].items) > minItems:
		right := n.kids[i+1]
		child.items = append(child.items, n.items[i])
		n.items[i] = right.items[0]
		right.items = slices.Delete(right.items, 0, 1)
		if right.kids != nil {
			child.kids = append(child.kids, right.kids[0])
			right.kids = slices.Delete(right.kids, 0, 1)
		}
	default:
		if i == len(n.items) {
			i-- // the last child merges with the one before it
			child = n.kids[i]
		}
		right := n.kids[i+1]
		child.items = append(child.items, n.items[i])
		child.items = append(child.items, right.items...)
		if child.kids != nil {
			child.kids = append(child.kids, right.kids...)
		}
		n.items = slices.Delete(n.items, i, i+1)
		n.kids = slices.Delete(n.kids, i+1, i+2)
	}
}

// All yields every entry in key order. The map must not change while it
// runs.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) { m.root.ascend(nil, m.cmp, yield) }
}

// From yields the entries with key >= from, in key order, reaching the
// first in O(log n). The map must not change while it runs.
func (m *Map[K, V]) From(from K) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) { m.root.ascend(&from, m.cmp, yield) }
}

// After yields the entries with key > after, in key order: the next page
// of a walk that copied a page and let the map change since.
func (m *Map[K, V]) After(after K) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		first := true
		m.root.ascend(&after, m.cmp, func(k K, v V) bool {
			if first {
				first = false
				if m.cmp(k, after) == 0 {
					return true // only the first key can be after itself
				}
			}
			return yield(k, v)
		})
	}
}

// ascend yields the entries of the subtree of n with key >= *from (every
// entry when from is nil), in order, and reports whether yield wanted
// more.
func (n *node[K, V]) ascend(from *K, cmp func(a, b K) int, yield func(K, V) bool) bool {
	if n == nil {
		return true
	}
	i := 0
	if from != nil {
		i, _ = n.find(*from, cmp)
	}
	for ; i < len(n.items); i++ {
		if n.kids != nil {
			if !n.kids[i].ascend(from, cmp, yield) {
				return false
			}
			from = nil // every later child holds only larger keys
		}
		if !yield(n.items[i].key, n.items[i].val) {
			return false
		}
	}
	if n.kids != nil {
		return n.kids[i].ascend(from, cmp, yield)
	}
	return true
}
