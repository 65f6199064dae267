package membershiptest_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/clientele-go/clientele/loyalty/membership/membershiptest"
)

const brokenEnv = "MEMBERSHIPTEST_RUN_BROKEN_STORES"

func TestKitPassesMemoryStore(t *testing.T) {
	membershiptest.Run(t, func(*testing.T) membership.Store { return membership.NewMemoryStore() })
}

func mem() *membership.MemoryStore { return membership.NewMemoryStore() }

var broken = []kit.Broken[membership.Store]{
	{Name: "LosesSentinel", Rule: "GetCard/MissingIsNotFound", Store: func() membership.Store { return losesSentinel{mem()} }},
	{Name: "TermSentinelLost", Rule: "GetTerm/MissingIsNotFound", Store: func() membership.Store { return termSentinelLost{mem()} }},
	{Name: "DropsPreviousPlan", Rule: "Save/CreateIsVersionOneAndRoundTrips", Store: func() membership.Store { return dropsPrevious{mem()} }},
	{Name: "TermBeforeVersionCheck", Rule: "Save/StaleVersionIsConflictWritingNothing", Store: func() membership.Store { return &termFirst{MemoryStore: mem()} }},
	{Name: "AcceptsSkippedVersions", Rule: "Save/SkippedVersionIsConflictWritingNothing", Store: func() membership.Store { return acceptsSkipped{mem()} }},
	{Name: "ExistenceFirst", Rule: "Save/VersionIsCheckedFirst", Store: func() membership.Store { return existenceFirst{mem()} }},
	{Name: "UpsertsTerms", Rule: "Save/InsertOfExistingTermIsAlreadyExistsWritingNothing", Store: func() membership.Store { return upserts{mem()} }},
	{Name: "ReplaceCreates", Rule: "Save/ReplaceOfMissingTermIsNotFoundWritingNothing", Store: func() membership.Store { return replaceCreates{mem()} }},
	{Name: "ReplaceKeepsOld", Rule: "Save/ReplaceRoundTrips", Store: func() membership.Store { return replaceKeepsOld{mem()} }},
	{Name: "TermsKeyedByID", Rule: "Save/TermsArePerMember", Store: func() membership.Store { return &keyedByID{MemoryStore: mem()} }},
	{Name: "CheckThenWrite", Rule: "Save/ConcurrentSameVersionOneWins", Store: func() membership.Store { return checkThenWrite{mem()} }},
	{Name: "CaseInsensitiveOrder", Rule: "Terms/AscendingIDByteOrder", Store: func() membership.Store { return caseOrder{mem()} }},
	{Name: "AllTermsByID", Rule: "AllTerms/ByMemberThenID", Store: func() membership.Store { return allByID{mem()} }},
	{Name: "LiveTerms", Rule: "Terms/SaveInsideTheLoopNeitherBlocksNorRepeats", Store: func() membership.Store { return liveTerms{mem()} }},
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondsInZonesRoundTrip", Store: func() membership.Store { return millis{mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextIsError/AllTerms", Store: func() membership.Store { return ignoresContext{mem()} }},
	{Name: "YieldsAfterBreak", Rule: "Iterators/EarlyBreakStops/Terms", Store: func() membership.Store { return yieldsAfterBreak{mem()} }},
}

