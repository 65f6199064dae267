package loyaltytest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blockTimeout is how long the kit waits for a call that should not
// block before it declares a deadlock: a detector, not a speed limit.
var blockTimeout = 30 * time.Second

func accountListRules() []rule {
	return []rule{
		{"Accounts", "AscendingMemberIDByteOrder", accountsOrder},
		{"Accounts", "AfterIsExclusive", accountsAfter},
		{"Accounts", "ResumesAndSeesLaterAccounts", accountsResume},
		{"Accounts", "YieldsTheLatestVersion", accountsLatest},
		{"Accounts", "ManyAccountsInOrder", accountsMany},
		{"Accounts", "SaveInsideTheLoopNeitherBlocksNorRepeats", accountsSaveInLoop},
	}
}

// trickyIDs sort differently under a locale's collation, a numeric sort
// or a case-insensitive one than byte-wise, as Go compares strings.
var trickyIDs = []string{"M-10", "M-9", "M-09", "m-1", "Z", "a", "M-1", "M-1 ", "M-\u00e9", "M-e", "M-\u00ff", "M-\u4e00", "_x", "0"}

// createAll saves a one-earn account for every ID, in the order given.
func createAll(t *testing.T, s loyalty.Store, ids []string) map[string]*member {
	t.Helper()
	ms := make(map[string]*member, len(ids))
	for i, id := range ids {
		m, w := simpleWrite(t, id, int64(10+i))
		m.save(t, s, w)
		ms[id] = m
	}
	return ms
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// shuffled returns ids in a fixed scrambled order.
func shuffled(ids []string) []string {
	out := slices.Clone(ids)
	rand.New(rand.NewPCG(7, 11)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func accountsOrder(t *testing.T, s loyalty.Store) {
	createAll(t, s, shuffled(trickyIDs))
	assert.Equal(t, sorted(trickyIDs), memberIDs(kit.Collect(t, s.Accounts(t.Context(), ""))))
}

func accountsAfter(t *testing.T, s loyalty.Store) {
	createAll(t, s, shuffled(trickyIDs))
	all := sorted(trickyIDs)
	for _, after := range append(slices.Clone(all), "", "M-1\x00", "M-5", "\U0010ffff") {
		t.Run(fmt.Sprintf("after=%q", after), func(t *testing.T) {
			var want []string
			for _, id := range all {
				if id > after {
					want = append(want, id)
				}
			}
			got := memberIDs(kit.Collect(t, s.Accounts(t.Context(), after)))
			assert.Equal(t, want, nilIfEmpty(got))
		})
	}
}

// accountsResume reads part of the list, stops, creates accounts on both
// sides of where it stopped, and resumes: it gets exactly the rest, with
// the new accounts after the stop.
func accountsResume(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	var ids []string
	for i := range 10 {
		ids = append(ids, memberID(i*10))
	}
	createAll(t, s, shuffled(ids))
	first := memberIDs(take(t, s.Accounts(ctx, ""), 4))
	require.Equal(t, ids[:4], first)
	last := first[len(first)-1]
	createAll(t, s, []string{memberID(95), memberID(5), memberID(35), memberID(29)})
	rest := memberIDs(kit.Collect(t, s.Accounts(ctx, last)))
	want := sorted(append(slices.Clone(ids[4:]), memberID(35), memberID(95)))
	assert.Equal(t, want, rest)
}

func accountsLatest(t *testing.T, s loyalty.Store) {
	m := shopping(t, s, "M00002")
	n, w := fullMember(t, "M00001")
	n.save(t, s, w)
	got := kit.Collect(t, s.Accounts(t.Context(), ""))
	require.Equal(t, []string{"M00001", "M00002"}, memberIDs(got))
	assertAccount(t, n.acct, got[0])
	assertAccount(t, m.acct, got[1])
}

// accountsMany lists more accounts than a store reading in pages would
// put in one page, with updates in between.
func accountsMany(t *testing.T, s loyalty.Store) {
	const n = 600
	ids := make([]string, n)
	for i := range ids {
		ids[i] = memberID(i)
	}
	ms := createAll(t, s, shuffled(ids))
	for i := 0; i < n; i += 7 {
		m := ms[ids[i]]
		w := m.next(t, "", nil)
		w.Account.Tier.Tier = "silver"
		m.save(t, s, w)
	}
	got := kit.Collect(t, s.Accounts(t.Context(), ""))
	require.Equal(t, ids, memberIDs(got))
	for i, a := range got {
		assert.Equalf(t, ms[ids[i]].acct.Version, a.Version, "version of %s", a.MemberID)
	}
	assert.Equal(t, ids[301:], memberIDs(kit.Collect(t, s.Accounts(t.Context(), ids[300]))))
}

// accountsSaveInLoop saves every account it is given, as the service's
// batch runs (tier reviews, expiry) do, and creates accounts ahead of and
// behind the loop: the store must not hold a lock across yield, and must
// yield no account twice nor out of order.
func accountsSaveInLoop(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	const n = 300
	ids := make([]string, n)
	for i := range ids {
		ids[i] = memberID(2 * i)
	}
	createAll(t, s, ids)
	type outcome struct {
		seen []string
		err  error
	}
	done := make(chan outcome, 1)
	go func() { // reports through done only: the test may be over when it ends
		seen, err := reviewAll(ctx, s)
		done <- outcome{seen, err}
	}()
	select {
	case out := <-done:
		require.NoError(t, out.err)
		assert.True(t, slices.IsSorted(out.seen), "accounts out of order while saving inside the loop")
		assert.Len(t, slices.Compact(slices.Clone(out.seen)), len(out.seen), "an account was yielded twice")
		for _, id := range ids {
			assert.Contains(t, out.seen, id)
		}
	case <-time.After(blockTimeout):
		t.Fatal("a save inside the Accounts loop blocked: the store holds a lock while yielding")
	}
	for _, id := range ids {
		a, err := s.GetAccount(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, int64(2), a.Version, "version of %s", id)
		assert.Equal(t, "reviewed", a.Tier.Tier, "tier of %s", id)
	}
}

// reviewAll saves every account the Accounts loop yields with a new tier,
// and every 50 accounts creates one ahead of the loop and one behind it.
func reviewAll(ctx context.Context, s loyalty.Store) ([]string, error) {
	var seen []string
	for a, err := range s.Accounts(ctx, "") {
		if err != nil {
			return seen, err
		}
		seen = append(seen, a.MemberID)
		a.Version++
		a.Tier.Tier = "reviewed"
		if err := s.Save(ctx, loyalty.Write{Account: a}); err != nil {
			return seen, fmt.Errorf("save inside the loop: %w", err)
		}
		if len(seen)%50 != 0 {
			continue
		}
		for _, id := range []string{memberID(2*len(seen) + 1), memberID(2*len(seen) - 51)} {
			pts, err := ledger.New(id)
			if err != nil {
				return seen, err
			}
			if err := s.Save(ctx, loyalty.Write{Account: loyalty.Account{MemberID: id, Version: 1, Points: pts}}); err != nil {
				return seen, fmt.Errorf("create inside the loop: %w", err)
			}
		}
	}
	return seen, nil
}
