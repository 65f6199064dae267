package feedback_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
)

// seedCustomer gives a customer one of every feedback record.
func seedCustomer(t *testing.T, f *fixture, id string) {
	t.Helper()
	ctx := context.Background()
	in := intake("c-"+id, feedback.PriorityNormal)
	in.CustomerID = id
	_, _, err := f.svc.ReceiveComplaint(ctx, in)
	require.NoError(t, err)
	_, _, err = f.svc.Apply(ctx, "c-"+id, feedback.Step{Action: feedback.ActionAcknowledge, Actor: "bob", Note: "called " + id})
	require.NoError(t, err)
	_, _, err = f.svc.AddRemedy(ctx, "c-"+id, feedback.Remedy{ID: "r", Kind: feedback.RemedyApology, Actor: "bob", Note: "said sorry to " + id})
	require.NoError(t, err)
	_, _, err = f.svc.SubmitResponse(ctx, feedback.Response{ID: "resp-" + id, SurveyID: "post-purchase", CustomerID: id, Channel: "sms",
		Answers: []feedback.Answer{{QuestionID: "nps", Score: 4}, {QuestionID: "comment", Text: "my name is " + id}}})
	require.NoError(t, err)
	_, _, err = f.svc.SubmitReview(ctx, feedback.Review{ID: "rv-" + id, SKU: "KETTLE", CustomerID: id, Rating: 3, Title: "hm", Text: "so-so"})
	require.NoError(t, err)
	_, _, err = f.svc.ScheduleFollowUp(ctx, feedback.FollowUp{ID: "f-" + id, CustomerID: id, Kind: feedback.FollowUpDelivery, Store: "store-1", DueAt: f.clock.Now()})
	require.NoError(t, err)
	_, _, err = f.svc.CompleteFollowUp(ctx, "f-"+id, feedback.FollowUpOutcome{Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "bob", Note: "spoke to " + id})
	require.NoError(t, err)
	_, declined, _, err := f.svc.Invite(ctx, feedback.InvitationRequest{SurveyID: "post-purchase", CustomerID: id, Trigger: feedback.TriggerComplaintClosed, Reference: "c-" + id})
	require.NoError(t, err)
	require.Empty(t, declined)
}

func TestMergeCustomer(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	seedCustomer(t, f, "dup")
	f.clock.Set(f.clock.Now().Add(3 * 24 * 60 * 60 * 1e9))
	seedCustomer(t, f, "keep")

	hook := func(ctx context.Context, m customer.MergeRecord) error { return f.svc.OnCustomerMerged(ctx, m) }
	for range 2 { // idempotent
		require.NoError(t, hook(ctx, customer.MergeRecord{Survivor: "keep", Duplicate: "dup"}))
		assert.Len(t, collect(t, f.svc.ComplaintsOf(ctx, "keep")), 2)
		assert.Empty(t, collect(t, f.svc.ComplaintsOf(ctx, "dup")))
		assert.Len(t, collect(t, f.svc.ResponsesOf(ctx, "keep")), 2)
		assert.Empty(t, collect(t, f.svc.ResponsesOf(ctx, "dup")))
		assert.Len(t, collect(t, f.store.ReviewsOf(ctx, "keep")), 2)
		assert.Len(t, collect(t, f.store.FollowUps(ctx, feedback.FollowUpFilter{CustomerID: "keep"})), 2)
		assert.Empty(t, collect(t, f.store.FollowUps(ctx, feedback.FollowUpFilter{CustomerID: "dup"})))
		log, err := f.store.GetInvitationLog(ctx, "keep")
		require.NoError(t, err)
		assert.Len(t, log.Invitations, 2, "the duplicate's invitations count for the cool-down")
	}
	c, err := f.svc.GetComplaint(ctx, "c-dup")
	require.NoError(t, err)
	assert.Equal(t, "keep", c.CustomerID)

	// The survivor was invited three days ago through the duplicate.
	_, declined, _, err := f.svc.Invite(ctx, feedback.InvitationRequest{SurveyID: "post-purchase", CustomerID: "keep", Trigger: feedback.TriggerComplaintClosed, Reference: "x"})
	require.NoError(t, err)
	assert.Equal(t, feedback.DeclinedCoolDown, declined)

	assert.ErrorIs(t, f.svc.MergeCustomer(ctx, "keep", "keep"), feedback.ErrInvalid)
}

