package referraltest

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run checks that the stores newStore returns keep the referral.Store
// contract. newStore must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) referral.Store) {
	t.Helper()
	kit.Run(t, newStore, rules())
}

// BlockTimeout is how long a save made inside a Friends loop may take
// before the kit calls it blocked.
var BlockTimeout = 10 * time.Second

func rules() []kit.Rule[referral.Store] {
	rs := []kit.Rule[referral.Store]{
		{Group: "GetReferrer", Name: "MissingIsNotFound", Check: missingReferrer},
		{Group: "LookupCode", Name: "MissingIsNotFound", Check: missingCode},
		{Group: "LookupCode", Name: "FindsTheOwner", Check: findsOwner},
		{Group: "GetFriend", Name: "MissingIsNotFound", Check: missingFriend},
		{Group: "Save", Name: "CreateIsVersionOneAndRoundTrips", Check: createRoundTrips},
		{Group: "Save", Name: "StaleVersionIsConflictWritingNothing", Check: staleVersion},
		{Group: "Save", Name: "SkippedVersionIsConflictWritingNothing", Check: skippedVersion},
		{Group: "Save", Name: "VersionIsCheckedFirst", Check: versionFirst},
		{Group: "Save", Name: "TakenCodeIsAlreadyExistsWritingNothing", Check: takenCode},
		{Group: "Save", Name: "BoundFriendIsAlreadyExistsWritingNothing", Check: boundFriend},
		{Group: "Save", Name: "ReplaceOfMissingFriendIsNotFoundWritingNothing", Check: replaceMissing},
		{Group: "Save", Name: "ReplaceRoundTrips", Check: replaceRoundTrips},
		{Group: "Save", Name: "ConcurrentSameVersionOneWins", Check: concurrentOneWins},
		{Group: "Save", Name: "SlotsAndDisplacedRoundTripInOrder", Check: slotsRoundTrip},
		{Group: "Friends", Name: "AscendingFriendIDByteOrder", Check: friendsOrder},
		{Group: "Friends", Name: "OnlyTheReferrers", Check: friendsOfOne},
		{Group: "Friends", Name: "SaveInsideTheLoopNeitherBlocksNorRepeats", Check: saveInsideLoop},
		{Group: "Copies", Name: "ReturnedFriendsAreCopies", Check: copies},
		{Group: "Copies", Name: "ReturnedReferrersAreCopies", Check: referrerCopies},
		{Group: "TimePrecision", Name: "MicrosecondsInZonesRoundTrip", Check: precision},
	}
	ls := kit.Listings[referral.Store]{
		All: []kit.Listing[referral.Store]{{Name: "Friends", Seq: func(ctx context.Context, s referral.Store) iter.Seq2[string, error] {
			return kit.IDsOf(s.Friends(ctx, "R1"), func(f referral.Friend) string { return f.FriendID })
		}}},
		Seed: func(t *testing.T, s referral.Store) {
			r := newReferrer(t, s, "R1", "CODE1")
			for _, id := range []string{"f1", "f2", "f3"} {
				r.bind(t, s, friend("R1", id))
			}
		},
		Seeded: 3,
		Write: func(t *testing.T, s referral.Store) {
			h, err := s.GetReferrer(t.Context(), "R1")
			require.NoError(t, err)
			r := &ref{h: h}
			r.bind(t, s, friend("R1", "f4"))
		},
	}
	return append(rs, ls.Rules()...)
}

var t0 = time.Date(2026, 12, 1, 9, 30, 15, 123456000, time.UTC)

type ref struct{ h referral.Referrer }

func newReferrer(t *testing.T, s referral.Store, id, code string) *ref {
	t.Helper()
	r := &ref{h: referral.Referrer{MemberID: id, Version: 1, Code: code}}
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: r.h}))
	return r
}

func friend(referrer, id string) referral.Friend {
	return referral.Friend{FriendID: id, ReferrerID: referrer, BoundAt: t0, Status: referral.StatusBound}
}

func (r *ref) next() referral.Referrer {
	h := r.h
	h.Version++
	h.Bound++
	return h
}

func (r *ref) bind(t *testing.T, s referral.Store, f referral.Friend) {
	t.Helper()
	h := r.next()
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: h, Friend: &f}))
	r.h = h
}

func header(t *testing.T, s referral.Store, id string) referral.Referrer {
	t.Helper()
	h, err := s.GetReferrer(t.Context(), id)
	require.NoError(t, err)
	return h
}

