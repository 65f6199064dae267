package storedvalue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/clientele-go/clientele/internal/daterange"
	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/shopspring/decimal"
)

// Options are the service's optional settings; nil means defaults.
type Options struct {
	// CodeSecret keys the hash that turns a gift-card code into its
	// lookup key (HMAC-SHA-256), so that a copy of the database does not
	// let anyone test guessed codes offline. Empty: an unkeyed SHA-256,
	// which suffices for generated codes (75 random bits) but not for
	// short imported ones.
	CodeSecret []byte
	// PINSecret keys the hash a gift card's PIN is kept as (HMAC-SHA-256
	// of the card's code key and the PIN). Cards get PINs only when it is
	// set: a four-digit PIN under a known key is found by trying 10,000.
	PINSecret []byte
	// Rewards receives a top-up's bonus points and tier upgrade; nil
	// means the programme's points and tiers are only reported.
	Rewards Rewards
	// MaxAttempts bounds the retries of a write that lost a version
	// conflict; zero means 16.
	MaxAttempts int
}

// Rewards is the hook into the points programme: the service calls it
// after a top-up whose rule grants bonus points or a tier, with the
// top-up's request ID, and again on every replay of that top-up until it
// succeeds, so it must be idempotent by that ID (loyalty.Service.Adjust
// with the ID as its key is). A failure leaves the top-up recorded and is
// returned; the retry of the top-up completes it.
type Rewards interface {
	TopUpReward(ctx context.Context, r Reward) error
}

// Reward is what a top-up rule grants beside bonus money.
type Reward struct {
	RequestID string // the top-up's ID
	MemberID  string
	RuleID    string
	Points    int64
	Tier      string
	At        time.Time
}

// Service runs the stored-value programme over a Store: wallets with
// top-ups and payments, gift cards and punch cards. It is safe for
// concurrent use. Every write is idempotent by the caller's request ID,
// and no method reads the clock: each request carries its time.
type Service struct {
	store Store
	prog  *compiled
	// codes and pins key the hashes of codes and PINs (CodeSecret,
	// PINSecret).
	codes, pins *keyedHash
	opts        Options
	// The decoy card a lookup by a wrong code reads (see pin.go): its
	// code key, account ID, and whether it is known to exist.
	decoyKey, decoyID string
	decoyReady        atomic.Bool
}

