package feedback

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// FollowUpKind is why a follow-up visit (回访) was scheduled.
type FollowUpKind string

// Follow-up kinds. Hosts may schedule others with ScheduleFollowUp.
const (
	FollowUpDelivery     FollowUpKind = "delivery-check"     // after a big-ticket purchase
	FollowUpInstallation FollowUpKind = "installation-check" // after a purchase that needs installing
	FollowUpComplaint    FollowUpKind = "complaint-resolved" // after a complaint is resolved
	FollowUpInactive     FollowUpKind = "inactive-customer"  // a valued customer has not visited
)

// FollowUpStatus is where a follow-up stands.
type FollowUpStatus string

// Follow-up statuses.
const (
	FollowUpOpen      FollowUpStatus = "open"
	FollowUpDone      FollowUpStatus = "done"
	FollowUpCancelled FollowUpStatus = "cancelled"
)

// FollowUpResult is how a follow-up went.
type FollowUpResult string

// Follow-up results.
const (
	ResultReached    FollowUpResult = "reached"     // spoke to the customer, all well
	ResultIssueFound FollowUpResult = "issue-found" // spoke to the customer, a problem came up
	ResultNoAnswer   FollowUpResult = "no-answer"
	ResultDeclined   FollowUpResult = "declined" // the customer did not want to talk
)

// FollowUpOutcome is what came of a follow-up. Note is free text; erasure
// clears it.
type FollowUpOutcome struct {
	Result       FollowUpResult          `json:"result"`
	Channel      customer.ContactChannel `json:"channel"`
	Staff        string                  `json:"staff"`
	At           time.Time               `json:"at"`
	Note         string                  `json:"note,omitempty"`
	Satisfaction int                     `json:"satisfaction,omitempty"` // 1-5, 0 if not asked
	// InteractionID is the customer interaction the outcome was logged as.
	InteractionID string `json:"interactionId,omitempty"`
}

// FollowUp is a scheduled follow-up task, a versioned record.
type FollowUp struct {
	ID         string          `json:"id"`
	Version    int64           `json:"version"`
	CustomerID string          `json:"customerId"`
	Kind       FollowUpKind    `json:"kind"`
	Reference  string          `json:"reference,omitempty"` // purchase, complaint or last visit
	Store      string          `json:"store"`
	Staff      string          `json:"staff,omitempty"` // assignee; empty means anyone at the store
	CreatedAt  time.Time       `json:"createdAt"`
	DueAt      time.Time       `json:"dueAt"`
	Status     FollowUpStatus  `json:"status"`
	Announced  bool            `json:"announced,omitempty"` // FollowUpDue was reported
	Outcome    FollowUpOutcome `json:"outcome,omitzero"`
	CancelNote string          `json:"cancelNote,omitempty"`
}

// Redact clears the follow-up's free text (erasure) and reports whether
// there was any.
func (f *FollowUp) Redact() bool {
	changed := f.Outcome.Note != "" || f.CancelNote != ""
	f.Outcome.Note, f.CancelNote = "", ""
	return changed
}

// Erase is a store's erasure of a follow-up: Redact, and a new version
// only if that changed it. It reports whether to write it back.
func (f *FollowUp) Erase() bool {
	if !f.Redact() {
		return false
	}
	f.Version++
	return true
}

// String describes the follow-up without free text.
func (f FollowUp) String() string {
	return fmt.Sprintf("FollowUp{ID: %s, Kind: %s, Status: %s, Due: %s}", f.ID, f.Kind, f.Status, f.DueAt.Format(time.RFC3339))
}

// GoString redacts free text from %#v as well.
func (f FollowUp) GoString() string { return f.String() }

// LogValue keeps free text out of slog output.
func (f FollowUp) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", f.ID), slog.String("kind", string(f.Kind)), slog.String("status", string(f.Status)), slog.String("customer", f.CustomerID))
}

// FollowUpPolicy says when follow-ups are scheduled. Zero durations turn
// a kind off.
type FollowUpPolicy struct {
	// BigTicket is the least purchase total, per ISO 4217 currency, that
	// earns a delivery or installation check.
	BigTicket map[string]decimal.Decimal
	// InstallationTag marks product lines that need installing (a
	// purchase with such a line gets an installation check).
	InstallationTag string
	// AfterPurchase, AfterComplaint: how long after the purchase or the
	// resolution the visit is due.
	AfterPurchase  time.Duration
	AfterComplaint time.Duration
	// InactiveAfter: how long without a visit before a valued customer is
	// called.
	InactiveAfter time.Duration
}

// DefaultFollowUpPolicy checks installations and deliveries three days
// after purchases of 5,000 CNY or more, calls back two days after a
// complaint is resolved, and calls valued customers after 60 days away.
func DefaultFollowUpPolicy() FollowUpPolicy {
	return FollowUpPolicy{
		BigTicket:       map[string]decimal.Decimal{"CNY": decimal.NewFromInt(5000)},
		InstallationTag: "installation",
		AfterPurchase:   72 * time.Hour,
		AfterComplaint:  48 * time.Hour,
		InactiveAfter:   60 * 24 * time.Hour,
	}
}

// LastVisit is a valued customer's most recent visit, as the host (or
// segment) knows it; ScheduleInactive reads a stream of them.
type LastVisit struct {
	CustomerID string
	Store      string
	Staff      string // the customer's usual adviser, if any
	At         time.Time
}

// FollowUpFilter selects follow-ups; zero fields select everything.
type FollowUpFilter struct {
	CustomerID string
	Store      string
	Staff      string
	Status     FollowUpStatus
	DueBefore  time.Time // DueAt < DueBefore
	// Unannounced selects follow-ups whose FollowUpDue was not reported.
	Unannounced bool
}

// Match reports whether the follow-up passes the filter.
func (q FollowUpFilter) Match(f FollowUp) bool {
	return (q.CustomerID == "" || f.CustomerID == q.CustomerID) &&
		(q.Store == "" || f.Store == q.Store) &&
		(q.Staff == "" || f.Staff == q.Staff) &&
		(q.Status == "" || f.Status == q.Status) &&
		(q.DueBefore.IsZero() || f.DueAt.Before(q.DueBefore)) &&
		(!q.Unannounced || !f.Announced)
}
