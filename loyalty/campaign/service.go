package campaign

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
)

// Business errors of the service.
var (
	// ErrNotScheduled: a run outside the campaign's issue window.
	ErrNotScheduled = errors.New("campaign: outside the issue window")
	// ErrNotTreated: a redemption reported for a member the offer never
	// went to (a control member, or one the campaign never drew).
	ErrNotTreated = errors.New("campaign: member was not offered the campaign")
)

// IssueRequest asks an Issuer to deliver a campaign's offer to a member.
type IssueRequest struct {
	// Key is "campaign:<campaign ID>:<member ID>": the issuer must treat
	// it as an idempotency key, issuing at most once per key and returning
	// the same reference to a repeated call.
	Key        string
	CampaignID string
	MemberID   string
	Offer      Offer
	At         time.Time
	ValidUntil time.Time
}

// Issuer delivers offers: a coupon, points, a promotion flag. LoyaltyIssuer
// is one over a loyalty.Service; a host may bring its own.
type Issuer interface {
	Issue(ctx context.Context, r IssueRequest) (reference string, err error)
}

// Options configure a Service; nil means defaults.
type Options struct {
	// MaxRetries bounds the retries of a save that lost a version race.
	// Default 16.
	MaxRetries int
}

// Service runs campaigns over a Store and an Issuer. It is safe for
// concurrent use if they are.
type Service struct {
	store  Store
	issuer Issuer
	opts   Options
}

