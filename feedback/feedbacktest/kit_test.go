package feedbacktest_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/feedback/feedbacktest"
	"github.com/clientele-go/clientele/internal/kit"
)

// The kit checks itself: it passes the memory store and fails each broken
// store below on the rule that store breaks. The broken stores run in a
// child process (this test binary again, with brokenEnv set), because a
// failing subtest cannot be watched from its parent without failing it.

const brokenEnv = "FEEDBACKTEST_RUN_BROKEN_STORES"

func TestKitPassesMemoryStore(t *testing.T) {
	feedbacktest.Run(t, func(*testing.T) feedback.Store { return feedback.NewMemoryStore() })
}

func mem() *feedback.MemoryStore { return feedback.NewMemoryStore() }

var broken = []kit.Broken[feedback.Store]{
	{Name: "CheckThenWriteComplaint", Rule: "UpdateComplaint/ConcurrentSameVersionOneWins", Store: func() feedback.Store { return checkThenWrite{mem()} }},
	{Name: "StaleDueIndex", Rule: "ComplaintsDueBefore/FollowsUpdates", Store: func() feedback.Store { return &staleDueIndex{MemoryStore: mem()} }},
	{Name: "InclusiveUpperBound", Rule: "ResponsesBetween/HalfOpenRangeOldestFirstTiesByID", Store: func() feedback.Store { return inclusiveUpperBound{mem()} }},
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondsRoundTripInAnyZone", Store: func() feedback.Store { return millisecondTimes{mem()} }},
	{Name: "LosesSentinel", Rule: "GetReview/MissingIsNotFound", Store: func() feedback.Store { return losesSentinel{mem()} }},
	{Name: "SharesSlices", Rule: "Copies/ComplaintsAreCopiesBothWays", Store: func() feedback.Store { return &sharesSlices{Store: mem()} }},
	{Name: "ReassignsNothing", Rule: "Reassign/MovesEveryRecordAndBumpsVersions", Store: func() feedback.Store { return reassignsNothing{mem()} }},
	{Name: "RedactsNothing", Rule: "Redact/ClearsFreeTextKeepsScoresAndBumpsVersions", Store: func() feedback.Store { return redactsNothing{mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextYieldsCanceled", Store: func() feedback.Store { return ignoresContext{mem()} }},
	{Name: "OpenIncludesResolved", Rule: "OpenComplaints/OnlyOpenStatusesInIDOrder", Store: func() feedback.Store { return openIncludesResolved{mem()} }},
	{Name: "LogIgnoresVersion", Rule: "SaveInvitationLog/CompareAndSetOnVersion", Store: func() feedback.Store { return logIgnoresVersion{mem()} }},
	{Name: "DuplicateResponseIsOK", Rule: "AddResponse/DuplicateIDIsAlreadyExistsAndWritesNothing", Store: func() feedback.Store { return duplicateResponseIsOK{mem()} }},
	{Name: "FilterIgnoresStaff", Rule: "FollowUps/FilterEveryFieldByDueAtThenID", Store: func() feedback.Store { return filterIgnoresStaff{mem()} }},
}

// TestBrokenStores is the child process's test: it runs only with
// brokenEnv set, and fails.
func TestBrokenStores(t *testing.T) {
	kit.RunBroken(t, brokenEnv, broken, feedbacktest.Run)
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

// checkThenWrite checks the version, then writes in a second step: the
// race the contract forbids.
type checkThenWrite struct{ feedback.Store }

func (s checkThenWrite) UpdateComplaint(ctx context.Context, c feedback.Complaint) error {
	old, err := s.GetComplaint(ctx, c.ID)
	if err != nil {
		return err
	}
	if old.Version != c.Version-1 {
		return feedback.ErrConflict
	}
	time.Sleep(5 * time.Millisecond)
	for {
		cur, err := s.GetComplaint(ctx, c.ID)
		if err != nil {
			return err
		}
		next := c
		next.Version = cur.Version + 1
		if err := s.Store.UpdateComplaint(ctx, next); !errors.Is(err, feedback.ErrConflict) {
			return err
		}
	}
}

// staleDueIndex answers ComplaintsDueBefore from the DueAt each complaint
// had when it was created.
type staleDueIndex struct {
	*feedback.MemoryStore
	mu  sync.Mutex
	due map[string]time.Time
}

func (s *staleDueIndex) CreateComplaint(ctx context.Context, c feedback.Complaint) error {
	if err := s.MemoryStore.CreateComplaint(ctx, c); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.due == nil {
		s.due = map[string]time.Time{}
	}
	s.due[c.ID] = c.DueAt
	return nil
}

func (s *staleDueIndex) ComplaintsDueBefore(ctx context.Context, t time.Time) iter.Seq2[feedback.Complaint, error] {
	return func(yield func(feedback.Complaint, error) bool) {
		s.mu.Lock()
		var ids []string
		for id, due := range s.due {
			if !due.IsZero() && due.Before(t) {
				ids = append(ids, id)
			}
		}
		s.mu.Unlock()
		slices.Sort(ids)
		for _, id := range ids {
			c, err := s.GetComplaint(ctx, id)
			if !yield(c, err) {
				return
			}
		}
	}
}

// inclusiveUpperBound reads "to" as inclusive.
type inclusiveUpperBound struct{ feedback.Store }

func (s inclusiveUpperBound) ResponsesBetween(ctx context.Context, from, to time.Time) iter.Seq2[feedback.Response, error] {
	return s.Store.ResponsesBetween(ctx, from, to.Add(time.Nanosecond))
}

// millisecondTimes keeps complaint intake times to the millisecond.
type millisecondTimes struct{ feedback.Store }

func (s millisecondTimes) CreateComplaint(ctx context.Context, c feedback.Complaint) error {
	c.ReceivedAt = c.ReceivedAt.Truncate(time.Millisecond)
	return s.Store.CreateComplaint(ctx, c)
}

// losesSentinel reports a missing review with an error of its own.
type losesSentinel struct{ feedback.Store }

func (s losesSentinel) GetReview(ctx context.Context, id string) (feedback.Review, error) {
	r, err := s.Store.GetReview(ctx, id)
	if errors.Is(err, feedback.ErrNotFound) {
		return r, errors.New("no such review")
	}
	return r, err
}

// sharesSlices hands out the complaint it was given, slices and all.
type sharesSlices struct {
	feedback.Store
	mu   sync.Mutex
	kept map[string]feedback.Complaint
}

func (s *sharesSlices) CreateComplaint(ctx context.Context, c feedback.Complaint) error {
	if err := s.Store.CreateComplaint(ctx, c); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.kept == nil {
		s.kept = map[string]feedback.Complaint{}
	}
	s.kept[c.ID] = c
	return nil
}

func (s *sharesSlices) GetComplaint(ctx context.Context, id string) (feedback.Complaint, error) {
	s.mu.Lock()
	c, ok := s.kept[id]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	return s.Store.GetComplaint(ctx, id)
}

type reassignsNothing struct{ feedback.Store }

func (reassignsNothing) Reassign(context.Context, string, string) error { return nil }

type redactsNothing struct{ feedback.Store }

func (redactsNothing) Redact(context.Context, string) error { return nil }

// ignoresContext streams a customer's complaints whatever its context.
type ignoresContext struct{ feedback.Store }

func (s ignoresContext) ComplaintsOf(_ context.Context, id string) iter.Seq2[feedback.Complaint, error] {
	return s.Store.ComplaintsOf(context.Background(), id)
}

// openIncludesResolved yields every complaint as open.
type openIncludesResolved struct{ feedback.Store }

func (s openIncludesResolved) OpenComplaints(ctx context.Context) iter.Seq2[feedback.Complaint, error] {
	return func(yield func(feedback.Complaint, error) bool) {
		var all []feedback.Complaint
		for c, err := range s.ComplaintsBetween(ctx, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)) {
			if err != nil {
				yield(c, err)
				return
			}
			all = append(all, c)
		}
		slices.SortFunc(all, func(a, b feedback.Complaint) int { return strings.Compare(a.ID, b.ID) })
		for _, c := range all {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// logIgnoresVersion overwrites whatever log is stored.
type logIgnoresVersion struct{ feedback.Store }

func (s logIgnoresVersion) SaveInvitationLog(ctx context.Context, l feedback.InvitationLog) error {
	cur, err := s.GetInvitationLog(ctx, l.CustomerID)
	if err == nil {
		l.Version = cur.Version + 1
	}
	return s.Store.SaveInvitationLog(ctx, l)
}

// duplicateResponseIsOK hides ErrAlreadyExists.
type duplicateResponseIsOK struct{ feedback.Store }

func (s duplicateResponseIsOK) AddResponse(ctx context.Context, r feedback.ResponseRecord) error {
	if err := s.Store.AddResponse(ctx, r); !errors.Is(err, feedback.ErrAlreadyExists) {
		return err
	}
	return nil
}

// filterIgnoresStaff drops the staff condition of a filter.
type filterIgnoresStaff struct{ feedback.Store }

func (s filterIgnoresStaff) FollowUps(ctx context.Context, q feedback.FollowUpFilter) iter.Seq2[feedback.FollowUp, error] {
	q.Staff = ""
	return s.Store.FollowUps(ctx, q)
}