func sameFriend(t *testing.T, want, got referral.Friend) {
	t.Helper()
	for _, p := range [][2]*time.Time{{&want.BoundAt, &got.BoundAt}, {&want.PurchasedAt, &got.PurchasedAt},
		{&want.RewardedAt, &got.RewardedAt}, {&want.TakenBackAt, &got.TakenBackAt}} {
		assert.True(t, p[0].Equal(*p[1]), "time %s, stored %s", p[0], p[1])
		*p[0], *p[1] = time.Time{}, time.Time{}
	}
	if len(want.Returns) == 0 && len(got.Returns) == 0 {
		want.Returns, got.Returns = nil, nil
	}
	assert.Equal(t, want, got)
}

func sameHeader(t *testing.T, want, got referral.Referrer) {
	t.Helper()
	assert.True(t, want.PeriodStart.Equal(got.PeriodStart))
	want, got = want.Clone(), got.Clone()
	want.PeriodStart, got.PeriodStart = time.Time{}, time.Time{}
	if assert.Len(t, got.Slots, len(want.Slots), "slots") {
		for i := range want.Slots {
			assert.True(t, want.Slots[i].At.Equal(got.Slots[i].At), "slot %d: time %s, stored %s", i, want.Slots[i].At, got.Slots[i].At)
			want.Slots[i].At, got.Slots[i].At = time.Time{}, time.Time{}
		}
	}
	for _, h := range []*referral.Referrer{&want, &got} {
		if len(h.Slots) == 0 {
			h.Slots = nil
		}
		if len(h.Displaced) == 0 {
			h.Displaced = nil
		}
	}
	assert.Equal(t, want, got)
}

func missingReferrer(t *testing.T, s referral.Store) {
	_, err := s.GetReferrer(t.Context(), "nope")
	assert.ErrorIs(t, err, referral.ErrNotFound)
}

func missingCode(t *testing.T, s referral.Store) {
	newReferrer(t, s, "R1", "CODE1")
	_, err := s.LookupCode(t.Context(), "CODE2")
	assert.ErrorIs(t, err, referral.ErrNotFound)
}

func findsOwner(t *testing.T, s referral.Store) {
	newReferrer(t, s, "R1", "CODE1")
	newReferrer(t, s, "R2", "CODE2")
	got, err := s.LookupCode(t.Context(), "CODE2")
	require.NoError(t, err)
	assert.Equal(t, "R2", got)
}

func missingFriend(t *testing.T, s referral.Store) {
	newReferrer(t, s, "R1", "CODE1")
	_, err := s.GetFriend(t.Context(), "f1")
	assert.ErrorIs(t, err, referral.ErrNotFound)
}

func createRoundTrips(t *testing.T, s referral.Store) {
	h := referral.Referrer{MemberID: "R1", Version: 1, Code: "CODE1", Bound: 1, PeriodStart: t0, PeriodBound: 1}
	f := friend("R1", "f1")
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: h, Friend: &f}))
	sameHeader(t, h, header(t, s, "R1"))
	got, err := s.GetFriend(t.Context(), "f1")
	require.NoError(t, err)
	sameFriend(t, f, got)
}

func staleVersion(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	r.bind(t, s, friend("R1", "f1"))
	stale := r.h
	stale.Bound = 99
	f := friend("R1", "f2")
	require.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: stale, Friend: &f}), referral.ErrConflict)
	sameHeader(t, r.h, header(t, s, "R1"))
	_, err := s.GetFriend(t.Context(), "f2")
	assert.ErrorIs(t, err, referral.ErrNotFound)
}

func skippedVersion(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	h := r.next()
	h.Version++
	f := friend("R1", "f1")
	require.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: h, Friend: &f}), referral.ErrConflict)
	sameHeader(t, r.h, header(t, s, "R1"))
	_, err := s.GetFriend(t.Context(), "f1")
	assert.ErrorIs(t, err, referral.ErrNotFound)
	again := referral.Referrer{MemberID: "R1", Version: 1, Code: "OTHER"}
	assert.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: again}), referral.ErrConflict, "a second create")
}

func versionFirst(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	r.bind(t, s, friend("R1", "f1"))
	stale := r.h
	stale.Version = 1
	f := friend("R1", "f1")
	assert.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: stale, Friend: &f}), referral.ErrConflict)
	g := friend("R1", "f9")
	assert.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: stale, Friend: &g, Replace: true}), referral.ErrConflict)
	newReferrer(t, s, "R2", "CODE2")
	dup := referral.Referrer{MemberID: "R2", Version: 1, Code: "CODE1"}
	assert.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: dup}), referral.ErrConflict, "R2 exists: a conflict before its code")
}

func takenCode(t *testing.T, s referral.Store) {
	newReferrer(t, s, "R1", "CODE1")
	err := s.Save(t.Context(), referral.Write{Referrer: referral.Referrer{MemberID: "R2", Version: 1, Code: "CODE1"}})
	require.ErrorIs(t, err, referral.ErrAlreadyExists)
	_, err = s.GetReferrer(t.Context(), "R2")
	assert.ErrorIs(t, err, referral.ErrNotFound)
	got, err := s.LookupCode(t.Context(), "CODE1")
	require.NoError(t, err)
	assert.Equal(t, "R1", got)
}

