package membershiptest

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run checks that the stores newStore returns keep the membership.Store
// contract. newStore must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) membership.Store) {
	t.Helper()
	kit.Run(t, newStore, rules())
}

// BlockTimeout is how long a save inside a listing loop may take before
// the kit calls it blocked.
var BlockTimeout = 10 * time.Second

func rules() []kit.Rule[membership.Store] {
	rs := []kit.Rule[membership.Store]{
		{Group: "GetCard", Name: "MissingIsNotFound", Check: missingCard},
		{Group: "GetTerm", Name: "MissingIsNotFound", Check: missingTerm},
		{Group: "Save", Name: "CreateIsVersionOneAndRoundTrips", Check: createRoundTrips},
		{Group: "Save", Name: "StaleVersionIsConflictWritingNothing", Check: staleVersion},
		{Group: "Save", Name: "SkippedVersionIsConflictWritingNothing", Check: skippedVersion},
		{Group: "Save", Name: "VersionIsCheckedFirst", Check: versionFirst},
		{Group: "Save", Name: "InsertOfExistingTermIsAlreadyExistsWritingNothing", Check: insertExisting},
		{Group: "Save", Name: "ReplaceOfMissingTermIsNotFoundWritingNothing", Check: replaceMissing},
		{Group: "Save", Name: "ReplaceRoundTrips", Check: replaceRoundTrips},
		{Group: "Save", Name: "TermsArePerMember", Check: perMember},
		{Group: "Save", Name: "ConcurrentSameVersionOneWins", Check: concurrentOneWins},
		{Group: "Terms", Name: "AscendingIDByteOrder", Check: termsOrder},
		{Group: "AllTerms", Name: "ByMemberThenID", Check: allTermsOrder},
		{Group: "Terms", Name: "SaveInsideTheLoopNeitherBlocksNorRepeats", Check: saveInsideLoop},
		{Group: "TimePrecision", Name: "MicrosecondsInZonesRoundTrip", Check: precision},
	}
	seed := func(t *testing.T, s membership.Store) {
		c := &card{c: membership.Card{MemberID: "M1"}}
		for _, id := range []string{"t1", "t2", "t3"} {
			c.add(t, s, term(id))
		}
	}
	ls := kit.Listings[membership.Store]{
		All: []kit.Listing[membership.Store]{
			{Name: "Terms", Seq: func(ctx context.Context, s membership.Store) iter.Seq2[string, error] {
				return kit.IDsOf(s.Terms(ctx, "M1"), func(t membership.Term) string { return t.ID })
			}},
			{Name: "AllTerms", Seq: func(ctx context.Context, s membership.Store) iter.Seq2[string, error] {
				return kit.IDsOf(s.AllTerms(ctx), func(t membership.Term) string { return t.ID })
			}},
		},
		Seed:   seed,
		Seeded: 3,
		Write: func(t *testing.T, s membership.Store) {
			cur, err := s.GetCard(t.Context(), "M1")
			require.NoError(t, err)
			c := &card{c: cur}
			c.add(t, s, term("t4"))
		},
	}
	return append(rs, ls.Rules()...)
}

var t0 = time.Date(2026, 12, 1, 9, 30, 15, 123456000, time.UTC)

type card struct{ c membership.Card }

func term(id string) membership.Term {
	return membership.Term{ID: id, PlanID: "gold", Currency: "CNY", FeeMinor: 36500, PaidAt: t0, Start: t0, End: t0.AddDate(1, 0, 0)}
}

func (c *card) next(t membership.Term) membership.Card {
	n := c.c
	n.Version++
	n.Terms++
	n.Latest, n.LatestPlan, n.LatestStart, n.Until = t.ID, t.PlanID, t.Start, t.End
	return n
}

func (c *card) add(t *testing.T, s membership.Store, tm membership.Term) {
	t.Helper()
	n := c.next(tm)
	tm.MemberID = n.MemberID
	require.NoError(t, s.Save(t.Context(), membership.Write{Card: n, Term: tm}))
	c.c = n
}

func getCard(t *testing.T, s membership.Store, id string) membership.Card {
	t.Helper()
	c, err := s.GetCard(t.Context(), id)
	require.NoError(t, err)
	return c
}

