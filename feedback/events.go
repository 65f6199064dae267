package feedback

import (
	"time"

	"github.com/shopspring/decimal"
)

// Event is a domain event an operation caused, for the host to publish;
// the library delivers nothing itself. Switch on the concrete type.
//
// Replaying a request (the same complaint intake, step, remedy, response,
// review, invitation or follow-up outcome) returns its main event again,
// so a host that crashed before publishing can publish it: delivery is
// at-least-once. Replays that only find work already done (a follow-up
// already scheduled, a review already in the asked state, a follow-up
// already cancelled) return no event; hosts that must not miss those
// read the records (DueFollowUps, GetReview).
type Event interface {
	// EventName is a stable name such as "complaint.overdue".
	EventName() string
}

// ComplaintReceived: a complaint was taken in and its deadlines fixed.
type ComplaintReceived struct {
	ComplaintID, CustomerID, Store string
	Priority                       Priority
	FirstResponseDue               time.Time
	ResolutionDue                  time.Time
	At                             time.Time
}

// ComplaintTransitioned: a complaint took a step of its flow.
type ComplaintTransitioned struct {
	ComplaintID, CustomerID, Store string
	Action                         Action
	From, To                       ComplaintStatus
	Actor                          string
	At                             time.Time
}

// ComplaintOverdue: a complaint missed a deadline. It is reported once per
// deadline.
type ComplaintOverdue struct {
	ComplaintID, CustomerID, Store string
	Priority                       Priority
	Deadline                       DeadlineKind
	Due                            time.Time
	At                             time.Time
}

// ComplaintEscalated: an overdue complaint reached a step of the policy's
// escalation ladder.
type ComplaintEscalated struct {
	ComplaintID, Store string
	Priority           Priority
	Deadline           DeadlineKind
	Level              int
	To                 string
	At                 time.Time
}

// RemedyRecorded: a remedy was recorded on a complaint.
type RemedyRecorded struct {
	ComplaintID, CustomerID, RemedyID string
	Kind                              RemedyKind
	Cost                              decimal.Decimal
	Currency                          string
	Points                            int64
	At                                time.Time
}

// GoodwillGranted: loyalty confirmed the goodwill points of a remedy.
type GoodwillGranted struct {
	ComplaintID, CustomerID, RemedyID string
	Points                            int64
	At                                time.Time
}

// HandlingRated: the customer rated how the complaint was handled.
type HandlingRated struct {
	ComplaintID, CustomerID string
	Score                   int
	At                      time.Time
}

// ResponseReceived: a survey response was recorded.
type ResponseReceived struct {
	ResponseID, SurveyID, CustomerID, Store string
	At                                      time.Time
	// NPS is the response's 0-10 score, or -1 when it has none; hosts
	// route detractors (0-6) to a call-back.
	NPS int
}

// SurveyInvitationDue: a customer should be invited to a survey at SendAt.
type SurveyInvitationDue struct {
	Invitation Invitation
}

// ReviewSubmitted: a product review awaits moderation.
type ReviewSubmitted struct {
	ReviewID, SKU, CustomerID string
	Rating                    int
	At                        time.Time
}

// ReviewModerated: a review's moderation state changed.
type ReviewModerated struct {
	ReviewID, SKU string
	From, To      ModerationState
	Moderator     string
	At            time.Time
}

// FollowUpScheduled: a follow-up visit was scheduled.
type FollowUpScheduled struct {
	FollowUpID, CustomerID, Store, Staff string
	Kind                                 FollowUpKind
	Reference                            string
	DueAt                                time.Time
}

// FollowUpDue: a follow-up visit has come due (reported once).
type FollowUpDue struct {
	FollowUpID, CustomerID, Store, Staff string
	Kind                                 FollowUpKind
	DueAt                                time.Time
}

// FollowUpCompleted: a follow-up's outcome was recorded.
type FollowUpCompleted struct {
	FollowUpID, CustomerID, InteractionID string
	Result                                FollowUpResult
	At                                    time.Time
}

// FollowUpDropped: a follow-up was cancelled.
type FollowUpDropped struct {
	FollowUpID, CustomerID, Actor string
	At                            time.Time
}

// EventName implements Event.
func (ComplaintReceived) EventName() string { return "complaint.received" }

// EventName implements Event.
func (ComplaintTransitioned) EventName() string { return "complaint.transitioned" }

// EventName implements Event.
func (ComplaintOverdue) EventName() string { return "complaint.overdue" }

// EventName implements Event.
func (ComplaintEscalated) EventName() string { return "complaint.escalated" }

// EventName implements Event.
func (RemedyRecorded) EventName() string { return "complaint.remedy-recorded" }

// EventName implements Event.
func (GoodwillGranted) EventName() string { return "complaint.goodwill-granted" }

// EventName implements Event.
func (HandlingRated) EventName() string { return "complaint.handling-rated" }

// EventName implements Event.
func (ResponseReceived) EventName() string { return "survey.response-received" }

// EventName implements Event.
func (SurveyInvitationDue) EventName() string { return "survey.invitation-due" }

// EventName implements Event.
func (ReviewSubmitted) EventName() string { return "review.submitted" }

// EventName implements Event.
func (ReviewModerated) EventName() string { return "review.moderated" }

// EventName implements Event.
func (FollowUpScheduled) EventName() string { return "follow-up.scheduled" }

// EventName implements Event.
func (FollowUpDue) EventName() string { return "follow-up.due" }

// EventName implements Event.
func (FollowUpCompleted) EventName() string { return "follow-up.completed" }

// EventName implements Event.
func (FollowUpDropped) EventName() string { return "follow-up.cancelled" }
