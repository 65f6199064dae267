package campaign

import (
	"context"
	"errors"
	"iter"
	"time"
)

// Contract errors of the Store; adapters return or wrap them (%w).
var (
	ErrNotFound      = errors.New("campaign: not found")
	ErrConflict      = errors.New("campaign: version conflict")
	ErrAlreadyExists = errors.New("campaign: already exists")
	// ErrIdempotencyMismatch: a request reused a key (a member's
	// redemption, a campaign's ID) with a different payload.
	ErrIdempotencyMismatch = errors.New("campaign: idempotency key reused with a different payload")
)

// Header is a campaign's small versioned record: its counters and budget.
// The service owns every field; a store keeps it as given.
type Header struct {
	CampaignID string
	// Version is 1 on creation and +1 on every write.
	Version int64
	// Definition fingerprints the campaign the first run recorded.
	Definition string
	// Treated and Control count the members recorded in each group;
	// Issued the treated members whose offer went out; Redeemed those
	// who used it.
	Treated, Control, Issued, Redeemed int64
	// ReservedMinor is the budget committed (ContactCost + FaceValue per
	// treated member), RedeemedMinor the value of the redemptions, in the
	// currency's minor unit.
	ReservedMinor, RedeemedMinor int64
}

// Group is the arm of the experiment a member is in.
type Group string

// Groups.
const (
	Treated Group = "treated" // offered, contacted
	Control Group = "control" // held out, never contacted
)

// Member is one member's record in a campaign.
type Member struct {
	CampaignID string
	MemberID   string
	Group      Group
	// At is when the member was drawn (the run's time).
	At time.Time
	// Reference is what the issuer returned (a coupon or adjustment ID);
	// empty for control members and until the offer is issued.
	Reference  string
	ValidUntil time.Time // the offer's end; zero for control members
	// The redemption, once reported: when, on which purchase, worth what
	// (the discount given, in minor units).
	RedeemedAt    time.Time
	RedeemedOn    string
	RedeemedMinor int64
}

// Write is one atomic change of a campaign: its new header and one
// member's record.
type Write struct {
	// Header's Version is the version read plus one (1 for a new campaign).
	Header Header
	Member Member
	// Replace says the member's record exists and is replaced; otherwise
	// it is inserted.
	Replace bool
}

// Store keeps campaigns: a small versioned header per campaign beside one
// record per member, so that issuing to or recording a redemption of one
// member reads and writes one header and one member record, however many
// members the campaign has. A store must be safe for concurrent use,
// return copies, and keep times to at least microsecond precision.
// campaigntest.Run checks every "must".
type Store interface {
	// GetHeader returns the campaign's header, or ErrNotFound.
	GetHeader(ctx context.Context, campaignID string) (Header, error)

	// GetMember returns a member's record in the campaign, or ErrNotFound.
	GetMember(ctx context.Context, campaignID, memberID string) (Member, error)

	// Save applies w atomically. It must fail with ErrConflict, writing
	// nothing, unless the stored header's version is w.Header.Version-1
	// (0: the campaign does not exist yet); the version is checked before
	// anything else. Then, it must fail with ErrAlreadyExists, writing
	// nothing, when w.Replace is false and the member has a record in the
	// campaign, and with ErrNotFound when w.Replace is true and the member
	// has none. Of N concurrent saves naming the same version, exactly one
	// succeeds. w.Member.CampaignID is w.Header.CampaignID.
	Save(ctx context.Context, w Write) error

	// Members yields the campaign's member records in ascending byte order
	// of member ID (none for an unknown campaign). It must end with the
	// context's error when the context is cancelled, stop on break, and
	// not block saves made inside the loop.
	Members(ctx context.Context, campaignID string) iter.Seq2[Member, error]
}
