package feedback_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

type flowState struct {
	status  feedback.ComplaintStatus
	waiting bool
}

func (s flowState) String() string {
	if s.waiting {
		return string(s.status) + "+waiting"
	}
	return string(s.status)
}

var allActions = []feedback.Action{
	feedback.ActionReceive, feedback.ActionAcknowledge, feedback.ActionInvestigate, feedback.ActionWaitOnCustomer,
	feedback.ActionResume, feedback.ActionResolve, feedback.ActionClose, feedback.ActionReopen,
}

// legal is the flow as the issue states it, written out independently of
// the implementation: everything not listed is illegal.
var legal = map[flowState]map[feedback.Action]flowState{
	{feedback.StatusReceived, false}: {
		feedback.ActionAcknowledge: {feedback.StatusAcknowledged, false},
	},
	{feedback.StatusAcknowledged, false}: {
		feedback.ActionInvestigate:    {feedback.StatusInvestigating, false},
		feedback.ActionWaitOnCustomer: {feedback.StatusAcknowledged, true},
	},
	{feedback.StatusAcknowledged, true}: {
		feedback.ActionResume: {feedback.StatusAcknowledged, false},
	},
	{feedback.StatusInvestigating, false}: {
		feedback.ActionWaitOnCustomer: {feedback.StatusInvestigating, true},
		feedback.ActionResolve:        {feedback.StatusResolved, false},
	},
	{feedback.StatusInvestigating, true}: {
		feedback.ActionResume:  {feedback.StatusInvestigating, false},
		feedback.ActionResolve: {feedback.StatusResolved, false},
	},
	{feedback.StatusResolved, false}: {
		feedback.ActionClose:  {feedback.StatusClosed, false},
		feedback.ActionReopen: {feedback.StatusInvestigating, false},
	},
	{feedback.StatusClosed, false}: {
		feedback.ActionReopen: {feedback.StatusInvestigating, false},
	},
}

// pathTo is how each state is reached from intake.
var pathTo = map[flowState][]feedback.Action{
	{feedback.StatusReceived, false}:      nil,
	{feedback.StatusAcknowledged, false}:  {feedback.ActionAcknowledge},
	{feedback.StatusAcknowledged, true}:   {feedback.ActionAcknowledge, feedback.ActionWaitOnCustomer},
	{feedback.StatusInvestigating, false}: {feedback.ActionAcknowledge, feedback.ActionInvestigate},
	{feedback.StatusInvestigating, true}:  {feedback.ActionAcknowledge, feedback.ActionInvestigate, feedback.ActionWaitOnCustomer},
	{feedback.StatusResolved, false}:      {feedback.ActionAcknowledge, feedback.ActionInvestigate, feedback.ActionResolve},
	{feedback.StatusClosed, false}:        {feedback.ActionAcknowledge, feedback.ActionInvestigate, feedback.ActionResolve, feedback.ActionClose},
}

// TestNextStatusTable checks every state against every action.
func TestNextStatusTable(t *testing.T) {
	for from := range pathTo {
		for _, a := range allActions {
			want, ok := legal[from][a]
			t.Run(fmt.Sprintf("%s/%s", from, a), func(t *testing.T) {
				got, err := feedback.NextStatus(from.status, from.waiting, a)
				if !ok {
					var te *feedback.TransitionError
					require.ErrorAs(t, err, &te)
					assert.ErrorIs(t, err, feedback.ErrIllegalTransition)
					assert.Equal(t, string(a), te.Action)
					assert.Equal(t, from.status, got)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, want.status, got)
			})
		}
	}
}

