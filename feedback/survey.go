package feedback

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/clientele-go/clientele/customer"
)

// QuestionKind is the scale of a question.
type QuestionKind string

// Question kinds and their scales.
const (
	KindNPS     QuestionKind = "nps"     // 0-10 likelihood to recommend
	KindCSAT    QuestionKind = "csat"    // 1-5 satisfaction
	KindCES     QuestionKind = "ces"     // 1-7 customer effort (7: very easy)
	KindStars   QuestionKind = "stars"   // 1-MaxStars
	KindComment QuestionKind = "comment" // free text
)

// Question is one question of a survey.
type Question struct {
	ID       string       `json:"id"`
	Kind     QuestionKind `json:"kind"`
	Text     string       `json:"text"`
	Required bool         `json:"required,omitempty"`
	MaxStars int          `json:"maxStars,omitempty"` // stars only; 0 means 5
}

// Scale returns the lowest and highest score of the question; ok is false
// for comments, which have none.
func (q Question) Scale() (lo, hi int, ok bool) {
	switch q.Kind {
	case KindNPS:
		return 0, 10, true
	case KindCSAT:
		return 1, 5, true
	case KindCES:
		return 1, 7, true
	case KindStars:
		if q.MaxStars == 0 {
			return 1, 5, true
		}
		return 1, q.MaxStars, true
	}
	return 0, 0, false
}

// Trigger is what makes a customer eligible for a survey invitation.
type Trigger string

// Invitation triggers.
const (
	TriggerPurchase        Trigger = "after-purchase"
	TriggerComplaintClosed Trigger = "after-complaint-closed"
)

// InvitationRule says when a survey is offered: on a trigger, for a
// purchase of at least MinTotal (purchase triggers only; zero means any),
// sent Delay after the trigger on Channel (a channel the customer must
// have consented to for surveys, when the service checks consent).
type InvitationRule struct {
	Trigger  Trigger                 `json:"trigger"`
	MinTotal decimal.Decimal         `json:"minTotal"`
	Currency string                  `json:"currency,omitempty"` // of MinTotal
	Delay    time.Duration           `json:"delay"`
	Channel  customer.ContactChannel `json:"channel"`
}

// DefaultCoolDown is how long a customer is left alone after an
// invitation when a survey does not say: nobody is asked twice a week.
const DefaultCoolDown = 7 * 24 * time.Hour

// Survey is a survey definition, a versioned record.
type Survey struct {
	ID          string           `json:"id"`
	Version     int64            `json:"version"`
	Name        string           `json:"name"`
	Questions   []Question       `json:"questions"`
	Invitations []InvitationRule `json:"invitations,omitempty"`
	// CoolDown is the least time between two invitations to one customer,
	// across all surveys; 0 means DefaultCoolDown.
	CoolDown time.Duration `json:"coolDown,omitempty"`
	Active   bool          `json:"active"`
}

// Clone returns a deep copy.
func (s Survey) Clone() Survey {
	s.Questions = slices.Clone(s.Questions)
	s.Invitations = slices.Clone(s.Invitations)
	return s
}

