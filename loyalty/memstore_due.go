package loyalty

import (
	"cmp"
	"context"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// The memory store's DueFinder: one store-wide index of every open lot by
// the instant it next needs the expiry run (its expiry, and its release
// while unreleased), so that DueAccounts reads the due part of the index
// and the headers of those members, not every header.

// dueKey is one instant a lot is due at: when it expires, or (release)
// when its pending period ends.
type dueKey struct {
	at      instant
	member  string
	lot     string
	release bool
}

func compareDue(a, b dueKey) int {
	return cmp.Or(a.at.compare(b.at), strings.Compare(a.member, b.member), strings.Compare(a.lot, b.lot),
		cmp.Compare(b2i(a.release), b2i(b.release)))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reindexDue moves lot p, which was was (the zero lot if it is new), in
// the store's due index, as putLot moves it in the member's own indexes:
// at its expiry while it is open and expires, at its release while it is
// open and unreleased.
func (a *memAccount) reindexDue(was, p *ledger.Lot) {
	expiry := func(l *ledger.Lot) dueKey { return dueKey{at: instantOf(l.ExpiresAt), member: a.id, lot: l.ID} }
	release := func(l *ledger.Lot) dueKey {
		return dueKey{at: instantOf(l.PendingUntil), member: a.id, lot: l.ID, release: true}
	}
	reindex(a.due, p, was.Remaining > 0 && !was.ExpiresAt.IsZero(), expiry(was),
		p.Remaining > 0 && !p.ExpiresAt.IsZero(), expiry(p), compareDue)
	reindex(a.due, p, was.Remaining > 0 && !was.Released, release(was),
		p.Remaining > 0 && !p.Released, release(p), compareDue)
}

// DueAccounts implements DueFinder.
func (m *memoryStore) DueAccounts(ctx context.Context, by DueBy, after string) iter.Seq2[Account, error] {
	return func(yield func(Account, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(Account{}, err)
			return
		}
		ids := m.dueMembers(by, after)
		for {
			if err := ctx.Err(); err != nil {
				yield(Account{}, err)
				return
			}
			if len(ids) == 0 {
				return
			}
			n := min(chunk, len(ids))
			for _, a := range m.accountsOf(ids[:n]) {
				if !yield(a, nil) {
					return
				}
			}
			ids = ids[n:]
		}
	}
}

// dueMembers returns, sorted, the members after after with an expiry key
// in the index at or before by.Expiring or a release key at or before
// by.Releasing.
func (m *memoryStore) dueMembers(by DueBy, after string) []string {
	through, expiring, releasing := instantOf(by.Through()), instantOf(by.Expiring), instantOf(by.Releasing)
	m.mu.RLock()
	defer m.mu.RUnlock()
	set := map[string]struct{}{}
	for k := range m.due.All() {
		if k.at.compare(through) > 0 {
			break
		}
		bound := expiring
		if k.release {
			bound = releasing
		}
		if k.member > after && k.at.compare(bound) <= 0 {
			set[k.member] = struct{}{}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// accountsOf copies the headers of the members named, skipping none: a
// member in the index has an account.
func (m *memoryStore) accountsOf(ids []string) []Account {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Account, 0, len(ids))
	for _, id := range ids {
		a, _ := m.accounts[id].account() // Save let only valid headers in
		out = append(out, a)
	}
	return out
}
