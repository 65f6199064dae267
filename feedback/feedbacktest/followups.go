package feedbacktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

func followUpRules() []rule {
	return []rule{
		{"CreateFollowUp", "RoundTripsEveryField", followUpRoundTrip},
		{"CreateFollowUp", "DuplicateIDIsAlreadyExistsAndWritesNothing", followUpDuplicate},
		{"GetFollowUp", "MissingIsNotFound", followUpMissing},
		{"UpdateFollowUp", "CompareAndSetOnVersion", followUpUpdate},
		{"FollowUps", "FilterEveryFieldByDueAtThenID", followUpFilter},
	}
}

func followUpRoundTrip(t *testing.T, s feedback.Store) {
	f := doneFollowUp("f-1", "cust-1", at(0))
	f.CancelNote = "n/a"
	require.NoError(t, s.CreateFollowUp(t.Context(), f))
	got, err := s.GetFollowUp(t.Context(), "f-1")
	require.NoError(t, err)
	assertFollowUp(t, f, got)
}

func followUpDuplicate(t *testing.T, s feedback.Store) {
	f := newFollowUp("f-1", "cust-1", "store-1", "alice", at(0))
	require.NoError(t, s.CreateFollowUp(t.Context(), f))
	require.ErrorIs(t, s.CreateFollowUp(t.Context(), newFollowUp("f-1", "cust-2", "store-2", "bob", at(time.Hour))), feedback.ErrAlreadyExists)
	got, err := s.GetFollowUp(t.Context(), "f-1")
	require.NoError(t, err)
	assertFollowUp(t, f, got)
}

func followUpMissing(t *testing.T, s feedback.Store) {
	_, err := s.GetFollowUp(t.Context(), "nope")
	require.ErrorIs(t, err, feedback.ErrNotFound)
}

func followUpUpdate(t *testing.T, s feedback.Store) {
	f := newFollowUp("f-1", "cust-1", "store-1", "alice", at(0))
	missing := f
	missing.Version = 2
	require.ErrorIs(t, s.UpdateFollowUp(t.Context(), missing), feedback.ErrNotFound)
	require.NoError(t, s.CreateFollowUp(t.Context(), f))
	done := doneFollowUp("f-1", "cust-1", at(0))
	done.Version = 2
	require.NoError(t, s.UpdateFollowUp(t.Context(), done))
	stale := f
	stale.Version, stale.Status = 2, feedback.FollowUpCancelled
	require.ErrorIs(t, s.UpdateFollowUp(t.Context(), stale), feedback.ErrConflict)
	got, err := s.GetFollowUp(t.Context(), "f-1")
	require.NoError(t, err)
	assertFollowUp(t, done, got)
}

func followUpFilter(t *testing.T, s feedback.Store) {
	fs := []feedback.FollowUp{
		newFollowUp("f-1", "cust-1", "store-1", "alice", at(2*time.Hour)),
		newFollowUp("f-2", "cust-2", "store-1", "bob", at(time.Hour)),
		newFollowUp("f-3", "cust-1", "store-2", "alice", at(time.Hour)),
		doneFollowUp("f-4", "cust-1", at(-time.Hour)),
		newFollowUp("f-5", "cust-3", "store-1", "", at(time.Hour)),
	}
	fs[1].Announced = true
	for _, f := range fs {
		require.NoError(t, s.CreateFollowUp(t.Context(), f))
	}
	for name, tc := range map[string]struct {
		q    feedback.FollowUpFilter
		want []string
	}{
		"everything":   {feedback.FollowUpFilter{}, []string{"f-4", "f-2", "f-3", "f-5", "f-1"}},
		"customer":     {feedback.FollowUpFilter{CustomerID: "cust-1"}, []string{"f-4", "f-3", "f-1"}},
		"store":        {feedback.FollowUpFilter{Store: "store-1"}, []string{"f-4", "f-2", "f-5", "f-1"}},
		"staff":        {feedback.FollowUpFilter{Staff: "alice"}, []string{"f-4", "f-3", "f-1"}},
		"status":       {feedback.FollowUpFilter{Status: feedback.FollowUpOpen}, []string{"f-2", "f-3", "f-5", "f-1"}},
		"due before":   {feedback.FollowUpFilter{DueBefore: at(2 * time.Hour)}, []string{"f-4", "f-2", "f-3", "f-5"}},
		"unannounced":  {feedback.FollowUpFilter{Unannounced: true}, []string{"f-3", "f-5", "f-1"}},
		"a due list":   {feedback.FollowUpFilter{Store: "store-1", Status: feedback.FollowUpOpen, DueBefore: at(90 * time.Minute)}, []string{"f-2", "f-5"}},
		"nobody there": {feedback.FollowUpFilter{Store: "store-9"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			got := followUpIDs(kit.Collect(t, s.FollowUps(t.Context(), tc.q)))
			if len(tc.want) == 0 {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
