package feedback_test

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
)

func purchase(id string, total int64, tags ...string) customer.Purchase {
	return customer.Purchase{
		ID: id, CustomerID: "cust-1", Store: "store-1", Channel: customer.ChannelInStore, Staff: "alice",
		Time: time.Date(2026, 11, 20, 1, 30, 0, 0, time.UTC), Currency: "CNY",
		Lines: []customer.Line{{SKU: "FRIDGE", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(total), Total: decimal.NewFromInt(total), Tags: tags}},
	}
}

func TestScheduleAfterPurchase(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, ok, _, err := f.svc.ScheduleAfterPurchase(ctx, purchase("p-small", 4999))
	require.NoError(t, err)
	assert.False(t, ok, "below the big-ticket amount")
	anon := purchase("p-anon", 9000)
	anon.CustomerID = ""
	_, ok, _, err = f.svc.ScheduleAfterPurchase(ctx, anon)
	require.NoError(t, err)
	assert.False(t, ok)

	fu, ok, evs, err := f.svc.ScheduleAfterPurchase(ctx, purchase("p-1", 5000, "installation"))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, feedback.FollowUpInstallation, fu.Kind)
	assert.Equal(t, "2026-11-23 00:00:00 +0800 CST", fu.DueAt.String(), "three days after 23:30 Shanghai time, at the start of that day")
	assert.Equal(t, []string{"follow-up.scheduled"}, eventNames(evs))
	_, ok, evs, err = f.svc.ScheduleAfterPurchase(ctx, purchase("p-1", 5000, "installation"))
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Empty(t, evs, "a replay schedules nothing new")

	fu, _, _, err = f.svc.ScheduleAfterPurchase(ctx, purchase("p-2", 8000))
	require.NoError(t, err)
	assert.Equal(t, feedback.FollowUpDelivery, fu.Kind)
}

func TestFollowUpAfterResolution(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	var evs []feedback.Event
	for _, a := range []feedback.Action{feedback.ActionAcknowledge, feedback.ActionInvestigate, feedback.ActionResolve} {
		_, evs, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob", RequestID: string(a)})
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"complaint.transitioned", "follow-up.scheduled"}, eventNames(evs))
	fu, err := f.svc.GetFollowUp(ctx, "complaint:c-1:1")
	require.NoError(t, err)
	assert.Equal(t, feedback.FollowUpComplaint, fu.Kind)
	assert.Equal(t, "bob", fu.Staff)
	assert.True(t, f.clock.Now().Add(48*time.Hour).Equal(fu.DueAt))

	_, evs, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionResolve, Actor: "bob", RequestID: "resolve"})
	require.NoError(t, err)
	assert.Equal(t, []string{"complaint.transitioned"}, eventNames(evs), "a replayed resolution schedules nothing new")

	// A second resolution after a reopen gets its own follow-up.
	for _, a := range []feedback.Action{feedback.ActionReopen, feedback.ActionResolve} {
		_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob"})
		require.NoError(t, err)
	}
	_, err = f.svc.GetFollowUp(ctx, "complaint:c-1:2")
	assert.NoError(t, err)
}

func TestDueListsAndCompletion(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	mk := func(id, store, staff string, due time.Time) {
		_, _, err := f.svc.ScheduleFollowUp(ctx, feedback.FollowUp{ID: id, CustomerID: "cust-1", Kind: feedback.FollowUpDelivery, Store: store, Staff: staff, DueAt: due})
		require.NoError(t, err)
	}
	now := f.clock.Now()
	mk("f-1", "store-1", "alice", now.Add(-2*time.Hour))
	mk("f-2", "store-1", "bob", now.Add(-time.Hour))
	mk("f-3", "store-1", "alice", now.Add(time.Hour))
	mk("f-4", "store-2", "alice", now.Add(-time.Hour))

	ids := func(seq iter.Seq2[feedback.FollowUp, error]) []string {
		var out []string
		for _, fu := range collect(t, seq) {
			out = append(out, fu.ID)
		}
		return out
	}
	assert.Equal(t, []string{"f-1", "f-2"}, ids(f.svc.DueFollowUps(ctx, "store-1", "", now)))
	assert.Equal(t, []string{"f-1"}, ids(f.svc.DueFollowUps(ctx, "store-1", "alice", now)))
	assert.Equal(t, []string{"f-1", "f-3"}, ids(f.svc.DueFollowUps(ctx, "store-1", "alice", now.Add(2*time.Hour))))

	evs, err := f.svc.Scan(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"follow-up.due", "follow-up.due", "follow-up.due"}, eventNames(evs))
	evs, err = f.svc.Scan(ctx)
	require.NoError(t, err)
	assert.Empty(t, evs, "each follow-up is announced once")

	out := feedback.FollowUpOutcome{Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "alice", Note: "fridge works", Satisfaction: 5}
	fu, evs, err := f.svc.CompleteFollowUp(ctx, "f-1", out)
	require.NoError(t, err)
	assert.Equal(t, feedback.FollowUpDone, fu.Status)
	assert.Equal(t, "feedback-followup:f-1", fu.Outcome.InteractionID)
	assert.Equal(t, []string{"follow-up.completed"}, eventNames(evs))
	in := f.log.byID["feedback-followup:f-1"]
	assert.Equal(t, customer.KindFollowUp, in.Kind)
	assert.Equal(t, customer.Outbound, in.Direction)
	assert.Equal(t, "cust-1", in.CustomerID)
	assert.Equal(t, "f-1", in.Reference)
	assert.Equal(t, "reached: fridge works", in.Outcome)

	_, _, err = f.svc.CompleteFollowUp(ctx, "f-1", out)
	require.NoError(t, err, "replay")
	out.Result = feedback.ResultNoAnswer
	_, _, err = f.svc.CompleteFollowUp(ctx, "f-1", out)
	assert.ErrorIs(t, err, feedback.ErrIllegalTransition)
	assert.Equal(t, []string{"f-2"}, ids(f.svc.DueFollowUps(ctx, "store-1", "", now)))

	// A failed interaction log leaves the follow-up open; the retry
	// completes it.
	f.log.fail = errors.New("customer store down")
	_, _, err = f.svc.CompleteFollowUp(ctx, "f-2", out)
	require.Error(t, err)
	fu, err = f.svc.GetFollowUp(ctx, "f-2")
	require.NoError(t, err)
	assert.Equal(t, feedback.FollowUpOpen, fu.Status)
	f.log.fail = nil
	_, _, err = f.svc.CompleteFollowUp(ctx, "f-2", out)
	require.NoError(t, err)

	_, _, err = f.svc.CompleteFollowUp(ctx, "f-3", feedback.FollowUpOutcome{Result: "meh", Satisfaction: 9})
	assert.ElementsMatch(t, []string{"result", "channel", "staff", "satisfaction"}, fieldsOf(err))

	_, evs, err = f.svc.CancelFollowUp(ctx, "f-3", "alice", "customer moved")
	require.NoError(t, err)
	assert.Equal(t, []string{"follow-up.cancelled"}, eventNames(evs))
	_, evs, err = f.svc.CancelFollowUp(ctx, "f-3", "alice", "customer moved")
	require.NoError(t, err)
	assert.Empty(t, evs)
	_, _, err = f.svc.CancelFollowUp(ctx, "f-1", "alice", "")
	assert.ErrorIs(t, err, feedback.ErrIllegalTransition)
	_, _, err = f.svc.CompleteFollowUp(ctx, "f-3", out)
	assert.ErrorIs(t, err, feedback.ErrIllegalTransition)
}

