package customer

import (
	"fmt"
	"log/slog"
	"time"
)

// EventType names a customer event. The names are stable: hosts route on
// them.
type EventType string

// Events the customer service reports for the host to publish.
const (
	EventRegistered       EventType = "customer.registered"
	EventProfileUpdated   EventType = "customer.profile-updated"
	EventPreferencesSet   EventType = "customer.preferences-set"
	EventConsentGranted   EventType = "customer.consent-granted"
	EventConsentWithdrawn EventType = "customer.consent-withdrawn"
	EventTagged           EventType = "customer.tagged"
	EventUntagged         EventType = "customer.untagged"
	EventIdentityAdded    EventType = "customer.identity-added"
	EventIdentityRemoved  EventType = "customer.identity-removed"
	EventMerged           EventType = "customer.merged"
	EventErased           EventType = "customer.erased"
)

// Event is one thing a customer write caused, for the host to publish on
// its message bus; the library delivers nothing itself.
//
// An Event holds no personal data: customers are named by ID, identities
// by kind only, and consent by purpose and channel. Tags are the shop's
// own labels; String and LogValue show only how many.
//
// Replaying a write (the same RequestID, the same merge, an erasure
// already done, a profile update that already landed) returns its events
// again, so a host that crashed between the write and publishing gets
// them on retry: delivery is at-least-once, and a consumer de-duplicates
// by (Type, CustomerID, Version) or RequestID.
type Event struct {
	Type       EventType `json:"type"`
	CustomerID string    `json:"customerId"`
	// At is when the change took effect: the registration's JoinedAt, the
	// consent's At, the merge's or erasure's time, else the service clock.
	At time.Time `json:"at"`
	// Version is the customer's version the write produced (0 for merge
	// and erase events, which may touch several records).
	Version int64 `json:"version,omitempty"`
	// RequestID is the caller's ID of the request, when it gave one.
	RequestID string         `json:"requestId,omitempty"`
	Purpose   Purpose        `json:"purpose,omitempty"`
	Channel   ContactChannel `json:"channel,omitempty"`
	// Tags are the tags a Tag or Untag asked for, normalised.
	Tags         []string     `json:"tags,omitempty"`
	IdentityKind IdentityKind `json:"identityKind,omitempty"`
	// Duplicate is the customer merged into CustomerID (EventMerged).
	Duplicate string `json:"duplicate,omitempty"`
}

// String describes the event without personal data.
func (e Event) String() string {
	s := fmt.Sprintf("%s{customer: %s, version: %d, at: %s", e.Type, e.CustomerID, e.Version, e.At.Format(time.RFC3339))
	if e.Purpose != "" {
		s += fmt.Sprintf(", purpose: %s, channel: %s", e.Purpose, e.Channel)
	}
	if e.IdentityKind != "" {
		s += ", identity: " + string(e.IdentityKind)
	}
	if len(e.Tags) > 0 {
		s += fmt.Sprintf(", tags: %d", len(e.Tags))
	}
	if e.Duplicate != "" {
		s += ", duplicate: " + e.Duplicate
	}
	return s + "}"
}

// GoString is String, so %#v shows no more than %v.
func (e Event) GoString() string { return e.String() }

// LogValue gives slog the same fields String shows.
func (e Event) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("type", string(e.Type)),
		slog.String("customer", e.CustomerID),
		slog.Int64("version", e.Version),
		slog.Time("at", e.At),
	}
	if e.RequestID != "" {
		attrs = append(attrs, slog.String("request", e.RequestID))
	}
	if e.Purpose != "" {
		attrs = append(attrs, slog.String("purpose", string(e.Purpose)), slog.String("channel", string(e.Channel)))
	}
	if e.IdentityKind != "" {
		attrs = append(attrs, slog.String("identity", string(e.IdentityKind)))
	}
	if len(e.Tags) > 0 {
		attrs = append(attrs, slog.Int("tags", len(e.Tags)))
	}
	if e.Duplicate != "" {
		attrs = append(attrs, slog.String("duplicate", e.Duplicate))
	}
	return slog.GroupValue(attrs...)
}

// Change is what a customer write did: the customer as written (or as
// stored, on a replay) and the events for the host to publish.
type Change struct {
	Customer Customer
	Events   []Event
}

// event returns an event of c after a write at the service clock.
func (s *Service) event(typ EventType, c Customer) Event {
	return Event{Type: typ, CustomerID: c.ID, Version: c.Version, At: storeTime(s.opts.Clock())}
}
