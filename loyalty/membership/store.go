package membership

import (
	"context"
	"errors"
	"iter"
	"time"
)

// Contract errors of the Store; adapters return or wrap them (%w).
var (
	ErrNotFound      = errors.New("membership: not found")
	ErrConflict      = errors.New("membership: version conflict")
	ErrAlreadyExists = errors.New("membership: already exists")
	// ErrIdempotencyMismatch: a payment or refund ID reused for another
	// request.
	ErrIdempotencyMismatch = errors.New("membership: idempotency key reused with a different payload")
)

// Card is a member's small versioned membership header.
type Card struct {
	MemberID string
	// Version is 1 on creation and +1 on every write.
	Version int64
	// Latest is the ID of the latest term bought, LatestPlan its plan and
	// LatestStart its start; PreviousPlan is the plan of the term before
	// it (a renewal into another plan starts when the old term ends).
	Latest       string
	LatestPlan   string
	LatestStart  time.Time
	PreviousPlan string
	// Until is when the membership ends: the latest term's end, or the
	// refund's time when it was refunded.
	Until time.Time
	// Terms counts the terms bought.
	Terms int64
}

// Write is one atomic change: the card and one term.
type Write struct {
	// Card's Version is the version read plus one (1 creates it).
	Card Card
	// Term is inserted, or replaces the member's term of that ID when
	// Replace is set.
	Term    Term
	Replace bool
}

// Store keeps paid memberships. A store must be safe for concurrent use,
// return copies, and keep times to at least microsecond precision (the
// zone a term's Location names is the service's to set again: a store
// need not keep it); membershiptest.Run checks every "must".
type Store interface {
	// GetCard returns a member's card, or ErrNotFound.
	GetCard(ctx context.Context, memberID string) (Card, error)
	// GetTerm returns a member's term by ID, or ErrNotFound.
	GetTerm(ctx context.Context, memberID, termID string) (Term, error)
	// Save applies w atomically. It must fail with ErrConflict, writing
	// nothing, unless the stored card's version is w.Card.Version-1 (0:
	// new); the version is checked first. Then it must fail with
	// ErrAlreadyExists, writing nothing, when the term is inserted and the
	// member has one of that ID, and with ErrNotFound when Replace names
	// a term the member does not have. Of N concurrent saves naming the
	// same version, exactly one succeeds.
	Save(ctx context.Context, w Write) error
	// Terms yields a member's terms in ascending byte order of ID; AllTerms
	// every term of every member, by member ID then term ID, for revenue
	// reports. Both end with the context's error when it is cancelled,
	// stop on break, and do not block saves made inside the loop.
	Terms(ctx context.Context, memberID string) iter.Seq2[Term, error]
	AllTerms(ctx context.Context) iter.Seq2[Term, error]
}