func sameCard(t *testing.T, want, got membership.Card) {
	t.Helper()
	assert.True(t, want.Until.Equal(got.Until) && want.LatestStart.Equal(got.LatestStart), "times")
	want.Until, got.Until, want.LatestStart, got.LatestStart = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	assert.Equal(t, want, got)
}

func sameTerm(t *testing.T, want, got membership.Term) {
	t.Helper()
	for _, p := range [][2]*time.Time{{&want.PaidAt, &got.PaidAt}, {&want.Start, &got.Start}, {&want.End, &got.End}, {&want.RefundedAt, &got.RefundedAt}} {
		assert.True(t, p[0].Equal(*p[1]), "time %s, stored %s", p[0], p[1])
		*p[0], *p[1] = time.Time{}, time.Time{}
	}
	want.Location, got.Location = nil, nil // the service's to set
	assert.Equal(t, want, got)
}

func missingCard(t *testing.T, s membership.Store) {
	_, err := s.GetCard(t.Context(), "nope")
	assert.ErrorIs(t, err, membership.ErrNotFound)
}

func missingTerm(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, term("t1"))
	_, err := s.GetTerm(t.Context(), "M1", "t2")
	assert.ErrorIs(t, err, membership.ErrNotFound)
	_, err = s.GetTerm(t.Context(), "M2", "t1")
	assert.ErrorIs(t, err, membership.ErrNotFound)
}

func createRoundTrips(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1", PreviousPlan: "silver"}}
	tm := term("t1")
	c.add(t, s, tm)
	tm.MemberID = "M1"
	sameCard(t, c.c, getCard(t, s, "M1"))
	got, err := s.GetTerm(t.Context(), "M1", "t1")
	require.NoError(t, err)
	sameTerm(t, tm, got)
}

func staleVersion(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, term("t1"))
	stale := c.c
	stale.Terms = 99
	tm := term("t2")
	require.ErrorIs(t, s.Save(t.Context(), membership.Write{Card: stale, Term: tm}), membership.ErrConflict)
	sameCard(t, c.c, getCard(t, s, "M1"))
	_, err := s.GetTerm(t.Context(), "M1", "t2")
	assert.ErrorIs(t, err, membership.ErrNotFound)
}

func skippedVersion(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, term("t1"))
	n := c.next(term("t2"))
	n.Version++
	require.ErrorIs(t, s.Save(t.Context(), membership.Write{Card: n, Term: term("t2")}), membership.ErrConflict)
	sameCard(t, c.c, getCard(t, s, "M1"))
	_, err := s.GetTerm(t.Context(), "M1", "t2")
	assert.ErrorIs(t, err, membership.ErrNotFound)
	again := membership.Card{MemberID: "M1", Version: 1}
	assert.ErrorIs(t, s.Save(t.Context(), membership.Write{Card: again, Term: term("t3")}), membership.ErrConflict, "a second create")
}

func versionFirst(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, term("t1"))
	c.add(t, s, term("t2"))
	stale := c.c
	stale.Version = 2
	assert.ErrorIs(t, s.Save(t.Context(), membership.Write{Card: stale, Term: term("t1")}), membership.ErrConflict)
	assert.ErrorIs(t, s.Save(t.Context(), membership.Write{Card: stale, Term: term("t9"), Replace: true}), membership.ErrConflict)
}

func insertExisting(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, term("t1"))
	other := term("t1")
	other.FeeMinor = 1
	require.ErrorIs(t, s.Save(t.Context(), membership.Write{Card: c.next(other), Term: other}), membership.ErrAlreadyExists)
	sameCard(t, c.c, getCard(t, s, "M1"))
	got, err := s.GetTerm(t.Context(), "M1", "t1")
	require.NoError(t, err)
	assert.Equal(t, int64(36500), got.FeeMinor)
}

func replaceMissing(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, term("t1"))
	require.ErrorIs(t, s.Save(t.Context(), membership.Write{Card: c.next(term("t2")), Term: term("t2"), Replace: true}), membership.ErrNotFound)
	sameCard(t, c.c, getCard(t, s, "M1"))
	_, err := s.GetTerm(t.Context(), "M1", "t2")
	assert.ErrorIs(t, err, membership.ErrNotFound)
}

