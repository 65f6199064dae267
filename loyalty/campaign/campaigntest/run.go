package campaigntest

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run checks that the stores newStore returns keep the campaign.Store
// contract. newStore must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) campaign.Store) {
	t.Helper()
	kit.Run(t, newStore, rules())
}

// BlockTimeout is how long a save made inside a Members loop may take
// before the kit calls it blocked.
var BlockTimeout = 10 * time.Second

func rules() []kit.Rule[campaign.Store] {
	rs := []kit.Rule[campaign.Store]{
		{Group: "GetHeader", Name: "MissingIsNotFound", Check: missingHeader},
		{Group: "GetMember", Name: "MissingIsNotFound", Check: missingMember},
		{Group: "Save", Name: "CreateIsVersionOneAndRoundTrips", Check: createRoundTrips},
		{Group: "Save", Name: "StaleVersionIsConflictWritingNothing", Check: staleVersion},
		{Group: "Save", Name: "SkippedVersionIsConflictWritingNothing", Check: skippedVersion},
		{Group: "Save", Name: "VersionIsCheckedFirst", Check: versionFirst},
		{Group: "Save", Name: "InsertOfExistingMemberIsAlreadyExistsWritingNothing", Check: insertExisting},
		{Group: "Save", Name: "ReplaceOfMissingMemberIsNotFoundWritingNothing", Check: replaceMissing},
		{Group: "Save", Name: "ReplaceRoundTrips", Check: replaceRoundTrips},
		{Group: "Save", Name: "CampaignsAreSeparate", Check: campaignsSeparate},
		{Group: "Save", Name: "ConcurrentSameVersionOneWins", Check: concurrentOneWins},
		{Group: "Save", Name: "ConcurrentCreatesOneWins", Check: concurrentCreates},
		{Group: "Members", Name: "AscendingMemberIDByteOrder", Check: membersOrder},
		{Group: "Members", Name: "UnknownCampaignIsEmpty", Check: membersUnknown},
		{Group: "Members", Name: "SaveInsideTheLoopNeitherBlocksNorRepeats", Check: saveInsideLoop},
		{Group: "TimePrecision", Name: "MicrosecondsInZonesRoundTrip", Check: precision},
	}
	ls := kit.Listings[campaign.Store]{
		All: []kit.Listing[campaign.Store]{{Name: "Members", Seq: func(ctx context.Context, s campaign.Store) iter.Seq2[string, error] {
			return kit.IDsOf(s.Members(ctx, "C1"), func(m campaign.Member) string { return m.MemberID })
		}}},
		Seed: func(t *testing.T, s campaign.Store) {
			c := newCampaign("C1")
			for _, id := range []string{"m1", "m2", "m3"} {
				c.insert(t, s, member("C1", id))
			}
		},
		Seeded: 3,
		Write: func(t *testing.T, s campaign.Store) {
			c := &camp{h: mustHeader(t, s, "C1")}
			c.insert(t, s, member("C1", "m4"))
		},
	}
	return append(rs, ls.Rules()...)
}

var t0 = time.Date(2026, 12, 1, 9, 30, 15, 123456000, time.UTC)

// camp tracks a campaign's header as the kit last wrote it.
type camp struct{ h campaign.Header }

func newCampaign(id string) *camp {
	return &camp{h: campaign.Header{CampaignID: id, Definition: "def-" + id}}
}

func member(campaignID, id string) campaign.Member {
	return campaign.Member{CampaignID: campaignID, MemberID: id, Group: campaign.Treated, At: t0,
		ValidUntil: t0.Add(72 * time.Hour)}
}

// next is the header of the next write: the version plus one and a
// counter changed, so a store that kept an old header shows.
func (c *camp) next() campaign.Header {
	h := c.h
	h.Version++
	h.Treated++
	h.ReservedMinor += 150
	return h
}

func (c *camp) insert(t *testing.T, s campaign.Store, m campaign.Member) {
	t.Helper()
	h := c.next()
	require.NoError(t, s.Save(t.Context(), campaign.Write{Header: h, Member: m}))
	c.h = h
}

func mustHeader(t *testing.T, s campaign.Store, id string) campaign.Header {
	t.Helper()
	h, err := s.GetHeader(t.Context(), id)
	require.NoError(t, err)
	return h
}

func missingHeader(t *testing.T, s campaign.Store) {
	_, err := s.GetHeader(t.Context(), "nope")
	assert.ErrorIs(t, err, campaign.ErrNotFound)
}

