package membership

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// Refusals of the service.
var (
	// ErrUnknownPlan: no plan of that ID.
	ErrUnknownPlan = errors.New("membership: unknown plan")
	// ErrTooEarly: a renewal before the plan's RenewWithinDays.
	ErrTooEarly = errors.New("membership: too early to renew")
	// ErrNotLatest: only the latest term may be refunded (a refund of an
	// earlier one would leave a gap before the later term).
	ErrNotLatest = errors.New("membership: not the latest term")
)

// Coupons is what the service asks of the loyalty programme to grant the
// monthly coupons; *loyalty.Service implements it.
type Coupons interface {
	GrantCoupon(ctx context.Context, r loyalty.GrantRequest) (loyalty.CouponResult, error)
}

// Service sells, renews and refunds paid memberships over a Store. It is
// safe for concurrent use if its Store and Coupons are.
type Service struct {
	store      Store
	coupons    Coupons
	plans      map[string]*Plan
	maxRetries int
}

// NewService returns a Service selling plans (validated here). coupons
// may be nil when no plan has monthly coupons. When coupons is the
// loyalty service (it has Program), the plans are checked against its
// programme too (CheckProgram).
func NewService(store Store, coupons Coupons, plans []Plan) (*Service, error) {
	if store == nil {
		return nil, &FieldError{Field: "store", Problem: "required"}
	}
	s := &Service{store: store, coupons: coupons, plans: map[string]*Plan{}, maxRetries: 16}
	var errs []error
	for i := range plans {
		p := plans[i]
		if err := p.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("plan %d: %w", i, err))
			continue
		}
		if _, dup := s.plans[p.ID]; dup {
			errs = append(errs, &FieldError{Field: fmt.Sprintf("plans[%d].id", i), Problem: "duplicate plan ID"})
		}
		if len(p.Benefits.MonthlyCoupons) > 0 && coupons == nil {
			errs = append(errs, &FieldError{Field: fmt.Sprintf("plans[%d].benefits.monthlyCoupons", i), Problem: "need a coupon issuer"})
		}
		s.plans[p.ID] = &p
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if src, ok := coupons.(interface{ Program() *loyalty.Program }); ok && src.Program() != nil {
		// The loyalty service itself: its programme is where the plans'
		// tiers and multipliers must land.
		if err := s.CheckProgram(src.Program()); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// BuyRequest buys (or renews) a term of a plan.
type BuyRequest struct {
	// ID is the payment's ID: the idempotency key and the term's ID.
	ID       string
	MemberID string
	PlanID   string
	At       time.Time
}

// Buy records a term bought at r.At. A member without a running term
// starts now; one whose term runs renews, and the new term starts when
// the running one ends (from RenewWithinDays before it, ErrTooEarly
// otherwise). A retry with the same payment ID returns the term; the ID
// reused for another purchase is ErrIdempotencyMismatch.
func (s *Service) Buy(ctx context.Context, r BuyRequest) (Term, error) {
	if !textcheck.ID(r.ID) || !textcheck.ID(r.MemberID) || r.At.IsZero() {
		return Term{}, &FieldError{Field: "request", Problem: "id, memberId and at are required"}
	}
	p, ok := s.plans[r.PlanID]
	if !ok {
		return Term{}, ErrUnknownPlan
	}
	at := storeTime(r.At)
	for attempt := 0; ; attempt++ {
		if t, err := s.term(ctx, r.MemberID, r.ID); err == nil {
			if t.PlanID != r.PlanID || !t.PaidAt.Equal(at) {
				return Term{}, fmt.Errorf("membership: payment %s: %w", r.ID, ErrIdempotencyMismatch)
			}
			return t, nil
		} else if !errors.Is(err, ErrNotFound) {
			return Term{}, err
		}
		card, err := s.card(ctx, r.MemberID)
		if err != nil {
			return Term{}, err
		}
		start := at
		if card.Until.After(at) {
			if p.RenewWithinDays > 0 && at.Before(card.Until.AddDate(0, 0, -p.RenewWithinDays)) {
				return Term{}, ErrTooEarly
			}
			start = card.Until
		}
		t := Term{MemberID: r.MemberID, ID: r.ID, PlanID: p.ID, Currency: p.Currency, FeeMinor: p.feeMinor(), PaidAt: at,
			Start: start, End: storeTime(p.termEnd(start)), Location: p.loc()}
		card.Version++
		card.PreviousPlan, card.Latest, card.LatestPlan, card.LatestStart = card.LatestPlan, t.ID, p.ID, t.Start
		card.Until = t.End
		card.Terms++
		err = s.store.Save(ctx, Write{Card: card, Term: t})
		switch {
		case err == nil:
			return t, nil
		case (errors.Is(err, ErrConflict) || errors.Is(err, ErrAlreadyExists)) && attempt < s.maxRetries:
			continue
		default:
			return Term{}, fmt.Errorf("membership: buy %s: %w", r.ID, err)
		}
	}
}

// RefundRequest refunds a term.
type RefundRequest struct {
	ID       string // the refund's ID, the idempotency key
	MemberID string
	TermID   string
	At       time.Time
	// BenefitsUsed is the value of the benefits the member used in the
	// term (coupons redeemed, member-price savings), in the currency.
	BenefitsUsed decimal.Decimal
}

// Refund refunds the member's latest term by the documented rule
// (Term.RefundDue) and ends the membership at r.At (or, for a renewal not
// begun, where the term before it ends). A retry with the same refund ID
// and payload returns the term; another refund of it is
// ErrIdempotencyMismatch.
func (s *Service) Refund(ctx context.Context, r RefundRequest) (Term, error) {
	if !textcheck.ID(r.ID) || !textcheck.ID(r.MemberID) || !textcheck.ID(r.TermID) || r.At.IsZero() {
		return Term{}, &FieldError{Field: "request", Problem: "id, memberId, termId and at are required"}
	}
	at := storeTime(r.At)
	for attempt := 0; ; attempt++ {
		t, err := s.term(ctx, r.MemberID, r.TermID)
		if err != nil {
			return Term{}, err
		}
		minor, err := money.MinorUnits(t.Currency)
		if err != nil || r.BenefitsUsed.IsNegative() || !money.IsMinorUnitExact(r.BenefitsUsed, minor) {
			return Term{}, &FieldError{Field: "benefitsUsed", Problem: "must be a non-negative amount in the term's currency"}
		}
		used := r.BenefitsUsed.Shift(minor).IntPart()
		if t.Refunded() {
			if t.RefundID == r.ID && t.RefundedAt.Equal(at) && t.BenefitsUsedMinor == used {
				return t, nil
			}
			return Term{}, fmt.Errorf("membership: refund %s: %w", r.ID, ErrIdempotencyMismatch)
		}
		card, err := s.card(ctx, r.MemberID)
		if err != nil {
			return Term{}, err
		}
		if card.Latest != t.ID {
			return Term{}, ErrNotLatest
		}
		cooling := 0
		if p, ok := s.plans[t.PlanID]; ok {
			cooling = p.CoolingOffDays
		}
		t.RefundMinor = t.RefundDue(at, cooling, used)
		t.RefundID, t.RefundedAt, t.BenefitsUsedMinor = r.ID, at, used
		card.Version++
		card.Until = latest(t.Start, at)
		if !at.Before(t.End) {
			card.Until = t.End
		}
		err = s.store.Save(ctx, Write{Card: card, Term: t, Replace: true})
		switch {
		case err == nil:
			return t, nil
		case errors.Is(err, ErrConflict) && attempt < s.maxRetries:
			continue
		default:
			return Term{}, fmt.Errorf("membership: refund %s: %w", r.ID, err)
		}
	}
}

// Status is a member's membership at an instant.
type Status struct {
	Active   bool
	PlanID   string
	Until    time.Time
	Benefits Benefits
}

// StatusAt says whether the member holds a running paid membership at
// at, of which plan, until when, with which benefits.
func (s *Service) StatusAt(ctx context.Context, memberID string, at time.Time) (Status, error) {
	card, err := s.store.GetCard(ctx, memberID)
	if errors.Is(err, ErrNotFound) {
		return Status{}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("membership: %w", err)
	}
	if !at.Before(card.Until) || card.Latest == "" {
		return Status{Until: card.Until}, nil
	}
	plan := card.LatestPlan
	if at.Before(card.LatestStart) {
		plan = card.PreviousPlan
	}
	st := Status{Active: true, PlanID: plan, Until: card.Until}
	if p, ok := s.plans[plan]; ok {
		st.Benefits = p.Benefits
	}
	return st, nil
}

// PerksAt implements loyalty.PerkSource: while a card is in force, the
// tier and the tag its plan grants, so that loyalty quotes purchases and
// events at that tier (with its multiplier) and the programme's rules see
// the tag; nothing outside a term.
func (s *Service) PerksAt(ctx context.Context, memberID string, at time.Time) (loyalty.Perks, error) {
	st, err := s.StatusAt(ctx, memberID, at)
	if err != nil || !st.Active {
		return loyalty.Perks{}, err
	}
	p := loyalty.Perks{Tier: st.Benefits.Tier}
	if st.Benefits.Tag != "" {
		p.Tags = []string{st.Benefits.Tag}
	}
	return p, nil
}

// IssueMonthlyCoupons grants the coupons of every month of the member's
// running term begun by now and not granted yet, each under the key
// "membership:<term>:<month>:<reward>" (so a retry grants nothing twice),
// valid until the month of the term ends. It returns what it granted.
func (s *Service) IssueMonthlyCoupons(ctx context.Context, memberID string, now time.Time) ([]loyalty.CouponResult, error) {
	card, err := s.store.GetCard(ctx, memberID)
	if errors.Is(err, ErrNotFound) || (err == nil && !now.Before(card.Until)) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("membership: %w", err)
	}
	id := card.Latest
	if now.Before(card.LatestStart) {
		// The running term is the one before the renewal: find it among
		// the member's terms (a handful: one per term bought).
		id = ""
		for t, err := range s.store.Terms(ctx, memberID) {
			if err != nil {
				return nil, fmt.Errorf("membership: %w", err)
			}
			if !now.Before(t.Start) && now.Before(t.End) && !t.Refunded() {
				id = t.ID
			}
		}
		if id == "" {
			return nil, nil
		}
	}
	t, err := s.term(ctx, memberID, id)
	if err != nil || t.Refunded() {
		return nil, err
	}
	p, ok := s.plans[t.PlanID]
	if !ok || len(p.Benefits.MonthlyCoupons) == 0 {
		return nil, nil
	}
	var out []loyalty.CouponResult
	months := 0
	for m := 0; m < p.TermMonths && !now.Before(monthStart(p, t, m)); m++ {
		months = m + 1
	}
	for m := t.CouponMonths; m < months; m++ {
		from, until := monthStart(p, t, m), monthStart(p, t, m+1)
		for _, reward := range p.Benefits.MonthlyCoupons {
			res, err := s.coupons.GrantCoupon(ctx, loyalty.GrantRequest{ID: fmt.Sprintf("membership:%s:%d:%s", t.ID, m+1, reward),
				MemberID: memberID, RewardID: reward, At: from, ValidUntil: until, Reason: "membership:" + t.PlanID})
			if err != nil {
				return out, fmt.Errorf("membership: monthly coupon: %w", err)
			}
			out = append(out, res)
		}
	}
	if months <= t.CouponMonths {
		return out, nil
	}
	for attempt := 0; ; attempt++ {
		card, err := s.card(ctx, memberID)
		if err != nil {
			return out, err
		}
		cur, err := s.term(ctx, memberID, t.ID)
		if err != nil {
			return out, err
		}
		if cur.CouponMonths >= months {
			return out, nil
		}
		cur.CouponMonths = months
		card.Version++
		err = s.store.Save(ctx, Write{Card: card, Term: cur, Replace: true})
		switch {
		case err == nil:
			return out, nil
		case errors.Is(err, ErrConflict) && attempt < s.maxRetries:
			continue
		default:
			return out, fmt.Errorf("membership: %w", err)
		}
	}
}

