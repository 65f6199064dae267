package referraltest_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/clientele-go/clientele/loyalty/referral/referraltest"
)

const brokenEnv = "REFERRALTEST_RUN_BROKEN_STORES"

func TestKitPassesMemoryStore(t *testing.T) {
	referraltest.Run(t, func(*testing.T) referral.Store { return referral.NewMemoryStore() })
}

func mem() *referral.MemoryStore { return referral.NewMemoryStore() }

var broken = []kit.Broken[referral.Store]{
	{Name: "LosesSentinel", Rule: "GetReferrer/MissingIsNotFound", Store: func() referral.Store { return losesSentinel{mem()} }},
	{Name: "CodeSentinelLost", Rule: "LookupCode/MissingIsNotFound", Store: func() referral.Store { return codeSentinelLost{mem()} }},
	{Name: "FirstOwnerForEveryCode", Rule: "LookupCode/FindsTheOwner", Store: func() referral.Store { return &firstOwner{MemoryStore: mem()} }},
	{Name: "FriendSentinelLost", Rule: "GetFriend/MissingIsNotFound", Store: func() referral.Store { return friendSentinelLost{mem()} }},
	{Name: "DropsPeriod", Rule: "Save/CreateIsVersionOneAndRoundTrips", Store: func() referral.Store { return dropsPeriod{mem()} }},
	{Name: "FriendBeforeVersionCheck", Rule: "Save/StaleVersionIsConflictWritingNothing", Store: func() referral.Store { return &friendFirst{MemoryStore: mem()} }},
	{Name: "AcceptsSkippedVersions", Rule: "Save/SkippedVersionIsConflictWritingNothing", Store: func() referral.Store { return acceptsSkipped{mem()} }},
	{Name: "ExistenceFirst", Rule: "Save/VersionIsCheckedFirst", Store: func() referral.Store { return existenceFirst{mem()} }},
	{Name: "StealsCodes", Rule: "Save/TakenCodeIsAlreadyExistsWritingNothing", Store: func() referral.Store { return &lastCodeWins{MemoryStore: mem()} }},
	{Name: "RebindsFriends", Rule: "Save/BoundFriendIsAlreadyExistsWritingNothing", Store: func() referral.Store { return rebinds{mem()} }},
	{Name: "ReplaceCreates", Rule: "Save/ReplaceOfMissingFriendIsNotFoundWritingNothing", Store: func() referral.Store { return replaceCreates{mem()} }},
	{Name: "ReplaceKeepsOld", Rule: "Save/ReplaceRoundTrips", Store: func() referral.Store { return replaceKeepsOld{mem()} }},
	{Name: "CheckThenWrite", Rule: "Save/ConcurrentSameVersionOneWins", Store: func() referral.Store { return checkThenWrite{mem()} }},
	{Name: "CaseInsensitiveOrder", Rule: "Friends/AscendingFriendIDByteOrder", Store: func() referral.Store { return caseOrder{mem()} }},
	{Name: "LiveFriends", Rule: "Friends/SaveInsideTheLoopNeitherBlocksNorRepeats", Store: func() referral.Store { return liveFriends{mem()} }},
	{Name: "KeepsOldSlots", Rule: "Save/SlotsAndDisplacedRoundTripInOrder", Store: func() referral.Store { return keepsOldSlots{mem()} }},
	{Name: "SlotsByFriendID", Rule: "Save/SlotsAndDisplacedRoundTripInOrder", Store: func() referral.Store { return slotsByFriend{mem()} }},
	{Name: "MillisecondSlots", Rule: "Save/SlotsAndDisplacedRoundTripInOrder", Store: func() referral.Store { return millisecondSlots{mem()} }},
	{Name: "SharesSlots", Rule: "Copies/ReturnedReferrersAreCopies", Store: func() referral.Store { return &sharesSlots{MemoryStore: mem()} }},
	{Name: "SharesReturns", Rule: "Copies/ReturnedFriendsAreCopies", Store: func() referral.Store { return &sharesReturns{MemoryStore: mem()} }},
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondsInZonesRoundTrip", Store: func() referral.Store { return millis{mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextIsError/Friends", Store: func() referral.Store { return ignoresContext{mem()} }},
	{Name: "YieldsAfterBreak", Rule: "Iterators/EarlyBreakStops/Friends", Store: func() referral.Store { return yieldsAfterBreak{mem()} }},
}

