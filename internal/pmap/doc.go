// Package pmap is a persistent (immutable) ordered map: an AVL tree whose
// updates copy only the path from the root to the changed node. The points
// ledger keeps a loaded account's lots and operations in it, so an
// operation costs O(log n) per record it touches and a failed one leaves
// the value it started from untouched; the campaign, membership and stored
// value memory stores keep indexes in it that their readers walk as
// snapshots. (The loyalty memory store keeps its indexes in the mutable
// internal/btree under its lock instead.)
package pmap
