package feedback_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

func TestCanModerate(t *testing.T) {
	states := []feedback.ModerationState{feedback.ReviewPending, feedback.ReviewApproved, feedback.ReviewRejected}
	legal := map[[2]feedback.ModerationState]bool{
		{feedback.ReviewPending, feedback.ReviewApproved}:  true,
		{feedback.ReviewPending, feedback.ReviewRejected}:  true,
		{feedback.ReviewApproved, feedback.ReviewRejected}: true,
		{feedback.ReviewRejected, feedback.ReviewApproved}: true,
	}
	for _, from := range states {
		for _, to := range states {
			assert.Equal(t, legal[[2]feedback.ModerationState{from, to}], feedback.CanModerate(from, to), "%s -> %s", from, to)
		}
	}
}

func TestReviews(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	r := feedback.Review{ID: "rv-1", SKU: "KETTLE-1", CustomerID: "cust-1", PurchaseID: "p-1", Rating: 2, Title: "leaks", Text: "it leaks from day one", Time: sh(t, 2026, 11, 19, 20, 0)}
	got, evs, err := f.svc.SubmitReview(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, feedback.ReviewPending, got.State)
	assert.Equal(t, []string{"review.submitted"}, eventNames(evs))
	assert.Empty(t, collect(t, f.svc.PublishedReviews(ctx, "KETTLE-1")), "pending reviews are not published")

	got.State = feedback.ReviewApproved // service-owned fields are ignored on submission
	_, _, err = f.svc.SubmitReview(ctx, got)
	require.NoError(t, err, "replay")
	r.Rating = 5
	_, _, err = f.svc.SubmitReview(ctx, r)
	assert.ErrorIs(t, err, feedback.ErrIdempotencyMismatch)

	got, evs, err = f.svc.Moderate(ctx, "rv-1", feedback.ReviewApproved, "mod-1", "")
	require.NoError(t, err)
	assert.Equal(t, int64(2), got.Version)
	assert.Equal(t, []string{"review.moderated"}, eventNames(evs))
	_, evs, err = f.svc.Moderate(ctx, "rv-1", feedback.ReviewApproved, "mod-1", "")
	require.NoError(t, err)
	assert.Empty(t, evs, "replay")
	assert.Len(t, collect(t, f.svc.PublishedReviews(ctx, "KETTLE-1")), 1)

	_, _, err = f.svc.Moderate(ctx, "rv-1", feedback.ReviewPending, "mod-2", "")
	assert.ErrorIs(t, err, feedback.ErrIllegalTransition)
	_, _, err = f.svc.Moderate(ctx, "rv-1", feedback.ReviewRejected, "", "")
	assert.ErrorIs(t, err, feedback.ErrInvalid)

	_, _, err = f.svc.SubmitReview(ctx, feedback.Review{ID: "rv-2", Rating: 6, Text: "\xff"})
	assert.ElementsMatch(t, []string{"sku", "rating", "text"}, fieldsOf(err))
	assert.NotContains(t, fmt.Sprintf("%v %#v", got, got), "leaks")
}