func TestBrokenStores(t *testing.T) {
	defer func(d time.Duration) { referraltest.BlockTimeout = d }(referraltest.BlockTimeout)
	referraltest.BlockTimeout = time.Second
	kit.RunBroken(t, brokenEnv, broken, referraltest.Run)
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

type losesSentinel struct{ *referral.MemoryStore }

func (s losesSentinel) GetReferrer(ctx context.Context, id string) (referral.Referrer, error) {
	r, err := s.MemoryStore.GetReferrer(ctx, id)
	if err != nil {
		return r, errors.New("no referrer")
	}
	return r, nil
}

type codeSentinelLost struct{ *referral.MemoryStore }

func (s codeSentinelLost) LookupCode(ctx context.Context, c string) (string, error) {
	m, err := s.MemoryStore.LookupCode(ctx, c)
	if err != nil {
		return "", errors.New("no code")
	}
	return m, nil
}

// lastCodeWins lets a new member take a code: the index is an upsert.
type lastCodeWins struct {
	*referral.MemoryStore
	mu    sync.Mutex
	codes map[string]string
}

func (s *lastCodeWins) Save(ctx context.Context, w referral.Write) error {
	if w.Referrer.Version == 1 {
		if _, err := s.MemoryStore.LookupCode(ctx, w.Referrer.Code); err == nil {
			s.mu.Lock()
			if s.codes == nil {
				s.codes = map[string]string{}
			}
			s.codes[w.Referrer.Code] = w.Referrer.MemberID
			s.mu.Unlock()
			w.Referrer.Code += "-dup"
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

func (s *lastCodeWins) LookupCode(ctx context.Context, c string) (string, error) {
	s.mu.Lock()
	m, ok := s.codes[c]
	s.mu.Unlock()
	if ok {
		return m, nil
	}
	return s.MemoryStore.LookupCode(ctx, c)
}

// firstOwner answers every known code with the first member who got one.
type firstOwner struct {
	*referral.MemoryStore
	mu    sync.Mutex
	first string
}

func (s *firstOwner) Save(ctx context.Context, w referral.Write) error {
	err := s.MemoryStore.Save(ctx, w)
	s.mu.Lock()
	if err == nil && s.first == "" {
		s.first = w.Referrer.MemberID
	}
	s.mu.Unlock()
	return err
}

func (s *firstOwner) LookupCode(ctx context.Context, c string) (string, error) {
	if _, err := s.MemoryStore.LookupCode(ctx, c); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first, nil
}

type friendSentinelLost struct{ *referral.MemoryStore }

func (s friendSentinelLost) GetFriend(ctx context.Context, id string) (referral.Friend, error) {
	f, err := s.MemoryStore.GetFriend(ctx, id)
	if err != nil {
		return f, errors.New("no friend")
	}
	return f, nil
}

type dropsPeriod struct{ *referral.MemoryStore }

func (s dropsPeriod) Save(ctx context.Context, w referral.Write) error {
	w.Referrer.PeriodBound = 0
	return s.MemoryStore.Save(ctx, w)
}

type friendFirst struct {
	*referral.MemoryStore
	mu    sync.Mutex
	extra map[string]referral.Friend
}

func (s *friendFirst) Save(ctx context.Context, w referral.Write) error {
	if w.Friend != nil {
		s.mu.Lock()
		if s.extra == nil {
			s.extra = map[string]referral.Friend{}
		}
		s.extra[w.Friend.FriendID] = *w.Friend
		s.mu.Unlock()
	}
	return s.MemoryStore.Save(ctx, w)
}

func (s *friendFirst) GetFriend(ctx context.Context, id string) (referral.Friend, error) {
	s.mu.Lock()
	f, ok := s.extra[id]
	s.mu.Unlock()
	if ok {
		return f, nil
	}
	return s.MemoryStore.GetFriend(ctx, id)
}

type acceptsSkipped struct{ *referral.MemoryStore }

func (s acceptsSkipped) Save(ctx context.Context, w referral.Write) error {
	if cur, err := s.GetReferrer(ctx, w.Referrer.MemberID); err == nil && w.Referrer.Version > cur.Version+1 {
		w.Referrer.Version = cur.Version + 1
	}
	return s.MemoryStore.Save(ctx, w)
}

type existenceFirst struct{ *referral.MemoryStore }

func (s existenceFirst) Save(ctx context.Context, w referral.Write) error {
	if w.Friend != nil {
		_, err := s.GetFriend(ctx, w.Friend.FriendID)
		if err == nil && !w.Replace {
			return referral.ErrAlreadyExists
		}
		if err != nil && w.Replace {
			return referral.ErrNotFound
		}
	}
	if w.Referrer.Version == 1 {
		if _, err := s.LookupCode(ctx, w.Referrer.Code); err == nil {
			return referral.ErrAlreadyExists
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

// rebinds keys friends per referrer: another referrer may bind them again.
type rebinds struct{ *referral.MemoryStore }

func (s rebinds) Save(ctx context.Context, w referral.Write) error {
	if f := w.Friend; f != nil && !w.Replace {
		if cur, err := s.GetFriend(ctx, f.FriendID); err == nil && cur.ReferrerID != f.ReferrerID {
			w.Replace = true
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

type replaceCreates struct{ *referral.MemoryStore }

func (s replaceCreates) Save(ctx context.Context, w referral.Write) error {
	if w.Friend != nil && w.Replace {
		if _, err := s.GetFriend(ctx, w.Friend.FriendID); err != nil {
			w.Replace = false
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

type replaceKeepsOld struct{ *referral.MemoryStore }

func (s replaceKeepsOld) Save(ctx context.Context, w referral.Write) error {
	if w.Friend != nil && w.Replace {
		if cur, err := s.GetFriend(ctx, w.Friend.FriendID); err == nil {
			w.Friend = &cur
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

type checkThenWrite struct{ *referral.MemoryStore }

func (s checkThenWrite) Save(ctx context.Context, w referral.Write) error {
	cur, _ := s.GetReferrer(ctx, w.Referrer.MemberID)
	if cur.Version != w.Referrer.Version-1 {
		return referral.ErrConflict
	}
	time.Sleep(2 * time.Millisecond)
	for {
		cur, _ := s.GetReferrer(ctx, w.Referrer.MemberID)
		next := w
		next.Referrer.Version = cur.Version + 1
		if err := s.MemoryStore.Save(ctx, next); !errors.Is(err, referral.ErrConflict) {
			return err
		}
	}
}

type caseOrder struct{ *referral.MemoryStore }

func (s caseOrder) Friends(ctx context.Context, id string) iter.Seq2[referral.Friend, error] {
	return kit.Resorted(s.MemoryStore.Friends(ctx, id), func(a, b referral.Friend) int {
		return strings.Compare(strings.ToLower(a.FriendID), strings.ToLower(b.FriendID))
	})
}

type liveFriends struct{ *referral.MemoryStore }

func (s liveFriends) Friends(ctx context.Context, id string) iter.Seq2[referral.Friend, error] {
	return kit.Live(func() iter.Seq2[referral.Friend, error] { return s.MemoryStore.Friends(ctx, id) },
		func(f referral.Friend) string { return f.FriendID })
}

// sharesReturns hands out the slice it keeps.
type sharesReturns struct {
	*referral.MemoryStore
	mu   sync.Mutex
	kept map[string][]string
}

func (s *sharesReturns) Save(ctx context.Context, w referral.Write) error {
	if err := s.MemoryStore.Save(ctx, w); err != nil {
		return err
	}
	if w.Friend != nil {
		s.mu.Lock()
		if s.kept == nil {
			s.kept = map[string][]string{}
		}
		s.kept[w.Friend.FriendID] = w.Friend.Returns
		s.mu.Unlock()
	}
	return nil
}

func (s *sharesReturns) GetFriend(ctx context.Context, id string) (referral.Friend, error) {
	f, err := s.MemoryStore.GetFriend(ctx, id)
	s.mu.Lock()
	if r, ok := s.kept[id]; ok {
		f.Returns = r
	}
	s.mu.Unlock()
	return f, err
}

type millis struct{ *referral.MemoryStore }

func (s millis) Save(ctx context.Context, w referral.Write) error {
	if w.Friend != nil {
		f := *w.Friend
		f.BoundAt, f.PurchasedAt, f.RewardedAt = f.BoundAt.Truncate(time.Millisecond), f.PurchasedAt.Truncate(time.Millisecond), f.RewardedAt.Truncate(time.Millisecond)
		w.Friend = &f
	}
	return s.MemoryStore.Save(ctx, w)
}

type ignoresContext struct{ *referral.MemoryStore }

func (s ignoresContext) Friends(_ context.Context, id string) iter.Seq2[referral.Friend, error] {
	return s.MemoryStore.Friends(context.Background(), id)
}

type yieldsAfterBreak struct{ *referral.MemoryStore }

func (s yieldsAfterBreak) Friends(ctx context.Context, id string) iter.Seq2[referral.Friend, error] {
	return kit.IgnoringBreak(s.MemoryStore.Friends(ctx, id))
}

// keepsOldSlots updates a header's counts but not its slots and
// displaced friends (an UPDATE that forgets the columns).
type keepsOldSlots struct{ *referral.MemoryStore }

func (s keepsOldSlots) Save(ctx context.Context, w referral.Write) error {
	if w.Referrer.Version > 1 {
		if cur, err := s.GetReferrer(ctx, w.Referrer.MemberID); err == nil {
			w.Referrer.Slots, w.Referrer.Displaced = cur.Slots, cur.Displaced
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

// slotsByFriend keeps the slots as a set, ordered by friend ID.
type slotsByFriend struct{ *referral.MemoryStore }

func (s slotsByFriend) Save(ctx context.Context, w referral.Write) error {
	w.Referrer = w.Referrer.Clone()
	slices.SortFunc(w.Referrer.Slots, func(a, b referral.Slot) int { return strings.Compare(a.FriendID, b.FriendID) })
	return s.MemoryStore.Save(ctx, w)
}

// millisecondSlots keeps slot times to the millisecond.
type millisecondSlots struct{ *referral.MemoryStore }

func (s millisecondSlots) Save(ctx context.Context, w referral.Write) error {
	w.Referrer = w.Referrer.Clone()
	for i := range w.Referrer.Slots {
		w.Referrer.Slots[i].At = w.Referrer.Slots[i].At.Truncate(time.Millisecond)
	}
	return s.MemoryStore.Save(ctx, w)
}

// sharesSlots hands out the header slices it keeps.
type sharesSlots struct {
	*referral.MemoryStore
	mu   sync.Mutex
	kept map[string]referral.Referrer
}

func (s *sharesSlots) Save(ctx context.Context, w referral.Write) error {
	if err := s.MemoryStore.Save(ctx, w); err != nil {
		return err
	}
	s.mu.Lock()
	if s.kept == nil {
		s.kept = map[string]referral.Referrer{}
	}
	s.kept[w.Referrer.MemberID] = w.Referrer
	s.mu.Unlock()
	return nil
}

func (s *sharesSlots) GetReferrer(ctx context.Context, id string) (referral.Referrer, error) {
	r, err := s.MemoryStore.GetReferrer(ctx, id)
	s.mu.Lock()
	if k, ok := s.kept[id]; ok && err == nil {
		r.Slots, r.Displaced = k.Slots, k.Displaced
	}
	s.mu.Unlock()
	return r, err
}
