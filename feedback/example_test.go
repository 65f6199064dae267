package feedback_test

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
)

const examplePolicy = `{
  "name": "stores-cn",
  "timeZone": "Asia/Shanghai",
  "week": {
    "monday": ["09:00-12:00", "13:00-18:00"], "tuesday": ["09:00-12:00", "13:00-18:00"],
    "wednesday": ["09:00-12:00", "13:00-18:00"], "thursday": ["09:00-12:00", "13:00-18:00"],
    "friday": ["09:00-12:00", "13:00-18:00"], "saturday": ["10:00-16:00"]
  },
  "holidays": ["2026-10-01", "2026-10-02", "2026-10-03"],
  "targets": {
    "urgent": {"firstResponse": "30m", "resolution": "4h"},
    "normal": {"firstResponse": "4h", "resolution": "24h"}
  },
  "escalations": [{"after": "0s", "to": "store-manager"}, {"after": "4h", "to": "regional-manager"}]
}`

// A shop's SLA policy is data: business hours, holidays and targets per
// priority, loaded strictly from JSON.
func ExampleParseSLAPolicy() {
	p, err := feedback.ParseSLAPolicy([]byte(examplePolicy))
	if err != nil {
		fmt.Println(err)
		return
	}
	urgent, _ := p.Target(feedback.PriorityUrgent)
	fmt.Println(p.Name, p.Calendar.Location, urgent.FirstResponse, urgent.Resolution)

	_, err = feedback.ParseSLAPolicy([]byte(`{"name": "x", "timeZone": "Mars/Olympus", "colour": "red"}`))
	fmt.Println(err)
	// Output:
	// stores-cn Asia/Shanghai 30m0s 4h0m0s
	// feedback: colour: is not a known field
}

// The SLA clock counts business time only: a complaint taken in on Friday
// evening with four business hours to go is due on Saturday, and one
// before National Day waits out the holidays.
func ExampleCalendar_Add() {
	p, _ := feedback.ParseSLAPolicy([]byte(examplePolicy))
	sh := p.Calendar.Location
	for _, start := range []time.Time{
		time.Date(2026, 11, 20, 17, 0, 0, 0, sh), // Friday 17:00
		time.Date(2026, 9, 30, 16, 0, 0, 0, sh),  // Wednesday before the holidays
	} {
		due, _ := p.Calendar.Add(start, 4*time.Hour)
		fmt.Println(start.Format("Mon 02 Jan 15:04"), "->", due.Format("Mon 02 Jan 15:04"))
	}
	// Output:
	// Fri 20 Nov 17:00 -> Sat 21 Nov 13:00
	// Wed 30 Sep 16:00 -> Mon 05 Oct 11:00
}

// While the shop waits on the customer the clock stops, and the deadline
// moves out by the business time the pause covered.
func ExampleCalendar_Deadline() {
	p, _ := feedback.ParseSLAPolicy([]byte(examplePolicy))
	sh := p.Calendar.Location
	start := time.Date(2026, 11, 20, 10, 0, 0, 0, sh)
	waited := []feedback.Interval{{Start: time.Date(2026, 11, 20, 11, 0, 0, 0, sh), End: time.Date(2026, 11, 23, 10, 0, 0, 0, sh)}}
	due, _, _ := p.Calendar.Deadline(start, 4*time.Hour, nil)
	fmt.Println("without the wait:", due.Format("Mon 15:04"))
	due, _, _ = p.Calendar.Deadline(start, 4*time.Hour, waited)
	fmt.Println("with the wait:   ", due.Format("Mon 15:04"))
	// Output:
	// without the wait: Fri 15:00
	// with the wait:    Mon 14:00
}

// NextStatus is the complaint flow; illegal steps are refused.
func ExampleNextStatus() {
	to, err := feedback.NextStatus(feedback.StatusResolved, false, feedback.ActionReopen)
	fmt.Println(to, err)
	_, err = feedback.NextStatus(feedback.StatusReceived, false, feedback.ActionResolve)
	fmt.Println(err)
	// Output:
	// investigating <nil>
	// feedback: complaint: cannot resolve when received
}