func TestScheduleInactive(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	asOf := f.clock.Now()
	visits := func(yield func(feedback.LastVisit, error) bool) {
		for _, v := range []feedback.LastVisit{
			{CustomerID: "vip-1", Store: "store-1", Staff: "alice", At: asOf.Add(-61 * 24 * time.Hour)},
			{CustomerID: "vip-2", Store: "store-1", At: asOf.Add(-10 * 24 * time.Hour)},
			{CustomerID: "vip-3", Store: "store-2", At: asOf.Add(-60 * 24 * time.Hour)},
		} {
			if !yield(v, nil) {
				return
			}
		}
	}
	got, evs, err := f.svc.ScheduleInactive(ctx, asOf, visits)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "vip-1", got[0].CustomerID)
	assert.Equal(t, "vip-3", got[1].CustomerID)
	assert.Len(t, evs, 2)
	got, _, err = f.svc.ScheduleInactive(ctx, asOf.Add(24*time.Hour), visits)
	require.NoError(t, err)
	assert.Empty(t, got, "one lapse, one follow-up")
}

// TestFollowUpTransitions tries complete and cancel from every status.
func TestFollowUpTransitions(t *testing.T) {
	ctx := context.Background()
	outcome := feedback.FollowUpOutcome{Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "alice"}
	other := outcome
	other.Result = feedback.ResultDeclined
	type act struct {
		name string
		do   func(s *feedback.Service) (feedback.FollowUp, []feedback.Event, error)
	}
	complete := act{"complete", func(s *feedback.Service) (feedback.FollowUp, []feedback.Event, error) {
		return s.CompleteFollowUp(ctx, "f", outcome)
	}}
	completeOther := act{"complete differently", func(s *feedback.Service) (feedback.FollowUp, []feedback.Event, error) {
		return s.CompleteFollowUp(ctx, "f", other)
	}}
	cancel := act{"cancel", func(s *feedback.Service) (feedback.FollowUp, []feedback.Event, error) {
		return s.CancelFollowUp(ctx, "f", "alice", "moved away")
	}}
	tests := []struct {
		from   []act // how to reach the status
		action act
		want   feedback.FollowUpStatus // "" means refused
		events int
	}{
		{nil, complete, feedback.FollowUpDone, 1},
		{nil, cancel, feedback.FollowUpCancelled, 1},
		{[]act{complete}, complete, feedback.FollowUpDone, 1}, // replay
		{[]act{complete}, completeOther, "", 0},
		{[]act{complete}, cancel, "", 0},
		{[]act{cancel}, cancel, feedback.FollowUpCancelled, 0}, // replay
		{[]act{cancel}, complete, "", 0},
	}
	for _, tt := range tests {
		name := "open"
		if len(tt.from) > 0 {
			name = map[string]string{"complete": "done", "cancel": "cancelled"}[tt.from[0].name]
		}
		t.Run(name+"/"+tt.action.name, func(t *testing.T) {
			f := newFixture(t)
			_, _, err := f.svc.ScheduleFollowUp(ctx, feedback.FollowUp{ID: "f", CustomerID: "c", Kind: feedback.FollowUpDelivery, Store: "s", DueAt: f.clock.Now()})
			require.NoError(t, err)
			for _, a := range tt.from {
				_, _, err := a.do(f.svc)
				require.NoError(t, err)
			}
			before, err := f.svc.GetFollowUp(ctx, "f")
			require.NoError(t, err)
			got, evs, err := tt.action.do(f.svc)
			if tt.want == "" {
				require.ErrorIs(t, err, feedback.ErrIllegalTransition)
				after, err := f.svc.GetFollowUp(ctx, "f")
				require.NoError(t, err)
				assert.Equal(t, before, after, "a refused action writes nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Status)
			assert.Len(t, evs, tt.events)
		})
	}
}
