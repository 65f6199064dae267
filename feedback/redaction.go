package feedback

// Printing of the types that hold what customers wrote or what staff
// wrote about them (descriptions, notes, answers, review text): every fmt
// verb and slog show a description without the text. Complaint, FollowUp,
// Review and Response keep their String beside their types.

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/clientele-go/clientele/internal/redact"
)

// String describes the ComplaintIntake without personal data.
func (in ComplaintIntake) String() string {
	return fmt.Sprintf("ComplaintIntake{ID: %s, Customer: %s, Store: %s, Channel: %s, Category: %s, Priority: %s}", in.ID, in.CustomerID, in.Store, in.Channel, in.Category, in.Priority)
}

// GoString is String, so %#v shows no more.
func (in ComplaintIntake) GoString() string { return in.String() }

// Format prints String (GoString for %#v) for every verb.
func (in ComplaintIntake) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, in.String(), in.GoString())
}

// LogValue shows slog what String shows.
func (in ComplaintIntake) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", in.ID), slog.String("customer", in.CustomerID), slog.String("store", in.Store), slog.String("category", string(in.Category)), slog.String("priority", string(in.Priority)))
}

// String describes the Remedy without personal data.
func (r Remedy) String() string {
	return fmt.Sprintf("Remedy{ID: %s, Kind: %s, Cost: %s %s, Points: %d, Granted: %t}", r.ID, r.Kind, r.Cost, r.Currency, r.Points, r.Granted)
}

// GoString is String, so %#v shows no more.
func (r Remedy) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r Remedy) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String(), r.GoString()) }

// LogValue shows slog what String shows.
func (r Remedy) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", r.ID), slog.String("kind", string(r.Kind)), slog.String("cost", r.Cost.String()), slog.String("currency", r.Currency), slog.Int64("points", r.Points), slog.Bool("granted", r.Granted))
}

// String describes the Step without personal data.
func (st Step) String() string {
	return fmt.Sprintf("Step{Action: %s, Actor: %s, RequestID: %s}", st.Action, st.Actor, st.RequestID)
}

// GoString is String, so %#v shows no more.
func (st Step) GoString() string { return st.String() }

// Format prints String (GoString for %#v) for every verb.
func (st Step) Format(f fmt.State, verb rune) { redact.Format(f, verb, st.String(), st.GoString()) }

// LogValue shows slog what String shows.
func (st Step) LogValue() slog.Value {
	return slog.GroupValue(slog.String("action", string(st.Action)), slog.String("actor", st.Actor), slog.String("request", st.RequestID))
}

// String describes the Transition without personal data.
func (tr Transition) String() string {
	return fmt.Sprintf("Transition{Action: %s, From: %s, To: %s, Actor: %s, At: %s}", tr.Action, tr.From, tr.To, tr.Actor, tr.At.Format(time.RFC3339))
}

// GoString is String, so %#v shows no more.
func (tr Transition) GoString() string { return tr.String() }

// Format prints String (GoString for %#v) for every verb.
func (tr Transition) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, tr.String(), tr.GoString())
}

// LogValue shows slog what String shows.
func (tr Transition) LogValue() slog.Value {
	return slog.GroupValue(slog.String("action", string(tr.Action)), slog.String("from", string(tr.From)), slog.String("to", string(tr.To)), slog.String("actor", tr.Actor), slog.Time("at", tr.At))
}

// String describes the FollowUpOutcome without personal data.
func (o FollowUpOutcome) String() string {
	return fmt.Sprintf("FollowUpOutcome{Result: %s, Channel: %s, Staff: %s, At: %s, Satisfaction: %d}", o.Result, o.Channel, o.Staff, o.At.Format(time.RFC3339), o.Satisfaction)
}

// GoString is String, so %#v shows no more.
func (o FollowUpOutcome) GoString() string { return o.String() }

// Format prints String (GoString for %#v) for every verb.
func (o FollowUpOutcome) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, o.String(), o.GoString())
}

// LogValue shows slog what String shows.
func (o FollowUpOutcome) LogValue() slog.Value {
	return slog.GroupValue(slog.String("result", string(o.Result)), slog.String("channel", string(o.Channel)), slog.String("staff", o.Staff), slog.Time("at", o.At), slog.Int("satisfaction", o.Satisfaction))
}

// String describes the Answer without personal data.
func (a Answer) String() string {
	return fmt.Sprintf("Answer{QuestionID: %s, Kind: %s, Score: %d}", a.QuestionID, a.Kind, a.Score)
}

// GoString is String, so %#v shows no more.
func (a Answer) GoString() string { return a.String() }

// Format prints String (GoString for %#v) for every verb.
func (a Answer) Format(f fmt.State, verb rune) { redact.Format(f, verb, a.String(), a.GoString()) }

// LogValue shows slog what String shows.
func (a Answer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("question", a.QuestionID), slog.String("kind", string(a.Kind)), slog.Int("score", a.Score))
}

// String describes the ResponseRecord without personal data.
func (r ResponseRecord) String() string { return "ResponseRecord{" + r.Response.String() + "}" }

// GoString is String, so %#v shows no more.
func (r ResponseRecord) GoString() string { return r.String() }

// Format prints String (GoString for %#v) for every verb.
func (r ResponseRecord) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, r.String(), r.GoString())
}

// LogValue shows slog what String shows.
func (r ResponseRecord) LogValue() slog.Value { return r.Response.LogValue() }

// String describes the CustomerFeedback without personal data.
func (cf CustomerFeedback) String() string {
	return fmt.Sprintf("CustomerFeedback{Complaints: %d, Responses: %d, Reviews: %d, FollowUps: %d, Invitations: %d}", len(cf.Complaints), len(cf.Responses), len(cf.Reviews), len(cf.FollowUps), len(cf.Invitations))
}

// GoString is String, so %#v shows no more.
func (cf CustomerFeedback) GoString() string { return cf.String() }

// Format prints String (GoString for %#v) for every verb.
func (cf CustomerFeedback) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, cf.String(), cf.GoString())
}

// LogValue shows slog what String shows.
func (cf CustomerFeedback) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("complaints", len(cf.Complaints)), slog.Int("responses", len(cf.Responses)), slog.Int("reviews", len(cf.Reviews)), slog.Int("followUps", len(cf.FollowUps)), slog.Int("invitations", len(cf.Invitations)))
}

// Format prints String (GoString for %#v) for every verb.
func (c Complaint) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String(), c.GoString()) }

// Format prints String (GoString for %#v) for every verb.
func (fu FollowUp) Format(f fmt.State, verb rune) { redact.Format(f, verb, fu.String(), fu.GoString()) }

// Format prints String (GoString for %#v) for every verb.
func (r Review) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String(), r.GoString()) }

// Format prints String (GoString for %#v) for every verb.
func (r Response) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.String(), r.GoString()) }
