package feedback_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

func TestReceiveComplaint(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	in := intake("c-1", feedback.PriorityUrgent)
	c, evs, err := f.svc.ReceiveComplaint(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, int64(1), c.Version)
	assert.Equal(t, feedback.StatusReceived, c.Status)
	assert.Equal(t, "stores-cn", c.Policy)
	assert.True(t, sh(t, 2026, 11, 20, 10, 30).Equal(c.FirstResponseDue))
	assert.True(t, sh(t, 2026, 11, 20, 15, 0).Equal(c.ResolutionDue))
	assert.True(t, c.FirstResponseDue.Equal(c.DueAt))
	require.Len(t, evs, 1)
	rec := evs[0].(feedback.ComplaintReceived)
	assert.Equal(t, "c-1", rec.ComplaintID)

	// Replays return the original, even later and with the time given in
	// another zone.
	f.clock.Set(f.clock.Now().Add(time.Hour))
	again, evs, err := f.svc.ReceiveComplaint(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, c.Version, again.Version)
	assert.True(t, c.ReceivedAt.Equal(again.ReceivedAt))
	assert.Len(t, evs, 1)

	changed := in
	changed.Priority = feedback.PriorityLow
	_, _, err = f.svc.ReceiveComplaint(ctx, changed)
	assert.ErrorIs(t, err, feedback.ErrIdempotencyMismatch)

	// A lane that syncs late keeps its own intake time.
	late := intake("c-2", feedback.PriorityNormal)
	late.ReceivedAt = sh(t, 2026, 11, 19, 17, 0).In(time.UTC)
	c2, _, err := f.svc.ReceiveComplaint(ctx, late)
	require.NoError(t, err)
	assert.True(t, sh(t, 2026, 11, 20, 12, 0).Equal(c2.FirstResponseDue), "4h from Thursday 17:00")
	late.ReceivedAt = late.ReceivedAt.In(mustLoc(t, "Asia/Shanghai"))
	_, _, err = f.svc.ReceiveComplaint(ctx, late)
	assert.NoError(t, err, "the same instant in another zone is the same request")
}

