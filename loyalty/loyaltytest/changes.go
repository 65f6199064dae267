package loyaltytest

import (
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func changeRules() []rule {
	return []rule{
		{"Changes", "NameWhatTheSavesAfterWrote", changesAfterEachVersion},
		{"Changes", "RefusedSavesWriteNone", changesOfRefusedSaves},
		{"Changes", "MissingAndAheadAreErrors", changesMissingAndAhead},
	}
}

// changeFeed returns the store as a ChangeFeed, skipping the rule for a
// store without one.
func changeFeed(t *testing.T, s loyalty.Store) loyalty.ChangeFeed {
	f, ok := s.(loyalty.ChangeFeed)
	if !ok {
		t.Skip("the store is not a ChangeFeed")
	}
	return f
}

// changeHistory saves a member's account through writes of every shape
// (lots and records, lots alone, a record alone, an entry-less header, a
// lot written again) beside another member's, and returns for each version
// v the Change of the save that wrote it (at v-1).
func changeHistory(t *testing.T, s loyalty.Store) (*member, []loyalty.Change) {
	t.Helper()
	m, other := newMember(t, "M-changes"), newMember(t, "M-other")
	var saves []loyalty.Change
	save := func(w loyalty.Write) { // the change worked out here, not by loyalty.ChangeOf
		c := loyalty.Change{Version: w.Account.Version, EntriesAfter: int64(len(m.entries))}
		for _, l := range w.Lots {
			c.Lots = append(c.Lots, l.ID)
		}
		for _, r := range w.Records {
			c.Records = append(c.Records, loyalty.RecordRef{Kind: r.Kind, Key: r.Key})
		}
		m.save(t, s, w)
		saves = append(saves, c)
	}
	save(m.next(t, "earn:c1", earn("c1", 50, at(0))))
	other.save(t, s, other.next(t, "earn:o1", earn("o1", 50, at(0))))
	save(m.next(t, "earn:c2", chain(earn("c2", 30, at(time.Hour)), earn("c3", 20, at(time.Hour)))))
	save(m.next(t, "redeem:r1", redeem("r1", 60, at(2*time.Hour)))) // spends c1 and part of c2: lots and an operation record
	w := m.next(t, "", nil)                                         // a header alone: a tier review, say
	save(w)
	w = m.next(t, "coupon:k1", nil)
	w.Records = []loyalty.Record{{Kind: loyalty.RecordCoupon, Key: "k1", Data: []byte(`{"id":"k1"}`)}}
	save(w)
	other.save(t, s, other.next(t, "earn:o2", earn("o2", 5, at(3*time.Hour))))
	save(m.next(t, "earn:c4", earn("c4", 10, at(4*time.Hour))))
	return m, saves
}

// wantChanges is what the saves after since wrote, from the fixture's
// side: the keys of saves since+1.., sorted and each once, and the entry
// Seq at since.
func wantChanges(m *member, saves []loyalty.Change, since int64) loyalty.Changes {
	want := loyalty.Changes{Version: int64(len(saves)), EntriesAfter: int64(len(m.entries))}
	if since < int64(len(saves)) {
		want.EntriesAfter = saves[since].EntriesAfter
	}
	for _, c := range saves[since:] {
		want.Lots = append(want.Lots, c.Lots...)
		want.Records = append(want.Records, c.Records...)
	}
	slices.Sort(want.Lots)
	want.Lots = slices.Compact(want.Lots)
	slices.SortFunc(want.Records, loyalty.RecordRef.Compare)
	want.Records = slices.Compact(want.Records)
	return want
}

// changesAfterEachVersion: for every version since, from 0 to the
// account's, Changes names exactly the lots and records the later saves
// wrote (each once, sorted), the Seq their entries follow, and the version
// it reaches; the entries after that Seq are exactly those saves'.
func changesAfterEachVersion(t *testing.T, s loyalty.Store) {
	f := changeFeed(t, s)
	m, saves := changeHistory(t, s)
	for since := range int64(len(saves)) + 1 {
		got, err := f.Changes(t.Context(), m.acct.MemberID, since)
		require.NoError(t, err, "since %d", since)
		want := wantChanges(m, saves, since)
		assert.Equal(t, want, normalChanges(got), "since version %d", since)
		var after []ledger.Entry
		for _, e := range m.entries {
			if e.Seq > got.EntriesAfter {
				after = append(after, e)
			}
		}
		assert.Equal(t, entryIDs(after), entryIDs(storedEntriesAfter(t, s, m.acct.MemberID, got.EntriesAfter)), "entries after since %d", since)
	}
}

// changesOfRefusedSaves: a save refused for its version or its operation
// key journals nothing.
func changesOfRefusedSaves(t *testing.T, s loyalty.Store) {
	f := changeFeed(t, s)
	m, saves := changeHistory(t, s)
	stale := m.next(t, "earn:stale", earn("stale", 5, at(5*time.Hour)))
	stale.Account.Version--
	require.ErrorIs(t, s.Save(t.Context(), stale), loyalty.ErrConflict)
	reused := m.next(t, "earn:c1", earn("reused", 5, at(5*time.Hour)))
	require.ErrorIs(t, s.Save(t.Context(), reused), loyalty.ErrAlreadyExists)
	got, err := f.Changes(t.Context(), m.acct.MemberID, 0)
	require.NoError(t, err)
	assert.Equal(t, wantChanges(m, saves, 0), normalChanges(got))
}

// changesMissingAndAhead: an account never saved is ErrNotFound; a
// version above the account's is ErrChangesGone (the caller's copy is of
// an account the store does not know); nothing changed is no keys.
func changesMissingAndAhead(t *testing.T, s loyalty.Store) {
	f := changeFeed(t, s)
	m, saves := changeHistory(t, s)
	_, err := f.Changes(t.Context(), "M-never", 0)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	_, err = f.Changes(t.Context(), m.acct.MemberID, int64(len(saves))+1)
	assert.ErrorIs(t, err, loyalty.ErrChangesGone)
	got, err := f.Changes(t.Context(), m.acct.MemberID, int64(len(saves)))
	require.NoError(t, err)
	assert.Equal(t, loyalty.Changes{Version: int64(len(saves)), EntriesAfter: int64(len(m.entries))}, normalChanges(got))
}

// normalChanges makes empty key lists nil, so a store may return either.
func normalChanges(c loyalty.Changes) loyalty.Changes {
	c.Lots, c.Records = nilIfEmpty(c.Lots), nilIfEmpty(c.Records)
	return c
}

func storedEntriesAfter(t *testing.T, s loyalty.Store, memberID string, seq int64) []ledger.Entry {
	t.Helper()
	var out []ledger.Entry
	for e, err := range s.Entries(t.Context(), memberID, seq) {
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}