func boundFriend(t *testing.T, s referral.Store) {
	a := newReferrer(t, s, "R1", "CODE1")
	b := newReferrer(t, s, "R2", "CODE2")
	a.bind(t, s, friend("R1", "f1"))
	f := friend("R2", "f1")
	require.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: b.next(), Friend: &f}), referral.ErrAlreadyExists)
	sameHeader(t, b.h, header(t, s, "R2"))
	got, err := s.GetFriend(t.Context(), "f1")
	require.NoError(t, err)
	assert.Equal(t, "R1", got.ReferrerID)
	assert.Empty(t, kit.Collect(t, s.Friends(t.Context(), "R2")))
}

func replaceMissing(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	f := friend("R1", "f1")
	require.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: r.next(), Friend: &f, Replace: true}), referral.ErrNotFound)
	sameHeader(t, r.h, header(t, s, "R1"))
	_, err := s.GetFriend(t.Context(), "f1")
	assert.ErrorIs(t, err, referral.ErrNotFound)
}

func replaceRoundTrips(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	f := friend("R1", "f1")
	r.bind(t, s, f)
	f.Status, f.Purchase, f.PurchaseMinor, f.PurchasedAt = referral.StatusTakenBack, "p1", 8000, t0.Add(time.Hour)
	f.Returns, f.RefundedMinor = []string{"r1", "r2"}, 8000
	f.ReferrerPoints, f.FriendPoints, f.ReferrerTakenBack, f.FriendTakenBack = 300, 150, 100, 150
	f.ReferrerShortfall, f.RewardedAt, f.TakenBackAt = 200, t0.Add(time.Hour), t0.Add(48*time.Hour)
	f.Restores = 2
	h := r.next()
	h.Rewarded = 1
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: h, Friend: &f, Replace: true}))
	sameHeader(t, h, header(t, s, "R1"))
	got, err := s.GetFriend(t.Context(), "f1")
	require.NoError(t, err)
	sameFriend(t, f, got)
}

func concurrentOneWins(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	h := r.next()
	errs := kit.Race(8, func(i int) error {
		f := friend("R1", fmt.Sprintf("f%d", i))
		return s.Save(context.Background(), referral.Write{Referrer: h, Friend: &f})
	})
	kit.OneWinner(t, errs, referral.ErrConflict)
	assert.Len(t, kit.Collect(t, s.Friends(t.Context(), "R1")), 1)
}

func friendsOrder(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	for _, id := range []string{"b", "B", "a10", "a9", "Ä", "a"} {
		r.bind(t, s, friend("R1", id))
	}
	var got []string
	for _, f := range kit.Collect(t, s.Friends(t.Context(), "R1")) {
		got = append(got, f.FriendID)
	}
	assert.Equal(t, []string{"B", "a", "a10", "a9", "b", "Ä"}, got)
}

func friendsOfOne(t *testing.T, s referral.Store) {
	a := newReferrer(t, s, "R1", "CODE1")
	b := newReferrer(t, s, "R2", "CODE2")
	a.bind(t, s, friend("R1", "f1"))
	b.bind(t, s, friend("R2", "f2"))
	got := kit.Collect(t, s.Friends(t.Context(), "R1"))
	require.Len(t, got, 1)
	assert.Equal(t, "f1", got[0].FriendID)
	assert.Empty(t, kit.Collect(t, s.Friends(t.Context(), "R3")))
}

func saveInsideLoop(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	for _, id := range []string{"f1", "f2", "f3"} {
		r.bind(t, s, friend("R1", id))
	}
	kit.SaveInsideLoop(t, s.Friends(context.Background(), "R1"), 3, BlockTimeout, func(f referral.Friend) error {
		h, err := s.GetReferrer(context.Background(), "R1")
		if err != nil {
			return err
		}
		h.Version++
		g := friend("R1", "z"+f.FriendID)
		return s.Save(context.Background(), referral.Write{Referrer: h, Friend: &g})
	})
}

