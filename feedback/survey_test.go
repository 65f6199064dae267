package feedback_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
)

func postPurchaseSurvey() feedback.Survey {
	return feedback.Survey{
		ID: "post-purchase", Name: "After your visit", Active: true,
		Questions: []feedback.Question{
			{ID: "nps", Kind: feedback.KindNPS, Text: "How likely are you to recommend us?", Required: true},
			{ID: "csat", Kind: feedback.KindCSAT, Text: "How satisfied were you?"},
			{ID: "ces", Kind: feedback.KindCES, Text: "How easy was it?"},
			{ID: "stars", Kind: feedback.KindStars, MaxStars: 10, Text: "Rate the store"},
			{ID: "comment", Kind: feedback.KindComment, Text: "Anything else?"},
		},
		Invitations: []feedback.InvitationRule{
			{Trigger: feedback.TriggerPurchase, MinTotal: decimal.NewFromInt(100), Currency: "CNY", Delay: 2 * time.Hour, Channel: customer.ContactSMS},
			{Trigger: feedback.TriggerComplaintClosed, Delay: 24 * time.Hour, Channel: customer.ContactWeChat},
		},
	}
}

func TestSurveyValidate(t *testing.T) {
	require.NoError(t, postPurchaseSurvey().Validate())
	bad := feedback.Survey{
		Questions: []feedback.Question{{ID: "a", Kind: "mood"}, {ID: "a", Kind: feedback.KindStars, MaxStars: 50}, {Kind: feedback.KindNPS, MaxStars: 5}},
		Invitations: []feedback.InvitationRule{
			{Trigger: "birthday", Delay: -time.Hour, MinTotal: decimal.NewFromInt(-1)},
		},
		CoolDown: -time.Hour,
	}
	assert.ElementsMatch(t, []string{
		"id", "name", "questions[0].kind", "questions[1].id", "questions[1].maxStars", "questions[2].id", "questions[2].maxStars",
		"invitations[0].trigger", "invitations[0].minTotal", "invitations[0].minTotal", "invitations[0].delay", "invitations[0].channel", "coolDown",
	}, fieldsOf(bad.Validate()))
}

func TestSubmitResponse(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)

	r := feedback.Response{
		ID: "resp-1", SurveyID: "post-purchase", CustomerID: "cust-1", PurchaseID: "p-1", Store: "store-1", Staff: "alice",
		Channel: feedback.ChannelSMS, Time: sh(t, 2026, 11, 20, 9, 0),
		Answers: []feedback.Answer{{QuestionID: "nps", Score: 9}, {QuestionID: "stars", Score: 10}, {QuestionID: "comment", Text: "lovely staff"}},
	}
	got, evs, err := f.svc.SubmitResponse(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, feedback.KindNPS, got.Answers[0].Kind, "kinds are filled in from the survey")
	nps, ok := got.Score(feedback.KindNPS)
	assert.True(t, ok)
	assert.Equal(t, 9, nps)
	_, ok = got.Score(feedback.KindCSAT)
	assert.False(t, ok)
	require.Len(t, evs, 1)
	assert.Equal(t, 9, evs[0].(feedback.ResponseReceived).NPS)

	_, _, err = f.svc.SubmitResponse(ctx, r)
	require.NoError(t, err, "replay")
	r2 := r.Clone()
	r2.Answers[0].Score = 3
	_, _, err = f.svc.SubmitResponse(ctx, r2)
	assert.ErrorIs(t, err, feedback.ErrIdempotencyMismatch)

	anon := feedback.Response{ID: "resp-2", SurveyID: "post-purchase", Channel: feedback.ChannelInStore, Answers: []feedback.Answer{{QuestionID: "nps", Score: 0}}}
	got, _, err = f.svc.SubmitResponse(ctx, anon)
	require.NoError(t, err)
	assert.True(t, got.Time.Equal(f.clock.Now()), "a response without a time is stamped now")
	assert.Empty(t, got.CustomerID)

	between := collect(t, f.svc.ResponsesBetween(ctx, sh(t, 2026, 11, 20, 0, 0), sh(t, 2026, 11, 21, 0, 0)))
	require.Len(t, between, 2)
	assert.Equal(t, "resp-1", between[0].ID, "oldest first")
	assert.Len(t, collect(t, f.svc.ResponsesOf(ctx, "cust-1")), 1)
}

