package feedback

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// ComplaintStatus is where a complaint stands in the handling flow.
type ComplaintStatus string

// The ISO 10002-style flow. A reopened complaint goes back to
// StatusInvestigating; the reopening is kept in its history.
const (
	StatusReceived      ComplaintStatus = "received"
	StatusAcknowledged  ComplaintStatus = "acknowledged"
	StatusInvestigating ComplaintStatus = "investigating"
	StatusResolved      ComplaintStatus = "resolved"
	StatusClosed        ComplaintStatus = "closed"
)

// Open reports whether the shop still owes the customer a resolution: the
// SLA clock runs only for open complaints.
func (s ComplaintStatus) Open() bool {
	return s == StatusReceived || s == StatusAcknowledged || s == StatusInvestigating
}

// Channel is how feedback reached the shop or how the shop reached the
// customer.
type Channel string

// Channels. Hosts may use others.
const (
	ChannelInStore     Channel = "in-store"
	ChannelPhone       Channel = "phone"
	ChannelEmail       Channel = "email"
	ChannelSMS         Channel = "sms"
	ChannelWeb         Channel = "web"
	ChannelApp         Channel = "app"
	ChannelWeChat      Channel = "wechat"
	ChannelMiniProgram Channel = "mini-program"
	ChannelSocial      Channel = "social"
)

// Category is what a complaint is about. Hosts may use others.
type Category string

// Common complaint categories.
const (
	CategoryProduct  Category = "product"
	CategoryService  Category = "service"
	CategoryStaff    Category = "staff"
	CategoryDelivery Category = "delivery"
	CategoryBilling  Category = "billing"
	CategoryStore    Category = "store"
	CategoryOther    Category = "other"
)

// Action is a step a handler takes on a complaint.
type Action string

// Complaint actions. See Transitions for which status allows which.
const (
	ActionReceive        Action = "receive" // intake; only the first history entry
	ActionAcknowledge    Action = "acknowledge"
	ActionInvestigate    Action = "investigate"
	ActionWaitOnCustomer Action = "wait-on-customer" // stops the SLA clock
	ActionResume         Action = "resume"           // restarts it
	ActionResolve        Action = "resolve"
	ActionClose          Action = "close"
	ActionReopen         Action = "reopen"
)

// Transition is one entry of a complaint's history. Note is free text and
// may hold personal data; erasure clears it.
type Transition struct {
	Action    Action          `json:"action"`
	From      ComplaintStatus `json:"from,omitempty"`
	To        ComplaintStatus `json:"to"`
	Actor     string          `json:"actor"`
	At        time.Time       `json:"at"`
	Note      string          `json:"note,omitempty"`
	RequestID string          `json:"requestId,omitempty"`
}

// RemedyKind is what the shop gave to put things right.
type RemedyKind string

// Remedy kinds.
const (
	RemedyRefund      RemedyKind = "refund"
	RemedyReplacement RemedyKind = "replacement"
	RemedyRepair      RemedyKind = "repair"
	RemedyCoupon      RemedyKind = "coupon"
	RemedyGoodwill    RemedyKind = "goodwill-points" // granted through loyalty
	RemedyApology     RemedyKind = "apology"
)

func (k RemedyKind) valid() bool {
	switch k {
	case RemedyRefund, RemedyReplacement, RemedyRepair, RemedyCoupon, RemedyGoodwill, RemedyApology:
		return true
	}
	return false
}

// Remedy is one thing given to the customer, with what it cost the shop.
// Its ID comes from the caller, so recording it is idempotent.
type Remedy struct {
	ID       string          `json:"id"`
	Kind     RemedyKind      `json:"kind"`
	Cost     decimal.Decimal `json:"cost"`               // cost to the shop, in Currency
	Currency string          `json:"currency,omitempty"` // ISO 4217; required when Cost is not zero
	Points   int64           `json:"points,omitempty"`   // goodwill points; only for RemedyGoodwill
	Actor    string          `json:"actor"`
	At       time.Time       `json:"at"`
	Note     string          `json:"note,omitempty"` // free text; erasure clears it
	// Granted is set once loyalty confirmed a goodwill grant.
	Granted bool `json:"granted,omitempty"`
}

// DeadlineKind names one of a complaint's two SLA deadlines.
type DeadlineKind string

// Deadline kinds.
const (
	DeadlineFirstResponse DeadlineKind = "first-response"
	DeadlineResolution    DeadlineKind = "resolution"
)

// Escalation records that an overdue complaint was raised to someone.
type Escalation struct {
	Deadline DeadlineKind `json:"deadline"`
	Level    int          `json:"level"` // 1-based position in the policy's ladder
	To       string       `json:"to"`
	At       time.Time    `json:"at"`
}

