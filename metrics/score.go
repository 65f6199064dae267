package metrics

import "time"

// Kind is the survey question a Score answers.
type Kind string

// Score kinds and their scales.
const (
	// KindNPS is "how likely are you to recommend us", 0 to 10.
	KindNPS Kind = "nps"
	// KindCSAT is "how satisfied were you", 1 to SatisfactionOptions.CSATScale
	// (5 unless set).
	KindCSAT Kind = "csat"
	// KindCES is the customer effort score, 1 (very difficult) to 7 (very
	// easy), the CES 2.0 scale.
	KindCES Kind = "ces"
)

// cesMax is the top of the CES scale.
const cesMax = 7

// Score is one answer to one satisfaction question: the shape a survey
// response maps into. Store, Staff and Channel say where the experience
// happened (an empty field forms its own group in a breakdown);
// CustomerID may be empty for anonymous feedback.
type Score struct {
	Kind       Kind      `json:"kind"`
	Value      int       `json:"value"`
	Time       time.Time `json:"time"`
	Store      string    `json:"store,omitempty"`
	Staff      string    `json:"staff,omitempty"`
	Channel    string    `json:"channel,omitempty"`
	CustomerID string    `json:"customerId,omitempty"`
}

// validate checks the kind and that the value is on the kind's scale.
func (s Score) validate(csatScale int) error {
	var lo, hi int
	switch s.Kind {
	case KindNPS:
		lo, hi = 0, 10
	case KindCSAT:
		lo, hi = 1, csatScale
	case KindCES:
		lo, hi = 1, cesMax
	default:
		return fieldErr(ErrInvalidScore, "score", "Kind", "%q is not nps, csat or ces", string(s.Kind))
	}
	if s.Value < lo || s.Value > hi {
		return fieldErr(ErrInvalidScore, "score", "Value", "%d is outside %d..%d for %s", s.Value, lo, hi, s.Kind)
	}
	return nil
}