// NewService returns a Service.
func NewService(store Store, issuer Issuer, opts *Options) (*Service, error) {
	if store == nil || issuer == nil {
		return nil, &FieldError{Field: "store", Problem: "store and issuer are required"}
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 16
	}
	return &Service{store: store, issuer: issuer, opts: o}, nil
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// Offered is one treated member the run issued the offer to: the host
// contacts them on the audience's channel.
type Offered struct {
	MemberID   string    `json:"memberId"`
	Reference  string    `json:"reference"`
	ValidUntil time.Time `json:"validUntil"`
}

// RunReport is what one Issue run did.
type RunReport struct {
	CampaignID string `json:"campaignId"`
	// Treated and Control count the members this run drew into each group;
	// Resumed those it found already drawn (a rerun) and completed if their
	// offer had not gone out yet.
	Treated, Control, Resumed int
	// Offered lists the members whose offer went out in this run.
	Offered []Offered `json:"offered,omitempty"`
	// Stopped says why the run ended before the audience did: "budget"
	// when MaxTreated or MaxCost was reached. The members after that point
	// have no record: the two groups stay a random split of those drawn.
	Stopped string `json:"stopped,omitempty"`
}

// Issue runs campaign c over the audience's members at now: each member
// not yet drawn is drawn into the control group (InControl) or treated,
// and a treated member's offer is issued. It refuses a run outside the
// issue window (ErrNotScheduled) and a campaign whose definition changed
// since its first run (ErrIdempotencyMismatch), writing nothing. A rerun
// over the same or a larger audience resumes: members already drawn keep
// their group, and only an offer that did not go out is issued again,
// under the same key.
func (s *Service) Issue(ctx context.Context, c *Campaign, audience segment.Membership, now time.Time) (RunReport, error) {
	if err := c.Validate(); err != nil {
		return RunReport{}, err
	}
	if now.Before(c.IssueFrom) || !now.Before(c.IssueTo) {
		return RunReport{}, fmt.Errorf("campaign %s: %w", c.ID, ErrNotScheduled)
	}
	def, err := c.definitionHash()
	if err != nil {
		return RunReport{}, &FieldError{Field: "campaign", Problem: err.Error()}
	}
	now = storeTime(now)
	rep := RunReport{CampaignID: c.ID}
	for _, id := range audience.IDs() {
		if !textcheck.ID(id) {
			return rep, &FieldError{Field: "audience", Problem: "holds a member ID that is not a valid ID"}
		}
		m, err := s.store.GetMember(ctx, c.ID, id)
		switch {
		case err == nil:
			rep.Resumed++
			if m.Group == Treated && m.Reference == "" {
				if err := s.deliver(ctx, c, def, m, &rep); err != nil {
					return rep, err
				}
			}
			continue
		case !errors.Is(err, ErrNotFound):
			return rep, fmt.Errorf("campaign %s: %w", c.ID, err)
		}
		m, drawn, err := s.draw(ctx, c, def, id, now)
		if err != nil {
			return rep, err
		}
		if !drawn {
			rep.Stopped = "budget"
			return rep, nil
		}
		if m.Group == Control {
			rep.Control++
			continue
		}
		rep.Treated++
		if err := s.deliver(ctx, c, def, m, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// draw records a member's group, reserving the budget for a treated one.
// It reports false, writing nothing, when the budget is spent.
func (s *Service) draw(ctx context.Context, c *Campaign, def, memberID string, now time.Time) (Member, bool, error) {
	m := Member{CampaignID: c.ID, MemberID: memberID, Group: Treated, At: now}
	if InControl(c.ID, memberID, c.ControlShare) {
		m.Group = Control
	} else {
		m.ValidUntil = c.validUntil(now)
	}
	reserve := c.reservePerMember()
	minor, _ := money.MinorUnits(c.Currency)
	maxCost, _ := minorOf(c.Budget.MaxCost, minor)
	for attempt := 0; ; attempt++ {
		h, err := s.header(ctx, c, def)
		if err != nil {
			return m, false, err
		}
		if m.Group == Treated {
			if c.Budget.MaxTreated > 0 && h.Treated >= c.Budget.MaxTreated ||
				maxCost > 0 && h.ReservedMinor+reserve > maxCost {
				return m, false, nil
			}
			h.Treated++
			h.ReservedMinor += reserve
		} else {
			h.Control++
		}
		h.Version++
		err = s.store.Save(ctx, Write{Header: h, Member: m})
		switch {
		case err == nil:
			return m, true, nil
		case errors.Is(err, ErrConflict) && attempt < s.opts.MaxRetries:
			continue
		case errors.Is(err, ErrAlreadyExists):
			// Another run drew the member meanwhile; its record stands.
			got, gerr := s.store.GetMember(ctx, c.ID, memberID)
			if gerr != nil {
				return m, false, fmt.Errorf("campaign %s: %w", c.ID, gerr)
			}
			return got, true, nil
		default:
			return m, false, fmt.Errorf("campaign %s: %w", c.ID, err)
		}
	}
}

// header reads the campaign's header, a new one on the first run, and
// checks the definition.
func (s *Service) header(ctx context.Context, c *Campaign, def string) (Header, error) {
	h, err := s.store.GetHeader(ctx, c.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Header{CampaignID: c.ID, Definition: def}, nil
	case err != nil:
		return h, fmt.Errorf("campaign %s: %w", c.ID, err)
	case h.Definition != def:
		return h, fmt.Errorf("campaign %s: changed since its first run: %w", c.ID, ErrIdempotencyMismatch)
	}
	return h, nil
}

// deliver issues a treated member's offer and records its reference.
func (s *Service) deliver(ctx context.Context, c *Campaign, def string, m Member, rep *RunReport) error {
	ref, err := s.issuer.Issue(ctx, IssueRequest{Key: "campaign:" + c.ID + ":" + m.MemberID, CampaignID: c.ID,
		MemberID: m.MemberID, Offer: c.Offer, At: m.At, ValidUntil: m.ValidUntil})
	if err != nil {
		return fmt.Errorf("campaign %s: issue: %w", c.ID, err)
	}
	if ref == "" {
		ref = "issued"
	}
	m.Reference = ref
	err = s.update(ctx, c, def, m.MemberID, func(h *Header, cur *Member) error {
		if cur.Reference != "" {
			return nil // recorded by a concurrent run
		}
		cur.Reference = ref
		h.Issued++
		return nil
	})
	if err != nil {
		return err
	}
	rep.Offered = append(rep.Offered, Offered{MemberID: m.MemberID, Reference: ref, ValidUntil: m.ValidUntil})
	return nil
}

// update changes a member's record and the header together, retrying
// lost version races.
func (s *Service) update(ctx context.Context, c *Campaign, def, memberID string, f func(*Header, *Member) error) error {
	for attempt := 0; ; attempt++ {
		h, err := s.header(ctx, c, def)
		if err != nil {
			return err
		}
		m, err := s.store.GetMember(ctx, c.ID, memberID)
		if err != nil {
			return fmt.Errorf("campaign %s: %w", c.ID, err)
		}
		before := m
		if err := f(&h, &m); err != nil {
			return err
		}
		if m == before {
			return nil
		}
		h.Version++
		err = s.store.Save(ctx, Write{Header: h, Member: m, Replace: true})
		switch {
		case err == nil:
			return nil
		case errors.Is(err, ErrConflict) && attempt < s.opts.MaxRetries:
			continue
		default:
			return fmt.Errorf("campaign %s: %w", c.ID, err)
		}
	}
}

// Redemption is a treated member's use of the offer.
type Redemption struct {
	MemberID   string
	PurchaseID string
	// Value is what the offer cost on this purchase (the coupon's
	// discount), in the campaign's currency.
	Value decimal.Decimal
	At    time.Time
}

// Redeemed records a treated member's redemption, once: a replay (same
// purchase, value and time) changes nothing; another redemption of the
// same member is ErrIdempotencyMismatch; a member who was not treated is
// ErrNotTreated.
func (s *Service) Redeemed(ctx context.Context, c *Campaign, r Redemption) error {
	if err := c.Validate(); err != nil {
		return err
	}
	minor, _ := money.MinorUnits(c.Currency)
	value, ok := minorOf(r.Value, minor)
	var p problems
	if !ok {
		p.add("value", "must be a non-negative amount in the currency's minor unit")
	}
	if !textcheck.ID(r.MemberID) {
		p.add("memberId", "required")
	}
	if !textcheck.ID(r.PurchaseID) {
		p.add("purchaseId", "required")
	}
	if r.At.IsZero() {
		p.add("at", "required")
	}
	if len(p) > 0 {
		return errors.Join(p...)
	}
	def, err := c.definitionHash()
	if err != nil {
		return &FieldError{Field: "campaign", Problem: err.Error()}
	}
	at := storeTime(r.At)
	return s.update(ctx, c, def, r.MemberID, func(h *Header, m *Member) error {
		switch {
		case m.Group != Treated:
			return fmt.Errorf("campaign %s: %w", c.ID, ErrNotTreated)
		case m.RedeemedOn == "":
			m.RedeemedOn, m.RedeemedAt, m.RedeemedMinor = r.PurchaseID, at, value
			h.Redeemed++
			h.RedeemedMinor += value
			return nil
		case m.RedeemedOn == r.PurchaseID && m.RedeemedAt.Equal(at) && m.RedeemedMinor == value:
			return nil
		}
		return fmt.Errorf("campaign %s: redemption: %w", c.ID, ErrIdempotencyMismatch)
	})
}

// Eligible reports whether a member was offered the campaign and the
// offer is valid at t: a till asks it before applying a campaign's
// promotion. Control members are never eligible.
func (s *Service) Eligible(ctx context.Context, campaignID, memberID string, t time.Time) (bool, error) {
	m, err := s.store.GetMember(ctx, campaignID, memberID)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("campaign %s: %w", campaignID, err)
	}
	return m.Group == Treated && m.Reference != "" && !t.Before(m.At) && t.Before(m.ValidUntil), nil
}

// validUntil is the offer's end: ValidDays local days after the issue's
// day, or the campaign's MeasureTo.
func (c *Campaign) validUntil(now time.Time) time.Time {
	if c.Offer.ValidDays == 0 {
		return storeTime(c.MeasureTo)
	}
	loc := c.Location
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	return storeTime(time.Date(y, m, d+c.Offer.ValidDays, 0, 0, 0, 0, loc))
}

// storeTime is t in UTC to the microsecond, the precision every store keeps.
func storeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
