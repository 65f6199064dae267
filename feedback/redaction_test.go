package feedback_test

import (
	"testing"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/redact/redacttest"
)

// personal names the fields that hold personal data in feedback's types:
// what customers wrote and what staff wrote about them.
var personal = redacttest.Personal{
	Fields: []string{"Description", "RemedySought", "Note", "Text", "Title", "CancelNote", "ModerationNote"},
	Except: []string{"Question.Text"}, // the shop's question, not an answer
}

// feedbackTypes is every exported struct type of the package, zero
// valued; redacttest.Run keeps the list complete.
var feedbackTypes = map[string]any{
	"Answer": feedback.Answer{}, "Calendar": feedback.Calendar{}, "Complaint": feedback.Complaint{},
	"ComplaintEscalated": feedback.ComplaintEscalated{}, "ComplaintIntake": feedback.ComplaintIntake{},
	"ComplaintOverdue": feedback.ComplaintOverdue{}, "ComplaintReceived": feedback.ComplaintReceived{},
	"ComplaintTransitioned": feedback.ComplaintTransitioned{}, "CustomerFeedback": feedback.CustomerFeedback{},
	"Date": feedback.Date{}, "Escalation": feedback.Escalation{}, "EscalationStep": feedback.EscalationStep{},
	"FieldError": feedback.FieldError{}, "FollowUp": feedback.FollowUp{}, "FollowUpCompleted": feedback.FollowUpCompleted{},
	"FollowUpDropped": feedback.FollowUpDropped{}, "FollowUpDue": feedback.FollowUpDue{}, "FollowUpFilter": feedback.FollowUpFilter{},
	"FollowUpOutcome": feedback.FollowUpOutcome{}, "FollowUpPolicy": feedback.FollowUpPolicy{},
	"FollowUpScheduled": feedback.FollowUpScheduled{}, "GoodwillGranted": feedback.GoodwillGranted{},
	"HandlingRated": feedback.HandlingRated{}, "Interval": feedback.Interval{}, "Invitation": feedback.Invitation{},
	"InvitationLog": feedback.InvitationLog{}, "InvitationRequest": feedback.InvitationRequest{},
	"InvitationRule": feedback.InvitationRule{}, "LastVisit": feedback.LastVisit{}, "MemoryStore": feedback.MemoryStore{},
	"Options": feedback.Options{}, "Question": feedback.Question{}, "Remedy": feedback.Remedy{},
	"RemedyRecorded": feedback.RemedyRecorded{}, "Response": feedback.Response{}, "ResponseReceived": feedback.ResponseReceived{},
	"ResponseRecord": feedback.ResponseRecord{}, "Review": feedback.Review{}, "ReviewModerated": feedback.ReviewModerated{},
	"ReviewSubmitted": feedback.ReviewSubmitted{}, "SLAPolicy": feedback.SLAPolicy{}, "SLATarget": feedback.SLATarget{},
	"Service": feedback.Service{}, "Span": feedback.Span{}, "Step": feedback.Step{}, "Survey": feedback.Survey{},
	"SurveyDecline": feedback.SurveyDecline{}, "SurveyInvitationDue": feedback.SurveyInvitationDue{},
	"SyntaxError": feedback.SyntaxError{}, "Transition": feedback.Transition{}, "TransitionError": feedback.TransitionError{},
	"TriggerOutcome": feedback.TriggerOutcome{},
}

// Every exported type of the package prints no personal data through any
// fmt verb or slog handler (a capturing handler): fields named in personal
// are filled with a marker and the output searched for it. The list of
// types must match the package's declarations.
func TestNoTypePrintsPersonalData(t *testing.T) {
	redacttest.Run(t, ".", feedbackTypes, personal)
}