func TestReceiveComplaintValidation(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(context.Background(), feedback.ComplaintIntake{ID: "c", Priority: "asap", Description: strings.Repeat("x", 9000)})
	require.ErrorIs(t, err, feedback.ErrInvalid)
	fields := fieldsOf(err)
	assert.ElementsMatch(t, []string{"store", "channel", "category", "priority", "description"}, fields)

	_, _, err = f.svc.ReceiveComplaint(context.Background(), feedback.ComplaintIntake{
		ID: "c", Store: "s", Channel: "phone", Category: "x", Priority: feedback.PriorityNormal, Description: "d",
		ReceivedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	assert.ErrorIs(t, err, feedback.ErrInvalid, "a time JSON cannot hold is bad input, not a panic")
	for _, when := range []time.Time{time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), f.clock.Now().AddDate(-2, 0, 0), f.clock.Now().Add(48 * time.Hour)} {
		_, _, err = f.svc.ReceiveComplaint(context.Background(), feedback.ComplaintIntake{
			ID: "c", Store: "s", Channel: "phone", Category: "x", Priority: feedback.PriorityNormal, Description: "d", ReceivedAt: when,
		})
		assert.Equal(t, []string{"receivedAt"}, fieldsOf(err), "%s", when)
	}
}

func TestComplaintHasNoFreeTextInLogs(t *testing.T) {
	f := newFixture(t)
	c, _, err := f.svc.ReceiveComplaint(context.Background(), intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	var buf strings.Builder
	slog.New(slog.NewTextHandler(&buf, nil)).Info("complaint", "c", c)
	for _, s := range []string{buf.String(), c.String(), fmt.Sprintf("%v %+v %#v", c, c, c)} {
		assert.NotContains(t, s, "kettle")
	}
}

func TestOverdueAndEscalation(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityUrgent))
	require.NoError(t, err)

	steps := []struct {
		at   time.Time
		want []string
	}{
		{sh(t, 2026, 11, 20, 10, 30), nil}, // the deadline itself is not past it
		{sh(t, 2026, 11, 20, 10, 31), []string{"first-response overdue", "first-response escalated 1 store-manager"}},
		{sh(t, 2026, 11, 20, 12, 30), nil},
		{sh(t, 2026, 11, 20, 15, 1), []string{"resolution overdue", "resolution escalated 1 store-manager"}},
		{sh(t, 2026, 11, 20, 15, 31), []string{"first-response escalated 2 regional-manager"}}, // 10:30 + 4 business hours
		{sh(t, 2026, 11, 21, 10, 59), nil},
		{sh(t, 2026, 11, 21, 11, 1), []string{"resolution escalated 2 regional-manager"}}, // 15:00 + 3h Fri + 1h Sat
		{sh(t, 2026, 11, 22, 11, 1), nil},
	}
	for _, st := range steps {
		f.clock.Set(st.at)
		evs, err := f.svc.Scan(ctx)
		require.NoError(t, err)
		var got []string
		for _, e := range evs {
			switch e := e.(type) {
			case feedback.ComplaintOverdue:
				got = append(got, string(e.Deadline)+" overdue")
			case feedback.ComplaintEscalated:
				got = append(got, fmt.Sprintf("%s escalated %d %s", e.Deadline, e.Level, e.To))
			}
		}
		assert.Equal(t, st.want, got, "at %s", st.at)
	}
	c, err := f.svc.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	assert.True(t, c.FirstResponseBreached)
	assert.True(t, c.ResolutionBreached)
	assert.Len(t, c.Escalations, 4)

	// Acknowledging stops the first-response clock; resolving stops all.
	_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionAcknowledge, Actor: "bob"})
	require.NoError(t, err)
	overdue := collect(t, f.svc.OverdueComplaints(ctx, f.clock.Now()))
	require.Len(t, overdue, 1)
	assert.True(t, overdue[0].DueAt.Equal(overdue[0].ResolutionDue))
	for _, a := range []feedback.Action{feedback.ActionInvestigate, feedback.ActionResolve} {
		_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob"})
		require.NoError(t, err)
	}
	assert.Empty(t, collect(t, f.svc.OverdueComplaints(ctx, f.clock.Now())))
}

func TestLateAcknowledgementIsABreach(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityUrgent))
	require.NoError(t, err)
	f.clock.Set(sh(t, 2026, 11, 20, 11, 0))
	c, _, err := f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionAcknowledge, Actor: "bob"})
	require.NoError(t, err)
	assert.True(t, c.FirstResponseBreached, "acknowledged after the deadline, even with no scan in between")
}

func TestWaitingOnCustomerStopsTheClock(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityUrgent))
	require.NoError(t, err)
	for _, a := range []feedback.Action{feedback.ActionAcknowledge, feedback.ActionInvestigate} {
		_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob"})
		require.NoError(t, err)
	}
	f.clock.Set(sh(t, 2026, 11, 20, 11, 0))
	c, _, err := f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionWaitOnCustomer, Actor: "bob", Note: "asked for photos"})
	require.NoError(t, err)
	assert.True(t, c.ResolutionDue.IsZero(), "no deadline while the clock is stopped")
	assert.True(t, c.DueAt.IsZero())

	// Long past the original deadline, nothing is overdue.
	f.clock.Set(sh(t, 2026, 11, 23, 9, 30))
	evs, err := f.svc.Scan(ctx)
	require.NoError(t, err)
	assert.Empty(t, evs)

	f.clock.Set(sh(t, 2026, 11, 23, 10, 0))
	c, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionResume, Actor: "bob", Note: "photos arrived"})
	require.NoError(t, err)
	assert.True(t, sh(t, 2026, 11, 23, 14, 0).Equal(c.ResolutionDue), "one business hour used before the pause, three after: %s", c.ResolutionDue)
	require.Len(t, c.Pauses, 1)
	assert.True(t, c.Pauses[0].End.Equal(f.clock.Now()))

	// A second pause ended by resolving.
	f.clock.Set(sh(t, 2026, 11, 23, 11, 0))
	_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionWaitOnCustomer, Actor: "bob"})
	require.NoError(t, err)
	f.clock.Set(sh(t, 2026, 11, 23, 16, 0))
	c, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionResolve, Actor: "bob"})
	require.NoError(t, err)
	assert.False(t, c.WaitingOnCustomer)
	require.Len(t, c.Pauses, 2)
	assert.True(t, c.Pauses[1].End.Equal(f.clock.Now()))
	assert.True(t, sh(t, 2026, 11, 23, 18, 0).Equal(c.ResolutionDue), "four paused business hours push 14:00 to 18:00")
}