// NewService returns a service for the programme over the store. The
// programme is validated (see Programme.Validate) and copied.
func NewService(store Store, p *Programme, opts *Options) (*Service, error) {
	c, err := p.compile()
	if err != nil {
		return nil, err
	}
	s := &Service{store: store, prog: c}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.MaxAttempts <= 0 {
		s.opts.MaxAttempts = 16
	}
	s.codes = newKeyedHash(append([]byte("clientele storedvalue code\x00"), s.opts.CodeSecret...))
	s.pins = newKeyedHash(append([]byte("clientele storedvalue pin\x00"), s.opts.PINSecret...))
	// "\x00decoy" is no normalised code, so no code hashes to the decoy's
	// key; its ID is in a namespace no card ID reaches.
	s.decoyKey = s.codeKey("\x00decoy")
	s.decoyID = "d:" + s.decoyKey[:16]
	return s, nil
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

// WalletID returns the account ID of a member's wallet. Account IDs have
// one namespace per account type ("w:", "g:", "p:"), so a member ID and a
// card ID never collide.
func WalletID(memberID string) string { return walletID(memberID) }

func walletID(member string) string { return "w:" + member }
func giftID(card string) string     { return "g:" + card }
func punchID(card string) string    { return "p:" + card }

// storeTime is t as every store keeps it: UTC, to the microsecond.
func storeTime(t time.Time) time.Time { return t.UTC().Round(0).Truncate(time.Microsecond) }

// checks collects request validation problems.
type checks struct{ list []error }

func (c *checks) add(field, problem string) { c.list = append(c.list, fieldErr(field, problem)) }

func (c *checks) id(field, v string) {
	if !textcheck.ID(v) {
		c.add(field, fmt.Sprintf("must be 1 to %d bytes of text without control characters", textcheck.MaxID))
	}
}

func (c *checks) at(field string, t time.Time) {
	if !daterange.Contains(t) {
		c.add(field, daterange.Problem)
	}
}

// amount checks a positive amount in the programme's currency and returns
// it in minor units.
func (c *checks) amount(s *Service, field string, d decimal.Decimal, zeroOK bool) int64 {
	v, problem := toMinor(d, s.prog.scale)
	switch {
	case problem != "":
		c.add(field, problem)
	case v == 0 && !zeroOK:
		c.add(field, "must be positive")
	}
	return v
}

func (c *checks) err() error { return errors.Join(c.list...) }

// outcome is a recorded result: exactly one of OK and Fail.
type outcome struct {
	OK   json.RawMessage `json:"ok,omitempty"`
	Fail *failure        `json:"fail,omitempty"`
}

// encode is the record's bytes: {"ok":<result>} written directly, since
// json.Marshal would scan the result it has just produced again.
func (o outcome) encode() ([]byte, error) {
	if o.Fail != nil {
		return json.Marshal(o)
	}
	b := make([]byte, 0, len(o.OK)+7)
	b = append(b, `{"ok":`...)
	b = append(b, o.OK...)
	return append(b, '}'), nil
}

// failure is a business failure kept under the request's key, so that
// its retry fails the same way even if the account changed meanwhile.
type failure struct {
	Kind      string `json:"kind"`
	Msg       string `json:"msg"`
	Requested int64  `json:"requested,omitempty"`
	Available int64  `json:"available,omitempty"`
}

var failureKinds = []struct {
	kind string
	err  error
}{
	{"insufficient", ErrInsufficientFunds},
	{"refused", ErrRefused},
	{"hold-settled", ErrHoldSettled},
	{"card-state", ErrCardState},
	{"wrong-account", ErrWrongAccount},
	{"not-accepted", errPINRefused},
}

// failureOf returns the record of err if it is a business failure to
// keep; validation, conflicts and the store's errors are not kept.
func failureOf(err error) (*failure, bool) {
	var short *InsufficientFundsError
	if errors.As(err, &short) {
		return &failure{Kind: "insufficient", Msg: err.Error(), Requested: short.Requested, Available: short.Available}, true
	}
	for _, k := range failureKinds {
		if errors.Is(err, k.err) {
			return &failure{Kind: k.kind, Msg: err.Error()}, true
		}
	}
	return nil, false
}

// replayedFailure is a recorded failure returned again, matching the
// original's sentinel (and type, for insufficient funds).
type replayedFailure struct {
	msg string
	err error
}

func (e *replayedFailure) Error() string { return e.msg }
func (e *replayedFailure) Unwrap() error { return e.err }

func (f *failure) error() error {
	if f.Kind == "insufficient" {
		return &replayedFailure{f.Msg, &InsufficientFundsError{Requested: f.Requested, Available: f.Available}}
	}
	for _, k := range failureKinds {
		if k.kind == f.Kind {
			return &replayedFailure{f.Msg, k.err}
		}
	}
	return &replayedFailure{f.Msg, ErrRefused}
}

// op is one idempotent request against one account.
type op struct {
	key  string // operation key, unique across the store
	body any    // what is hashed
	// account returns the ID of the account the request writes, reading
	// what it must (a payment's record for a refund); create, if set,
	// opens the account when it does not exist.
	account func(ctx context.Context) (string, error)
	create  func() (Account, error)
	apply   func(t *tx) (any, error)
}

// run executes o: a replay returns the recorded result (or failure), a
// new request reads the account, applies o and saves the change with the
// operation record in one write, retrying lost version races.
func (s *Service) run(ctx context.Context, o op, out any) error {
	hash, err := hashOf(o.body)
	if err != nil {
		return err
	}
	for range s.opts.MaxAttempts {
		done, err := s.replay(ctx, o.key, hash, out)
		if done || err != nil {
			return err
		}
		id, err := o.account(ctx)
		if err != nil {
			return err
		}
		acct, err := s.store.GetAccount(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound) && o.create != nil:
			if acct, err = o.create(); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		t := &tx{ctx: ctx, store: s.store, acct: acct, parts: map[string]*Part{}}
		res, aerr := o.apply(t)
		if errors.Is(aerr, errStoreDisagrees) && s.moved(ctx, acct) {
			continue // parts read across another write: a torn read, not a broken store
		}
		var rec outcome
		if aerr != nil {
			// A business failure is recorded so its retry fails alike. On
			// an account the request would have opened, the failure opens
			// it empty: a failure needs an account to be recorded on, and
			// an empty wallet is no harm (a payment from a wallet that
			// never existed is ErrNotFound, and not recorded).
			f, keep := failureOf(aerr)
			if !keep || acct.Version == 0 && o.create == nil {
				return aerr
			}
			rec.Fail = f
			if !t.keep {
				t = &tx{acct: acct} // a failure writes nothing but its record
			}
		} else if rec.OK, err = marshal(res); err != nil {
			return err
		}
		result, err := rec.encode()
		if err != nil {
			return err
		}
		w := t.write()
		w.Operation = &Operation{Key: o.key, AccountID: acct.ID, Hash: hash, Result: result}
		err = s.store.Save(ctx, w)
		switch {
		case errors.Is(err, ErrConflict):
			continue // re-read; a racing replay is found by replay
		case errors.Is(err, ErrAlreadyExists):
			if _, gerr := s.store.GetOperation(ctx, o.key); gerr == nil {
				continue // the same request won a race: replay it
			}
			return err
		case err != nil:
			return err
		}
		if aerr != nil {
			return aerr
		}
		// The caller gets the value the operation made; a replay gets the
		// same values decoded from the record (equal, as decimals are).
		reflect.ValueOf(out).Elem().Set(reflect.ValueOf(res))
		return nil
	}
	return fmt.Errorf("storedvalue: %s: gave up after %d version conflicts: %w", o.key, s.opts.MaxAttempts, ErrConflict)
}

// hashOf is the idempotency hash of a request body.
func hashOf(body any) (string, error) {
	h, err := idem.Hash(body)
	if err != nil {
		return "", fieldErr("request", "cannot be encoded")
	}
	return h, nil
}

// moved reports whether the account changed since acct was read.
func (s *Service) moved(ctx context.Context, acct Account) bool {
	cur, err := s.store.GetAccount(ctx, acct.ID)
	return err == nil && cur.Version != acct.Version
}

// replay returns the recorded outcome of the request with the key, if
// there is one.
func (s *Service) replay(ctx context.Context, key, hash string, out any) (bool, error) {
	rec, err := s.store.GetOperation(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if rec.Hash != hash {
		return true, fmt.Errorf("storedvalue: %s: %w", key, ErrIdempotencyMismatch)
	}
	var o outcome
	if err := json.Unmarshal(rec.Result, &o); err != nil {
		return true, fmt.Errorf("storedvalue: %s: unreadable result record: %w", key, err)
	}
	if o.Fail != nil {
		return true, o.Fail.error()
	}
	return true, json.Unmarshal(o.OK, out)
}

// accountOf returns the account an earlier request wrote: the account a
// refund, commit or undo acts on is the one its payment, hold or use
// wrote.
func (s *Service) accountOf(ctx context.Context, key, what string) (string, error) {
	rec, err := s.store.GetOperation(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("storedvalue: %s: %w", what, ErrNotFound)
	}
	return rec.AccountID, err
}

// fixed returns an account function for an account known by ID.
func fixed(id string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return id, nil }
}

// codeKey is the lookup key of a normalised gift-card code.
func (s *Service) codeKey(code string) string { return s.codes.sum(code) }

// Money is an amount split into its parts, as the API returns it.
type Money struct {
	Paid  decimal.Decimal `json:"paid"`
	Bonus decimal.Decimal `json:"bonus"`
}

// Total is Paid + Bonus.
func (m Money) Total() decimal.Decimal { return m.Paid.Add(m.Bonus) }

func (s *Service) money(paid, bonus int64) Money {
	return Money{Paid: fromMinor(paid, s.prog.scale), Bonus: fromMinor(bonus, s.prog.scale)}
}
