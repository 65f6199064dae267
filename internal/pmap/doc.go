// Package pmap is a persistent (immutable) ordered map: an AVL tree whose
// updates copy only the path from the root to the changed node. The points
// ledger keeps a loaded account's lots and operations in it, so an
// operation costs O(log n) per record it touches and a failed one leaves
// the value it started from untouched; the in-memory loyalty store keeps
// its lot indexes (spending order, pending order) in it.
package pmap
