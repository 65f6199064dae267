package feedback_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
)

// Issue 21: one survey the customer has no consent for must not hide
// another they have; within a survey every matching rule's channel is
// tried in order.
func TestInviteOnTriggerTriesEverySurveyAndChannel(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{}
	clock.Set(sh(t, 2026, 11, 20, 10, 0))
	svc, err := feedback.New(feedback.NewMemoryStore(), loadPolicy(t), &feedback.Options{
		Clock:   clock.Now,
		Consent: consentBook{"cust-1": customer.ContactEmail, "cust-2": customer.ContactEmail, "cust-3": customer.ContactPhone},
	})
	require.NoError(t, err)
	survey := func(id string, channels ...customer.ContactChannel) feedback.Survey {
		sv := postPurchaseSurvey()
		sv.ID, sv.Invitations = id, nil
		for _, ch := range channels {
			sv.Invitations = append(sv.Invitations, feedback.InvitationRule{Trigger: feedback.TriggerPurchase, Channel: ch})
		}
		return sv
	}
	for _, sv := range []feedback.Survey{survey("a-sms", customer.ContactSMS), survey("b-email", customer.ContactEmail)} {
		_, err := svc.CreateSurvey(ctx, sv)
		require.NoError(t, err)
	}

	p := purchase("p-1", 300)
	out, evs, err := svc.InviteAfterPurchase(ctx, p)
	require.NoError(t, err)
	require.True(t, out.Invited, "b-email invites though a-sms has no consent")
	assert.Equal(t, "b-email", out.Invitation.SurveyID)
	assert.Equal(t, customer.ContactEmail, out.Invitation.Channel)
	assert.Equal(t, []feedback.SurveyDecline{{SurveyID: "a-sms", Reason: feedback.DeclinedNoConsent}}, out.Declined)
	assert.Equal(t, []string{"survey.invitation-due"}, eventNames(evs))

	again, _, err := svc.InviteAfterPurchase(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, out, again, "a replayed trigger is the same outcome")

	// cust-3 consented to phone only: every survey says why it declined.
	p3 := purchase("p-3", 300)
	p3.CustomerID = "cust-3"
	out, evs, err = svc.InviteAfterPurchase(ctx, p3)
	require.NoError(t, err)
	assert.False(t, out.Invited)
	assert.Empty(t, evs)
	assert.Equal(t, feedback.DeclinedNoConsent, out.Reason())
	assert.Equal(t, []feedback.SurveyDecline{
		{SurveyID: "a-sms", Reason: feedback.DeclinedNoConsent}, {SurveyID: "b-email", Reason: feedback.DeclinedNoConsent},
	}, out.Declined)

	// One survey with an SMS rule then an email rule: the email one is used.
	_, err = svc.CreateSurvey(ctx, survey("c-both", customer.ContactSMS, customer.ContactEmail))
	require.NoError(t, err)
	inv, declined, _, err := svc.Invite(ctx, feedback.InvitationRequest{SurveyID: "c-both", CustomerID: "cust-2", Trigger: feedback.TriggerPurchase, Reference: "p-2"})
	require.NoError(t, err)
	require.Empty(t, declined)
	assert.Equal(t, customer.ContactEmail, inv.Channel)
}

// Issue 21 (DESIGN.md §2): a follow-up key reused with another payload is
// ErrIdempotencyMismatch, never the first caller's follow-up.
func TestFollowUpKeysRefuseAnotherPayload(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	due := sh(t, 2026, 11, 25, 10, 0)
	first := feedback.FollowUp{ID: "fu-1", CustomerID: "cust-1", Kind: feedback.FollowUpDelivery, Store: "store-1", DueAt: due}
	_, evs, err := f.svc.ScheduleFollowUp(ctx, first)
	require.NoError(t, err)
	require.Len(t, evs, 1)

	f.clock.Set(f.clock.Now().Add(time.Hour))
	got, evs, err := f.svc.ScheduleFollowUp(ctx, first)
	require.NoError(t, err, "a replay, even with the creation time left to the service")
	assert.Empty(t, evs)
	assert.Equal(t, "cust-1", got.CustomerID)

	for name, change := range map[string]func(*feedback.FollowUp){
		"customer": func(x *feedback.FollowUp) { x.CustomerID = "cust-2" },
		"store":    func(x *feedback.FollowUp) { x.Store = "store-2" },
		"kind":     func(x *feedback.FollowUp) { x.Kind = feedback.FollowUpInstallation },
		"due":      func(x *feedback.FollowUp) { x.DueAt = due.Add(24 * time.Hour) },
		"staff":    func(x *feedback.FollowUp) { x.Staff = "bob" },
	} {
		other := first
		change(&other)
		_, evs, err := f.svc.ScheduleFollowUp(ctx, other)
		assert.ErrorIs(t, err, feedback.ErrIdempotencyMismatch, name)
		assert.Empty(t, evs, name)
	}

	_, ok, _, err := f.svc.ScheduleAfterPurchase(ctx, purchase("p-9", 9000))
	require.NoError(t, err)
	require.True(t, ok)
	other := purchase("p-9", 9000)
	other.CustomerID = "cust-2"
	_, ok, evs, err = f.svc.ScheduleAfterPurchase(ctx, other)
	assert.ErrorIs(t, err, feedback.ErrIdempotencyMismatch, "the same purchase ID for another customer")
	assert.False(t, ok)
	assert.Empty(t, evs)
	_, ok, _, err = f.svc.ScheduleAfterPurchase(ctx, purchase("p-9", 9000))
	require.NoError(t, err, "the true replay still succeeds")
	assert.True(t, ok)
}

