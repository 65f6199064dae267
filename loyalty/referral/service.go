package referral

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/clientele-go/clientele/loyalty"
)

// Refusals of the service.
var (
	// ErrUnknownCode: the code is malformed, fails its check symbol or is
	// nobody's. The error never holds the code.
	ErrUnknownCode = errors.New("referral: unknown referral code")
	// ErrSelfReferral: the friend is the referrer, or shares an identity
	// or (unless allowed) an address with them.
	ErrSelfReferral = errors.New("referral: self-referral")
	// ErrAlreadyBound: the friend was referred by someone else already.
	ErrAlreadyBound = errors.New("referral: friend already referred")
	// ErrNotNew: binding happens at registration; the friend joined too
	// long ago (Policy.BindWithinDays).
	ErrNotNew = errors.New("referral: friend is not a new member")
	// ErrLimit: the referrer bound MaxBoundPerPeriod friends this period.
	ErrLimit = errors.New("referral: referrer's limit reached")
)

// Customers is what the service reads of the customer domain;
// *customer.Service implements it. Get resolves merges. Of the Store, the
// service reads two indexed listings: a friend's purchases newest first
// (PurchasesOf), when Bind looks for purchases recorded before the
// binding reached it, and the returns of the qualifying purchase
// (ReturnsOfPurchase).
type Customers interface {
	Get(ctx context.Context, id string) (customer.Customer, error)
	Purchase(ctx context.Context, id string) (customer.Purchase, error)
	Return(ctx context.Context, id string) (customer.Return, error)
	Store() customer.Store
}

// Points is what the service asks of the loyalty programme;
// *loyalty.Service implements it.
type Points interface {
	Bonus(ctx context.Context, r loyalty.BonusRequest) (loyalty.PointsResult, error)
	Adjust(ctx context.Context, r loyalty.AdjustRequest) (loyalty.PointsResult, error)
	Balance(ctx context.Context, memberID string) (loyalty.BalanceView, error)
}

// Options configure a Service; nil means defaults.
type Options struct {
	// Rand is the source of codes; default crypto/rand.
	Rand io.Reader
	// MaxRetries bounds retries of lost version races; default 16.
	MaxRetries int
}

// Service runs referrals over a Store, the customer facts and the
// loyalty programme. It is safe for concurrent use if they are.
type Service struct {
	store     Store
	customers Customers
	points    Points
	policy    Policy
	opts      Options
}