// A complaint's life: intake fixes the deadlines, the scheduler's scan
// reports it overdue and escalates it, handling resolves it and schedules
// the follow-up call.
func ExampleService_ReceiveComplaint() {
	ctx := context.Background()
	p, _ := feedback.ParseSLAPolicy([]byte(examplePolicy))
	sh := p.Calendar.Location
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, sh)
	svc, _ := feedback.New(feedback.NewMemoryStore(), p, &feedback.Options{Clock: func() time.Time { return now }})

	c, _, _ := svc.ReceiveComplaint(ctx, feedback.ComplaintIntake{
		ID: "pos7-0042", CustomerID: "cust-1", Store: "store-1", Staff: "alice",
		Channel: feedback.ChannelInStore, Category: feedback.CategoryProduct, Priority: feedback.PriorityUrgent,
		Description: "kettle leaks", PurchaseID: "pos7-0017",
	})
	fmt.Println("first response due", c.FirstResponseDue.Format("15:04"), "resolution due", c.ResolutionDue.Format("15:04"))

	now = now.Add(45 * time.Minute)
	evs, _ := svc.Scan(ctx)
	for _, e := range evs {
		switch e := e.(type) {
		case feedback.ComplaintOverdue:
			fmt.Println("overdue:", e.Deadline)
		case feedback.ComplaintEscalated:
			fmt.Println("escalated to", e.To)
		}
	}
	for _, a := range []feedback.Action{feedback.ActionAcknowledge, feedback.ActionInvestigate, feedback.ActionResolve} {
		c, evs, _ = svc.Apply(ctx, c.ID, feedback.Step{Action: a, Actor: "bob"})
	}
	fmt.Println(c.Status, "first response breached:", c.FirstResponseBreached)
	for _, e := range evs {
		if e, ok := e.(feedback.FollowUpScheduled); ok {
			fmt.Println("follow-up", e.FollowUpID, "due", e.DueAt.Format("Mon 15:04"))
		}
	}
	// Output:
	// first response due 10:30 resolution due 15:00
	// overdue: first-response
	// escalated to store-manager
	// resolved first response breached: true
	// follow-up complaint:pos7-0042:1 due Sun 10:45
}

// Survey responses are checked against the survey and recorded once per
// ID, whatever the retries.
func ExampleService_SubmitResponse() {
	ctx := context.Background()
	p, _ := feedback.ParseSLAPolicy([]byte(examplePolicy))
	svc, _ := feedback.New(feedback.NewMemoryStore(), p, nil)
	_, _ = svc.CreateSurvey(ctx, feedback.Survey{
		ID: "visit", Name: "Your visit", Active: true,
		Questions: []feedback.Question{
			{ID: "nps", Kind: feedback.KindNPS, Text: "Would you recommend us?", Required: true},
			{ID: "ces", Kind: feedback.KindCES, Text: "Was it easy?"},
		},
	})
	r := feedback.Response{
		ID: "kiosk3-0099", SurveyID: "visit", CustomerID: "cust-1", Store: "store-1", Channel: feedback.ChannelInStore,
		Time:    time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC),
		Answers: []feedback.Answer{{QuestionID: "nps", Score: 6}, {QuestionID: "ces", Score: 6}},
	}
	for range 2 { // the kiosk retried
		got, evs, err := svc.SubmitResponse(ctx, r)
		fmt.Println(got.ID, evs[0].(feedback.ResponseReceived).NPS, err)
	}
	r.Answers[0].Score = 11
	_, _, err := svc.SubmitResponse(ctx, feedback.Response{ID: "kiosk3-0100", SurveyID: "visit", Channel: feedback.ChannelInStore, Answers: r.Answers})
	fmt.Println(err)
	// Output:
	// kiosk3-0099 6 <nil>
	// kiosk3-0099 6 <nil>
	// feedback: submit response kiosk3-0100: feedback: answers[0].score: must lie between 0 and 10
}

// interactions stands in for customer.Service in the example.
type interactions struct{}