func TestSubmitResponseValidation(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	tests := []struct {
		name    string
		answers []feedback.Answer
		fields  []string
	}{
		{"nps above 10", []feedback.Answer{{QuestionID: "nps", Score: 11}}, []string{"answers[0].score"}},
		{"csat of 0", []feedback.Answer{{QuestionID: "nps", Score: 5}, {QuestionID: "csat", Score: 0}}, []string{"answers[1].score"}},
		{"ces of 8", []feedback.Answer{{QuestionID: "nps", Score: 5}, {QuestionID: "ces", Score: 8}}, []string{"answers[1].score"}},
		{"stars on a 10 scale", []feedback.Answer{{QuestionID: "nps", Score: 5}, {QuestionID: "stars", Score: 11}}, []string{"answers[1].score"}},
		{"a score on a comment", []feedback.Answer{{QuestionID: "nps", Score: 5}, {QuestionID: "comment", Score: 3}}, []string{"answers[1].score"}},
		{"text on a score", []feedback.Answer{{QuestionID: "nps", Score: 5, Text: "hi"}}, []string{"answers[0].text"}},
		{"unknown question", []feedback.Answer{{QuestionID: "nps", Score: 5}, {QuestionID: "mood", Score: 1}}, []string{"answers[1].questionId"}},
		{"twice", []feedback.Answer{{QuestionID: "nps", Score: 5}, {QuestionID: "nps", Score: 6}}, []string{"answers[1].questionId"}},
		{"required missing", []feedback.Answer{{QuestionID: "csat", Score: 5}}, []string{"answers"}},
		{"no answers", nil, []string{"answers", "answers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.svc.SubmitResponse(ctx, feedback.Response{ID: "x", SurveyID: "post-purchase", Channel: "sms", Answers: tt.answers})
			require.ErrorIs(t, err, feedback.ErrInvalid)
			assert.ElementsMatch(t, tt.fields, fieldsOf(err))
		})
	}
	_, _, err = f.svc.SubmitResponse(ctx, feedback.Response{ID: "x", SurveyID: "nope", Channel: "sms"})
	assert.Equal(t, []string{"surveyId"}, fieldsOf(err))
}

func TestSurveyUpdateIsVersioned(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sv, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	_, err = f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	assert.ErrorIs(t, err, feedback.ErrAlreadyExists)
	sv.Active = false
	updated, err := f.svc.UpdateSurvey(ctx, sv)
	require.NoError(t, err)
	assert.Equal(t, int64(2), updated.Version)
	_, err = f.svc.UpdateSurvey(ctx, sv)
	assert.ErrorIs(t, err, feedback.ErrConflict, "a stale version")
}

func TestInvite(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	req := func(ref string, at time.Time, total int64) feedback.InvitationRequest {
		return feedback.InvitationRequest{SurveyID: "post-purchase", CustomerID: "cust-1", Trigger: feedback.TriggerPurchase, Reference: ref, At: at, Total: decimal.NewFromInt(total), Currency: "CNY"}
	}
	mon := sh(t, 2026, 11, 16, 12, 0)
	f.clock.Set(mon.Add(8 * 24 * time.Hour)) // the triggers below are all in the past

	_, declined, _, err := f.svc.Invite(ctx, req("p-0", mon, 50))
	require.NoError(t, err)
	assert.Equal(t, feedback.DeclinedNoRule, declined, "below the minimum total")

	inv, declined, evs, err := f.svc.Invite(ctx, req("p-1", mon, 300))
	require.NoError(t, err)
	assert.Empty(t, declined)
	assert.Equal(t, "post-purchase:after-purchase:p-1", inv.ID)
	assert.True(t, mon.Add(2*time.Hour).Equal(inv.SendAt))
	assert.Equal(t, customer.ContactSMS, inv.Channel)
	assert.Len(t, evs, 1)

	again, declined, _, err := f.svc.Invite(ctx, req("p-1", mon, 300))
	require.NoError(t, err)
	assert.Empty(t, declined, "a replayed trigger is the same invitation")
	assert.Equal(t, inv, again)

	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{mon.Add(6 * 24 * time.Hour), feedback.DeclinedCoolDown},
		{mon.Add(-6 * 24 * time.Hour), feedback.DeclinedCoolDown}, // a lane syncing late
		{mon.Add(7 * 24 * time.Hour), ""},
	} {
		_, declined, _, err := f.svc.Invite(ctx, req("p-"+tc.at.Format("0102"), tc.at, 300))
		require.NoError(t, err)
		assert.Equal(t, tc.want, declined, "at %s", tc.at)
	}

	_, declined, _, err = f.svc.Invite(ctx, feedback.InvitationRequest{SurveyID: "post-purchase", Trigger: feedback.TriggerPurchase, Reference: "p-9"})
	require.NoError(t, err)
	assert.Equal(t, feedback.DeclinedAnonymous, declined)
	_, _, _, err = f.svc.Invite(ctx, feedback.InvitationRequest{CustomerID: "c"})
	assert.ElementsMatch(t, []string{"surveyId", "reference"}, fieldsOf(err))
}

func TestInviteRaceInvitesOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	const n = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	invited := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, declined, _, err := f.svc.Invite(ctx, feedback.InvitationRequest{
				SurveyID: "post-purchase", CustomerID: "cust-1", Trigger: feedback.TriggerComplaintClosed,
				Reference: string(rune('a' + i)), At: f.clock.Now(),
			})
			assert.NoError(t, err)
			if declined == "" {
				mu.Lock()
				invited++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, invited, "two lanes never both invite inside a cool-down")
}

// consentBook grants survey consent per customer and channel.
type consentBook map[string]customer.ContactChannel

func (b consentBook) CanContact(_ context.Context, id string, purpose customer.Purpose, ch customer.ContactChannel, _ time.Time) (bool, error) {
	return purpose == customer.PurposeSurveys && b[id] == ch, nil
}

func TestInviteOnTriggers(t *testing.T) {
	ctx := context.Background()
	st := feedback.NewMemoryStore()
	clock := &fakeClock{}
	clock.Set(sh(t, 2026, 11, 20, 10, 0))
	svc, err := feedback.New(st, loadPolicy(t), &feedback.Options{
		Clock:   clock.Now,
		Consent: consentBook{"cust-1": customer.ContactWeChat, "cust-2": customer.ContactSMS},
	})
	require.NoError(t, err)
	_, err = svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)

	// cust-1 consented to WeChat only: the purchase rule sends SMS.
	p := purchase("p-1", 300)
	out, _, err := svc.InviteAfterPurchase(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, feedback.DeclinedNoConsent, out.Reason())
	assert.Equal(t, []feedback.SurveyDecline{{SurveyID: "post-purchase", Reason: feedback.DeclinedNoConsent}}, out.Declined)
	p.CustomerID = "cust-2"
	out, evs, err := svc.InviteAfterPurchase(ctx, p)
	require.NoError(t, err)
	assert.True(t, out.Invited)
	assert.Empty(t, out.Reason())
	assert.Equal(t, "post-purchase:after-purchase:p-1", out.Invitation.ID)
	assert.Equal(t, []string{"survey.invitation-due"}, eventNames(evs))

	// Closing cust-1's complaint invites on WeChat, once.
	_, _, err = svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	for _, a := range pathTo[flowState{feedback.StatusResolved, false}] {
		_, _, err = svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob"})
		require.NoError(t, err)
	}
	_, evs, err = svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionClose, Actor: "bob", RequestID: "close-1"})
	require.NoError(t, err)
	require.Equal(t, []string{"complaint.transitioned", "survey.invitation-due"}, eventNames(evs))
	got := evs[1].(feedback.SurveyInvitationDue).Invitation
	assert.Equal(t, "post-purchase:after-complaint-closed:c-1:0", got.ID)
	assert.Equal(t, customer.ContactWeChat, got.Channel)
	assert.True(t, clock.Now().Add(24*time.Hour).Equal(got.SendAt))
	_, evs, err = svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionClose, Actor: "bob", RequestID: "close-1"})
	require.NoError(t, err)
	assert.Equal(t, got, evs[1].(feedback.SurveyInvitationDue).Invitation, "a replayed close returns the same invitation")
	log, err := st.GetInvitationLog(ctx, "cust-1")
	require.NoError(t, err)
	assert.Len(t, log.Invitations, 1)

	out, _, err = svc.InviteOnTrigger(ctx, feedback.InvitationRequest{CustomerID: "cust-2", Trigger: "birthday", Reference: "x"})
	require.NoError(t, err)
	assert.Equal(t, feedback.DeclinedNoRule, out.Reason())
	assert.Empty(t, out.Declined)
}

func TestReplayedCloseAfterReopenInvitesNobodyNew(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.svc.CreateSurvey(ctx, postPurchaseSurvey())
	require.NoError(t, err)
	_, _, err = f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	for _, a := range pathTo[flowState{feedback.StatusResolved, false}] {
		_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob"})
		require.NoError(t, err)
	}
	_, evs, err := f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionClose, Actor: "bob", RequestID: "close-1"})
	require.NoError(t, err)
	first := evs[1].(feedback.SurveyInvitationDue).Invitation
	_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionReopen, Actor: "bob"})
	require.NoError(t, err)
	_, evs, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionClose, Actor: "bob", RequestID: "close-1"})
	require.NoError(t, err, "the replay of the first close")
	require.Len(t, evs, 2)
	assert.Equal(t, first, evs[1].(feedback.SurveyInvitationDue).Invitation)
	log, err := f.store.GetInvitationLog(ctx, "cust-1")
	require.NoError(t, err)
	assert.Len(t, log.Invitations, 1)
}