func copies(t *testing.T, s referral.Store) {
	r := newReferrer(t, s, "R1", "CODE1")
	f := friend("R1", "f1")
	f.Returns = []string{"r1"}
	r.bind(t, s, f)
	f.Returns[0] = "changed by the caller"
	got, err := s.GetFriend(t.Context(), "f1")
	require.NoError(t, err)
	require.Equal(t, []string{"r1"}, got.Returns, "the store kept the caller's slice")
	got.Returns[0] = "changed by a reader"
	again, err := s.GetFriend(t.Context(), "f1")
	require.NoError(t, err)
	assert.Equal(t, []string{"r1"}, again.Returns, "GetFriend returned the store's slice")
	for g, err := range s.Friends(t.Context(), "R1") {
		require.NoError(t, err)
		g.Returns[0] = "changed by a listing"
	}
	again, err = s.GetFriend(t.Context(), "f1")
	require.NoError(t, err)
	assert.Equal(t, []string{"r1"}, again.Returns, "Friends yielded the store's slice")
}

func precision(t *testing.T, s referral.Store) {
	zone := time.FixedZone("UTC+8", 8*3600)
	r := referral.Referrer{MemberID: "R1", Version: 1, Code: "CODE1", PeriodStart: time.Date(2026, 12, 1, 0, 0, 0, 0, zone)}
	f := friend("R1", "f1")
	f.BoundAt = time.Date(2026, 12, 7, 23, 59, 59, 999999000, zone)
	f.PurchasedAt = time.Date(2026, 12, 8, 0, 0, 0, 1000, zone)
	f.RewardedAt = time.Date(2026, 12, 8, 0, 0, 0, 7000, zone)
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: r, Friend: &f}))
	got, err := s.GetFriend(t.Context(), "f1")
	require.NoError(t, err)
	for _, p := range [][2]time.Time{{f.BoundAt, got.BoundAt}, {f.PurchasedAt, got.PurchasedAt}, {f.RewardedAt, got.RewardedAt}} {
		assert.True(t, p[0].Equal(p[1]), "stored %s, read %s", p[0], p[1])
	}
	assert.True(t, r.PeriodStart.Equal(header(t, s, "R1").PeriodStart))
}

// slotsRoundTrip: a header's slots keep their order (the order of their
// purchases, which is not the order of friend IDs) and their times to the
// microsecond in any zone, its displaced friends their order, and an
// update that empties either empties it.
func slotsRoundTrip(t *testing.T, s referral.Store) {
	zone := time.FixedZone("UTC+8", 8*3600)
	r := newReferrer(t, s, "R1", "CODE1")
	for _, id := range []string{"f1", "f2", "f3"} {
		r.bind(t, s, friend("R1", id))
	}
	h := r.h
	h.Version++
	h.Rewarded = 2
	h.Slots = []referral.Slot{{FriendID: "f3", Purchase: "p9", At: time.Date(2026, 12, 2, 8, 0, 0, 1000, zone)},
		{FriendID: "f1", Purchase: "p2", At: t0.Add(25 * time.Hour)}}
	h.Displaced = []string{"f2", "f0"}
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: h}))
	sameHeader(t, h, header(t, s, "R1"))
	h.Version++
	h.Slots = append(h.Slots, referral.Slot{FriendID: "f2", Purchase: "p1", At: t0.Add(26 * time.Hour)})
	h.Displaced = []string{"f0"}
	f, err := s.GetFriend(t.Context(), "f2")
	require.NoError(t, err)
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: h, Friend: &f, Replace: true}))
	sameHeader(t, h, header(t, s, "R1"))
	h.Version++
	h.Slots, h.Displaced = nil, nil
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: h}))
	sameHeader(t, h, header(t, s, "R1"))
	stale := h
	stale.Slots = []referral.Slot{{FriendID: "f9", Purchase: "p9", At: t0}}
	require.ErrorIs(t, s.Save(t.Context(), referral.Write{Referrer: stale}), referral.ErrConflict)
	sameHeader(t, h, header(t, s, "R1"))
}

// referrerCopies: neither the caller's header nor one read back shares
// its slots or displaced friends with the store.
func referrerCopies(t *testing.T, s referral.Store) {
	h := referral.Referrer{MemberID: "R1", Version: 1, Code: "CODE1",
		Slots: []referral.Slot{{FriendID: "f1", Purchase: "p1", At: t0}}, Displaced: []string{"f2"}}
	require.NoError(t, s.Save(t.Context(), referral.Write{Referrer: h}))
	h.Slots[0].FriendID, h.Displaced[0] = "changed by the caller", "changed by the caller"
	got := header(t, s, "R1")
	require.Equal(t, "f1", got.Slots[0].FriendID, "the store kept the caller's slots")
	require.Equal(t, []string{"f2"}, got.Displaced, "the store kept the caller's displaced friends")
	got.Slots[0].FriendID, got.Displaced[0] = "changed by a reader", "changed by a reader"
	again := header(t, s, "R1")
	assert.Equal(t, "f1", again.Slots[0].FriendID, "GetReferrer returned the store's slots")
	assert.Equal(t, []string{"f2"}, again.Displaced, "GetReferrer returned the store's displaced friends")
}
