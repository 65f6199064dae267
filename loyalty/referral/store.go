package referral

import (
	"context"
	"errors"
	"iter"
	"time"
)

// Contract errors of the Store; adapters return or wrap them (%w).
var (
	ErrNotFound      = errors.New("referral: not found")
	ErrConflict      = errors.New("referral: version conflict")
	ErrAlreadyExists = errors.New("referral: already exists")
)

// Referrer is a member's small versioned referral header.
type Referrer struct {
	MemberID string
	// Version is 1 on creation and +1 on every write.
	Version int64
	// Code is the member's referral code (never logged).
	Code string
	// Bound counts friends bound; Rewarded the referrals rewarded (and not
	// taken back).
	Bound, Rewarded int64
	// PeriodStart and PeriodBound count the bindings of the current limit
	// period.
	PeriodStart time.Time
	PeriodBound int64
	// Slots are the referrer's rewarded places when the policy caps them
	// (MaxRewarded): the friends whose qualifying purchases come first by
	// (purchase time, purchase ID), in that order, at most MaxRewarded.
	Slots []Slot
	// Displaced are friends that lost their slot to a friend whose
	// qualifying purchase comes earlier and whose bonuses are not yet
	// taken back (the two friends' records are written one after the
	// other: a retry of the interrupted call, a binding to the referrer or
	// any call on one of its friends' qualifying purchases completes what
	// a crash interrupted).
	Displaced []string
}

// Slot is one rewarded place: the friend and its qualifying purchase.
type Slot struct {
	FriendID string    `json:"friend"`
	Purchase string    `json:"purchase"`
	At       time.Time `json:"at"`
}

// Clone returns a copy sharing nothing mutable.
func (r Referrer) Clone() Referrer {
	r.Slots = append([]Slot(nil), r.Slots...)
	r.Displaced = append([]string(nil), r.Displaced...)
	return r
}

// String keeps the code out of logs.
func (r Referrer) String() string { return "Referrer{" + r.MemberID + " <code redacted>}" }

// Status is where a referral stands.
type Status string

// Statuses.
const (
	StatusBound     Status = "bound"      // waiting for a qualifying purchase
	StatusQualified Status = "qualified"  // the reward is decided, being paid
	StatusRewarded  Status = "rewarded"   // both bonuses paid
	StatusOverLimit Status = "over-limit" // qualified without a slot (MaxRewarded): no reward, or the reward taken back
	StatusTakenBack Status = "taken-back" // the qualifying purchase came back: bonuses reversed
)

// Friend is one referred member's record, keyed by the friend's ID (a
// member is referred once).
type Friend struct {
	FriendID   string
	ReferrerID string
	BoundAt    time.Time
	Status     Status
	// The qualifying purchase, its net amount in minor units and when.
	Purchase      string
	PurchaseMinor int64
	PurchasedAt   time.Time
	// Returns applied to the qualifying purchase, and the refunds of those
	// made within the return window (later ones never count).
	Returns       []string
	RefundedMinor int64
	// Points paid to each side, and taken back (a clawback is the points
	// available at the time, up to what was paid). RewardedAt is the
	// bonuses' ledger date, fixed when the reward was decided.
	ReferrerPoints, FriendPoints       int64
	ReferrerTakenBack, FriendTakenBack int64
	ReferrerShortfall, FriendShortfall int64
	RewardedAt, TakenBackAt            time.Time
	// Restores counts the takebacks undone because an earlier purchase,
	// arriving late, took over as the qualifying one. When it is not zero
	// and the status is rewarded, the taken-back fields describe the last
	// takeback, whose points were credited back. A friend over the limit
	// with a RewardedAt was paid and then lost its slot: the taken-back
	// fields describe that takeback.
	Restores int64
}

// Clone returns a copy sharing nothing mutable.
func (f Friend) Clone() Friend {
	f.Returns = append([]string(nil), f.Returns...)
	return f
}

// Write is one atomic change: the referrer's new header and, optionally,
// a friend record and the code index.
type Write struct {
	// Referrer's Version is the version read plus one (1 creates it, and
	// indexes its Code).
	Referrer Referrer
	// Friend, if set, is inserted, or replaces the friend's record when
	// Replace is set.
	Friend  *Friend
	Replace bool
}

// Store keeps referrals. A store must be safe for concurrent use, return
// copies, and keep times to at least microsecond precision;
// referraltest.Run checks every "must".
type Store interface {
	// GetReferrer returns a member's referral header, or ErrNotFound.
	GetReferrer(ctx context.Context, memberID string) (Referrer, error)
	// LookupCode returns the member whose code it is, or ErrNotFound.
	LookupCode(ctx context.Context, code string) (string, error)
	// GetFriend returns a referred member's record, or ErrNotFound.
	GetFriend(ctx context.Context, friendID string) (Friend, error)
	// Save applies w atomically. It must fail with ErrConflict, writing
	// nothing, unless the stored header's version is
	// w.Referrer.Version-1 (0: new); the version is checked first. Then it
	// must fail with ErrAlreadyExists, writing nothing, when a new
	// header's Code is another member's, or w.Friend is inserted (not
	// Replace) and the friend has a record; and with ErrNotFound when
	// Replace names a friend with none. Of N concurrent saves naming the
	// same version, exactly one succeeds.
	Save(ctx context.Context, w Write) error
	// Friends yields a referrer's friends in ascending byte order of
	// friend ID, ending with the context's error when it is cancelled,
	// stopping on break, and not blocking saves made inside the loop.
	Friends(ctx context.Context, referrerID string) iter.Seq2[Friend, error]
}
