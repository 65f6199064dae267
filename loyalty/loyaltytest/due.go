package loyaltytest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dueRules() []rule {
	return []rule{
		{"DueAccounts", "ExactlyTheAccountsWithSomethingDue", dueExactly},
		{"DueAccounts", "AfterIsExclusive", dueAfter},
		{"DueAccounts", "FollowsSaves", dueFollowsSaves},
		{"DueAccounts", "ManyAccountsInOrder", dueMany},
		{"DueAccounts", "EachBoundItsOwn", dueBounds},
	}
}

// dueFinder returns the store as a DueFinder, skipping the rule for a
// store without one.
func dueFinder(t *testing.T, s loyalty.Store) loyalty.DueFinder {
	f, ok := s.(loyalty.DueFinder)
	if !ok {
		t.Skip("the store is not a DueFinder")
	}
	return f
}

// dueThrough is the instant the due rules ask about.
var dueThrough = at(30 * day)

// dueSeed saves one member for each way a lot can be or not be due at
// dueThrough, and returns the IDs of those that are, sorted. The IDs sort
// differently byte-wise than under a collation or case-insensitively.
func dueSeed(t *testing.T, s loyalty.Store) []string {
	t.Helper()
	never, released := time.Time{}, time.Time{}
	cases := []struct {
		id  string
		due bool
		ops []ledgerOp
	}{
		{"M-9", true, []ledgerOp{earnLot("expires-at-through", 5, at(0), released, dueThrough)}},
		{"M-10", false, []ledgerOp{earnLot("expires-after", 5, at(0), released, dueThrough.Add(time.Microsecond))}},
		{"M-09", false, []ledgerOp{earnLot("never-expires", 5, at(0), released, never)}},
		{"m-1", true, []ledgerOp{earnLot("releases-at-through", 5, at(0), dueThrough, dueThrough.Add(300*day))}},
		{"a", false, []ledgerOp{earnLot("releases-after", 5, at(0), dueThrough.Add(time.Microsecond), dueThrough.Add(300*day))}},
		{"Z", false, []ledgerOp{earnLot("spent", 5, at(0), released, at(day)), redeem("spend", 5, at(time.Hour))}},
		{"_x", false, []ledgerOp{earnLot("lapsed", 5, at(0), released, at(day)),
			func(a ledger.Account) (ledger.Account, []ledger.Entry, error) { return a.Expire(at(2 * day)) }}},
		{"M-\u00e9", true, []ledgerOp{earnLot("one-due", 5, at(0), released, at(day)),
			earnLot("one-not", 5, at(0), released, dueThrough.Add(day))}},
		{"M-e", true, []ledgerOp{earnLot("held", 5, at(0), released, at(day)),
			func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
				return a.Hold("hold", 5, at(time.Hour))
			}}},
	}
	var due []string
	for _, c := range shuffledCases(len(cases)) {
		m := newMember(t, cases[c].id)
		m.save(t, s, m.next(t, "earn:"+cases[c].id, chain(cases[c].ops...)))
		if cases[c].due {
			due = append(due, cases[c].id)
		}
	}
	return sorted(due)
}

// shuffledCases is 0..n-1 in a fixed scrambled order: accounts are
// created out of ID order.
func shuffledCases(n int) []int {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = string(rune('a' + i))
	}
	var out []int
	for _, id := range shuffled(ids) {
		out = append(out, int(id[0]-'a'))
	}
	return out
}

// dueIDs collects the member IDs DueAccounts yields for expiries and
// releases through the same instant.
func dueIDs(t *testing.T, f loyalty.DueFinder, through time.Time, after string) []string {
	t.Helper()
	return dueByIDs(t, f, loyalty.DueBy{Expiring: through, Releasing: through}, after)
}

// dueByIDs collects the member IDs DueAccounts yields for by.
func dueByIDs(t *testing.T, f loyalty.DueFinder, by loyalty.DueBy, after string) []string {
	t.Helper()
	return memberIDs(kit.Collect(t, f.DueAccounts(t.Context(), by, after)))
}

// dueExactly: an open lot expiring at or before through (held or not), or
// an unreleased one releasing by then, makes its account due; a lot
// expiring later, never, spent or lapsed does not. Each account comes
// once, in byte order, with its latest header.
func dueExactly(t *testing.T, s loyalty.Store) {
	f := dueFinder(t, s)
	want := dueSeed(t, s)
	got := kit.Collect(t, f.DueAccounts(t.Context(), loyalty.DueBy{Expiring: dueThrough, Releasing: dueThrough}, ""))
	assert.Equal(t, want, memberIDs(got))
	for _, a := range got {
		stored, err := s.GetAccount(t.Context(), a.MemberID)
		require.NoError(t, err)
		assertAccount(t, stored, a)
	}
	assert.Empty(t, dueIDs(t, f, at(-day), ""), "nothing is due before the lots")
	assert.Equal(t, []string{"M-e", "M-\u00e9"}, dueIDs(t, f, at(day), ""), "through the first expiries only")
}

