package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// Contract errors of the Store. Adapters return them or wrap them with %w;
// the service and the kit match them with errors.Is only.
var (
	// ErrNotFound: no account or operation with that key.
	ErrNotFound = errors.New("loyalty: not found")
	// ErrConflict: a write named a version that is no longer current.
	ErrConflict = errors.New("loyalty: version conflict")
	// ErrAlreadyExists: an operation with that key is already recorded.
	ErrAlreadyExists = errors.New("loyalty: already exists")
	// ErrIdempotencyMismatch: a request reused the ID of an earlier one
	// with a different payload.
	ErrIdempotencyMismatch = errors.New("loyalty: idempotency key reused with a different payload")
)

// Business errors of the service.
var (
	// ErrInsufficientPoints is the ledger's: a spend larger than the
	// available points. *ledger.InsufficientPointsError carries the figures.
	ErrInsufficientPoints = ledger.ErrInsufficientPoints
	// ErrMerged: the account was merged into another and takes no writes.
	ErrMerged = errors.New("loyalty: account merged into another")
	// ErrNotRedeemable: points asked for at checkout break the programme's
	// redemption rules (minimum, step, share of the order).
	ErrNotRedeemable = errors.New("loyalty: points not redeemable on this order")
	// ErrCouponUnusable: the coupon is used, expired, not yet valid or not
	// the member's.
	ErrCouponUnusable = errors.New("loyalty: coupon cannot be used")
)

// Account is one member's loyalty state: the points ledger, the tier, the
// qualifying activity tiers are computed from, and issued coupons. The
// service owns every field; a store keeps and returns it as given.
type Account struct {
	MemberID string
	// Version is 1 on creation and +1 on every write.
	Version int64
	// Points is the lot ledger. It is immutable and cheap to copy; an
	// adapter persists it through Points.Snapshot and ledger.FromSnapshot,
	// or row by row (every entry's Draws name the lots it changed).
	Points ledger.Account
	Tier   TierState
	// Activity holds the qualifying events inside the longest window the
	// programme looks back over; older ones are pruned.
	Activity []QualifyingEvent
	// Purchases counts purchases that earned, so "first purchase" bonuses
	// know.
	Purchases int64
	// Returned holds, per purchase, the lines returned so far, so partial
	// returns claw back exactly what remains.
	Returned map[string][]customer.ReturnLine
	// PaidWith maps a purchase to the redemption that paid for part of it,
	// so a return gives those points back.
	PaidWith map[string]string
	Coupons  []Coupon
	// MergedInto is set once the account was folded into another member's.
	MergedInto string
	// MergingInto is set while a merge is moving this account's points to
	// another member's: no other write may touch them. MergingAt is the
	// merge's time, so a resumed merge writes the same entries.
	MergingInto string
	MergingAt   time.Time
}

// Clone returns a copy sharing nothing mutable with a.
func (a Account) Clone() Account {
	a.Activity = append([]QualifyingEvent(nil), a.Activity...)
	a.Coupons = append([]Coupon(nil), a.Coupons...)
	if a.Tier.Override != nil {
		o := *a.Tier.Override
		a.Tier.Override = &o
	}
	if a.Returned != nil {
		m := make(map[string][]customer.ReturnLine, len(a.Returned))
		for k, v := range a.Returned {
			m[k] = append([]customer.ReturnLine(nil), v...)
		}
		a.Returned = m
	}
	if a.PaidWith != nil {
		m := make(map[string]string, len(a.PaidWith))
		for k, v := range a.PaidWith {
			m[k] = v
		}
		a.PaidWith = m
	}
	return a
}

// Coupon is a reward issued to a member.
type Coupon struct {
	ID         string    `json:"id"`
	RewardID   string    `json:"rewardId"`
	IssuedAt   time.Time `json:"issuedAt"`
	ValidFrom  time.Time `json:"validFrom"`
	ValidUntil time.Time `json:"validUntil,omitzero"` // first instant it is no longer valid; zero: no limit
	UsedAt     time.Time `json:"usedAt,omitzero"`
	UsedOn     string    `json:"usedOn,omitempty"` // the purchase it was used on
}

// Usable reports whether the coupon can be used at t.
func (c Coupon) Usable(t time.Time) bool {
	return c.UsedAt.IsZero() && !t.Before(c.ValidFrom) && (c.ValidUntil.IsZero() || t.Before(c.ValidUntil))
}

// Operation is the record of one idempotent request: its key
// ("earn:<purchase ID>", "redeem:<ID>", ...), the hash of the request and
// the result returned, so a replay returns the original result. Result is
// opaque to a store, which keeps it byte for byte: JSON for most
// requests, a compact binary record for earns (the commonest write; it
// starts with a zero byte, which no JSON does, so a column must hold
// bytes, not JSON).
type Operation struct {
	Key      string
	MemberID string
	Hash     string
	Result   json.RawMessage
}

// Write is one atomic change of an account.
type Write struct {
	// Account is the new state. Its Version is the version the service
	// read plus one (1 for a new account).
	Account Account
	// Entries are appended to the account's ledger, Seq continuing.
	Entries []ledger.Entry
	// Operation, if set, records the request that caused the write.
	Operation *Operation
}

// Store is what the loyalty service needs from persistence: an account
// snapshot written with an expected version, append-only ledger entries
// and idempotency records, all in one atomic write. loyaltytest.Run checks
// every "must". A store must be safe for concurrent use, return copies,
// and keep times to at least microsecond precision. Operation keys are
// unique across the whole store, not per member. Once GetOperation shows a
// request, GetAccount and Entries must show its write (the service replays
// without re-reading). Iterators end with the context's error as their
// last value when it is cancelled, stop cleanly on break, and must not
// block writes made inside the loop (batch runs save as they go).
type Store interface {
	// GetAccount returns the member's account, or ErrNotFound.
	GetAccount(ctx context.Context, memberID string) (Account, error)

	// Save applies w atomically: it must fail with ErrConflict, writing
	// nothing, unless the stored version of the account is
	// w.Account.Version-1 (0 meaning the account does not exist yet); it
	// must fail with ErrAlreadyExists, writing nothing, if w.Operation's key
	// is already recorded. Of N concurrent saves naming the same version,
	// exactly one succeeds. Entries are appended and never changed or
	// deleted afterwards.
	Save(ctx context.Context, w Write) error

	// GetOperation returns the recorded operation with the key, or
	// ErrNotFound.
	GetOperation(ctx context.Context, key string) (Operation, error)

	// Entries yields an account's entries with Seq > afterSeq in Seq
	// order; nothing for a member without an account.
	Entries(ctx context.Context, memberID string, afterSeq int64) iter.Seq2[ledger.Entry, error]

	// Accounts yields every account with MemberID > after, in ascending
	// MemberID order (batch runs resume from the last ID they finished).
	Accounts(ctx context.Context, after string) iter.Seq2[Account, error]
}
