// Package btree is a mutable ordered map: a B-tree of high fanout whose
// nodes keep their entries in slices. A map of 50,000 keys is three
// levels deep; an update or an insert into a node with room writes that
// node in place and allocates nothing, and the garbage collector traces a
// few hundred nodes where a binary tree has one per key. It is not safe
// for concurrent use: the in-memory loyalty store keeps its lot and
// record indexes in it under its own lock, and its readers copy what they
// read before the lock is released.
package btree
