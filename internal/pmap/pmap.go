package pmap

import "iter"

// Map is a persistent (immutable) ordered map: an AVL tree whose updates
// copy only the path from the root to the changed node. A ledger account holds its
// lots and records in Maps so that copy-on-write costs O(log n) per touched
// record instead of a copy of the whole account, and so that a failed
// operation, which simply drops its new roots, leaves the receiver untouched.
type Map[K, V any] struct {
	root *pnode[K, V]
	cmp  func(a, b K) int
}

type pnode[K, V any] struct {
	key         K
	val         V
	left, right *pnode[K, V]
	height      int8
}

func New[K, V any](cmp func(a, b K) int) Map[K, V] {
	return Map[K, V]{cmp: cmp}
}

// Len reports the number of keys. It walks the tree (nodes keep no
// sizes: every insert copies a path of nodes, and a smaller node is less
// to allocate and trace); only views and snapshots ask.
func (m Map[K, V]) Len() int { return m.root.count() }

// Get returns the value stored under k.
func (m Map[K, V]) Get(k K) (V, bool) {
	n := m.root
	for n != nil {
		switch c := m.cmp(k, n.key); {
		case c < 0:
			n = n.left
		case c > 0:
			n = n.right
		default:
			return n.val, true
		}
	}
	var zero V
	return zero, false
}

// Set returns a map with k bound to v.
func (m Map[K, V]) Set(k K, v V) Map[K, V] {
	m.root = m.root.insert(k, v, m.cmp)
	return m
}

// Delete returns a map without k (the same map if k is absent).
func (m Map[K, V]) Delete(k K) Map[K, V] {
	m.root, _ = m.root.remove(k, m.cmp)
	return m
}

// All yields every entry in key order.
func (m Map[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) { m.root.walk(nil, m.cmp, yield) }
}

// From yields the entries with key >= from, in key order, so a walk that
// stops early costs only O(log n + visited).
func (m Map[K, V]) From(from K) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) { m.root.walk(&from, m.cmp, yield) }
}

func (n *pnode[K, V]) walk(from *K, cmp func(a, b K) int, yield func(K, V) bool) bool {
	if n == nil {
		return true
	}
	if from == nil || cmp(n.key, *from) >= 0 {
		if !n.left.walk(from, cmp, yield) || !yield(n.key, n.val) {
			return false
		}
	}
	return n.right.walk(from, cmp, yield)
}

func (n *pnode[K, V]) count() int {
	if n == nil {
		return 0
	}
	return 1 + n.left.count() + n.right.count()
}

func (n *pnode[K, V]) h() int8 {
	if n == nil {
		return 0
	}
	return n.height
}

// with returns a fresh node (never mutating n) with the given children.
func (n *pnode[K, V]) with(left, right *pnode[K, V]) *pnode[K, V] {
	c := &pnode[K, V]{key: n.key, val: n.val, left: left, right: right}
	c.height = 1 + max(left.h(), right.h())
	return c
}

func (n *pnode[K, V]) insert(k K, v V, cmp func(a, b K) int) *pnode[K, V] {
	if n == nil {
		return &pnode[K, V]{key: k, val: v, height: 1}
	}
	switch c := cmp(k, n.key); {
	case c < 0:
		return n.with(n.left.insert(k, v, cmp), n.right).balanceFresh()
	case c > 0:
		return n.with(n.left, n.right.insert(k, v, cmp)).balanceFresh()
	default:
		r := n.with(n.left, n.right)
		r.key, r.val = k, v
		return r
	}
}

func (n *pnode[K, V]) remove(k K, cmp func(a, b K) int) (*pnode[K, V], bool) {
	if n == nil {
		return nil, false
	}
	switch c := cmp(k, n.key); {
	case c < 0:
		l, ok := n.left.remove(k, cmp)
		if !ok {
			return n, false
		}
		return n.with(l, n.right).balance(), true
	case c > 0:
		r, ok := n.right.remove(k, cmp)
		if !ok {
			return n, false
		}
		return n.with(n.left, r).balance(), true
	}
	if n.left == nil {
		return n.right, true
	}
	if n.right == nil {
		return n.left, true
	}
	succ := n.right
	for succ.left != nil {
		succ = succ.left
	}
	r, _ := n.right.remove(succ.key, cmp)
	return succ.with(n.left, r).balance(), true
}

func (n *pnode[K, V]) balance() *pnode[K, V] {
	switch d := n.left.h() - n.right.h(); {
	case d > 1:
		l := n.left
		if l.left.h() < l.right.h() {
			l = l.rotateLeft()
		}
		return n.with(l, n.right).rotateRight()
	case d < -1:
		r := n.right
		if r.right.h() < r.left.h() {
			r = r.rotateRight()
		}
		return n.with(n.left, r).rotateLeft()
	}
	return n
}

// balanceFresh is balance for a node on an insert's path. The insert made
// every node on its path anew, and an insert unbalances a node only on
// the side it went down (a double rotation: that side's child's side it
// went down too), so the nodes a rotation changes are all fresh and
// shared with nothing: they are rotated in place, allocating nothing,
// where balance copies them again.
func (n *pnode[K, V]) balanceFresh() *pnode[K, V] {
	switch d := n.left.h() - n.right.h(); {
	case d > 1:
		if n.left.left.h() < n.left.right.h() {
			n.left = n.left.rotateLeftInPlace()
		}
		return n.rotateRightInPlace()
	case d < -1:
		if n.right.right.h() < n.right.left.h() {
			n.right = n.right.rotateRightInPlace()
		}
		return n.rotateLeftInPlace()
	}
	return n
}

func (n *pnode[K, V]) fix() {
	n.height = 1 + max(n.left.h(), n.right.h())
}

func (n *pnode[K, V]) rotateRightInPlace() *pnode[K, V] {
	l := n.left
	n.left = l.right
	n.fix()
	l.right = n
	l.fix()
	return l
}

func (n *pnode[K, V]) rotateLeftInPlace() *pnode[K, V] {
	r := n.right
	n.right = r.left
	n.fix()
	r.left = n
	r.fix()
	return r
}

func (n *pnode[K, V]) rotateRight() *pnode[K, V] {
	l := n.left
	return l.with(l.left, n.with(l.right, n.right))
}

func (n *pnode[K, V]) rotateLeft() *pnode[K, V] {
	r := n.right
	return r.with(n.with(n.left, r.left), r.right)
}

// Boxed is a Map that stores its (large) values behind pointers, so that
// path copying copies pointers rather than whole records. Values are never
// changed once stored; Get returns a copy.
type Boxed[K, V any] struct{ m Map[K, *V] }

func NewBoxed[K, V any](cmp func(a, b K) int) Boxed[K, V] {
	return Boxed[K, V]{New[K, *V](cmp)}
}

func (b Boxed[K, V]) Len() int { return b.m.Len() }

func (b Boxed[K, V]) Get(k K) (V, bool) {
	p, ok := b.m.Get(k)
	if !ok {
		var zero V
		return zero, false
	}
	return *p, true
}

func (b Boxed[K, V]) Set(k K, v V) Boxed[K, V] { return Boxed[K, V]{b.m.Set(k, &v)} }

func (b Boxed[K, V]) All() iter.Seq2[K, V] { return unbox(b.m.All()) }

func (b Boxed[K, V]) From(from K) iter.Seq2[K, V] { return unbox(b.m.From(from)) }

func unbox[K, V any](seq iter.Seq2[K, *V]) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		for k, p := range seq {
			if !yield(k, *p) {
				return
			}
		}
	}
}