// Issue 21: every intake refuses a timestamp more than MaxClockAhead
// after the service clock; one within it is taken.
func TestIntakesRefuseTimesAhead(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	now := f.clock.Now()
	late, ok := now.Add(feedback.MaxClockAhead+time.Second), now.Add(feedback.MaxClockAhead)

	for _, tc := range []struct {
		name  string
		field string
		do    func(at time.Time, id string) error
	}{
		{"complaint", "receivedAt", func(at time.Time, id string) error {
			in := intake(id, feedback.PriorityNormal)
			in.ReceivedAt = at
			_, _, err := f.svc.ReceiveComplaint(ctx, in)
			return err
		}},
		{"response", "time", func(at time.Time, id string) error {
			_, _, err := f.svc.SubmitResponse(ctx, feedback.Response{ID: id, SurveyID: "post-purchase", Channel: feedback.ChannelSMS, Time: at, Answers: []feedback.Answer{{QuestionID: "nps", Score: 9}}})
			return err
		}},
		{"review", "time", func(at time.Time, id string) error {
			_, _, err := f.svc.SubmitReview(ctx, feedback.Review{ID: id, SKU: "KETTLE", Rating: 4, Time: at})
			return err
		}},
		{"invitation", "at", func(at time.Time, id string) error {
			_, _, _, err := f.svc.Invite(ctx, feedback.InvitationRequest{SurveyID: "post-purchase", CustomerID: "cust-" + id, Trigger: feedback.TriggerPurchase, Reference: id, At: at, Total: decimal.NewFromInt(300), Currency: "CNY"})
			return err
		}},
		{"follow-up", "createdAt", func(at time.Time, id string) error {
			_, _, err := f.svc.ScheduleFollowUp(ctx, feedback.FollowUp{ID: id, CustomerID: "cust-1", Kind: feedback.FollowUpDelivery, Store: "store-1", CreatedAt: at, DueAt: at.Add(48 * time.Hour)})
			return err
		}},
		{"purchase follow-up", "time", func(at time.Time, id string) error {
			p := purchase(id, 9000)
			p.Time = at
			_, _, _, err := f.svc.ScheduleAfterPurchase(ctx, p)
			return err
		}},
		{"remedy", "at", func(at time.Time, id string) error {
			_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-"+id, feedback.PriorityNormal))
			require.NoError(t, err)
			_, _, err = f.svc.AddRemedy(ctx, "c-"+id, feedback.Remedy{ID: id, Kind: feedback.RemedyApology, Actor: "bob", At: at})
			return err
		}},
		{"follow-up outcome", "at", func(at time.Time, id string) error {
			_, _, err := f.svc.ScheduleFollowUp(ctx, feedback.FollowUp{ID: "fu-" + id, CustomerID: "cust-1", Kind: feedback.FollowUpDelivery, Store: "store-1", DueAt: now})
			require.NoError(t, err)
			_, _, err = f.svc.CompleteFollowUp(ctx, "fu-"+id, feedback.FollowUpOutcome{Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "bob", At: at})
			return err
		}},
	} {
		err := tc.do(late, tc.name+"-late")
		require.ErrorIs(t, err, feedback.ErrInvalid, tc.name)
		assert.Equal(t, []string{tc.field}, fieldsOf(err), tc.name)
		assert.NoError(t, tc.do(ok, tc.name+"-ok"), tc.name)
	}
}