// Complaint is one complaint, a versioned aggregate: the service changes
// it by compare-and-set on Version. Description, RemedySought and the
// notes are free text that may hold personal data; erasure clears them
// and keeps the rest.
type Complaint struct {
	ID            string   `json:"id"`
	Version       int64    `json:"version"` // 1 on intake, +1 on every write
	CustomerID    string   `json:"customerId,omitempty"`
	Store         string   `json:"store"`
	Staff         string   `json:"staff,omitempty"` // who took it in
	Channel       Channel  `json:"channel"`
	Category      Category `json:"category"`
	Priority      Priority `json:"priority"`
	Description   string   `json:"description,omitempty"`
	RemedySought  string   `json:"remedySought,omitempty"`
	PurchaseID    string   `json:"purchaseId,omitempty"`
	InteractionID string   `json:"interactionId,omitempty"`
	// RequestHash is the hash of the intake request, for idempotent
	// replays.
	RequestHash string    `json:"requestHash"`
	ReceivedAt  time.Time `json:"receivedAt"`

	Status            ComplaintStatus `json:"status"`
	WaitingOnCustomer bool            `json:"waitingOnCustomer,omitempty"`
	// Pauses are the stretches spent waiting on the customer; the last is
	// open while WaitingOnCustomer is set.
	Pauses []Interval `json:"pauses,omitempty"`

	// Policy and Target are the SLA policy name and targets fixed at
	// intake.
	Policy           string    `json:"policy"`
	Target           SLATarget `json:"target"`
	FirstResponseDue time.Time `json:"firstResponseDue"`
	// ResolutionDue moves out after each pause; it is zero while a pause
	// that began before it is still open (the clock is stopped).
	ResolutionDue time.Time `json:"resolutionDue,omitzero"`
	// DueAt is the earliest deadline whose clock is running:
	// FirstResponseDue until the complaint is acknowledged, ResolutionDue
	// while it is open and the clock is not stopped; zero otherwise.
	// Stores index it: the complaint is overdue once DueAt has passed.
	DueAt time.Time `json:"dueAt,omitzero"`

	FirstResponseAt       time.Time    `json:"firstResponseAt,omitzero"`
	ResolvedAt            time.Time    `json:"resolvedAt,omitzero"`
	ClosedAt              time.Time    `json:"closedAt,omitzero"`
	FirstResponseBreached bool         `json:"firstResponseBreached,omitempty"`
	ResolutionBreached    bool         `json:"resolutionBreached,omitempty"`
	Escalations           []Escalation `json:"escalations,omitempty"`
	Reopened              int          `json:"reopened,omitempty"`

	Remedies []Remedy `json:"remedies,omitempty"`
	// Satisfaction is the customer's rating of the handling, 1 to 5; 0
	// means not given.
	Satisfaction int          `json:"satisfaction,omitempty"`
	History      []Transition `json:"history"`
}

// Clone returns a deep copy, so stores can hand out copies.
func (c Complaint) Clone() Complaint {
	c.Pauses = slices.Clone(c.Pauses)
	c.Escalations = slices.Clone(c.Escalations)
	c.Remedies = slices.Clone(c.Remedies)
	c.History = slices.Clone(c.History)
	return c
}

// Redact clears the free text of the complaint (erasure), keeping the
// facts: category, priority, times, remedies and their costs, and scores.
// It reports whether there was any text to clear. It writes into the
// complaint's slices: redact a Clone of a stored record.
func (c *Complaint) Redact() bool {
	changed := c.Description != "" || c.RemedySought != ""
	c.Description, c.RemedySought = "", ""
	for i := range c.History {
		changed = changed || c.History[i].Note != ""
		c.History[i].Note = ""
	}
	for i := range c.Remedies {
		changed = changed || c.Remedies[i].Note != ""
		c.Remedies[i].Note = ""
	}
	return changed
}

// Erase is what a store's erasure does to a complaint: Redact, and a new
// version only if that changed it, so a second erasure writes nothing. It
// reports whether the complaint must be written back.
func (c *Complaint) Erase() bool {
	if !c.Redact() {
		return false
	}
	c.Version++
	return true
}

// RemedyCost sums the cost of the remedies in one currency.
func (c Complaint) RemedyCost(currency string) decimal.Decimal {
	sum := decimal.Zero
	for _, r := range c.Remedies {
		if r.Currency == currency {
			sum = sum.Add(r.Cost)
		}
	}
	return sum
}

// String describes the complaint without its free text.
func (c Complaint) String() string {
	return fmt.Sprintf("Complaint{ID: %s, Version: %d, Status: %s, Priority: %s, Customer: %s}", c.ID, c.Version, c.Status, c.Priority, c.CustomerID)
}

// GoString redacts free text from %#v as well.
func (c Complaint) GoString() string { return c.String() }

// LogValue keeps free text out of slog output.
func (c Complaint) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", c.ID),
		slog.Int64("version", c.Version),
		slog.String("status", string(c.Status)),
		slog.String("priority", string(c.Priority)),
		slog.String("customer", c.CustomerID),
	)
}