func (interactions) LogInteraction(_ context.Context, in customer.Interaction) (customer.Interaction, error) {
	fmt.Println("logged", in.Kind, "interaction", in.ID, "outcome", in.Outcome)
	return in, nil
}

// A big-ticket purchase earns a delivery or installation check; its
// outcome becomes a customer interaction.
func ExampleService_CompleteFollowUp() {
	ctx := context.Background()
	p, _ := feedback.ParseSLAPolicy([]byte(examplePolicy))
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, p.Calendar.Location)
	svc, _ := feedback.New(feedback.NewMemoryStore(), p, &feedback.Options{
		Clock: func() time.Time { return now }, Interactions: interactions{},
	})
	purchase := customer.Purchase{
		ID: "pos7-0017", CustomerID: "cust-1", Store: "store-1", Staff: "alice", Currency: "CNY",
		Time:  time.Date(2026, 11, 20, 15, 0, 0, 0, p.Calendar.Location),
		Lines: []customer.Line{{SKU: "FRIDGE-9", Tags: []string{"installation"}, Quantity: decimalOne, UnitPrice: price, Total: price}},
	}
	f, ok, _, _ := svc.ScheduleAfterPurchase(ctx, purchase)
	fmt.Println(ok, f.Kind, "due", f.DueAt.Format("Mon 02 Jan"))
	for due, err := range svc.DueFollowUps(ctx, "store-1", "alice", now) {
		if err == nil {
			fmt.Println("alice calls", due.CustomerID, "about", due.Reference)
		}
	}
	f, _, _ = svc.CompleteFollowUp(ctx, f.ID, feedback.FollowUpOutcome{
		Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "alice", Satisfaction: 5,
	})
	fmt.Println(f.Status)
	// Output:
	// true installation-check due Mon 23 Nov
	// alice calls cust-1 about pos7-0017
	// logged follow-up interaction feedback-followup:purchase:pos7-0017 outcome reached
	// done
}

var (
	decimalOne = mustDecimal("1")
	price      = mustDecimal("6999.00")
)

// emailOnly says every customer consented to surveys by email only.
type emailOnly struct{}

func (emailOnly) CanContact(_ context.Context, _ string, purpose customer.Purpose, ch customer.ContactChannel, _ time.Time) (bool, error) {
	return purpose == customer.PurposeSurveys && ch == customer.ContactEmail, nil
}

// A purchase is offered to every active survey in turn: one the customer
// has no consent for does not hide the next, and the outcome says why
// each survey before it declined.
func ExampleService_InviteOnTrigger() {
	ctx := context.Background()
	policy, _ := feedback.ParseSLAPolicy([]byte(examplePolicy))
	sh := policy.Calendar.Location
	now := time.Date(2026, 11, 20, 18, 0, 0, 0, sh)
	svc, _ := feedback.New(feedback.NewMemoryStore(), policy, &feedback.Options{
		Clock: func() time.Time { return now }, Consent: emailOnly{},
	})
	for _, s := range []struct {
		id string
		ch customer.ContactChannel
	}{{"a-sms", customer.ContactSMS}, {"b-email", customer.ContactEmail}} {
		_, err := svc.CreateSurvey(ctx, feedback.Survey{
			ID: s.id, Name: "After your visit", Active: true,
			Questions:   []feedback.Question{{ID: "nps", Kind: feedback.KindNPS, Text: "Would you recommend us?"}},
			Invitations: []feedback.InvitationRule{{Trigger: feedback.TriggerPurchase, Delay: 2 * time.Hour, Channel: s.ch}},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	out, _, err := svc.InviteOnTrigger(ctx, feedback.InvitationRequest{
		CustomerID: "cust-1", Trigger: feedback.TriggerPurchase, Reference: "p-1", At: now.Add(-time.Hour),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range out.Declined {
		fmt.Println("declined:", d.SurveyID, d.Reason)
	}
	fmt.Println("invited:", out.Invitation.SurveyID, "by", out.Invitation.Channel, "at", out.Invitation.SendAt.In(sh).Format("15:04"))
	// Output:
	// declined: a-sms no-consent
	// invited: b-email by email at 19:00
}