func TestBrokenStores(t *testing.T) {
	defer func(d time.Duration) { membershiptest.BlockTimeout = d }(membershiptest.BlockTimeout)
	membershiptest.BlockTimeout = time.Second
	kit.RunBroken(t, brokenEnv, broken, membershiptest.Run)
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

type losesSentinel struct{ *membership.MemoryStore }

func (s losesSentinel) GetCard(ctx context.Context, id string) (membership.Card, error) {
	c, err := s.MemoryStore.GetCard(ctx, id)
	if err != nil {
		return c, errors.New("no card")
	}
	return c, nil
}

type termSentinelLost struct{ *membership.MemoryStore }

func (s termSentinelLost) GetTerm(ctx context.Context, m, id string) (membership.Term, error) {
	t, err := s.MemoryStore.GetTerm(ctx, m, id)
	if err != nil {
		return t, errors.New("no term")
	}
	return t, nil
}

type dropsPrevious struct{ *membership.MemoryStore }

func (s dropsPrevious) Save(ctx context.Context, w membership.Write) error {
	w.Card.PreviousPlan = ""
	return s.MemoryStore.Save(ctx, w)
}

type termFirst struct {
	*membership.MemoryStore
	mu    sync.Mutex
	extra map[string]membership.Term
}

func (s *termFirst) Save(ctx context.Context, w membership.Write) error {
	s.mu.Lock()
	if s.extra == nil {
		s.extra = map[string]membership.Term{}
	}
	t := w.Term
	t.MemberID = w.Card.MemberID
	s.extra[w.Card.MemberID+"/"+w.Term.ID] = t
	s.mu.Unlock()
	return s.MemoryStore.Save(ctx, w)
}

func (s *termFirst) GetTerm(ctx context.Context, m, id string) (membership.Term, error) {
	s.mu.Lock()
	t, ok := s.extra[m+"/"+id]
	s.mu.Unlock()
	if ok {
		return t, nil
	}
	return s.MemoryStore.GetTerm(ctx, m, id)
}

type acceptsSkipped struct{ *membership.MemoryStore }

func (s acceptsSkipped) Save(ctx context.Context, w membership.Write) error {
	if cur, err := s.GetCard(ctx, w.Card.MemberID); err == nil && w.Card.Version > cur.Version+1 {
		w.Card.Version = cur.Version + 1
	}
	return s.MemoryStore.Save(ctx, w)
}

type existenceFirst struct{ *membership.MemoryStore }

func (s existenceFirst) Save(ctx context.Context, w membership.Write) error {
	_, err := s.GetTerm(ctx, w.Card.MemberID, w.Term.ID)
	if err == nil && !w.Replace {
		return membership.ErrAlreadyExists
	}
	if err != nil && w.Replace {
		return membership.ErrNotFound
	}
	return s.MemoryStore.Save(ctx, w)
}

type upserts struct{ *membership.MemoryStore }

func (s upserts) Save(ctx context.Context, w membership.Write) error {
	if _, err := s.GetTerm(ctx, w.Card.MemberID, w.Term.ID); err == nil {
		w.Replace = true
	}
	return s.MemoryStore.Save(ctx, w)
}

type replaceCreates struct{ *membership.MemoryStore }

func (s replaceCreates) Save(ctx context.Context, w membership.Write) error {
	if _, err := s.GetTerm(ctx, w.Card.MemberID, w.Term.ID); err != nil {
		w.Replace = false
	}
	return s.MemoryStore.Save(ctx, w)
}

type replaceKeepsOld struct{ *membership.MemoryStore }

func (s replaceKeepsOld) Save(ctx context.Context, w membership.Write) error {
	if w.Replace {
		if cur, err := s.GetTerm(ctx, w.Card.MemberID, w.Term.ID); err == nil {
			w.Term = cur
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

// keyedByID keeps term IDs unique across members.
type keyedByID struct {
	*membership.MemoryStore
	mu  sync.Mutex
	ids map[string]string
}

func (s *keyedByID) Save(ctx context.Context, w membership.Write) error {
	s.mu.Lock()
	if s.ids == nil {
		s.ids = map[string]string{}
	}
	owner, taken := s.ids[w.Term.ID]
	s.mu.Unlock()
	if taken && owner != w.Card.MemberID && !w.Replace {
		return membership.ErrAlreadyExists
	}
	err := s.MemoryStore.Save(ctx, w)
	if err == nil {
		s.mu.Lock()
		s.ids[w.Term.ID] = w.Card.MemberID
		s.mu.Unlock()
	}
	return err
}

type checkThenWrite struct{ *membership.MemoryStore }

func (s checkThenWrite) Save(ctx context.Context, w membership.Write) error {
	cur, _ := s.GetCard(ctx, w.Card.MemberID)
	if cur.Version != w.Card.Version-1 {
		return membership.ErrConflict
	}
	time.Sleep(2 * time.Millisecond)
	for {
		cur, _ := s.GetCard(ctx, w.Card.MemberID)
		next := w
		next.Card.Version = cur.Version + 1
		if err := s.MemoryStore.Save(ctx, next); !errors.Is(err, membership.ErrConflict) {
			return err
		}
	}
}

type caseOrder struct{ *membership.MemoryStore }

func (s caseOrder) Terms(ctx context.Context, m string) iter.Seq2[membership.Term, error] {
	return kit.Resorted(s.MemoryStore.Terms(ctx, m), func(a, b membership.Term) int {
		return strings.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID))
	})
}

type allByID struct{ *membership.MemoryStore }

func (s allByID) AllTerms(ctx context.Context) iter.Seq2[membership.Term, error] {
	return kit.Resorted(s.MemoryStore.AllTerms(ctx), func(a, b membership.Term) int { return strings.Compare(a.ID, b.ID) })
}

type liveTerms struct{ *membership.MemoryStore }

func (s liveTerms) Terms(ctx context.Context, m string) iter.Seq2[membership.Term, error] {
	return kit.Live(func() iter.Seq2[membership.Term, error] { return s.MemoryStore.Terms(ctx, m) },
		func(t membership.Term) string { return t.ID })
}

type millis struct{ *membership.MemoryStore }

func (s millis) Save(ctx context.Context, w membership.Write) error {
	w.Term.PaidAt, w.Term.End, w.Term.RefundedAt = w.Term.PaidAt.Truncate(time.Millisecond), w.Term.End.Truncate(time.Millisecond), w.Term.RefundedAt.Truncate(time.Millisecond)
	return s.MemoryStore.Save(ctx, w)
}

type ignoresContext struct{ *membership.MemoryStore }

func (s ignoresContext) AllTerms(context.Context) iter.Seq2[membership.Term, error] {
	return s.MemoryStore.AllTerms(context.Background())
}

type yieldsAfterBreak struct{ *membership.MemoryStore }

func (s yieldsAfterBreak) Terms(ctx context.Context, m string) iter.Seq2[membership.Term, error] {
	return kit.IgnoringBreak(s.MemoryStore.Terms(ctx, m))
}