func TestRemedies(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)

	refund := feedback.Remedy{ID: "r-1", Kind: feedback.RemedyRefund, Cost: decimal.RequireFromString("199.00"), Currency: "CNY", Actor: "bob"}
	c, evs, err := f.svc.AddRemedy(ctx, "c-1", refund)
	require.NoError(t, err)
	assert.Equal(t, []string{"complaint.remedy-recorded"}, eventNames(evs))
	_, _, err = f.svc.AddRemedy(ctx, "c-1", refund)
	require.NoError(t, err, "replay")
	refund.Cost = decimal.NewFromInt(5)
	_, _, err = f.svc.AddRemedy(ctx, "c-1", refund)
	assert.ErrorIs(t, err, feedback.ErrIdempotencyMismatch)

	goodwill := feedback.Remedy{ID: "r-2", Kind: feedback.RemedyGoodwill, Points: 500, Actor: "bob", Note: "sorry"}
	f.granter.fail = errors.New("loyalty is down")
	_, _, err = f.svc.AddRemedy(ctx, "c-1", goodwill)
	require.Error(t, err)
	stored, err := f.svc.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	require.Len(t, stored.Remedies, 2)
	assert.False(t, stored.Remedies[1].Granted, "recorded, grant pending")

	f.granter.fail = nil
	c, evs, err = f.svc.AddRemedy(ctx, "c-1", goodwill)
	require.NoError(t, err, "the retry completes the grant")
	assert.Equal(t, []string{"complaint.remedy-recorded", "complaint.goodwill-granted"}, eventNames(evs))
	assert.True(t, c.Remedies[1].Granted)
	_, _, err = f.svc.AddRemedy(ctx, "c-1", goodwill)
	require.NoError(t, err)
	assert.Equal(t, int64(500), f.granter.points["cust-1"], "granted exactly once")
	assert.True(t, decimal.RequireFromString("199").Equal(c.RemedyCost("CNY")))

	_, _, err = f.svc.AddRemedy(ctx, "c-1", feedback.Remedy{ID: "r-3", Kind: "hug", Cost: decimal.NewFromInt(-1), Points: 3})
	require.ErrorIs(t, err, feedback.ErrInvalid)
	for _, field := range []string{"kind", "cost", "currency", "points", "actor"} {
		assert.Contains(t, err.Error(), field+":")
	}

	// Closed complaints take no more remedies; handling can be rated
	// once resolved.
	_, _, err = f.svc.RateHandling(ctx, "c-1", 4)
	assert.ErrorIs(t, err, feedback.ErrIllegalTransition)
	for _, a := range pathTo[flowState{feedback.StatusClosed, false}] {
		_, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: a, Actor: "bob"})
		require.NoError(t, err)
	}
	_, _, err = f.svc.AddRemedy(ctx, "c-1", feedback.Remedy{ID: "r-4", Kind: feedback.RemedyApology, Actor: "bob"})
	assert.ErrorIs(t, err, feedback.ErrIllegalTransition)
	c, evs, err = f.svc.RateHandling(ctx, "c-1", 4)
	require.NoError(t, err)
	assert.Equal(t, 4, c.Satisfaction)
	assert.Equal(t, []string{"complaint.handling-rated"}, eventNames(evs))
	_, _, err = f.svc.RateHandling(ctx, "c-1", 6)
	assert.ErrorIs(t, err, feedback.ErrInvalid)
}