// TestComplaintTransitions drives a stored complaint into each state and
// tries every action: legal ones change the record as the table says and
// record actor, time and note; illegal ones are refused with a clear
// error and write nothing.
func TestComplaintTransitions(t *testing.T) {
	ctx := context.Background()
	for from, path := range pathTo {
		for _, a := range allActions {
			want, ok := legal[from][a]
			t.Run(fmt.Sprintf("%s/%s", from, a), func(t *testing.T) {
				f := newFixture(t)
				c, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
				require.NoError(t, err)
				for _, step := range path {
					c, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: step, Actor: "bob"})
					require.NoError(t, err)
				}
				require.Equal(t, from, flowState{c.Status, c.WaitingOnCustomer})
				f.clock.Set(f.clock.Now().Add(time.Minute))
				got, evs, err := f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "carol", Note: "called the customer"})
				if !ok {
					require.ErrorIs(t, err, feedback.ErrIllegalTransition)
					assert.Contains(t, err.Error(), "cannot "+string(a))
					assert.Contains(t, err.Error(), "c-1")
					stored, gerr := f.svc.GetComplaint(ctx, "c-1")
					require.NoError(t, gerr)
					assert.Equal(t, c.Version, stored.Version, "an illegal step writes nothing")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, want, flowState{got.Status, got.WaitingOnCustomer})
				assert.Equal(t, c.Version+1, got.Version)
				last := got.History[len(got.History)-1]
				assert.Equal(t, feedback.Transition{Action: a, From: from.status, To: want.status, Actor: "carol", At: f.clock.Now(), Note: "called the customer"}, last)
				require.NotEmpty(t, evs)
				assert.Equal(t, "complaint.transitioned", evs[0].EventName())
			})
		}
	}
}

func TestAllowedActions(t *testing.T) {
	c := feedback.Complaint{Status: feedback.StatusInvestigating}
	assert.Equal(t, []feedback.Action{feedback.ActionWaitOnCustomer, feedback.ActionResolve}, feedback.AllowedActions(c))
	c.WaitingOnCustomer = true
	assert.Equal(t, []feedback.Action{feedback.ActionResume, feedback.ActionResolve}, feedback.AllowedActions(c))
}

func TestReopenReturnsToInvestigating(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityHigh))
	require.NoError(t, err)
	for _, a := range pathTo[flowState{feedback.StatusClosed, false}] {
		_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob"})
		require.NoError(t, err)
	}
	c, _, err := f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionReopen, Actor: "bob", Note: "still leaks"})
	require.NoError(t, err)
	assert.Equal(t, feedback.StatusInvestigating, c.Status)
	assert.Equal(t, 1, c.Reopened)
	assert.True(t, c.ResolvedAt.IsZero())
	assert.True(t, c.ClosedAt.IsZero())
	assert.False(t, c.DueAt.IsZero(), "the resolution clock runs again")
}

func TestStepIdempotency(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	step := feedback.Step{Action: feedback.ActionAcknowledge, Actor: "bob", RequestID: "req-1"}
	first, _, err := f.svc.Apply(ctx, "c-1", step)
	require.NoError(t, err)
	again, evs, err := f.svc.Apply(ctx, "c-1", step)
	require.NoError(t, err, "a replayed step is not an illegal transition")
	assert.Equal(t, first.Version, again.Version)
	assert.Equal(t, []string{"complaint.transitioned"}, eventNames(evs))

	step.Action = feedback.ActionInvestigate
	_, _, err = f.svc.Apply(ctx, "c-1", step)
	assert.ErrorIs(t, err, feedback.ErrIdempotencyMismatch)

	_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionInvestigate})
	assert.ErrorIs(t, err, feedback.ErrInvalid, "an actor is required")
	_, _, err = f.svc.Apply(ctx, "nope", feedback.Step{Action: feedback.ActionInvestigate, Actor: "bob"})
	assert.ErrorIs(t, err, feedback.ErrNotFound)
}

func TestTransitionErrorNamesTheState(t *testing.T) {
	_, err := feedback.NextStatus(feedback.StatusAcknowledged, true, feedback.ActionInvestigate)
	var te *feedback.TransitionError
	require.True(t, errors.As(err, &te))
	assert.Equal(t, "feedback: complaint: cannot investigate when acknowledged (waiting on customer)", err.Error())
}
