package loyalty

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// Customers is what the service reads of the customer domain;
// *customer.Service implements it.
type Customers interface {
	// Get returns a customer, resolving merges to the survivor.
	Get(ctx context.Context, id string) (customer.Customer, error)
	// Purchase returns a recorded purchase.
	Purchase(ctx context.Context, id string) (customer.Purchase, error)
	// Return returns a recorded return.
	Return(ctx context.Context, id string) (customer.Return, error)
}

// PurchaseHolders is an optional capability of Customers, which
// customer.Service has: a recorded purchase and the customer holding it
// now (merges followed; zero for an anonymous purchase), read together.
// Earn and Quote start with exactly these reads; with it a store that
// reads both at once (customer.PurchaseHolderStore) saves each a round
// trip. A purchase never recorded is an error matching
// customer.ErrNotFound with a zero purchase.
type PurchaseHolders interface {
	PurchaseHolder(ctx context.Context, id string) (customer.Purchase, customer.Customer, error)
}

// Options configure a Service. A nil *Options means all defaults.
type Options struct {
	// Clock returns the current time. Default: time.Now.
	Clock func() time.Time
	// MaxRetries bounds the retries of a write that lost a version race.
	// Default: 16.
	MaxRetries int
	// ExpiryNotice is how far ahead Expire warns of points about to lapse
	// (EventPointsExpiringSoon). Default: 30 days; negative disables.
	ExpiryNotice time.Duration
	// Perks, if set, tells the service what a member holds from outside
	// the programme at a purchase's or an event's time (a paid membership
	// card: membership.Service is one).
	Perks PerkSource
}

// Perks are what a member holds at an instant from outside the
// programme's own rules, a paid membership card say: a tier at least (the
// higher of it and the tier they earned counts, with that tier's earn
// multiplier), and tags the programme's rules may test (Condition.Tags).
type Perks struct {
	Tier string
	Tags []string
}

// PerkSource tells the service a member's perks at an instant. It must be
// a function of the member and the instant, so that a purchase quoted
// again later (a late fact's re-quote) gets the same perks.
type PerkSource interface {
	PerksAt(ctx context.Context, memberID string, at time.Time) (Perks, error)
}

// PerksFunc is a function used as a PerkSource, for a source built after
// the service (a membership service that grants its coupons through it).
type PerksFunc func(ctx context.Context, memberID string, at time.Time) (Perks, error)

// PerksAt calls f.
func (f PerksFunc) PerksAt(ctx context.Context, memberID string, at time.Time) (Perks, error) {
	return f(ctx, memberID, at)
}

// Service runs a loyalty programme over a Store: quotes, earning,
// redemption at checkout, returns, expiry, adjustments, merges, tiers and
// rewards. Every write is idempotent by a caller-supplied ID and returns
// the events it caused; a write refused for a business reason (too few
// points, an unusable coupon, a closed hold) is recorded too, so its retry
// fails the same way even after the account changed. It is safe for
// concurrent use if its Store is.
type Service struct {
	program   *Program
	store     Store
	customers Customers
	opts      Options
	// noMonthFold keeps every month's days in the header: the plain form
	// the tests compare folding against.
	noMonthFold bool
}

// NewService returns a Service running program over store. The programme
// must be valid; customers supplies member facts (birthday, tags, join
// date) and purchases for returns.
func NewService(program *Program, store Store, customers Customers, opts *Options) (*Service, error) {
	if program == nil {
		return nil, &FieldError{Field: "program", Problem: "required"}
	}
	if err := program.Validate(); err != nil {
		return nil, err
	}
	if store == nil || customers == nil {
		return nil, &FieldError{Field: "store", Problem: "store and customers are required"}
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 16
	}
	if o.ExpiryNotice == 0 {
		o.ExpiryNotice = 30 * 24 * time.Hour
	}
	return &Service{program: program, store: store, customers: customers, opts: o}, nil
}

// Program returns the programme the service runs.
func (s *Service) Program() *Program { return s.program }

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// request is one idempotent write: its key, the request to hash, the
// member whose account it changes, and whether it may open the account.
// handOff says that the mutation's result shares no slice, map or pointer
// with the new account, so a store that can may keep the account and the
// encoded result without copying them (ownedSaver).
// hash, if set, is the request's hash, computed without boxing the
// request into body.
type request struct {
	key     string
	body    any
	member  string
	create  bool
	handOff bool
	hash    string
	needs   needs
	// replayed, if set, learns whether the request was answered from its
	// record (a batch counts only what it did itself).
	replayed *bool
}