func missingMember(t *testing.T, s campaign.Store) {
	_, err := s.GetMember(t.Context(), "nope", "m1")
	assert.ErrorIs(t, err, campaign.ErrNotFound)
	c := newCampaign("C1")
	c.insert(t, s, member("C1", "m1"))
	_, err = s.GetMember(t.Context(), "C1", "m2")
	assert.ErrorIs(t, err, campaign.ErrNotFound)
}

func createRoundTrips(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	m := member("C1", "m1")
	m.Reference = "coupon-1"
	c.insert(t, s, m)
	require.Equal(t, int64(1), c.h.Version)
	assertHeader(t, c.h, mustHeader(t, s, "C1"))
	got, err := s.GetMember(t.Context(), "C1", "m1")
	require.NoError(t, err)
	assertMember(t, m, got)
}

func assertHeader(t *testing.T, want, got campaign.Header) {
	t.Helper()
	assert.Equal(t, want, got)
}

func assertMember(t *testing.T, want, got campaign.Member) {
	t.Helper()
	for _, p := range [][2]*time.Time{{&want.At, &got.At}, {&want.ValidUntil, &got.ValidUntil}, {&want.RedeemedAt, &got.RedeemedAt}} {
		assert.True(t, p[0].Equal(*p[1]), "time %s, stored %s", p[0], p[1])
		*p[0], *p[1] = time.Time{}, time.Time{}
	}
	assert.Equal(t, want, got)
}

func staleVersion(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	c.insert(t, s, member("C1", "m1"))
	stale := c.h // version 1 again
	stale.Treated = 99
	err := s.Save(t.Context(), campaign.Write{Header: stale, Member: member("C1", "m2")})
	require.ErrorIs(t, err, campaign.ErrConflict)
	assertHeader(t, c.h, mustHeader(t, s, "C1"))
	_, err = s.GetMember(t.Context(), "C1", "m2")
	assert.ErrorIs(t, err, campaign.ErrNotFound, "a conflicting save writes no member")
}

func skippedVersion(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	c.insert(t, s, member("C1", "m1"))
	h := c.next()
	h.Version++ // 3 on a stored 1
	err := s.Save(t.Context(), campaign.Write{Header: h, Member: member("C1", "m2")})
	require.ErrorIs(t, err, campaign.ErrConflict)
	assertHeader(t, c.h, mustHeader(t, s, "C1"))
	_, err = s.GetMember(t.Context(), "C1", "m2")
	assert.ErrorIs(t, err, campaign.ErrNotFound)
	h = c.next()
	h.Version = 1 // a create of an existing campaign
	assert.ErrorIs(t, s.Save(t.Context(), campaign.Write{Header: h, Member: member("C1", "m3")}), campaign.ErrConflict)
}

// A stale write of a member that exists is the conflict it is: the
// version is checked before the member's existence.
func versionFirst(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	c.insert(t, s, member("C1", "m1"))
	c.insert(t, s, member("C1", "m2"))
	stale := c.h
	stale.Version = 2 // stored is 2: stale
	err := s.Save(t.Context(), campaign.Write{Header: stale, Member: member("C1", "m1")})
	assert.ErrorIs(t, err, campaign.ErrConflict)
	err = s.Save(t.Context(), campaign.Write{Header: stale, Member: member("C1", "m9"), Replace: true})
	assert.ErrorIs(t, err, campaign.ErrConflict)
}

func insertExisting(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	first := member("C1", "m1")
	c.insert(t, s, first)
	again := member("C1", "m1")
	again.Group = campaign.Control
	err := s.Save(t.Context(), campaign.Write{Header: c.next(), Member: again})
	require.ErrorIs(t, err, campaign.ErrAlreadyExists)
	assertHeader(t, c.h, mustHeader(t, s, "C1"))
	got, err := s.GetMember(t.Context(), "C1", "m1")
	require.NoError(t, err)
	assertMember(t, first, got)
}

func replaceMissing(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	c.insert(t, s, member("C1", "m1"))
	err := s.Save(t.Context(), campaign.Write{Header: c.next(), Member: member("C1", "m2"), Replace: true})
	require.ErrorIs(t, err, campaign.ErrNotFound)
	assertHeader(t, c.h, mustHeader(t, s, "C1"))
	_, err = s.GetMember(t.Context(), "C1", "m2")
	assert.ErrorIs(t, err, campaign.ErrNotFound)
}