// Issue 21: an illegal step names the complaint once; NextStatus, which
// has no complaint, names none.
func TestTransitionErrorsNameTheRecordOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("w1", feedback.PriorityNormal))
	require.NoError(t, err)
	_, _, err = f.svc.Apply(ctx, "w1", feedback.Step{Action: feedback.ActionClose, Actor: "bob"})
	require.ErrorIs(t, err, feedback.ErrIllegalTransition)
	assert.Equal(t, "feedback: complaint w1: cannot close when received", err.Error())

	_, err = feedback.NextStatus(feedback.StatusReceived, false, feedback.ActionClose)
	assert.Equal(t, "feedback: complaint: cannot close when received", err.Error())

	_, _, err = f.svc.ScheduleFollowUp(ctx, feedback.FollowUp{ID: "fu", CustomerID: "cust-1", Kind: feedback.FollowUpDelivery, Store: "store-1", DueAt: f.clock.Now()})
	require.NoError(t, err)
	_, _, err = f.svc.CancelFollowUp(ctx, "fu", "bob", "")
	require.NoError(t, err)
	_, _, err = f.svc.CompleteFollowUp(ctx, "fu", feedback.FollowUpOutcome{Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "bob"})
	require.ErrorIs(t, err, feedback.ErrIllegalTransition)
	assert.Equal(t, "feedback: follow-up fu: cannot complete when cancelled", err.Error())
}

// Issue 21: the parsers' errors match ErrInvalid.
func TestParsersErrorsMatchErrInvalid(t *testing.T) {
	_, err := feedback.ParseClockTime("9:00")
	assert.ErrorIs(t, err, feedback.ErrInvalid)
	_, err = feedback.ParseClockTime("25:00")
	assert.ErrorIs(t, err, feedback.ErrInvalid)
	_, err = feedback.ParseSpan("09:00")
	assert.ErrorIs(t, err, feedback.ErrInvalid)
	_, err = feedback.ParseSpan("09:00-9:30")
	assert.ErrorIs(t, err, feedback.ErrInvalid)
	_, err = feedback.ParseDate("2026-02-30")
	assert.ErrorIs(t, err, feedback.ErrInvalid)
	var se *feedback.SyntaxError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "feedback: date must be YYYY-MM-DD and exist", err.Error())
}

// Issue 21: an inverted pause is refused, not counted backwards.
func TestDeadlineRefusesInvertedPause(t *testing.T) {
	cal := loadPolicy(t).Calendar
	start := sh(t, 2026, 11, 16, 9, 0) // a Monday
	clean, _, err := cal.Deadline(start, 4*time.Hour, nil)
	require.NoError(t, err)
	_, _, err = cal.Deadline(start, 4*time.Hour, []feedback.Interval{{Start: sh(t, 2026, 11, 16, 12, 0), End: sh(t, 2026, 11, 16, 10, 0)}})
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"pauses[0].end"}, fieldsOf(err))
	due, _, err := cal.Deadline(start, 4*time.Hour, []feedback.Interval{{Start: sh(t, 2026, 11, 16, 10, 0), End: sh(t, 2026, 11, 16, 10, 0)}})
	require.NoError(t, err, "an empty pause is fine")
	assert.True(t, clean.Equal(due))
}

// Issue 21: an empty policy reports every missing field, and an overnight
// span is one problem, not three.
func TestParseSLAPolicyReportsEachProblemOnce(t *testing.T) {
	_, err := feedback.ParseSLAPolicy([]byte(`{}`))
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.ElementsMatch(t, []string{"name", "timeZone", "week", "targets"}, fieldsOf(err))

	_, err = feedback.ParseSLAPolicy([]byte(`{"name":"night","timeZone":"UTC","week":{"monday":["22:00-06:00"]},"targets":{"low":{"firstResponse":"1h","resolution":"8h"}}}`))
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"week.monday[0]"}, fieldsOf(err))

	_, err = feedback.ParseSLAPolicy([]byte(`{"name":"x","timeZone":"UTC","week":{"monday":["09:00-17:00","bad","08:00-09:00"]},"targets":{"low":{"firstResponse":"soon","resolution":"8h"}}}`))
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.ElementsMatch(t, []string{"week.monday[1]", "week.monday[2]", "targets.low.firstResponse"}, fieldsOf(err),
		"spans keep their JSON index after one that does not parse")

	_, err = feedback.ParseSLAPolicy([]byte(`{"name":"x","timeZone":"UTC","week":{"monday":["09:00-17:00"]},"targets":{"low":{"firstResponse":"1h","resolution":"8h","resolution":"80h"}}}`))
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"targets.low.resolution"}, fieldsOf(err), "a key given twice")
}