// ownedSaver is a Store that can take over a write's account and result
// without copying them; the in-memory store is one.
type ownedSaver interface {
	saveOwned(ctx context.Context, w Write) error
}

// operationLooker is a Store that reports a missing operation without
// building an error: every first earn looks its record up and finds
// nothing. The in-memory store is one.
type operationLooker interface {
	lookupOperation(ctx context.Context, key string) (op Operation, found bool, err error)
}

// mutation computes the new account state, the entries appended and the
// result to return (and to replay), from the account and the records the
// request's needs loaded (the workset, which it may change). It must be a
// pure function of what it is given: a lost version race runs it again.
type mutation func(Account, *workset) (Account, []ledger.Entry, any, error)

// write runs an idempotent request: a replay returns the recorded result
// (decoded into out); otherwise the mutation runs on the current account
// and is saved with the version it read, retrying lost races. A business
// failure of the mutation (service_failure.go) is recorded too, so that a
// retry fails the same way.
func (s *Service) write(ctx context.Context, req request, out any, f mutation) error {
	return s.writeKept(ctx, req, out, nil, nil, f)
}

// writeKept is write. A caller that keeps the result itself (Earn, the hot
// path) passes encode (the record of the result its mutation left with
// it) and decode (a replay's record into it) and a mutation that returns
// no result, so that nothing it keeps needs to leave its stack.
func (s *Service) writeKept(ctx context.Context, req request, out any, encode func() ([]byte, error), decode func([]byte) error, f mutation) error {
	hash := req.hash
	if hash == "" {
		var err error
		if hash, err = requestHash(req.body); err != nil {
			return &FieldError{Field: "request", Problem: err.Error()}
		}
	}
	if decode == nil {
		decode = func(raw []byte) error { return decodeResult(raw, out) }
	}
	for attempt := 0; ; attempt++ {
		op, got, pre, err := s.firstReads(ctx, req)
		if done, err := s.replayed(op, err, hash, decode); done {
			if req.replayed != nil && err == nil {
				*req.replayed = true
			}
			return err
		}
		var acct Account
		switch {
		case got == nil && req.create:
			acct = s.newAccount(req.member)
		case got == nil:
			return fmt.Errorf("account %s: %w", req.member, ErrNotFound)
		default:
			acct = *got
		}
		switch {
		case acct.MergedInto != "":
			return fmt.Errorf("%w into %s", ErrMerged, acct.MergedInto)
		case acct.MergingInto != "":
			return fmt.Errorf("%w into %s (in progress)", ErrMerged, acct.MergingInto)
		}
		loaded, ws, err := s.load(ctx, acct, req.needs, pre)
		var next Account
		var entries []ledger.Entry
		var result any
		if err == nil {
			next, entries, result, err = f(loaded, ws)
		}
		if morePartial(err, &req.needs) {
			continue
		}
		err = asInvalid(err)
		if err != nil && s.moved(ctx, acct) && attempt < s.opts.MaxRetries {
			continue // read while another write landed: what it read may not fit together
		}
		if err != nil {
			rec, keep := failureRecord(err)
			if !keep || acct.Version == 0 {
				return err // nothing to record against: no account yet
			}
			// The account is written back as it was, one version on, with
			// the failure under the request's key.
			acct.Version++
			serr := s.store.Save(ctx, Write{Account: acct,
				Operation: &Operation{Key: req.key, MemberID: req.member, Hash: hash, Result: rec}})
			switch {
			case serr == nil:
				return err
			case (errors.Is(serr, ErrConflict) || errors.Is(serr, ErrAlreadyExists)) && attempt < s.opts.MaxRetries:
				continue // the account moved on, or the request was recorded: look again
			}
			return serr
		}
		var raw []byte
		if encode != nil {
			raw, err = encode()
		} else {
			raw, err = encodeResult(result)
		}
		if err != nil {
			return fmt.Errorf("loyalty: encoding result: %w", err)
		}
		next.Version = acct.Version + 1
		if err := s.foldMonths(&next, ws); err != nil {
			return fmt.Errorf("loyalty: folding the activity: %w", err)
		}
		lots, recs, err := changes(next, ws)
		if err != nil {
			return fmt.Errorf("loyalty: encoding records: %w", err)
		}
		w := Write{Account: next, Entries: entries, Lots: lots, Records: recs,
			Operation: &Operation{Key: req.key, MemberID: req.member, Hash: hash, Result: raw}}
		if o, ok := s.store.(ownedSaver); ok && req.handOff {
			err = o.saveOwned(ctx, w)
		} else {
			err = s.store.Save(ctx, w)
		}
		switch {
		case err == nil && encode != nil:
			return nil // the caller holds the result
		case err == nil:
			return setResult(out, result, raw)
		case (errors.Is(err, ErrConflict) || errors.Is(err, ErrAlreadyExists)) && attempt < s.opts.MaxRetries:
			continue
		case err != nil && attempt < s.opts.MaxRetries && s.moved(ctx, acct):
			continue // built on records read across another write: a store may refuse it before it sees the version
		}
		return err
	}
}

