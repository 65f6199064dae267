package storedvalue

import (
	"context"
	"errors"
	"iter"
	"time"
)

// Contract errors of the Store. Adapters return them or wrap them with %w;
// the service and the kit match them with errors.Is only.
var (
	// ErrNotFound: no account, code or operation with that key.
	ErrNotFound = errors.New("storedvalue: not found")
	// ErrConflict: a write named a version that is no longer current.
	ErrConflict = errors.New("storedvalue: version conflict")
	// ErrAlreadyExists: an operation with that key, or an account with
	// that code key, is already recorded.
	ErrAlreadyExists = errors.New("storedvalue: already exists")
	// ErrIdempotencyMismatch: a request reused the ID of an earlier one
	// with a different payload.
	ErrIdempotencyMismatch = errors.New("storedvalue: idempotency key reused with a different payload")
)

// AccountType says what an account is.
type AccountType string

// Account types.
const (
	// WalletAccount: a member's stored balance (储值) in the programme's currency.
	WalletAccount AccountType = "wallet"
	// GiftCardAccount: a card found by its code, with or without a holder.
	GiftCardAccount AccountType = "giftcard"
	// PunchCardAccount: N uses of a named service (次卡); it holds uses, not money.
	PunchCardAccount AccountType = "punchcard"
)

// State is an account's life-cycle state.
type State string

// Account states.
const (
	// Active accounts take every operation.
	Active State = "active"
	// Issued: a gift card printed or imported but not yet sold; it takes
	// only its activation.
	Issued State = "issued"
)

// Account is one account's header: the small, versioned record a store
// protects with compare-and-set. What grows with history (parts, hold and
// payment records, entries, idempotency records) lives beside it in
// records of its own, so an operation costs the same after fifty thousand
// top-ups as after one. The service owns every field; a store keeps and
// returns it as given.
//
// Money is in the currency's minor unit. Paid and Bonus are what can be
// spent now; HeldPaid and HeldBonus are reserved by open holds. The
// account's balance is the sum of the four.
type Account struct {
	ID       string
	Type     AccountType
	State    State
	Version  int64 // 1 on creation, +1 on every write
	Holder   string
	Currency string
	// CodeKey is a gift card's lookup key: a keyed hash of its code, never
	// the code. It is set when the card is created and never changes; it
	// is unique across the store.
	CodeKey string
	// PINKey is a gift card's PIN as a keyed hash (never the PIN); empty
	// for a card without one.
	PINKey string
	// PINFailures counts wrong PINs since the card was issued or last
	// unlocked; at MaxPINFailures the card is locked.
	PINFailures int64
	Paid        int64
	Bonus       int64
	HeldPaid    int64
	HeldBonus   int64
	// Seq is the Seq of the account's last entry.
	Seq       int64
	CreatedAt time.Time
	// Punch is a punch card's plan and count; nil for money accounts.
	Punch *Punch
}

// Clone returns a copy sharing nothing mutable with a.
func (a Account) Clone() Account {
	if a.Punch != nil {
		p := *a.Punch
		a.Punch = &p
	}
	return a
}

// Balance is the account's money: spendable plus held.
func (a Account) Balance() int64 { return a.Paid + a.Bonus + a.HeldPaid + a.HeldBonus }

// PartKind says whether a part is money the customer paid or bonus the
// shop gave.
type PartKind string

// Part kinds. Paid and bonus money are never mixed: every part is one or
// the other, and every draw says which.
const (
	PaidPart  PartKind = "paid"
	BonusPart PartKind = "bonus"
)

// Part is the money of one credit (a top-up's paid or bonus half, an
// adjustment, a transfer in) with what remains of it. Payments draw parts
// in spending order and record what they drew, so refunds go back to the
// parts they came from.
type Part struct {
	ID        string
	Kind      PartKind
	Source    string // the operation that credited it
	Amount    int64  // credited
	Remaining int64  // spendable now
	Held      int64  // reserved by open holds
	CreatedAt time.Time
	// ExpiresAt is the first instant the part can no longer be spent; zero
	// means never. Only bonus parts expire.
	ExpiresAt time.Time
}

