package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"time"

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

// Account is one member's loyalty header: the small, versioned record a
// store protects with compare-and-set. What grows with the member's history
// (lots, ledger operations, per-purchase return state, coupons, entries)
// lives beside it in records of its own, so that reading and writing an
// account costs the same after fifty thousand purchases as after one. The
// service owns every field; a store keeps and returns it as given.
type Account struct {
	MemberID string
	// Version is 1 on creation and +1 on every write.
	Version int64
	// Points is the points ledger's header as a partial ledger account: a
	// store persists Points.Header() and returns ledger.FromHeader of it.
	// The service loads the lots and operations an operation needs into it.
	Points ledger.Account
	Tier   TierState
	// TierMarks are the tier states before the reviews, grace ends and
	// changes of the last few months, oldest first: a fact that arrives
	// after such a step is walked from the state before it.
	TierMarks []TierMark
	// Activity holds the qualifying events inside the programme's
	// lookback, in time order; older ones are pruned. Facts the tier walk
	// has passed are summed into at most two events per local day (see
	// QualifyingEvent.Count), so its length is bounded by the days the
	// member was active, never by what they did on them.
	Activity []QualifyingEvent
	// Purchases counts purchases that earned, so "first purchase" bonuses
	// know.
	Purchases int64
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
	a.TierMarks = append([]TierMark(nil), a.TierMarks...)
	if a.Tier.Override != nil {
		o := *a.Tier.Override
		a.Tier.Override = &o
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

// RecordKind names what a Record holds.
type RecordKind string

// Record kinds. A store keeps every kind the same way; the names let an
// adapter index or inspect them.
const (
	// RecordOperation: a ledger operation (redemption, hold, clawback,
	// refund, adjustment, merge-in), keyed by ledger.OperationKey.
	RecordOperation RecordKind = "operation"
	// RecordPurchase: what happened after a purchase earned: the lines
	// returned so far, the points clawed back, the redemption that paid
	// for it. Keyed by purchase ID.
	RecordPurchase RecordKind = "purchase"
	// RecordCoupon: a coupon issued to the member, keyed by coupon ID.
	RecordCoupon RecordKind = "coupon"
	// RecordRewardCount: how many coupons of a reward the member obtained
	// in one limit window, keyed by reward ID and window start.
	RecordRewardCount RecordKind = "reward-count"
	// RecordActivity: one qualifying fact that the header's activity
	// summarises, kept so that a late fact's tier walk can pass the
	// summarised ones at their own instants. Keyed "<date>/<class>/<n>".
	RecordActivity RecordKind = "activity"
	// RecordActivityMonth: the events of one local month and class that
	// the header's activity keeps as one month summary, in the binary
	// activity form. Keyed "<year>-<month>/<class>", "2026-03/p".
	RecordActivityMonth RecordKind = "activity-month"
)

// Record is one keyed piece of an account's history other than a lot. Data
// is opaque to a store, which keeps it byte for byte.
type Record struct {
	Kind RecordKind
	Key  string
	Data []byte
}

// Write is one atomic change of an account.
type Write struct {
	// Account is the new header. Its Version is the version the service
	// read plus one (1 for a new account).
	Account Account
	// Lots are inserted, or replace the member's lots with the same IDs.
	Lots []ledger.Lot
	// Records are inserted, or replace the member's records with the same
	// kind and key.
	Records []Record
	// Entries are appended to the account's ledger, Seq continuing.
	Entries []ledger.Entry
	// Operation, if set, records the request that caused the write.
	Operation *Operation
}

// Store is what the loyalty service needs from persistence. An account is
// a small versioned header beside its lots, records, entries and the
// idempotency records of requests; Save writes all of one change
// atomically. Every read an operation makes is bounded by what it touches:
// one header, lots by ID or the first lots in spending order, records by
// key. Nothing the service calls during an operation returns a member's
// whole history; the whole-history streams (AllLots, Records, Entries)
// serve statements, exports, merges and audits.
//
// loyaltytest.Run checks every "must". A store must be safe for concurrent
// use, return copies, and keep times to at least microsecond precision.
// Operation keys are unique across the whole store, not per member. Once
// GetOperation shows a request, every read must show its write (the
// service replays without re-reading). Iterators end with the context's
// error as their last value when it is cancelled, stop cleanly on break,
// and must not block writes made inside the loop (batch runs save as they
// go).
type Store interface {
	// GetAccount returns the member's account header, or ErrNotFound.
	GetAccount(ctx context.Context, memberID string) (Account, error)

	// Save applies w atomically: it must fail with ErrConflict, writing
	// nothing, unless the stored version of the account is
	// w.Account.Version-1 (0 meaning the account does not exist yet); it
	// must fail with ErrAlreadyExists, writing nothing, if w.Operation's key
	// is already recorded. Of N concurrent saves naming the same version,
	// exactly one succeeds. The version is checked before anything else a
	// store may refuse: a write the service built on records read across
	// another write can be inconsistent, and must fail as the conflict it
	// is. Entries are appended and never changed or deleted afterwards;
	// lots and records replace those with the same key.
	Save(ctx context.Context, w Write) error

	// Lots returns the member's lots with the given IDs, in the order of
	// ids; IDs with no lot are skipped.
	Lots(ctx context.Context, memberID string, ids []string) ([]ledger.Lot, error)

	// SpendingLots yields the member's open lots (Remaining > 0) in
	// spending order (ledger.SpendingOrder). The service stops as soon as
	// the lots cover a spend, so a store must yield lazily or in small
	// pages, never read every open lot first.
	SpendingLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error]

	// PendingLots yields the member's unreleased open lots whose
	// PendingUntil is at or before through, by PendingUntil then ID.
	PendingLots(ctx context.Context, memberID string, through time.Time) iter.Seq2[ledger.Lot, error]

	// AllLots yields every lot of the member, closed ones included, by ID
	// (byte order).
	AllLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error]

	// GetRecords returns the member's records of the kind with the given
	// keys, in the order of keys; keys with no record are skipped.
	GetRecords(ctx context.Context, memberID string, kind RecordKind, keys []string) ([]Record, error)

	// Records yields every record of the member of the kind, by key (byte
	// order).
	Records(ctx context.Context, memberID string, kind RecordKind) iter.Seq2[Record, error]

	// GetOperation returns the recorded operation with the key, or
	// ErrNotFound.
	GetOperation(ctx context.Context, key string) (Operation, error)

	// Entries yields an account's entries with Seq > afterSeq in Seq
	// order; nothing for a member without an account.
	Entries(ctx context.Context, memberID string, afterSeq int64) iter.Seq2[ledger.Entry, error]

	// Accounts yields every account header with MemberID > after, in
	// ascending MemberID order (batch runs resume from the last ID they
	// finished).
	Accounts(ctx context.Context, after string) iter.Seq2[Account, error]
}

