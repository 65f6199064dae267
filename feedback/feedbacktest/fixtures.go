package feedbacktest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
)

// Zones other than UTC, so a store that drops the zone but keeps the
// instant passes and one that reads wall clocks as UTC fails.
var (
	shanghai = time.FixedZone("CST", 8*3600)
	kolkata  = time.FixedZone("IST", 5*3600+1800)
	newYork  = time.FixedZone("EST", -5*3600)
)

// base is the fixtures' epoch, with microseconds set.
var base = time.Date(2026, time.March, 7, 22, 15, 30, 123456000, shanghai)

func at(d time.Duration) time.Time { return base.Add(d) }

func ids[T any](vs []T, id func(T) string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, id(v))
	}
	return out
}

func complaintIDs(cs []feedback.Complaint) []string {
	return ids(cs, func(c feedback.Complaint) string { return c.ID })
}

func responseIDs(rs []feedback.Response) []string {
	return ids(rs, func(r feedback.Response) string { return r.ID })
}

func reviewIDs(rs []feedback.Review) []string {
	return ids(rs, func(r feedback.Review) string { return r.ID })
}

func followUpIDs(fs []feedback.FollowUp) []string {
	return ids(fs, func(f feedback.FollowUp) string { return f.ID })
}

// newComplaint is a complaint with every field set, open, due at due.
func newComplaint(id, cust string, received time.Time) feedback.Complaint {
	return feedback.Complaint{
		ID: id, Version: 1, CustomerID: cust, Store: "store-1", Staff: "alice",
		Channel: feedback.ChannelPhone, Category: feedback.CategoryDelivery, Priority: feedback.PriorityHigh,
		Description: "the sofa came torn", RemedySought: "a new cover", PurchaseID: "p-" + id, InteractionID: "i-" + id,
		RequestHash: "hash-" + id, ReceivedAt: received, Status: feedback.StatusInvestigating,
		Pauses: []feedback.Interval{{Start: received.Add(time.Hour), End: received.Add(2 * time.Hour)}},
		Policy: "p", Target: feedback.SLATarget{FirstResponse: time.Hour, Resolution: 8 * time.Hour},
		FirstResponseDue: received.Add(time.Hour), ResolutionDue: received.Add(9 * time.Hour), DueAt: received.Add(9 * time.Hour),
		FirstResponseAt: received.Add(30 * time.Minute), FirstResponseBreached: true,
		Escalations: []feedback.Escalation{{Deadline: feedback.DeadlineFirstResponse, Level: 1, To: "manager", At: received.Add(61 * time.Minute)}},
		Remedies: []feedback.Remedy{{ID: "r-1", Kind: feedback.RemedyRefund, Cost: decimal.RequireFromString("12.50"), Currency: "CNY", Actor: "bob", At: received.Add(3 * time.Hour), Note: "refunded to card"},
			{ID: "r-2", Kind: feedback.RemedyGoodwill, Points: 300, Actor: "bob", At: received.Add(3 * time.Hour), Granted: true}},
		History: []feedback.Transition{
			{Action: feedback.ActionReceive, To: feedback.StatusReceived, Actor: "alice", At: received},
			{Action: feedback.ActionAcknowledge, From: feedback.StatusReceived, To: feedback.StatusAcknowledged, Actor: "bob", At: received.Add(30 * time.Minute), Note: "called back", RequestID: "q-1"},
			{Action: feedback.ActionInvestigate, From: feedback.StatusAcknowledged, To: feedback.StatusInvestigating, Actor: "bob", At: received.Add(40 * time.Minute)},
		},
	}
}

func newSurvey(id string) feedback.Survey {
	return feedback.Survey{
		ID: id, Version: 1, Name: "survey " + id, Active: true, CoolDown: 48 * time.Hour,
		Questions: []feedback.Question{
			{ID: "nps", Kind: feedback.KindNPS, Text: "Recommend us?", Required: true},
			{ID: "stars", Kind: feedback.KindStars, MaxStars: 10, Text: "Stars"},
			{ID: "comment", Kind: feedback.KindComment, Text: "Anything else?"},
		},
		Invitations: []feedback.InvitationRule{{Trigger: feedback.TriggerPurchase, MinTotal: decimal.RequireFromString("99.90"), Currency: "CNY", Delay: time.Hour, Channel: customer.ContactSMS}},
	}
}

func newResponse(id, cust string, when time.Time) feedback.ResponseRecord {
	return feedback.ResponseRecord{Hash: "hash-" + id, Response: feedback.Response{
		ID: id, SurveyID: "s-1", CustomerID: cust, PurchaseID: "p-" + id, InteractionID: "i-" + id, ComplaintID: "c-" + id,
		Store: "store-1", Staff: "alice", Channel: feedback.ChannelWeChat, Time: when,
		Answers: []feedback.Answer{{QuestionID: "nps", Kind: feedback.KindNPS, Score: 8}, {QuestionID: "comment", Kind: feedback.KindComment, Text: "call me at home"}},
	}}
}

func newReview(id, cust, sku string, when time.Time) feedback.Review {
	return feedback.Review{
		ID: id, Version: 1, RequestHash: "hash-" + id, SKU: sku, CustomerID: cust, PurchaseID: "p-" + id, Store: "store-1",
		Channel: feedback.ChannelApp, Rating: 4, Title: "good", Text: "works well", Time: when,
		State: feedback.ReviewPending,
	}
}