// SpendingOrder orders parts of one kind as payments draw them: soonest
// expiry first, never-expiring last, then oldest first, then by ID (byte
// order).
func SpendingOrder(a, b Part) int {
	switch {
	case a.ExpiresAt.IsZero() != b.ExpiresAt.IsZero():
		if a.ExpiresAt.IsZero() {
			return 1
		}
		return -1
	case !a.ExpiresAt.Equal(b.ExpiresAt):
		return a.ExpiresAt.Compare(b.ExpiresAt)
	case !a.CreatedAt.Equal(b.CreatedAt):
		return a.CreatedAt.Compare(b.CreatedAt)
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// EntryKind names what an entry records.
type EntryKind string

// Entry kinds.
const (
	EntryTopUp    EntryKind = "topup"
	EntryPay      EntryKind = "pay"
	EntryHold     EntryKind = "hold"
	EntryCommit   EntryKind = "commit"
	EntryRelease  EntryKind = "release"
	EntryRefund   EntryKind = "refund"
	EntryCashOut  EntryKind = "cashout"
	EntryForfeit  EntryKind = "forfeit"
	EntryExpire   EntryKind = "expire"
	EntryAdjust   EntryKind = "adjust"
	EntryTransfer EntryKind = "transfer"
	EntryUse      EntryKind = "use"
	EntryUndo     EntryKind = "undo"
)

// Entry is one line of an account's append-only ledger. Paid and Bonus
// change the balance (spendable plus held) of each kind; HeldPaid and
// HeldBonus change what is held. A hold moves money from spendable to
// held (Paid 0, HeldPaid +x), a commit spends held money (Paid -x,
// HeldPaid -x), a release returns it. Uses changes a punch card's
// remaining uses. Corrects names the operation an entry reverses (a
// refund its payment, an undo its use).
type Entry struct {
	Seq       int64     `json:"seq"`
	Kind      EntryKind `json:"kind"`
	Op        string    `json:"op"`
	At        time.Time `json:"at"`
	Paid      int64     `json:"paid,omitempty"`
	Bonus     int64     `json:"bonus,omitempty"`
	HeldPaid  int64     `json:"heldPaid,omitempty"`
	HeldBonus int64     `json:"heldBonus,omitempty"`
	Uses      int64     `json:"uses,omitempty"`
	Corrects  string    `json:"corrects,omitempty"`
}

// RecordKind names what a Record holds.
type RecordKind string

// Record kinds.
const (
	// RecordPayment: a payment or hold with the parts it drew, its state
	// and what was refunded, keyed by its request ID.
	RecordPayment RecordKind = "payment"
	// RecordUse: a punch-card use and whether it was undone.
	RecordUse RecordKind = "use"
)

// Record is one keyed piece of an account's history other than a part.
// Data is opaque to a store, which keeps it byte for byte.
type Record struct {
	Kind RecordKind
	Key  string
	Data []byte
	// DueAt, if not zero, puts the record in the store's index of due
	// records (a hold's expiry); a replacement with a zero DueAt takes it
	// out.
	DueAt time.Time
}

// DueRecord is a record's place in the index of due records, ordered by
// At, then AccountID, Kind and Key (byte order).
type DueRecord struct {
	At        time.Time
	AccountID string
	Kind      RecordKind
	Key       string
}

// Operation is the record of one idempotent request: its key, the account
// it wrote, the hash of the request and the result returned (opaque
// bytes a store keeps exactly), so a replay returns the original result.
type Operation struct {
	Key       string
	AccountID string
	Hash      string
	Result    []byte
}

// Write is one atomic change of an account.
type Write struct {
	// Account is the new header; its Version is the version read plus one
	// (1 for a new account).
	Account Account
	// Parts are inserted, or replace the account's parts with the same IDs.
	Parts []Part
	// Records are inserted, or replace those with the same kind and key.
	Records []Record
	// Entries are appended, Seq continuing from the header read.
	Entries []Entry
	// Operation, if set, records the request that caused the write.
	Operation *Operation
}

// Store is what the stored-value service needs from persistence. An
// account is a small versioned header beside its parts, records, entries
// and the idempotency records of requests; Save writes all of one change
// atomically. Every read an operation makes is bounded by what it touches:
// one header (by ID or by code key), parts by ID or the first parts of one
// kind in spending order, records by key, one operation. AllParts,
// Entries and Accounts serve statements, audits and liability reports.
//
// storedvaluetest.Run checks every "must". A store must be safe for
// concurrent use, return copies, and keep times to at least microsecond
// precision. Iterators end with the context's error as their last value
// when it is cancelled, stop cleanly on break, and must not block writes
// made inside the loop.
type Store interface {
	// GetAccount returns the account header, or ErrNotFound.
	GetAccount(ctx context.Context, id string) (Account, error)

	// AccountByCode returns the account whose CodeKey is key or, when no
	// account has that key, the account whose CodeKey is decoy; if neither
	// exists, ErrNotFound. The caller tells the two apart by comparing
	// CodeKey. It must be index lookups that read one account row either
	// way, so that a wrong code costs what a right one costs: its work
	// must not depend on whether key exists or on how many accounts there
	// are.
	AccountByCode(ctx context.Context, key, decoy string) (Account, error)

	// Save applies w atomically: it must fail with ErrConflict, writing
	// nothing, unless the stored version of the account is
	// w.Account.Version-1 (0 meaning the account does not exist yet); the
	// version is checked before anything else. It must then fail with
	// ErrAlreadyExists, writing nothing, if w.Operation's key is recorded
	// (keys are unique across the store) or w.Account.CodeKey is another
	// account's. Of N concurrent saves naming the same version, exactly
	// one succeeds. Entries are appended and never changed or deleted;
	// parts and records replace those with the same key.
	Save(ctx context.Context, w Write) error

	// Parts returns the account's parts with the given IDs, in the order
	// of ids; IDs with no part are skipped.
	Parts(ctx context.Context, accountID string, ids []string) ([]Part, error)

	// SpendingParts yields the account's open parts (Remaining > 0) of the
	// kind in SpendingOrder. The service stops as soon as the parts cover
	// a payment, so a store must yield lazily or in small pages.
	SpendingParts(ctx context.Context, accountID string, kind PartKind) iter.Seq2[Part, error]

	// AllParts yields every part of the account, spent ones included, by
	// ID (byte order).
	AllParts(ctx context.Context, accountID string) iter.Seq2[Part, error]

	// GetRecords returns the account's records of the kind with the given
	// keys, in the order of keys; keys with no record are skipped.
	GetRecords(ctx context.Context, accountID string, kind RecordKind, keys []string) ([]Record, error)

	// GetOperation returns the recorded operation with the key, or
	// ErrNotFound.
	GetOperation(ctx context.Context, key string) (Operation, error)

	// Entries yields the account's entries with Seq > afterSeq in Seq
	// order; nothing for an unknown account.
	Entries(ctx context.Context, accountID string, afterSeq int64) iter.Seq2[Entry, error]

	// Accounts yields every account header with ID > after, in ascending
	// ID (byte) order.
	Accounts(ctx context.Context, after string) iter.Seq2[Account, error]

	// DueRecords yields the records of the kind whose DueAt is at or
	// before until, after the cursor, in DueRecord order. The cursor is a
	// DueRecord of the kind a previous walk yielded (exclusive) or the
	// zero DueRecord (from the first). It must read an index of due
	// records: its cost is the records it yields, not the records that are
	// not due or not in the index.
	DueRecords(ctx context.Context, kind RecordKind, until time.Time, after DueRecord) iter.Seq2[DueRecord, error]
}

// CompareDue orders DueRecords: by At, then AccountID, Kind and Key.
func CompareDue(a, b DueRecord) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	for _, c := range [][2]string{{a.AccountID, b.AccountID}, {string(a.Kind), string(b.Kind)}, {a.Key, b.Key}} {
		if c[0] != c[1] {
			if c[0] < c[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}