// monthStart is the start of month m (0-based) of the term, clamped to
// the term's end.
func monthStart(p *Plan, t Term, m int) time.Time {
	q := *p
	q.TermMonths = m
	if m == 0 {
		return t.Start
	}
	end := storeTime(q.termEnd(t.Start))
	if end.After(t.End) {
		return t.End
	}
	return end
}

// Terms yields a member's terms by ID.
func (s *Service) Terms(ctx context.Context, memberID string) iter.Seq2[Term, error] {
	return func(yield func(Term, error) bool) {
		for t, err := range s.store.Terms(ctx, memberID) {
			if !yield(s.located(t), err) {
				return
			}
		}
	}
}

func (s *Service) card(ctx context.Context, memberID string) (Card, error) {
	c, err := s.store.GetCard(ctx, memberID)
	if errors.Is(err, ErrNotFound) {
		return Card{MemberID: memberID}, nil
	}
	if err != nil {
		return Card{}, fmt.Errorf("membership: %w", err)
	}
	return c, nil
}

func (s *Service) term(ctx context.Context, memberID, id string) (Term, error) {
	t, err := s.store.GetTerm(ctx, memberID, id)
	if err != nil {
		return Term{}, fmt.Errorf("membership: term %s: %w", id, err)
	}
	return s.located(t), nil
}

// located sets the term's zone from its plan: stores need not keep it.
func (s *Service) located(t Term) Term {
	if p, ok := s.plans[t.PlanID]; ok {
		t.Location = p.loc()
	}
	return t
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// storeTime is t in UTC to the microsecond, the precision stores keep.
func storeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