// Question returns the question with the ID.
func (s Survey) Question(id string) (Question, bool) {
	for _, q := range s.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

func (s Survey) coolDown() time.Duration {
	if s.CoolDown > 0 {
		return s.CoolDown
	}
	return DefaultCoolDown
}

// Validate reports every problem with the definition at once.
func (s Survey) Validate() error {
	var fe fieldErrors
	if s.ID == "" {
		fe.add("id", "is required")
	}
	if s.Name == "" {
		fe.add("name", "is required")
	}
	if len(s.Questions) == 0 {
		fe.add("questions", "must hold at least one question")
	}
	seen := map[string]bool{}
	for i, q := range s.Questions {
		p := fmt.Sprintf("questions[%d]", i)
		if q.ID == "" {
			fe.add(p+".id", "is required")
		} else if seen[q.ID] {
			fe.add(p+".id", "is used twice")
		}
		seen[q.ID] = true
		switch q.Kind {
		case KindNPS, KindCSAT, KindCES, KindComment:
			if q.MaxStars != 0 {
				fe.add(p+".maxStars", "applies to star questions only")
			}
		case KindStars:
			if q.MaxStars != 0 && (q.MaxStars < 2 || q.MaxStars > 10) {
				fe.add(p+".maxStars", "must lie between 2 and 10")
			}
		default:
			fe.add(p+".kind", "must be nps, csat, ces, stars or comment")
		}
	}
	for i, r := range s.Invitations {
		p := fmt.Sprintf("invitations[%d]", i)
		if r.Trigger != TriggerPurchase && r.Trigger != TriggerComplaintClosed {
			fe.add(p+".trigger", "must be %s or %s", TriggerPurchase, TriggerComplaintClosed)
		}
		if r.MinTotal.IsNegative() {
			fe.add(p+".minTotal", "must not be negative")
		}
		if !r.MinTotal.IsZero() && (r.Trigger != TriggerPurchase || r.Currency == "") {
			fe.add(p+".minTotal", "needs a purchase trigger and a currency")
		}
		if r.Delay < 0 {
			fe.add(p+".delay", "must not be negative")
		}
		if r.Channel == "" {
			fe.add(p+".channel", "is required")
		}
	}
	if s.CoolDown < 0 {
		fe.add("coolDown", "must not be negative")
	}
	return fe.err()
}

// Answer is the answer to one question: a Score on the question's scale,
// or Text for a comment. Kind is copied from the survey when the response
// is recorded, so metrics need not read definitions.
type Answer struct {
	QuestionID string       `json:"questionId"`
	Kind       QuestionKind `json:"kind,omitempty"`
	Score      int          `json:"score,omitempty"`
	Text       string       `json:"text,omitempty"` // free text; erasure clears it
}

// Response is one completed survey. Its ID comes from the caller (the
// POS, kiosk or survey form), so recording it is idempotent. CustomerID is
// empty for an anonymous response.
type Response struct {
	ID            string    `json:"id"`
	SurveyID      string    `json:"surveyId"`
	CustomerID    string    `json:"customerId,omitempty"`
	PurchaseID    string    `json:"purchaseId,omitempty"`
	InteractionID string    `json:"interactionId,omitempty"`
	ComplaintID   string    `json:"complaintId,omitempty"`
	Store         string    `json:"store,omitempty"`
	Staff         string    `json:"staff,omitempty"`
	Channel       Channel   `json:"channel"`
	Time          time.Time `json:"time"`
	Answers       []Answer  `json:"answers"`
}

// ResponseRecord is a response as stored, with the hash of the request
// that created it.
type ResponseRecord struct {
	Response Response
	Hash     string
}

// Clone returns a deep copy.
func (r Response) Clone() Response {
	r.Answers = slices.Clone(r.Answers)
	return r
}

// Score returns the first score of a kind in the response.
func (r Response) Score(kind QuestionKind) (int, bool) {
	for _, a := range r.Answers {
		if a.Kind == kind && kind != KindComment {
			return a.Score, true
		}
	}
	return 0, false
}

// Redact clears the free text of the response (erasure); scores stay. It
// reports whether there was any text. It writes into the answers: redact
// a Clone of a stored response. A response has no version, so a store's
// erasure writes it back when this reports a change.
func (r *Response) Redact() bool {
	changed := false
	for i := range r.Answers {
		changed = changed || r.Answers[i].Text != ""
		r.Answers[i].Text = ""
	}
	return changed
}

// String describes the response without its comments.
func (r Response) String() string {
	return fmt.Sprintf("Response{ID: %s, Survey: %s, Customer: %s, Answers: %d}", r.ID, r.SurveyID, r.CustomerID, len(r.Answers))
}

// GoString redacts comments from %#v as well.
func (r Response) GoString() string { return r.String() }

// LogValue keeps comments out of slog output.
func (r Response) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", r.ID), slog.String("survey", r.SurveyID), slog.String("customer", r.CustomerID), slog.Int("answers", len(r.Answers)))
}

// Invitation is a decision to invite a customer to a survey.
type Invitation struct {
	ID         string                  `json:"id"` // surveyID:trigger:reference
	SurveyID   string                  `json:"surveyId"`
	CustomerID string                  `json:"customerId"`
	Trigger    Trigger                 `json:"trigger"`
	Reference  string                  `json:"reference"` // the purchase or complaint
	At         time.Time               `json:"at"`        // when the trigger happened
	SendAt     time.Time               `json:"sendAt"`
	Channel    customer.ContactChannel `json:"channel"`
}

// InvitationLog is one customer's recent invitations, a versioned record:
// the cool-down check and the new invitation are one compare-and-set, so
// two lanes can never both invite the same customer inside a cool-down.
type InvitationLog struct {
	CustomerID  string       `json:"customerId"`
	Version     int64        `json:"version"`
	Invitations []Invitation `json:"invitations"` // oldest first
}

// Clone returns a deep copy.
func (l InvitationLog) Clone() InvitationLog {
	l.Invitations = slices.Clone(l.Invitations)
	return l
}