// dueAfter: after is exclusive and compared byte-wise.
func dueAfter(t *testing.T, s loyalty.Store) {
	f := dueFinder(t, s)
	want := dueSeed(t, s)
	for i := range want {
		assert.Equal(t, want[i+1:], dueIDs(t, f, dueThrough, want[i]), "after %q", want[i])
	}
	assert.Equal(t, want, dueIDs(t, f, dueThrough, "M-"), "after an ID that is not an account")
}

// dueFollowsSaves: spending a due lot to nothing, releasing a pending one
// with a later expiry and earning a due lot move the account out of and
// into the index with the save that does it.
func dueFollowsSaves(t *testing.T, s loyalty.Store) {
	f := dueFinder(t, s)
	spender, releaser, earner := newMember(t, "M00001"), newMember(t, "M00002"), newMember(t, "M00003")
	spender.save(t, s, spender.next(t, "earn:1", earnLot("due", 5, at(0), time.Time{}, at(day))))
	releaser.save(t, s, releaser.next(t, "earn:2", earnLot("pending", 5, at(0), at(day), at(300*day))))
	earner.save(t, s, earner.next(t, "earn:3", earnLot("later", 5, at(0), time.Time{}, at(300*day))))
	require.Equal(t, []string{"M00001", "M00002"}, dueIDs(t, f, dueThrough, ""))

	spender.save(t, s, spender.next(t, "redeem:1", redeem("spend", 5, at(time.Hour))))
	assert.Equal(t, []string{"M00002"}, dueIDs(t, f, dueThrough, ""), "a lot spent to nothing is not due")
	releaser.save(t, s, releaser.next(t, "release:2", func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.ReleaseDue(at(day))
	}))
	assert.Empty(t, dueIDs(t, f, dueThrough, ""), "a released lot is due at its expiry only")
	earner.save(t, s, earner.next(t, "earn:3b", earnLot("sooner", 5, at(time.Hour), time.Time{}, at(2*day))))
	assert.Equal(t, []string{"M00003"}, dueIDs(t, f, dueThrough, ""), "a new due lot")
	assert.Equal(t, []string{"M00002", "M00003"}, dueIDs(t, f, at(300*day), ""))
}

// dueMany: more due accounts than any page, each once, in order.
func dueMany(t *testing.T, s loyalty.Store) {
	f := dueFinder(t, s)
	const n = 1201
	var want []string
	for i := range n {
		id := memberID(n - i) // saved in descending order
		m := newMember(t, id)
		expires := at(day)
		if i%3 == 0 {
			expires = at(300 * day) // not due
		} else {
			want = append(want, id)
		}
		m.save(t, s, m.next(t, "earn:"+id, chain(
			earnLot(id+"-a", 5, at(0), time.Time{}, expires),
			earnLot(id+"-b", 5, at(0), time.Time{}, expires), // two due lots, one account
		)))
	}
	assert.Equal(t, sorted(want), dueIDs(t, f, dueThrough, ""))
}

// dueBounds: an expiry counts against Expiring and a release against
// Releasing, never the other bound, though a lot may have both.
func dueBounds(t *testing.T, s loyalty.Store) {
	f := dueFinder(t, s)
	expires, releases, later := newMember(t, "M-expires"), newMember(t, "M-releases"), newMember(t, "M-later")
	expires.save(t, s, expires.next(t, "earn:e", earnLot("e", 5, at(0), time.Time{}, at(10*day))))
	releases.save(t, s, releases.next(t, "earn:r", earnLot("r", 5, at(0), at(10*day), at(300*day))))
	later.save(t, s, later.next(t, "earn:l", earnLot("l", 5, at(0), time.Time{}, at(20*day))))

	assert.Equal(t, []string{"M-expires", "M-later"}, dueByIDs(t, f, loyalty.DueBy{Expiring: at(30 * day), Releasing: at(5 * day)}, ""),
		"a release after Releasing is not due, though before Expiring")
	assert.Equal(t, []string{"M-releases"}, dueByIDs(t, f, loyalty.DueBy{Expiring: at(5 * day), Releasing: at(30 * day)}, ""),
		"an expiry after Expiring is not due, though before Releasing")
	assert.Equal(t, []string{"M-expires", "M-releases"}, dueByIDs(t, f, loyalty.DueBy{Expiring: at(10 * day), Releasing: at(10 * day)}, ""))
	assert.Equal(t, []string{"M-releases"}, dueByIDs(t, f, loyalty.DueBy{Expiring: at(5 * day), Releasing: at(10 * day)}, "M-later"))
}

// dueOrAccounts is what Expire walks: a DueFinder's due accounts through
// a time every lot of the listing seed is due by, or else every account.
func dueOrAccounts(ctx context.Context, s loyalty.Store) iter.Seq2[loyalty.Account, error] {
	if f, ok := s.(loyalty.DueFinder); ok {
		return f.DueAccounts(ctx, loyalty.DueBy{Expiring: at(400 * day), Releasing: at(400 * day)}, "")
	}
	return s.Accounts(ctx, "")
}
