package feedback_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clientele-go/clientele/feedback"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Complaint IDs, and the IDs an intake names, are refused with NUL bytes,
// control characters, invalid UTF-8 or more than MaxIDLen bytes: a replay
// of an ID with invalid UTF-8 would come back with U+FFFD in its place.
func TestComplaintIDsValidated(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		edit  func(*feedback.ComplaintIntake)
		field string
	}{
		{"ID with NUL", func(in *feedback.ComplaintIntake) { in.ID = "c\x001" }, "id"},
		{"ID with invalid UTF-8", func(in *feedback.ComplaintIntake) { in.ID = "c\xff1" }, "id"},
		{"ID too long", func(in *feedback.ComplaintIntake) { in.ID = strings.Repeat("c", feedback.MaxIDLen+1) }, "id"},
		{"customer ID with newline", func(in *feedback.ComplaintIntake) { in.CustomerID = "cust\n1" }, "customerId"},
		{"purchase ID with NUL", func(in *feedback.ComplaintIntake) { in.PurchaseID = "p\x00" }, "purchaseId"},
		{"description with NUL", func(in *feedback.ComplaintIntake) { in.Description = "cold\x00tea" }, "description"},
		{"description with invalid UTF-8", func(in *feedback.ComplaintIntake) { in.Description = "cold \xfe tea" }, "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			in := intake("c-1", feedback.PriorityNormal)
			tt.edit(&in)
			_, _, err := f.svc.ReceiveComplaint(ctx, in)
			require.ErrorIs(t, err, feedback.ErrInvalid)
			assert.Equal(t, []string{tt.field}, fieldsOf(err))
		})
	}
	// Line breaks in a description are fine.
	f := newFixture(t)
	in := intake("c-1", feedback.PriorityNormal)
	in.Description = "The tea was cold.\nThe staff were kind."
	_, _, err := f.svc.ReceiveComplaint(ctx, in)
	assert.NoError(t, err)
}

// A goodwill remedy the ledger could never grant is refused before it is
// recorded, so no remedy is left that no retry can complete.
func TestGoodwillBeyondLedgerRefusedBeforeRecording(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	huge := feedback.Remedy{ID: "r-1", Kind: feedback.RemedyGoodwill, Points: 1 << 50, Actor: "bob"}
	_, evs, err := f.svc.AddRemedy(ctx, "c-1", huge)
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"points"}, fieldsOf(err))
	assert.Empty(t, evs)
	after, err := f.svc.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	assert.Equal(t, c.Version, after.Version, "nothing written")
	assert.Empty(t, after.Remedies)

	// The same ID with a grantable amount is then a fresh request.
	huge.Points = feedback.MaxGoodwillPoints
	after, _, err = f.svc.AddRemedy(ctx, "c-1", huge)
	require.NoError(t, err)
	require.Len(t, after.Remedies, 1)
	assert.True(t, after.Remedies[0].Granted)
}

// Reviews, survey responses and follow-ups refuse IDs with NUL bytes,
// control characters or invalid UTF-8, naming the field, and write
// nothing.
func TestOtherEntryPointsValidateIDs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.SubmitReview(ctx, feedback.Review{ID: "rv\x001", SKU: "KETTLE", CustomerID: "cust-1", Rating: 3})
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"id"}, fieldsOf(err))
	_, _, err = f.svc.SubmitReview(ctx, feedback.Review{ID: "rv-2", SKU: "KET\nTLE", CustomerID: "cust-1", Rating: 3, Text: "ok\x00"})
	assert.ElementsMatch(t, []string{"sku", "text"}, fieldsOf(err))

	_, _, err = f.svc.SubmitResponse(ctx, feedback.Response{ID: "resp-1", SurveyID: "post\xffpurchase", CustomerID: "cust-1"})
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"surveyId"}, fieldsOf(err))

	_, _, err = f.svc.ScheduleFollowUp(ctx, feedback.FollowUp{ID: "f-1", CustomerID: "cust\x00", Kind: feedback.FollowUpDelivery,
		Store: "store-1", DueAt: f.clock.Now()})
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"customerId"}, fieldsOf(err))
	_, err = f.svc.GetFollowUp(ctx, "f-1")
	assert.ErrorIs(t, err, feedback.ErrNotFound, "nothing written")
}
