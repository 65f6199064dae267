package feedbacktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

func linkRules() []rule {
	return []rule{
		{"Reassign", "MovesEveryRecordAndBumpsVersions", reassign},
		{"Reassign", "IsIdempotent", reassignTwice},
		{"Redact", "ClearsFreeTextKeepsScoresAndBumpsVersions", redact},
		{"Redact", "IsIdempotentAndTouchesNobodyElse", redactTwice},
	}
}

// seed gives a customer a record of every kind, the ID suffix naming the
// customer.
func seed(t *testing.T, s feedback.Store, cust string) {
	ctx := t.Context()
	require.NoError(t, s.CreateComplaint(ctx, newComplaint("c-"+cust, cust, at(0))))
	require.NoError(t, s.AddResponse(ctx, newResponse("r-"+cust, cust, at(time.Hour))))
	require.NoError(t, s.CreateReview(ctx, newReview("rv-"+cust, cust, "SKU-1", at(2*time.Hour))))
	f := doneFollowUp("f-"+cust, cust, at(3*time.Hour))
	f.CancelNote = "was cancelled once"
	require.NoError(t, s.CreateFollowUp(ctx, f))
}

func reassign(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	seed(t, s, "dup")
	seed(t, s, "keep")
	require.NoError(t, s.Reassign(ctx, "dup", "keep"))

	assert.Equal(t, []string{"c-keep", "c-dup"}, complaintIDs(kit.Collect(t, s.ComplaintsOf(ctx, "keep"))), "same time, ID descending")
	assert.Empty(t, kit.Collect(t, s.ComplaintsOf(ctx, "dup")))
	assert.ElementsMatch(t, []string{"r-dup", "r-keep"}, responseIDs(kit.Collect(t, s.ResponsesOf(ctx, "keep"))))
	assert.Empty(t, kit.Collect(t, s.ResponsesOf(ctx, "dup")))
	assert.ElementsMatch(t, []string{"rv-dup", "rv-keep"}, reviewIDs(kit.Collect(t, s.ReviewsOf(ctx, "keep"))))
	assert.Empty(t, kit.Collect(t, s.ReviewsOf(ctx, "dup")))
	assert.ElementsMatch(t, []string{"f-dup", "f-keep"}, followUpIDs(kit.Collect(t, s.FollowUps(ctx, feedback.FollowUpFilter{CustomerID: "keep"}))))
	assert.Empty(t, kit.Collect(t, s.FollowUps(ctx, feedback.FollowUpFilter{CustomerID: "dup"})))

	c, err := s.GetComplaint(ctx, "c-dup")
	require.NoError(t, err)
	want := newComplaint("c-dup", "keep", at(0))
	want.Version = 2
	assertComplaint(t, want, c)
	r, err := s.GetResponse(ctx, "r-dup")
	require.NoError(t, err)
	assert.Equal(t, "keep", r.Response.CustomerID)
	assert.Equal(t, "hash-r-dup", r.Hash, "the request hash stays")
	rv, err := s.GetReview(ctx, "rv-dup")
	require.NoError(t, err)
	assert.Equal(t, "keep", rv.CustomerID)
	assert.Equal(t, int64(2), rv.Version)
	f, err := s.GetFollowUp(ctx, "f-dup")
	require.NoError(t, err)
	assert.Equal(t, "keep", f.CustomerID)
	assert.Equal(t, int64(2), f.Version)

	// The survivor's own records are untouched.
	c, err = s.GetComplaint(ctx, "c-keep")
	require.NoError(t, err)
	assert.Equal(t, int64(1), c.Version)
}

func reassignTwice(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	seed(t, s, "dup")
	require.NoError(t, s.Reassign(ctx, "dup", "keep"))
	require.NoError(t, s.Reassign(ctx, "dup", "keep"))
	c, err := s.GetComplaint(ctx, "c-dup")
	require.NoError(t, err)
	assert.Equal(t, int64(2), c.Version, "the second call changes nothing")
	rv, err := s.GetReview(ctx, "rv-dup")
	require.NoError(t, err)
	assert.Equal(t, int64(2), rv.Version)
	require.NoError(t, s.Reassign(ctx, "nobody", "keep"), "a customer without records")
}

func redact(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	seed(t, s, "gone")
	require.NoError(t, s.Redact(ctx, "gone"))

	c, err := s.GetComplaint(ctx, "c-gone")
	require.NoError(t, err)
	want := newComplaint("c-gone", "gone", at(0))
	want.Redact()
	want.Version = 2
	assertComplaint(t, want, c)

	r, err := s.GetResponse(ctx, "r-gone")
	require.NoError(t, err)
	wantR := newResponse("r-gone", "gone", at(time.Hour))
	wantR.Response.Redact()
	assertResponse(t, wantR.Response, r.Response)
	assert.Equal(t, 8, r.Response.Answers[0].Score)

	rv, err := s.GetReview(ctx, "rv-gone")
	require.NoError(t, err)
	wantRv := newReview("rv-gone", "gone", "SKU-1", at(2*time.Hour))
	wantRv.Redact()
	wantRv.Version = 2
	assertReview(t, wantRv, rv)

	f, err := s.GetFollowUp(ctx, "f-gone")
	require.NoError(t, err)
	wantF := doneFollowUp("f-gone", "gone", at(3*time.Hour))
	wantF.Redact()
	wantF.Version = 2
	assertFollowUp(t, wantF, f)
}

func redactTwice(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	seed(t, s, "gone")
	seed(t, s, "stays")
	require.NoError(t, s.Redact(ctx, "gone"))
	require.NoError(t, s.Redact(ctx, "gone"))
	c, err := s.GetComplaint(ctx, "c-gone")
	require.NoError(t, err)
	assert.Equal(t, int64(2), c.Version, "nothing left to clear, nothing written")
	f, err := s.GetFollowUp(ctx, "f-gone")
	require.NoError(t, err)
	assert.Equal(t, int64(2), f.Version)

	other, err := s.GetComplaint(ctx, "c-stays")
	require.NoError(t, err)
	assertComplaint(t, newComplaint("c-stays", "stays", at(0)), other)
	r, err := s.GetResponse(ctx, "r-stays")
	require.NoError(t, err)
	assertResponse(t, newResponse("r-stays", "stays", at(time.Hour)).Response, r.Response)
}