func TestEraseCustomer(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	seedCustomer(t, f, "gone")
	seedCustomer(t, f, "stays")

	for range 2 { // idempotent
		require.NoError(t, f.svc.EraseCustomer(ctx, "gone"))
		c, err := f.svc.GetComplaint(ctx, "c-gone")
		require.NoError(t, err)
		assert.Empty(t, c.Description)
		assert.Empty(t, c.RemedySought)
		for _, h := range c.History {
			assert.Empty(t, h.Note)
		}
		assert.Empty(t, c.Remedies[0].Note)
		assert.Equal(t, feedback.CategoryProduct, c.Category, "facts stay")
		assert.Equal(t, "gone", c.CustomerID, "under the pseudonymous ID")

		r, err := f.svc.GetResponse(ctx, "resp-gone")
		require.NoError(t, err)
		assert.Empty(t, r.Answers[1].Text)
		nps, _ := r.Score(feedback.KindNPS)
		assert.Equal(t, 4, nps, "scores stay")

		rv, err := f.svc.GetReview(ctx, "rv-gone")
		require.NoError(t, err)
		assert.Empty(t, rv.Title+rv.Text)
		assert.Equal(t, 3, rv.Rating)

		fu, err := f.svc.GetFollowUp(ctx, "f-gone")
		require.NoError(t, err)
		assert.Empty(t, fu.Outcome.Note)
		assert.Equal(t, feedback.ResultReached, fu.Outcome.Result)
	}
	other, err := f.svc.GetComplaint(ctx, "c-stays")
	require.NoError(t, err)
	assert.NotEmpty(t, other.Description, "other customers are untouched")

	// A replayed request with the erased note still replays.
	_, _, err = f.svc.AddRemedy(ctx, "c-gone", feedback.Remedy{ID: "r", Kind: feedback.RemedyApology, Actor: "bob", Note: "said sorry to gone"})
	assert.NoError(t, err)
	assert.ErrorIs(t, f.svc.EraseCustomer(ctx, ""), feedback.ErrInvalid)
}

func TestExportCustomer(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	seedCustomer(t, f, "me")
	seedCustomer(t, f, "you")
	got, err := f.svc.ExportCustomer(ctx, "me")
	require.NoError(t, err)
	assert.Len(t, got.Complaints, 1)
	assert.Len(t, got.Responses, 1)
	assert.Len(t, got.Reviews, 1)
	assert.Len(t, got.FollowUps, 1)
	assert.Len(t, got.Invitations, 1)
	assert.Equal(t, "c-me", got.Complaints[0].ID)
	empty, err := f.svc.ExportCustomer(ctx, "nobody")
	require.NoError(t, err)
	assert.Empty(t, empty.Complaints)
	_, err = f.svc.ExportCustomer(ctx, "")
	assert.ErrorIs(t, err, feedback.ErrInvalid)
}

func TestNoFreeTextInLogsOrFormatting(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	seedCustomer(t, f, "secret")
	c, err := f.svc.GetComplaint(ctx, "c-secret")
	require.NoError(t, err)
	r, err := f.svc.GetResponse(ctx, "resp-secret")
	require.NoError(t, err)
	rv, err := f.svc.GetReview(ctx, "rv-secret")
	require.NoError(t, err)
	fu, err := f.svc.GetFollowUp(ctx, "f-secret")
	require.NoError(t, err)
	var buf strings.Builder
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(h).Info("records", "complaint", c, "response", r, "review", rv, "followUp", fu)
	}
	for _, v := range []any{c, r, rv, fu} {
		buf.WriteString(fmt.Sprintf("%v %+v %#v %s", v, v, v, v))
	}
	for _, text := range []string{"kettle", "called secret", "said sorry", "my name is", "so-so", "spoke to"} {
		assert.NotContains(t, buf.String(), text)
	}
}