// setResult hands the mutation's result to the caller without a JSON
// round trip when the types agree (they always do inside this package).
func setResult(out, result any, raw []byte) error {
	dst := reflect.ValueOf(out)
	src := reflect.ValueOf(result)
	if dst.Kind() == reflect.Pointer && src.IsValid() && src.Type().AssignableTo(dst.Elem().Type()) {
		dst.Elem().Set(src)
		return nil
	}
	if dst.Kind() == reflect.Pointer && src.Kind() == reflect.Pointer && !src.IsNil() && src.Elem().Type().AssignableTo(dst.Elem().Type()) {
		if dst.Pointer() != src.Pointer() {
			dst.Elem().Set(src.Elem())
		}
		return nil
	}
	return decodeResult(raw, out)
}

// firstReads reads what every write attempt starts from: the request's
// operation record (nil if none), the member's account header (nil if
// none) and, from a Prefetcher in the same round trip, the purchase
// records the request needs (pre; nil when read separately later).
func (s *Service) firstReads(ctx context.Context, req request) (*Operation, *Account, *[]Record, error) {
	if p, ok := s.store.(Prefetcher); ok {
		got, err := p.Prefetch(ctx, Prefetch{OperationKey: req.key, MemberID: req.member, Kind: RecordPurchase, Keys: req.needs.purchases})
		if err != nil {
			return nil, nil, nil, err
		}
		return got.Operation, got.Account, &got.Records, nil
	}
	op, err := s.lookupOperation(ctx, req.key)
	if err != nil || op != nil {
		return op, nil, nil, err
	}
	acct, err := s.store.GetAccount(ctx, req.member)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return nil, &acct, nil, nil
}

// lookupOperation returns the recorded operation with the key, or nil.
func (s *Service) lookupOperation(ctx context.Context, key string) (*Operation, error) {
	if l, ok := s.store.(operationLooker); ok {
		op, found, err := l.lookupOperation(ctx, key)
		if err != nil || !found {
			return nil, err
		}
		return &op, nil
	}
	op, err := s.store.GetOperation(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &op, nil
}

// replayed reports whether the request is answered without running it:
// it failed to read (err), or it was recorded (op), whose result it
// decodes.
func (s *Service) replayed(op *Operation, err error, hash string, decode func([]byte) error) (bool, error) {
	switch {
	case err != nil:
		return true, err
	case op == nil:
		return false, nil
	case op.Hash != hash:
		return true, ErrIdempotencyMismatch // the caller names the request
	case isFailureRecord(op.Result):
		return true, decodeFailure(op.Result)
	}
	return true, decode(op.Result)
}

func (s *Service) newAccount(member string) Account {
	pts, _ := ledger.FromHeader(ledger.Header{ID: member}) // member IDs are validated before
	return Account{MemberID: member, Points: pts}
}

// moved reports whether the account changed since acct was read: a
// mutation that failed on records read across another write runs again.
func (s *Service) moved(ctx context.Context, acct Account) bool {
	if acct.Version == 0 {
		return false
	}
	cur, err := s.store.GetAccount(ctx, acct.MemberID)
	return err == nil && cur.Version != acct.Version
}

// Account returns a member's account header, or ErrNotFound: balances,
// totals, tier and activity, without the lots and records beside it
// (LoadWhole reads those, at the cost of the member's history).
func (s *Service) Account(ctx context.Context, memberID string) (Account, error) {
	return s.store.GetAccount(ctx, memberID)
}

// now is the service clock, rounded to the microsecond stores keep.
func (s *Service) now() time.Time { return storeTime(s.opts.Clock()) }

func storeTime(t time.Time) time.Time { return t.Round(0).UTC().Truncate(time.Microsecond) }

// asInvalid makes a validation failure found by the ledger match this
// package's ErrInvalid too, so a caller tests one sentinel whatever layer
// found the problem.
func asInvalid(err error) error {
	if err == nil || !errors.Is(err, ledger.ErrInvalid) || errors.Is(err, ErrInvalid) {
		return err
	}
	return &invalidError{err}
}

type invalidError struct{ err error }

func (e *invalidError) Error() string   { return e.err.Error() }
func (e *invalidError) Unwrap() []error { return []error{e.err, ErrInvalid} }
