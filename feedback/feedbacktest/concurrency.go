package feedbacktest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

// racers is how many goroutines race each compare-and-set.
const racers = 16

func concurrencyRules() []rule {
	return []rule{
		{"UpdateComplaint", "ConcurrentSameVersionOneWins", raceComplaint},
		{"CreateComplaint", "ConcurrentSameIDOneWins", raceCreateComplaint},
		{"AddResponse", "ConcurrentSameIDOneWins", raceResponse},
		{"SaveInvitationLog", "ConcurrentSameVersionOneWins", raceLog},
		{"UpdateReview", "ConcurrentSameVersionOneWins", raceReview},
		{"UpdateFollowUp", "ConcurrentSameVersionOneWins", raceFollowUp},
		{"Store", "ConcurrentWritersAndReadersLoseNothing", parallelWriters},
	}
}

func raceComplaint(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateComplaint(ctx, newComplaint("c-1", "cust-1", at(0))))
	updates := make([]feedback.Complaint, racers)
	for i := range updates {
		c := newComplaint("c-1", "cust-1", at(0))
		c.Version, c.Staff, c.DueAt = 2, fmt.Sprint("writer-", i), at(time.Duration(i)*time.Hour)
		updates[i] = c
	}
	w := kit.OneWinner(t, kit.Race(racers, func(i int) error { return s.UpdateComplaint(ctx, updates[i]) }), feedback.ErrConflict)
	got, err := s.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	assertComplaint(t, updates[w], got)
	if idx, ok := s.(feedback.DueComplaintIndex); ok {
		due := kit.Collect(t, idx.ComplaintsDueBefore(ctx, at(100*time.Hour)))
		require.Len(t, due, 1, "the index holds the winner only")
		assertComplaint(t, updates[w], due[0])
	}
}

func raceCreateComplaint(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	w := kit.OneWinner(t, kit.Race(racers, func(i int) error {
		return s.CreateComplaint(ctx, newComplaint("c-1", fmt.Sprint("cust-", i), at(0)))
	}), feedback.ErrAlreadyExists)
	got, err := s.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint("cust-", w), got.CustomerID)
	assert.Len(t, kit.Collect(t, s.ComplaintsBetween(ctx, at(-time.Hour), at(time.Hour))), 1)
}

func raceResponse(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	w := kit.OneWinner(t, kit.Race(racers, func(i int) error {
		r := newResponse("r-1", fmt.Sprint("cust-", i), at(0))
		r.Hash = fmt.Sprint("hash-", i)
		return s.AddResponse(ctx, r)
	}), feedback.ErrAlreadyExists)
	got, err := s.GetResponse(ctx, "r-1")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint("hash-", w), got.Hash)
	assert.Len(t, kit.Collect(t, s.ResponsesBetween(ctx, at(-time.Hour), at(time.Hour))), 1)
}

func raceLog(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	kit.OneWinner(t, kit.Race(racers, func(i int) error { return s.SaveInvitationLog(ctx, newLog("cust-1", 1, i%3)) }), feedback.ErrConflict)
	w := kit.OneWinner(t, kit.Race(racers, func(i int) error { return s.SaveInvitationLog(ctx, newLog("cust-1", 2, i+1)) }), feedback.ErrConflict)
	got, err := s.GetInvitationLog(ctx, "cust-1")
	require.NoError(t, err)
	assertLog(t, newLog("cust-1", 2, w+1), got)
}

func raceReview(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateReview(ctx, newReview("rv-1", "cust-1", "SKU-1", at(0))))
	w := kit.OneWinner(t, kit.Race(racers, func(i int) error {
		r := newReview("rv-1", "cust-1", "SKU-1", at(0))
		r.Version, r.Moderator = 2, fmt.Sprint("mod-", i)
		return s.UpdateReview(ctx, r)
	}), feedback.ErrConflict)
	got, err := s.GetReview(ctx, "rv-1")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint("mod-", w), got.Moderator)
}

func raceFollowUp(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateFollowUp(ctx, newFollowUp("f-1", "cust-1", "store-1", "", at(0))))
	w := kit.OneWinner(t, kit.Race(racers, func(i int) error {
		f := newFollowUp("f-1", "cust-1", "store-1", fmt.Sprint("staff-", i), at(0))
		f.Version = 2
		return s.UpdateFollowUp(ctx, f)
	}), feedback.ErrConflict)
	got, err := s.GetFollowUp(ctx, "f-1")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint("staff-", w), got.Staff)
}

// parallelWriters writes from several goroutines while others read, and
// checks that every write landed.
func parallelWriters(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	const writers, each = 4, 25
	errs := kit.Race(writers*2, func(g int) error {
		if g >= writers { // readers
			for range each {
				for _, err := range s.ComplaintsBetween(ctx, at(-time.Hour), at(1000*time.Hour)) {
					if err != nil {
						return err
					}
				}
			}
			return nil
		}
		for i := range each {
			id := fmt.Sprintf("c-%d-%03d", g, i)
			if err := s.CreateComplaint(ctx, newComplaint(id, fmt.Sprint("cust-", g), at(time.Duration(i)*time.Minute))); err != nil {
				return err
			}
			if err := s.AddResponse(ctx, newResponse(id, fmt.Sprint("cust-", g), at(time.Duration(i)*time.Minute))); err != nil {
				return err
			}
		}
		return nil
	})
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, kit.Collect(t, s.ComplaintsBetween(ctx, at(-time.Hour), at(1000*time.Hour))), writers*each)
	assert.Len(t, kit.Collect(t, s.ResponsesBetween(ctx, at(-time.Hour), at(1000*time.Hour))), writers*each)
	for g := range writers {
		assert.Len(t, kit.Collect(t, s.ComplaintsOf(ctx, fmt.Sprint("cust-", g))), each)
	}
}