func replaceRoundTrips(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	tm := term("t1")
	c.add(t, s, tm)
	tm.MemberID = "M1"
	tm.RefundID, tm.RefundedAt, tm.RefundMinor, tm.BenefitsUsedMinor, tm.CouponMonths = "r1", t0.Add(48*time.Hour), 35000, 500, 2
	n := c.c
	n.Version++
	n.Until = tm.RefundedAt
	require.NoError(t, s.Save(t.Context(), membership.Write{Card: n, Term: tm, Replace: true}))
	sameCard(t, n, getCard(t, s, "M1"))
	got, err := s.GetTerm(t.Context(), "M1", "t1")
	require.NoError(t, err)
	sameTerm(t, tm, got)
}

func perMember(t *testing.T, s membership.Store) {
	a := &card{c: membership.Card{MemberID: "M1"}}
	b := &card{c: membership.Card{MemberID: "M2"}}
	a.add(t, s, term("t1"))
	b.add(t, s, term("t1")) // one payment ID under two members: two terms
	got, err := s.GetTerm(t.Context(), "M2", "t1")
	require.NoError(t, err)
	assert.Equal(t, "M2", got.MemberID)
	assert.Len(t, kit.Collect(t, s.Terms(t.Context(), "M1")), 1)
}

func concurrentOneWins(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, term("t0"))
	n := c.next(term("tx"))
	errs := kit.Race(8, func(i int) error {
		tm := term(fmt.Sprintf("r%d", i))
		return s.Save(context.Background(), membership.Write{Card: n, Term: tm})
	})
	kit.OneWinner(t, errs, membership.ErrConflict)
	assert.Len(t, kit.Collect(t, s.Terms(t.Context(), "M1")), 2)
}

func termsOrder(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	for _, id := range []string{"b", "B", "a10", "a9", "Ä", "a"} {
		c.add(t, s, term(id))
	}
	other := &card{c: membership.Card{MemberID: "M0"}}
	other.add(t, s, term("z"))
	var got []string
	for _, tm := range kit.Collect(t, s.Terms(t.Context(), "M1")) {
		got = append(got, tm.ID)
	}
	assert.Equal(t, []string{"B", "a", "a10", "a9", "b", "Ä"}, got)
}

func allTermsOrder(t *testing.T, s membership.Store) {
	for _, m := range []string{"b", "a", "B"} {
		c := &card{c: membership.Card{MemberID: m}}
		c.add(t, s, term("y"))
		c.add(t, s, term("x"))
	}
	var got []string
	for _, tm := range kit.Collect(t, s.AllTerms(t.Context())) {
		got = append(got, tm.MemberID+"/"+tm.ID)
	}
	assert.Equal(t, []string{"B/x", "B/y", "a/x", "a/y", "b/x", "b/y"}, got)
}

func saveInsideLoop(t *testing.T, s membership.Store) {
	c := &card{c: membership.Card{MemberID: "M1"}}
	for _, id := range []string{"t1", "t2", "t3"} {
		c.add(t, s, term(id))
	}
	kit.SaveInsideLoop(t, s.Terms(context.Background(), "M1"), 3, BlockTimeout, func(tm membership.Term) error {
		cur, err := s.GetCard(context.Background(), "M1")
		if err != nil {
			return err
		}
		cur.Version++
		return s.Save(context.Background(), membership.Write{Card: cur, Term: term("z" + tm.ID)})
	})
}

func precision(t *testing.T, s membership.Store) {
	zone := time.FixedZone("UTC+8", 8*3600)
	tm := term("t1")
	tm.PaidAt = time.Date(2026, 12, 7, 23, 59, 59, 999999000, zone)
	tm.Start = tm.PaidAt
	tm.End = time.Date(2027, 12, 7, 23, 59, 59, 999999000, zone)
	tm.RefundedAt = time.Date(2027, 1, 1, 0, 0, 0, 1000, zone)
	c := &card{c: membership.Card{MemberID: "M1"}}
	c.add(t, s, tm)
	got, err := s.GetTerm(t.Context(), "M1", "t1")
	require.NoError(t, err)
	for _, p := range [][2]time.Time{{tm.PaidAt, got.PaidAt}, {tm.End, got.End}, {tm.RefundedAt, got.RefundedAt}} {
		assert.True(t, p[0].Equal(p[1]), "stored %s, read %s", p[0], p[1])
	}
	assert.True(t, tm.End.Equal(getCard(t, s, "M1").Until))
}