func TestGoodwillNeedsAGranter(t *testing.T) {
	st := feedback.NewMemoryStore()
	svc, err := feedback.New(st, loadPolicy(t), nil)
	require.NoError(t, err)
	_, _, err = svc.ReceiveComplaint(context.Background(), intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	_, _, err = svc.AddRemedy(context.Background(), "c-1", feedback.Remedy{ID: "r", Kind: feedback.RemedyGoodwill, Points: 10, Actor: "bob"})
	assert.ErrorIs(t, err, feedback.ErrNoGranter)
}

func TestNewRejectsBadPolicies(t *testing.T) {
	_, err := feedback.New(feedback.NewMemoryStore(), feedback.SLAPolicy{}, &feedback.Options{
		StorePolicies: map[string]feedback.SLAPolicy{"s-9": {Name: "x"}},
	})
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Contains(t, err.Error(), "default policy")
	assert.Contains(t, err.Error(), "policy of store s-9")
	_, err = feedback.New(nil, loadPolicy(t), nil)
	assert.ErrorIs(t, err, feedback.ErrInvalid)
}

func TestStorePolicies(t *testing.T) {
	base := loadPolicy(t)
	ny := base
	ny.Name = "stores-us"
	ny.Calendar.Location = mustLoc(t, "America/New_York")
	ny.Calendar.Exceptions = nil
	st := feedback.NewMemoryStore()
	clock := &fakeClock{}
	clock.Set(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)) // 10:00 in New York, 23:00 in Shanghai
	svc, err := feedback.New(st, base, &feedback.Options{Clock: clock.Now, StorePolicies: map[string]feedback.SLAPolicy{"nyc": ny}})
	require.NoError(t, err)
	in := intake("c-1", feedback.PriorityUrgent)
	in.Store = "nyc"
	c, _, err := svc.ReceiveComplaint(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, "stores-us", c.Policy)
	assert.Equal(t, "2026-11-20 10:30:00 -0500 EST", c.FirstResponseDue.String())
	in.ID, in.Store = "c-2", "store-1"
	c, _, err = svc.ReceiveComplaint(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, "2026-11-21 10:30:00 +0800 CST", c.FirstResponseDue.String(), "Shanghai is closed at 23:00")
}

func TestComplaintRaceHasOneWinner(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityNormal))
	require.NoError(t, err)
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, _, err := f.svc.Apply(ctx, "c-1", feedback.Step{Action: feedback.ActionAcknowledge, Actor: fmt.Sprint("h", i)})
			errs <- err
		}()
	}
	ok := 0
	for range n {
		err := <-errs
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, feedback.ErrIllegalTransition, "the losers retry, re-read and find it acknowledged")
		}
	}
	assert.Equal(t, 1, ok)
	c, err := f.svc.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	assert.Len(t, c.History, 2)
}

func TestHandlingTimes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _, err := f.svc.ReceiveComplaint(ctx, intake("c-1", feedback.PriorityUrgent)) // Friday 10:00, due 15:00
	require.NoError(t, err)
	c, err := f.svc.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	_, ok := f.policy.FirstResponseTime(c)
	assert.False(t, ok)
	steps := []struct {
		at time.Time
		a  feedback.Action
	}{
		{sh(t, 2026, 11, 20, 10, 20), feedback.ActionAcknowledge},
		{sh(t, 2026, 11, 20, 10, 30), feedback.ActionInvestigate},
		{sh(t, 2026, 11, 20, 11, 0), feedback.ActionWaitOnCustomer},
		{sh(t, 2026, 11, 20, 14, 0), feedback.ActionResume}, // 2h of business time waited
		{sh(t, 2026, 11, 20, 17, 30), feedback.ActionResolve},
	}
	for _, st := range steps {
		f.clock.Set(st.at)
		c, _, err = f.svc.Apply(ctx, "c-1", feedback.Step{Action: st.a, Actor: "bob"})
		require.NoError(t, err)
	}
	first, ok := f.policy.FirstResponseTime(c)
	require.True(t, ok)
	assert.Equal(t, 20*time.Minute, first)
	res, ok := f.policy.ResolutionTime(c)
	require.True(t, ok)
	assert.Equal(t, 4*time.Hour+30*time.Minute, res, "6h30m of business time (lunch excluded) less 2h waited")
	assert.True(t, sh(t, 2026, 11, 20, 17, 0).Equal(c.ResolutionDue))
	assert.True(t, c.ResolutionBreached, "resolved half an hour late, though no scan ran")
	assert.False(t, c.FirstResponseBreached)
}
