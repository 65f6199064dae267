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

func idOf(prefix string, i int) string { return fmt.Sprintf("%s-%04d", prefix, i) }

func reviewRules() []rule {
	return []rule{
		{"CreateReview", "RoundTripsEveryField", reviewRoundTrip},
		{"CreateReview", "DuplicateIDIsAlreadyExistsAndWritesNothing", reviewDuplicate},
		{"GetReview", "MissingIsNotFound", reviewMissing},
		{"UpdateReview", "CompareAndSetOnVersion", reviewUpdate},
		{"ReviewsOfProduct", "NewestFirstTiesByIDDescending", reviewsOfProduct},
		{"ReviewsBetween", "HalfOpenRangeOldestFirstTiesByID", reviewsBetween},
		{"ReviewsOf", "NewestFirst", reviewsOf},
	}
}

func reviewRoundTrip(t *testing.T, s feedback.Store) {
	r := newReview("rv-1", "cust-1", "SKU-1", at(0))
	r.State, r.Moderator, r.ModeratedAt, r.ModerationNote = feedback.ReviewApproved, "mod", at(time.Hour), "fine"
	require.NoError(t, s.CreateReview(t.Context(), r))
	got, err := s.GetReview(t.Context(), "rv-1")
	require.NoError(t, err)
	assertReview(t, r, got)
}

func reviewDuplicate(t *testing.T, s feedback.Store) {
	r := newReview("rv-1", "cust-1", "SKU-1", at(0))
	require.NoError(t, s.CreateReview(t.Context(), r))
	other := newReview("rv-1", "cust-2", "SKU-2", at(time.Hour))
	require.ErrorIs(t, s.CreateReview(t.Context(), other), feedback.ErrAlreadyExists)
	got, err := s.GetReview(t.Context(), "rv-1")
	require.NoError(t, err)
	assertReview(t, r, got)
	assert.Empty(t, kit.Collect(t, s.ReviewsOfProduct(t.Context(), "SKU-2")))
}

func reviewMissing(t *testing.T, s feedback.Store) {
	_, err := s.GetReview(t.Context(), "nope")
	require.ErrorIs(t, err, feedback.ErrNotFound)
}

func reviewUpdate(t *testing.T, s feedback.Store) {
	r := newReview("rv-1", "cust-1", "SKU-1", at(0))
	missing := r
	missing.Version = 2
	require.ErrorIs(t, s.UpdateReview(t.Context(), missing), feedback.ErrNotFound)
	require.NoError(t, s.CreateReview(t.Context(), r))
	r.Version, r.State, r.Moderator, r.ModeratedAt = 2, feedback.ReviewRejected, "mod", at(time.Hour)
	require.NoError(t, s.UpdateReview(t.Context(), r))
	stale := r
	stale.State = feedback.ReviewApproved
	require.ErrorIs(t, s.UpdateReview(t.Context(), stale), feedback.ErrConflict)
	got, err := s.GetReview(t.Context(), "rv-1")
	require.NoError(t, err)
	assertReview(t, r, got)
}

func reviewsOfProduct(t *testing.T, s feedback.Store) {
	for id, d := range map[string]time.Duration{"rv-a": 0, "rv-c": time.Hour, "rv-b": time.Hour} {
		require.NoError(t, s.CreateReview(t.Context(), newReview(id, "cust-1", "SKU-1", at(d))))
	}
	require.NoError(t, s.CreateReview(t.Context(), newReview("rv-x", "cust-1", "SKU-2", at(0))))
	assert.Equal(t, []string{"rv-c", "rv-b", "rv-a"}, reviewIDs(kit.Collect(t, s.ReviewsOfProduct(t.Context(), "SKU-1"))))
}

func reviewsBetween(t *testing.T, s feedback.Store) {
	for id, d := range map[string]time.Duration{"rv-a": 0, "rv-c": time.Hour, "rv-b": time.Hour, "rv-d": 2 * time.Hour} {
		require.NoError(t, s.CreateReview(t.Context(), newReview(id, "", "SKU-1", at(d))))
	}
	assert.Equal(t, []string{"rv-a", "rv-b", "rv-c"}, reviewIDs(kit.Collect(t, s.ReviewsBetween(t.Context(), at(0), at(2*time.Hour)))))
}

func reviewsOf(t *testing.T, s feedback.Store) {
	for id, d := range map[string]time.Duration{"rv-a": 0, "rv-b": time.Hour} {
		require.NoError(t, s.CreateReview(t.Context(), newReview(id, "cust-1", "SKU-"+id, at(d))))
	}
	require.NoError(t, s.CreateReview(t.Context(), newReview("rv-x", "cust-2", "SKU-1", at(0))))
	assert.Equal(t, []string{"rv-b", "rv-a"}, reviewIDs(kit.Collect(t, s.ReviewsOf(t.Context(), "cust-1"))))
}
