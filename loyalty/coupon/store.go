package coupon

import (
	"context"
	"iter"
	"log/slog"
	"time"
)

// Source says how a code came to be.
type Source string

// Sources of codes.
const (
	SourceGenerated Source = "generated" // made here, with a check character
	SourceGeneric   Source = "generic"   // chosen by the shop, used many times
	SourceImported  Source = "imported"  // brought from another system
)

// Code is a code's header: what it is for, who may use it and its
// counters. It is the small versioned record a redemption compares and
// sets; per-customer counts and holds are records of their own.
type Code struct {
	Code       string // normalised; the store's index key
	Definition string
	Source     Source
	Owner      string // the member it was issued to; empty: anyone holding it
	// Limit and PerCustomer are the definition's UsesPerCode and
	// PerCustomer when the code was made.
	Limit, PerCustomer int64
	// Used counts committed uses, Held uses held at a till and not yet
	// committed or released. Used + Held never exceeds Limit.
	Used, Held int64
	Void       bool
	IssuedAt   time.Time
	// Batch is the ID of the request that made the code.
	Batch   string
	Version int64
}

// String shows the code masked (see [Mask]), never in full.
func (c Code) String() string { return "coupon code " + Mask(c.Code) + " of " + c.Definition }

// LogValue logs the code masked.
func (c Code) LogValue() slog.Value {
	return slog.GroupValue(slog.String("code", Mask(c.Code)), slog.String("definition", c.Definition),
		slog.Int64("used", c.Used), slog.Int64("held", c.Held), slog.Int64("version", c.Version))
}

// Uses counts one customer's uses of one code.
type Uses struct {
	Code, Customer string
	Used, Held     int64
	Version        int64
}

// String shows the record with the code masked.
func (u Uses) String() string { return "coupon uses of " + Mask(u.Code) + " by " + u.Customer }

// State is where a hold stands.
type State string

// Hold states.
const (
	StateHeld      State = "held"
	StateCommitted State = "committed"
	StateReleased  State = "released"
)

// Redemption is one use of a code at a till, under the POS's ID: held,
// then committed with its purchase or released.
type Redemption struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	Customer string `json:"customer,omitempty"`
	State    State  `json:"state"`
	Purchase string `json:"purchase,omitempty"`
	// Definition is the code's definition, for reports.
	Definition string    `json:"definition"`
	HeldAt     time.Time `json:"heldAt"`
	ClosedAt   time.Time `json:"closedAt,omitzero"`
	Version    int64     `json:"version"`
}

// String shows the redemption with its code masked.
func (r Redemption) String() string {
	return "coupon redemption " + r.ID + " of " + Mask(r.Code) + " (" + string(r.State) + ")"
}

// LogValue logs the redemption with its code masked.
func (r Redemption) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", r.ID), slog.String("code", Mask(r.Code)), slog.String("state", string(r.State)))
}

// Operation is the record of one idempotent request: its key, the hash of
// the request and the result returned, kept byte for byte.
type Operation struct {
	Key    string
	Hash   string
	Result []byte
}

// Write is everything one operation changes, written atomically. Every
// versioned record in it carries the version it will have: the stored
// version plus one, 1 for a record that does not exist yet.
type Write struct {
	Code       *Code
	Uses       *Uses
	Redemption *Redemption
	Operation  Operation
}

// Batch is a set of new codes and the operation that made them.
type Batch struct {
	Codes     []Code
	Operation Operation
}

// Store keeps definitions, codes, per-customer counts, holds and
// operations. Every method takes a context first, and returns copies.
// Times must round-trip to the microsecond at least, in UTC.
type Store interface {
	// AddDefinition stores a definition. It must fail with
	// ErrAlreadyExists if one with the ID exists, writing nothing.
	AddDefinition(ctx context.Context, d Definition) error
	// GetDefinition returns a definition, or ErrNotFound.
	GetDefinition(ctx context.Context, id string) (Definition, error)

	// AddCodes stores every code of the batch with Version 1 and the
	// batch's operation, in one atomic step. It must fail with
	// ErrAlreadyExists, writing nothing, if the operation's key is
	// recorded or any code exists (or appears twice in the batch).
	AddCodes(ctx context.Context, b Batch) error
	// GetCode returns a code's header by its normalised code through an
	// index, or ErrNotFound. Its cost must not grow with the number of
	// codes beyond an index lookup.
	GetCode(ctx context.Context, code string) (Code, error)
	// Codes yields a definition's codes in ascending byte order of code,
	// lazily (an early break stops the scan), and ends with the
	// context's error if it is cancelled.
	Codes(ctx context.Context, definition string) iter.Seq2[Code, error]

	// GetUses returns one customer's counts of one code, or ErrNotFound.
	GetUses(ctx context.Context, code, customer string) (Uses, error)
	// GetRedemption returns a hold by its ID, or ErrNotFound.
	GetRedemption(ctx context.Context, id string) (Redemption, error)
	// GetOperation returns an operation by key, or ErrNotFound.
	GetOperation(ctx context.Context, key string) (Operation, error)

	// OpenHolds yields the redemptions still held whose HeldAt is before
	// before, oldest first (then by ID in byte order), lazily, and ends
	// with the context's error if it is cancelled. It is for the sweep
	// that releases holds a till never closed, not for a redemption.
	OpenHolds(ctx context.Context, before time.Time) iter.Seq2[Redemption, error]

	// Save writes w atomically: all of it or nothing. Each of w.Code,
	// w.Uses and w.Redemption that is set must carry its stored version
	// plus one (1: not stored yet; a code is never created by Save), or
	// Save must fail with ErrConflict, writing nothing; versions are
	// checked before anything else. It must fail with ErrAlreadyExists,
	// writing nothing, if w.Operation's key is recorded.
	Save(ctx context.Context, w Write) error
}
