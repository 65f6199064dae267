package customer

import (
	"context"
	"iter"
	"time"
)

// Store is what the service needs from persistence. A host implements it
// over its own database (see examples/postgres) or uses NewMemoryStore.
// customertest.Run checks every "must" below.
//
// Every method must honour ctx cancellation where it blocks, must return
// copies (never memory the store keeps), and must keep times to at least
// microsecond precision. A store must be safe for concurrent use.
//
// Iterators must end with the context's error as their last value when
// the context is cancelled before or during the iteration, must stop
// cleanly when the caller breaks, and must not hold a lock while yielding
// (the caller may write to the store inside the loop). "ID order" is
// byte-wise order, as Go compares strings (a SQL adapter needs a binary
// collation).
type Store interface {
	CustomerStore
	PurchaseStore
	InteractionStore
}

// CustomerStore keeps customer records with versions and unique identities.
type CustomerStore interface {
	// CreateCustomer stores a new customer whose Version is 1.
	// It must fail with ErrAlreadyExists if the ID exists, and with
	// ErrIdentityTaken if another customer holds any of c.Identities (by
	// Identity.Key); on failure nothing is written.
	CreateCustomer(ctx context.Context, c Customer) error

	// GetCustomer returns the customer with the ID, or ErrNotFound.
	GetCustomer(ctx context.Context, id string) (Customer, error)

	// UpdateCustomer replaces a customer if its stored Version equals
	// c.Version-1 (the service sets c.Version to the version it read plus
	// one). It must fail with ErrNotFound if the customer does not exist,
	// with ErrConflict if the stored version differs, and with
	// ErrIdentityTaken if another customer holds one of c.Identities. The
	// check and the write must be atomic: of N concurrent updates naming the
	// same version, exactly one succeeds. Identities the new record no
	// longer lists must be released.
	UpdateCustomer(ctx context.Context, c Customer) error

	// CustomerByIdentity returns the customer holding the identity, or
	// ErrNotFound.
	CustomerByIdentity(ctx context.Context, id Identity) (Customer, error)

	// CustomersByNameKey yields the customers whose NameKey equals key, in
	// ascending ID order.
	CustomersByNameKey(ctx context.Context, key string) iter.Seq2[Customer, error]

	// Customers yields every customer (merged and erased ones included) in
	// ascending ID order.
	Customers(ctx context.Context) iter.Seq2[Customer, error]

	// AddMerge stores the audit record of a merge attempt. A customer is
	// merged at most once, but an attempt that lost a race and was undone
	// is abandoned (AbandonMerge), and a later attempt may follow it: the
	// store keeps every attempt, numbered from 1. AddMerge must fail with
	// ErrAlreadyExists if the duplicate has a record that is not abandoned
	// or one numbered m.Attempt, and otherwise with ErrConflict unless
	// m.Attempt is one more than the duplicate's latest Attempt (1 when it
	// has none). The check and the write must be atomic: of N concurrent
	// adds for one duplicate, at most one succeeds; on failure nothing is
	// written.
	AddMerge(ctx context.Context, m MergeRecord) error

	// GetMerge returns the duplicate's latest merge record (the highest
	// Attempt, abandoned or not), or ErrNotFound.
	GetMerge(ctx context.Context, duplicate string) (MergeRecord, error)

	// AbandonMerge records that the duplicate's merge attempt lost a race
	// and was undone, setting the record's AbandonedAt to at. It must fail
	// with ErrNotFound if the duplicate has no record with that Attempt,
	// and must change nothing (and return nil) if the record is already
	// abandoned: the first time stays. Nothing else in the record changes.
	AbandonMerge(ctx context.Context, duplicate string, attempt int, at time.Time) error

	// MergeAttempts returns every merge record of the duplicate, abandoned
	// ones included, oldest attempt first; none is an empty result, not
	// an error. It is the audit trail of the duplicate's merges.
	MergeAttempts(ctx context.Context, duplicate string) ([]MergeRecord, error)
}

// PurchaseRecord is a purchase as stored: the fact, the hash of the request
// that created it (for idempotent replays) and a version that counts the
// returns recorded against it.
type PurchaseRecord struct {
	Purchase Purchase
	Hash     string // hash of the original request
	Version  int64  // 1 on creation, +1 for every return added
}

// ReturnRecord is a return as stored with its request hash.
type ReturnRecord struct {
	Return Return
	Hash   string
}