// Prefetcher is an optional extension of a Store for which a round trip
// costs more than the reads in it (a database server). The service calls
// Prefetch at the start of every write attempt, in place of GetOperation,
// GetAccount and the GetRecords of the records it knows it needs, so that
// an earn reads in one round trip and writes in one.
//
// loyaltytest.Run checks, for a store that has it, that Prefetch returns
// what those three methods would return at one instant.
type Prefetcher interface {
	Prefetch(ctx context.Context, q Prefetch) (Prefetched, error)
}

// Prefetch names what a Prefetcher reads.
type Prefetch struct {
	// OperationKey is looked up as GetOperation does.
	OperationKey string
	// MemberID's account header is read as GetAccount does, and its
	// records of Kind with Keys as GetRecords does (none when Keys is
	// empty).
	MemberID string
	Kind     RecordKind
	Keys     []string
}

// Prefetched is what a Prefetcher read. A nil Operation or Account means
// there is none (GetOperation or GetAccount would fail with ErrNotFound).
type Prefetched struct {
	Operation *Operation
	Account   *Account
	// Records are in the order of Keys; keys with no record are skipped.
	Records []Record
}

// DueFinder is an optional extension of a Store that finds, across
// members, the accounts with an open lot expiring or an unreleased lot
// releasing by a time, from its indexes rather than every header (the
// memory store keeps an index of open lots by the instant they are next
// due; the PostgreSQL example skips through its per-member indexes, one
// probe a member). Expire then visits only the accounts with something
// due, not every account: a nightly run over a million members, a few
// thousand of whom have points lapsing, reads those few thousand headers.
// A programme whose points lapse after inactivity still walks every
// account (lots say nothing of each member's last activity).
//
// loyaltytest.Run checks, for a store that has it, that it yields exactly
// the accounts the rule below names, as saves open, spend, release and
// move lots.
type DueFinder interface {
	// DueAccounts yields, in ascending MemberID order (byte order) and each
	// once, the header of every account with MemberID > after that has an
	// open lot (Remaining > 0) with a non-zero ExpiresAt at or before
	// by.Expiring, or an unreleased open lot whose PendingUntil is at or
	// before by.Releasing; no other account. It reads in pages as Accounts
	// does, never every header.
	DueAccounts(ctx context.Context, by DueBy, after string) iter.Seq2[Account, error]
}

// DueBy is what an expiry run asks a DueFinder for: the accounts with an
// open lot expiring at or before Expiring, or an unreleased open lot
// releasing at or before Releasing. The two differ because a run warns of
// expiries ahead (Options.ExpiryNotice) but has nothing to do or say about
// a release until it is due: one bound for both would visit, every night
// of a pending period, each member whose points release inside the notice
// period.
type DueBy struct {
	Expiring  time.Time
	Releasing time.Time
}

// Through is the later of the two bounds: no lot due by either is due
// after it, so a store with one index of lots by their next due instant
// reads that index up to Through and checks each lot against its own bound.
func (by DueBy) Through() time.Time {
	if by.Releasing.After(by.Expiring) {
		return by.Releasing
	}
	return by.Expiring
}