func newFollowUp(id, cust, store, staff string, due time.Time) feedback.FollowUp {
	return feedback.FollowUp{
		ID: id, Version: 1, CustomerID: cust, Kind: feedback.FollowUpDelivery, Reference: "p-" + id,
		Store: store, Staff: staff, CreatedAt: due.Add(-72 * time.Hour), DueAt: due, Status: feedback.FollowUpOpen,
	}
}

func doneFollowUp(id, cust string, due time.Time) feedback.FollowUp {
	f := newFollowUp(id, cust, "store-1", "alice", due)
	f.Status, f.Announced = feedback.FollowUpDone, true
	f.Outcome = feedback.FollowUpOutcome{Result: feedback.ResultReached, Channel: customer.ContactPhone, Staff: "alice", At: due.Add(time.Hour), Note: "all fine, wife says hi", Satisfaction: 5, InteractionID: "i-" + id}
	return f
}

func newLog(cust string, version int64, n int) feedback.InvitationLog {
	l := feedback.InvitationLog{CustomerID: cust, Version: version}
	for i := range n {
		l.Invitations = append(l.Invitations, feedback.Invitation{
			ID: fmt.Sprintf("s-1:after-purchase:p-%d", i), SurveyID: "s-1", CustomerID: cust, Trigger: feedback.TriggerPurchase,
			Reference: fmt.Sprintf("p-%d", i), At: at(time.Duration(i) * 24 * time.Hour), SendAt: at(time.Duration(i)*24*time.Hour + time.Hour), Channel: customer.ContactSMS,
		})
	}
	return l
}

// --- comparison: times by instant, decimals by value, nil equals empty.

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

func canonDecimal(d decimal.Decimal) decimal.Decimal {
	c, err := decimal.NewFromString(d.String())
	if err != nil {
		return d
	}
	return c
}

func normComplaint(c feedback.Complaint) feedback.Complaint {
	c = c.Clone()
	c.ReceivedAt, c.FirstResponseDue, c.ResolutionDue, c.DueAt = utc(c.ReceivedAt), utc(c.FirstResponseDue), utc(c.ResolutionDue), utc(c.DueAt)
	c.FirstResponseAt, c.ResolvedAt, c.ClosedAt = utc(c.FirstResponseAt), utc(c.ResolvedAt), utc(c.ClosedAt)
	c.Pauses, c.Escalations, c.Remedies, c.History = nilIfEmpty(c.Pauses), nilIfEmpty(c.Escalations), nilIfEmpty(c.Remedies), nilIfEmpty(c.History)
	for i := range c.Pauses {
		c.Pauses[i].Start, c.Pauses[i].End = utc(c.Pauses[i].Start), utc(c.Pauses[i].End)
	}
	for i := range c.Escalations {
		c.Escalations[i].At = utc(c.Escalations[i].At)
	}
	for i := range c.Remedies {
		c.Remedies[i].At, c.Remedies[i].Cost = utc(c.Remedies[i].At), canonDecimal(c.Remedies[i].Cost)
	}
	for i := range c.History {
		c.History[i].At = utc(c.History[i].At)
	}
	return c
}

func normSurvey(s feedback.Survey) feedback.Survey {
	s = s.Clone()
	s.Questions, s.Invitations = nilIfEmpty(s.Questions), nilIfEmpty(s.Invitations)
	for i := range s.Invitations {
		s.Invitations[i].MinTotal = canonDecimal(s.Invitations[i].MinTotal)
	}
	return s
}

func normResponse(r feedback.Response) feedback.Response {
	r = r.Clone()
	r.Time, r.Answers = utc(r.Time), nilIfEmpty(r.Answers)
	return r
}

func normReview(r feedback.Review) feedback.Review {
	r.Time, r.ModeratedAt = utc(r.Time), utc(r.ModeratedAt)
	return r
}

func normFollowUp(f feedback.FollowUp) feedback.FollowUp {
	f.CreatedAt, f.DueAt, f.Outcome.At = utc(f.CreatedAt), utc(f.DueAt), utc(f.Outcome.At)
	return f
}

func normLog(l feedback.InvitationLog) feedback.InvitationLog {
	l = l.Clone()
	l.Invitations = nilIfEmpty(l.Invitations)
	for i := range l.Invitations {
		l.Invitations[i].At, l.Invitations[i].SendAt = utc(l.Invitations[i].At), utc(l.Invitations[i].SendAt)
	}
	return l
}

func assertComplaint(t *testing.T, want, got feedback.Complaint) {
	t.Helper()
	assert.Equal(t, normComplaint(want), normComplaint(got))
}

func assertSurvey(t *testing.T, want, got feedback.Survey) {
	t.Helper()
	assert.Equal(t, normSurvey(want), normSurvey(got))
}

func assertResponse(t *testing.T, want, got feedback.Response) {
	t.Helper()
	assert.Equal(t, normResponse(want), normResponse(got))
}

func assertReview(t *testing.T, want, got feedback.Review) {
	t.Helper()
	assert.Equal(t, normReview(want), normReview(got))
}

func assertFollowUp(t *testing.T, want, got feedback.FollowUp) {
	t.Helper()
	assert.Equal(t, normFollowUp(want), normFollowUp(got))
}

func assertLog(t *testing.T, want, got feedback.InvitationLog) {
	t.Helper()
	assert.Equal(t, normLog(want), normLog(got))
}
