package feedbacktest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

func iteratorRules() []rule {
	return []rule{
		{"Iterators", "CancelledContextYieldsCanceled", iterCancelled},
		{"Iterators", "CancelledBetweenItemsStopsWithCanceled", iterCancelledMidway},
		{"Iterators", "BreakingEarlyIsSafe", iterBreak},
	}
}

// streams lists every stream of a store over ctx.
func streams(s feedback.Store, ctx context.Context) map[string]func(func(error) bool) {
	wide := func(f func(context.Context, time.Time, time.Time) iter.Seq2[feedback.Complaint, error]) iter.Seq2[feedback.Complaint, error] {
		return f(ctx, at(-1000*time.Hour), at(1000*time.Hour))
	}
	out := map[string]func(func(error) bool){
		"OpenComplaints":    errs(s.OpenComplaints(ctx)),
		"ComplaintsBetween": errs(wide(s.ComplaintsBetween)),
		"ComplaintsOf":      errs(s.ComplaintsOf(ctx, "cust-1")),
		"Surveys":           errs(s.Surveys(ctx)),
		"ResponsesBetween":  errs(s.ResponsesBetween(ctx, at(-1000*time.Hour), at(1000*time.Hour))),
		"ResponsesOf":       errs(s.ResponsesOf(ctx, "cust-1")),
		"ReviewsOfProduct":  errs(s.ReviewsOfProduct(ctx, "SKU-1")),
		"ReviewsBetween":    errs(s.ReviewsBetween(ctx, at(-1000*time.Hour), at(1000*time.Hour))),
		"ReviewsOf":         errs(s.ReviewsOf(ctx, "cust-1")),
		"FollowUps":         errs(s.FollowUps(ctx, feedback.FollowUpFilter{})),
	}
	if idx, ok := s.(feedback.DueComplaintIndex); ok {
		out["ComplaintsDueBefore"] = errs(idx.ComplaintsDueBefore(ctx, at(1000*time.Hour)))
	}
	return out
}

// errs turns a stream into one of its errors only.
func errs[T any](seq iter.Seq2[T, error]) func(func(error) bool) {
	return func(yield func(error) bool) {
		for _, err := range seq {
			if !yield(err) {
				return
			}
		}
	}
}

func seedTwo(t *testing.T, s feedback.Store) {
	seed(t, s, "cust-1")
	ctx := t.Context()
	require.NoError(t, s.CreateComplaint(ctx, newComplaint("c-2", "cust-1", at(time.Minute))))
	require.NoError(t, s.AddResponse(ctx, newResponse("r-2", "cust-1", at(time.Minute))))
	require.NoError(t, s.CreateReview(ctx, newReview("rv-2", "cust-1", "SKU-1", at(time.Minute))))
	require.NoError(t, s.CreateFollowUp(ctx, newFollowUp("f-2", "cust-1", "store-1", "", at(time.Minute))))
	require.NoError(t, s.CreateSurvey(ctx, newSurvey("s-1")))
	require.NoError(t, s.CreateSurvey(ctx, newSurvey("s-2")))
}

func iterCancelled(t *testing.T, s feedback.Store) {
	seedTwo(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for name, seq := range streams(s, ctx) {
		var last error
		n := 0
		for err := range seq {
			n++
			if err != nil {
				last = err
			}
		}
		assert.ErrorIsf(t, last, context.Canceled, "%s must report the cancelled context", name)
		assert.LessOrEqualf(t, n, 3, "%s kept going after the cancellation", name)
	}
}

func iterBreak(t *testing.T, s feedback.Store) {
	seedTwo(t, s)
	for name, seq := range streams(s, t.Context()) {
		n := 0
		for err := range seq {
			require.NoErrorf(t, err, "%s", name)
			n++
			break
		}
		assert.Equalf(t, 1, n, "%s", name)
	}
	// The store still works after an abandoned stream.
	require.NoError(t, s.CreateComplaint(t.Context(), newComplaint("c-3", "cust-1", at(0))))
}

func iterCancelledMidway(t *testing.T, s feedback.Store) {
	seedTwo(t, s)
	for name := range streams(s, t.Context()) {
		ctx, cancel := context.WithCancel(t.Context())
		seq := streams(s, ctx)[name]
		var items int
		var last error
		for err := range seq {
			if err != nil {
				last = err
				continue
			}
			items++
			cancel() // after the first item
		}
		cancel()
		assert.Equalf(t, 1, items, "%s yielded items after the cancellation", name)
		assert.ErrorIsf(t, last, context.Canceled, "%s must end with the cancellation", name)
	}
}
