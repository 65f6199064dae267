package feedback

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/clockskew"
	"github.com/clientele-go/clientele/internal/idem"
)

// maxText caps free text (descriptions, notes, comments), in bytes.
const maxText = 8000

// InteractionLogger records a customer interaction; customer.Service has
// this method. The service logs follow-up outcomes through it, with an
// interaction ID derived from the follow-up so a retry logs nothing twice.
type InteractionLogger interface {
	LogInteraction(ctx context.Context, in customer.Interaction) (customer.Interaction, error)
}

// GoodwillGranter grants goodwill points, normally through the loyalty
// package. It must be idempotent by key: a second call with the same key
// grants nothing more and returns nil.
type GoodwillGranter interface {
	GrantGoodwill(ctx context.Context, customerID string, points int64, idempotencyKey, reason string) error
}

// ConsentChecker tells whether a customer may be contacted for a purpose
// on a channel at a time; the host wires it to the customer package
// (customer.Customer.CanContact answers it).
type ConsentChecker interface {
	CanContact(ctx context.Context, customerID string, purpose customer.Purpose, channel customer.ContactChannel, at time.Time) (bool, error)
}

// Options tune a Service. The zero value (or nil) gives the defaults.
type Options struct {
	// Clock tells the time; default time.Now.
	Clock func() time.Time
	// NewID makes IDs for requests that come without one (such requests
	// are not retry-safe); default 16 random bytes in hex.
	NewID func() string
	// Location is the time zone follow-up due dates are reckoned in;
	// default the SLA policy's.
	Location *time.Location
	// StorePolicies overrides the SLA policy for particular stores (a
	// store in another time zone, a flagship with longer hours).
	StorePolicies map[string]SLAPolicy
	// FollowUps says when follow-ups are scheduled; nil means
	// DefaultFollowUpPolicy.
	FollowUps *FollowUpPolicy
	// Interactions records follow-up outcomes as customer interactions;
	// nil keeps them in feedback only.
	Interactions InteractionLogger
	// Goodwill grants goodwill-points remedies; nil refuses them with
	// ErrNoGranter.
	Goodwill GoodwillGranter
	// Consent, when set, is asked before every survey invitation
	// (purpose customer.PurposeSurveys); nil invites without asking.
	Consent ConsentChecker
	// MaxRetries bounds the retries of a write that lost a version race;
	// default 8.
	MaxRetries int
}

// Service is the feedback service over a Store. It is safe for concurrent
// use and starts no goroutines.
type Service struct {
	store     Store
	policy    SLAPolicy
	byStore   map[string]SLAPolicy
	followUps FollowUpPolicy
	clock     func() time.Time
	newID     func() string
	loc       *time.Location
	log       InteractionLogger
	goodwill  GoodwillGranter
	consent   ConsentChecker
	retries   int
}

// New returns a service over st with the default SLA policy sla. It
// fails with ErrInvalid if a policy does not validate.
func New(st Store, sla SLAPolicy, opts *Options) (*Service, error) {
	if st == nil {
		return nil, &FieldError{Field: "store", Problem: "is required"}
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	var errs []error
	if err := sla.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("default policy: %w", err))
	}
	for store, p := range o.StorePolicies {
		if err := p.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("policy of store %s: %w", store, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s := &Service{
		store: st, policy: sla, byStore: o.StorePolicies,
		clock: o.Clock, newID: o.NewID, loc: o.Location,
		log: o.Interactions, goodwill: o.Goodwill, consent: o.Consent, retries: o.MaxRetries,
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.newID == nil {
		s.newID = randomID
	}
	if s.loc == nil {
		s.loc = sla.Calendar.Location
	}
	if s.retries <= 0 {
		s.retries = 8
	}
	if o.FollowUps != nil {
		s.followUps = *o.FollowUps
	} else {
		s.followUps = DefaultFollowUpPolicy()
	}
	return s, nil
}

// Store returns the store the service works on.
func (s *Service) Store() Store { return s.store }

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// now is the service clock, stamped.
func (s *Service) now() time.Time { return stamp(s.clock()) }

// policyFor returns the SLA policy of a store.
func (s *Service) policyFor(store string) SLAPolicy {
	if p, ok := s.byStore[store]; ok {
		return p
	}
	return s.policy
}

// retry runs fn again while it loses a version race, a bounded number of
// times.
func (s *Service) retry(fn func() error) error {
	for i := 0; ; i++ {
		err := fn()
		if !errors.Is(err, ErrConflict) || i >= s.retries {
			return err
		}
	}
}

// requestHash fingerprints a request for idempotent replays. Requests
// hash their times in UTC to the microsecond (utc), so the same instant
// written in another zone matches. The only requests that cannot be
// hashed hold times outside years 0-9999.
func requestHash(v any) (string, error) {
	h, err := idem.Hash(v)
	if err != nil {
		return "", &FieldError{Field: "time", Problem: "must lie between years 0 and 9999"}
	}
	return h, nil
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return stamp(t).UTC()
}

// stamp drops the monotonic reading and rounds down to the microsecond,
// the precision every store keeps, so a record reads back as written.
func stamp(t time.Time) time.Time { return t.Round(0).Truncate(time.Microsecond) }

// wrap adds the operation and record ID to an error, once: a
// *TransitionError already names its record and is returned as it is.
func wrap(op, id string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*TransitionError); ok {
		return err
	}
	return fmt.Errorf("feedback: %s %s: %w", op, id, err)
}

// MaxClockAhead is how far after the service clock a caller's timestamp
// may lie: complaint intake times, response and review times, follow-up
// creation and outcome times, remedy times and invitation triggers. A
// lane whose clock runs ahead would otherwise push SLA deadlines,
// cool-downs and due dates out; later times fail with ErrInvalid. It is
// the same bound in every package that takes timestamps in.
const MaxClockAhead = clockskew.MaxAhead

// checkNotAhead reports a caller's timestamp more than MaxClockAhead after
// the service clock.
func (s *Service) checkNotAhead(fe *fieldErrors, field string, t time.Time) {
	if err := s.aheadErr(field, t); err != nil {
		*fe = append(*fe, err)
	}
}

// aheadErr is checkNotAhead's problem as an error, nil when t is fine.
func (s *Service) aheadErr(field string, t time.Time) error {
	if clockskew.Ahead(t, s.clock()) {
		return &FieldError{Field: field, Problem: fmt.Sprintf("must not lie more than %s after the service clock", MaxClockAhead)}
	}
	return nil
}