// PurchaseStore keeps purchases and returns, append-only.
type PurchaseStore interface {
	// AddPurchase stores a purchase with Version 1. It must fail with
	// ErrAlreadyExists if a purchase with the ID exists, writing nothing.
	AddPurchase(ctx context.Context, r PurchaseRecord) error

	// GetPurchase returns a stored purchase, or ErrNotFound.
	GetPurchase(ctx context.Context, id string) (PurchaseRecord, error)

	// AddReturn stores a return and increments its purchase's Version, in
	// one atomic step, if the purchase's Version equals purchaseVersion. It
	// must fail with ErrAlreadyExists if a return with the ID exists (this
	// error wins over the others: the service's replay check relies on
	// it), with ErrNotFound if the purchase does not exist, and with
	// ErrConflict if the version differs; on failure nothing is written. Of
	// N concurrent calls naming the same version, exactly one succeeds.
	AddReturn(ctx context.Context, r ReturnRecord, purchaseVersion int64) error

	// GetReturn returns a stored return, or ErrNotFound.
	GetReturn(ctx context.Context, id string) (ReturnRecord, error)

	// ReturnsOfPurchase yields the returns of one purchase, oldest first
	// (by Time, then ID).
	ReturnsOfPurchase(ctx context.Context, purchaseID string) iter.Seq2[Return, error]

	// PurchasesOf yields one customer's purchases newest first (by Time
	// descending, then ID descending).
	PurchasesOf(ctx context.Context, customerID string) iter.Seq2[Purchase, error]

	// ReturnsOf yields one customer's returns newest first (by Time
	// descending, then ID descending).
	ReturnsOf(ctx context.Context, customerID string) iter.Seq2[Return, error]

	// PurchasesBetween yields every purchase with from <= Time < to, oldest
	// first (by Time, then ID). It should stream: memory must not grow with
	// the size of the range.
	PurchasesBetween(ctx context.Context, from, to time.Time) iter.Seq2[Purchase, error]

	// ReturnsBetween yields every return with from <= Time < to, oldest
	// first (by Time, then ID).
	ReturnsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Return, error]

	// Reassign moves every purchase and return of customer from to customer
	// to (the customer link is the one field of a fact that may change,
	// and only by a merge). It must be idempotent: calling it again changes
	// nothing.
	Reassign(ctx context.Context, from, to string) error
}

// PurchaseHolderStore is an optional capability of a Store: a purchase and
// the customer record its CustomerID names, read in one call (on a
// database, one statement: one round trip and one snapshot). Loyalty's
// earn starts with exactly these two reads, so a store that offers it
// saves every earn a round trip. Service.PurchaseHolder uses it when the
// store has it and two reads otherwise; the customer kit checks that both
// agree.
type PurchaseHolderStore interface {
	// GetPurchaseHolder returns the stored purchase, or ErrNotFound, and
	// the customer record its CustomerID names; found is false for an
	// anonymous purchase and for a customer the store does not hold.
	GetPurchaseHolder(ctx context.Context, purchaseID string) (rec PurchaseRecord, c Customer, found bool, err error)
}

// InteractionStore keeps interaction records, append-only.
type InteractionStore interface {
	// AddInteraction stores an interaction. It must fail with
	// ErrAlreadyExists if one with the ID exists, writing nothing.
	AddInteraction(ctx context.Context, in Interaction) error

	// GetInteraction returns a stored interaction, or ErrNotFound.
	GetInteraction(ctx context.Context, id string) (Interaction, error)

	// InteractionsOf yields one customer's interactions newest first (by
	// Time descending, then ID descending).
	InteractionsOf(ctx context.Context, customerID string) iter.Seq2[Interaction, error]

	// ReassignInteractions moves every interaction of customer from to
	// customer to. It must be idempotent.
	ReassignInteractions(ctx context.Context, from, to string) error

	// RedactInteractions clears Summary and Outcome of every interaction of
	// the customer (erasure). It must be idempotent.
	RedactInteractions(ctx context.Context, customerID string) error
}

// MergeRecord is the audit record of one attempt to merge a duplicate
// into a survivor.
type MergeRecord struct {
	Survivor  string    `json:"survivor"`
	Duplicate string    `json:"duplicate"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Reason    string    `json:"reason,omitempty"`
	// Identities counts the identities moved (their values are not kept
	// here, so the audit log holds no personal data).
	Identities int `json:"identities"`
	// Attempt numbers the duplicate's merge attempts from 1. A new attempt
	// is only made once the one before it is abandoned.
	Attempt int `json:"attempt"`
	// AbandonedAt is set when the attempt lost a race with the opposite
	// merge and was undone: it merged nothing, and the duplicate may be
	// merged again by a later attempt. The record stays as the audit
	// trail of what was tried.
	AbandonedAt time.Time `json:"abandonedAt,omitzero"`
}

// Abandoned reports whether the attempt lost a race and was undone.
func (m MergeRecord) Abandoned() bool { return !m.AbandonedAt.IsZero() }