func replaceRoundTrips(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	m := member("C1", "m1")
	c.insert(t, s, m)
	m.Reference, m.RedeemedOn, m.RedeemedAt, m.RedeemedMinor = "coupon-7", "p-1", t0.Add(time.Hour), 500
	h := c.next()
	h.Redeemed, h.RedeemedMinor, h.Issued = 1, 500, 1
	require.NoError(t, s.Save(t.Context(), campaign.Write{Header: h, Member: m, Replace: true}))
	assertHeader(t, h, mustHeader(t, s, "C1"))
	got, err := s.GetMember(t.Context(), "C1", "m1")
	require.NoError(t, err)
	assertMember(t, m, got)
}

func campaignsSeparate(t *testing.T, s campaign.Store) {
	a, b := newCampaign("C1"), newCampaign("C2")
	a.insert(t, s, member("C1", "m1"))
	b.insert(t, s, member("C2", "m1")) // the same member in another campaign is another record
	ctrl := member("C2", "m2")
	ctrl.Group = campaign.Control
	b.insert(t, s, ctrl)
	assert.Equal(t, int64(1), mustHeader(t, s, "C1").Version)
	assert.Equal(t, int64(2), mustHeader(t, s, "C2").Version)
	_, err := s.GetMember(t.Context(), "C1", "m2")
	assert.ErrorIs(t, err, campaign.ErrNotFound)
	assert.Len(t, kit.Collect(t, s.Members(t.Context(), "C1")), 1)
	assert.Len(t, kit.Collect(t, s.Members(t.Context(), "C2")), 2)
}

func concurrentOneWins(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	c.insert(t, s, member("C1", "m0"))
	h := c.next()
	errs := kit.Race(8, func(i int) error {
		return s.Save(context.Background(), campaign.Write{Header: h, Member: member("C1", fmt.Sprintf("r%d", i))})
	})
	kit.OneWinner(t, errs, campaign.ErrConflict)
	assert.Len(t, kit.Collect(t, s.Members(t.Context(), "C1")), 2, "the winner's member and the first")
}

func concurrentCreates(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	h := c.next()
	errs := kit.Race(8, func(i int) error {
		return s.Save(context.Background(), campaign.Write{Header: h, Member: member("C1", fmt.Sprintf("r%d", i))})
	})
	kit.OneWinner(t, errs, campaign.ErrConflict)
	assert.Len(t, kit.Collect(t, s.Members(t.Context(), "C1")), 1)
}

func membersOrder(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	ids := []string{"b", "B", "a10", "a9", "Ä", "a"}
	for _, id := range ids {
		c.insert(t, s, member("C1", id))
	}
	var got []string
	for _, m := range kit.Collect(t, s.Members(t.Context(), "C1")) {
		got = append(got, m.MemberID)
	}
	assert.Equal(t, []string{"B", "a", "a10", "a9", "b", "Ä"}, got)
}

func membersUnknown(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	c.insert(t, s, member("C1", "m1"))
	assert.Empty(t, kit.Collect(t, s.Members(t.Context(), "C2")))
}

// saveInsideLoop saves members of the listed campaign from inside the
// loop, as an issuing run records as it reads: the store must neither
// hold what Save needs while it yields nor yield the new members.
func saveInsideLoop(t *testing.T, s campaign.Store) {
	c := newCampaign("C1")
	for _, id := range []string{"m1", "m2", "m3"} {
		c.insert(t, s, member("C1", id))
	}
	kit.SaveInsideLoop(t, s.Members(context.Background(), "C1"), 3, BlockTimeout, func(m campaign.Member) error {
		h, err := s.GetHeader(context.Background(), "C1")
		if err != nil {
			return err
		}
		h.Version++
		return s.Save(context.Background(), campaign.Write{Header: h, Member: member("C1", "z"+m.MemberID)})
	})
}

func precision(t *testing.T, s campaign.Store) {
	zone := time.FixedZone("UTC+8", 8*3600)
	c := newCampaign("C1")
	m := member("C1", "m1")
	m.At = time.Date(2026, 12, 7, 23, 59, 59, 999999000, zone)
	m.ValidUntil = time.Date(2027, 1, 1, 0, 0, 0, 1000, zone)
	m.RedeemedAt = time.Date(2026, 12, 31, 12, 0, 0, 7000, zone)
	c.insert(t, s, m)
	got, err := s.GetMember(t.Context(), "C1", "m1")
	require.NoError(t, err)
	for _, p := range [][2]time.Time{{m.At, got.At}, {m.ValidUntil, got.ValidUntil}, {m.RedeemedAt, got.RedeemedAt}} {
		assert.True(t, p[0].Equal(p[1]), "stored %s, read %s", p[0], p[1])
	}
}