// NewService returns a Service under policy.
func NewService(store Store, customers Customers, points Points, policy Policy, opts *Options) (*Service, error) {
	if store == nil || customers == nil || points == nil {
		return nil, &FieldError{Field: "store", Problem: "store, customers and points are required"}
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Rand == nil {
		o.Rand = defaultRand
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 16
	}
	return &Service{store: store, customers: customers, points: points, policy: policy, opts: o}, nil
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// Code returns the member's referral code, drawing one on first use.
func (s *Service) Code(ctx context.Context, memberID string) (string, error) {
	if !textcheck.ID(memberID) {
		return "", &FieldError{Field: "memberId", Problem: "required"}
	}
	for attempt := 0; ; attempt++ {
		r, err := s.store.GetReferrer(ctx, memberID)
		if err == nil {
			return r.Code, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return "", fmt.Errorf("referral: code of %s: %w", memberID, err)
		}
		code, err := newCode(s.opts.Rand)
		if err != nil {
			return "", fmt.Errorf("referral: drawing a code: %w", err)
		}
		err = s.store.Save(ctx, Write{Referrer: Referrer{MemberID: memberID, Version: 1, Code: code}})
		switch {
		case err == nil:
			return code, nil
		case (errors.Is(err, ErrConflict) || errors.Is(err, ErrAlreadyExists)) && attempt < s.opts.MaxRetries:
			continue // created meanwhile, or the code was taken: read or draw again
		default:
			return "", fmt.Errorf("referral: code of %s: %w", memberID, err)
		}
	}
}

// BindRequest binds a newly registered friend to the owner of a code.
type BindRequest struct {
	FriendID string
	Code     string
	At       time.Time
}

// Bind records that the friend was referred by the code's owner, after
// the checks: a known code, no self-referral, a new member, not referred
// before, within the referrer's limit. Binding the same friend to the
// same referrer again returns the record. The friend's purchases and
// returns recorded before the binding reached the service count as if
// they arrived after it (see bind_facts.go).
func (s *Service) Bind(ctx context.Context, r BindRequest) (Friend, error) {
	if !textcheck.ID(r.FriendID) || r.At.IsZero() {
		return Friend{}, &FieldError{Field: "friendId", Problem: "friend and time are required"}
	}
	code, ok := NormaliseCode(r.Code)
	if !ok {
		return Friend{}, ErrUnknownCode
	}
	referrerID, err := s.store.LookupCode(ctx, code)
	if errors.Is(err, ErrNotFound) {
		return Friend{}, ErrUnknownCode
	}
	if err != nil {
		return Friend{}, fmt.Errorf("referral: bind: %w", err)
	}
	friend, err := s.customers.Get(ctx, r.FriendID)
	if err != nil {
		return Friend{}, fmt.Errorf("referral: bind: friend: %w", err)
	}
	referrer, err := s.customers.Get(ctx, referrerID)
	if err != nil {
		return Friend{}, fmt.Errorf("referral: bind: referrer: %w", err)
	}
	if why := selfReferral(friend, referrer, s.policy.AllowSameAddress); why != "" {
		return Friend{}, fmt.Errorf("%w: %s", ErrSelfReferral, why)
	}
	at := storeTime(r.At)
	if at.Before(friend.JoinedAt) || !at.Before(s.policy.day(friend.JoinedAt).AddDate(0, 0, s.policy.BindWithinDays+1)) {
		return Friend{}, ErrNotNew
	}
	f := Friend{FriendID: friend.ID, ReferrerID: referrer.ID, BoundAt: at, Status: StatusBound}
	for attempt := 0; ; attempt++ {
		if cur, err := s.store.GetFriend(ctx, friend.ID); err == nil {
			if cur.ReferrerID == referrer.ID {
				return s.pickUp(ctx, cur) // a replay completes what a crash interrupted
			}
			return Friend{}, ErrAlreadyBound
		} else if !errors.Is(err, ErrNotFound) {
			return Friend{}, fmt.Errorf("referral: bind: %w", err)
		}
		h, err := s.store.GetReferrer(ctx, referrer.ID)
		if err != nil {
			return Friend{}, fmt.Errorf("referral: bind: %w", err)
		}
		if s.policy.MaxBoundPerPeriod > 0 {
			if start := s.policy.periodStart(at); !start.Equal(h.PeriodStart) {
				h.PeriodStart, h.PeriodBound = start, 0
			}
			if h.PeriodBound >= s.policy.MaxBoundPerPeriod {
				return Friend{}, ErrLimit
			}
			h.PeriodBound++
		}
		h.Bound++
		h.Version++
		err = s.store.Save(ctx, Write{Referrer: h, Friend: &f})
		switch {
		case err == nil:
			return s.pickUp(ctx, f)
		case (errors.Is(err, ErrConflict) || errors.Is(err, ErrAlreadyExists)) && attempt < s.opts.MaxRetries:
			continue
		default:
			return Friend{}, fmt.Errorf("referral: bind: %w", err)
		}
	}
}

// selfReferral says why friend and referrer look like one person, or "".
// It names the kind of match only, never the data.
func selfReferral(friend, referrer customer.Customer, allowSameAddress bool) string {
	if friend.ID == referrer.ID {
		return "same member"
	}
	for _, a := range friend.Identities {
		for _, b := range referrer.Identities {
			if a.Key() == b.Key() {
				return "shared " + string(a.Kind)
			}
		}
	}
	fa, ra := friend.Address, referrer.Address
	if !allowSameAddress && fa.Street != "" && customer.NameKey(fa.Street) == customer.NameKey(ra.Street) &&
		customer.NameKey(fa.City) == customer.NameKey(ra.City) {
		return "shared address"
	}
	return ""
}

// Qualify checks a recorded purchase against its buyer's referral: the
// first of the friend's purchases that qualifies (made after binding,
// within QualifyWithinDays, at least MinAmount) rewards both sides with
// the programme's referral bonuses, unless the referrer's MaxRewarded is
// reached. "First" is by purchase time, then purchase ID, whatever order
// purchases arrive in: a late purchase that qualifies and comes before
// the one rewarded takes over as the qualifying purchase (see first.go).
// Call it after the purchase earned; it reports whether this purchase is
// the qualifying one. A purchase of a member nobody referred changes
// nothing. A crash between deciding and paying is completed by calling it
// again.
func (s *Service) Qualify(ctx context.Context, purchaseID string) (Friend, bool, error) {
	p, err := s.customers.Purchase(ctx, purchaseID)
	if err != nil {
		return Friend{}, false, fmt.Errorf("referral: qualify: %w", err)
	}
	f, err := s.qualify(ctx, p)
	if err != nil || f.FriendID == "" {
		return f, false, err
	}
	return f, f.Purchase == p.ID && f.Status != StatusOverLimit, nil
}

func (s *Service) qualifies(f Friend, p customer.Purchase) bool {
	if p.Currency != s.policy.Currency || p.Time.Before(f.BoundAt) || p.Total().LessThan(s.policy.MinAmount) {
		return false
	}
	return s.policy.QualifyWithinDays == 0 || p.Time.Before(s.policy.day(f.BoundAt).AddDate(0, 0, s.policy.QualifyWithinDays+1))
}

// pay credits both bonuses (idempotent by the referral) and records them.
// The bonuses are dated RewardedAt, fixed when the reward was decided, so
// a retry after the qualifying purchase moved sends the same request.
func (s *Service) pay(ctx context.Context, f Friend) (Friend, error) {
	ref := "referral:" + f.FriendID
	at := f.RewardedAt
	if at.IsZero() {
		at = f.PurchasedAt // decided before RewardedAt was fixed at decision
	}
	var pts [2]int64
	for i, side := range []struct {
		member string
		event  loyalty.EventKind
	}{{f.ReferrerID, loyalty.EventReferrer}, {f.FriendID, loyalty.EventReferee}} {
		res, err := s.points.Bonus(ctx, loyalty.BonusRequest{MemberID: side.member, Event: side.event, Reference: ref, At: at})
		if err != nil {
			return Friend{}, fmt.Errorf("referral: reward: %w", err)
		}
		pts[i] = res.Points
	}
	err := s.update(ctx, f.ReferrerID, f.FriendID, func(_ *Referrer, cur *Friend) error {
		if cur.Status != StatusQualified {
			return nil
		}
		cur.Status, cur.ReferrerPoints, cur.FriendPoints, cur.RewardedAt = StatusRewarded, pts[0], pts[1], at
		return nil
	})
	if err != nil {
		return Friend{}, err
	}
	return s.store.GetFriend(ctx, f.FriendID)
}

// Return applies a recorded return to its buyer's referral. A return
// proves its purchase recorded, so it first qualifies that purchase (it may
// be a late one that takes over as the first); then the returns of the
// qualifying purchase recorded in the customer facts (this one and any
// other) made within ReturnWindowDays of it that, together, leave it under
// MinAmount (or refund it whole) take both bonuses back, as far as each
// member's available points allow (the rest is recorded as a shortfall,
// never a negative balance). Returns outside the window are recorded but
// never count (see returns.go). Replays change nothing.
func (s *Service) Return(ctx context.Context, returnID string) (Friend, error) {
	r, err := s.customers.Return(ctx, returnID)
	if err != nil {
		return Friend{}, fmt.Errorf("referral: return: %w", err)
	}
	p, err := s.customers.Purchase(ctx, r.PurchaseID)
	if err != nil {
		return Friend{}, fmt.Errorf("referral: return: %w", err)
	}
	return s.qualify(ctx, p)
}

// update changes a friend's record and the referrer's header together,
// retrying lost version races.
func (s *Service) update(ctx context.Context, referrerID, friendID string, f func(*Referrer, *Friend) error) error {
	for attempt := 0; ; attempt++ {
		h, err := s.store.GetReferrer(ctx, referrerID)
		if err != nil {
			return fmt.Errorf("referral: %w", err)
		}
		cur, err := s.store.GetFriend(ctx, friendID)
		if err != nil {
			return fmt.Errorf("referral: %w", err)
		}
		before, beforeH := cur.Clone(), h.Clone()
		if err := f(&h, &cur); err != nil {
			return err
		}
		if reflect.DeepEqual(h, beforeH) && equalFriend(before, cur) {
			return nil
		}
		h.Version++
		err = s.store.Save(ctx, Write{Referrer: h, Friend: &cur, Replace: true})
		switch {
		case err == nil:
			return nil
		case errors.Is(err, ErrConflict) && attempt < s.opts.MaxRetries:
			continue
		default:
			return fmt.Errorf("referral: %w", err)
		}
	}
}

func equalFriend(a, b Friend) bool { return reflect.DeepEqual(a, b) }

// Friends yields a referrer's friends by friend ID.
func (s *Service) Friends(ctx context.Context, referrerID string) iter.Seq2[Friend, error] {
	return s.store.Friends(ctx, referrerID)
}

// storeTime is t in UTC to the microsecond, the precision stores keep.
func storeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
