package customer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Options configure a Service. A nil *Options means all defaults.
type Options struct {
	// Clock returns the current time. Default: time.Now.
	Clock func() time.Time
	// NewID returns a fresh customer or interaction ID. Default: 16 random
	// bytes in hex.
	NewID func() string
	// DefaultRegion is the ISO 3166-1 region used for phone numbers typed
	// without a country code. Default: "CN".
	DefaultRegion string
	// Location is the shop's time zone: Stats reports the first and last
	// purchase in it, so their calendar days are the shop's. Default: UTC.
	Location *time.Location
	// Phones normalises phone numbers. Default: DefaultPhones.
	Phones PhoneNormalizer
	// TombstoneKey keys the hashes an erased customer leaves behind. Set it
	// to a secret of the host's: without a key the hash of a phone number
	// can be reversed by trying every number.
	TombstoneKey []byte
	// MaxRetries bounds the retries of a write that lost a version race.
	// Default: 8.
	MaxRetries int
	// OnMerge is called, in order, after a merge has moved the customer
	// records, so other packages (loyalty accounts, feedback records) join
	// the merge. Each hook must be idempotent: a retried merge calls it again.
	OnMerge []func(ctx context.Context, m MergeRecord) error
	// OnErase is called, in order, for every customer record an erasure
	// touches (the customer and those merged into it). Hooks must be
	// idempotent.
	OnErase []func(ctx context.Context, customerID string) error
	// Exporters add sections to Export, keyed by section name (for example
	// "loyalty"). Each returns JSON-encodable data about the customer.
	Exporters map[string]func(ctx context.Context, customerID string) (any, error)
}

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.Clock == nil {
		out.Clock = time.Now
	}
	if out.NewID == nil {
		out.NewID = randomID
	}
	if out.DefaultRegion == "" {
		out.DefaultRegion = "CN"
	}
	if out.Location == nil {
		out.Location = time.UTC
	}
	if out.Phones == nil {
		out.Phones = DefaultPhones
	}
	if out.MaxRetries <= 0 {
		out.MaxRetries = 8
	}
	return out
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// storeTime is the form every time takes before it is stored: UTC, without
// a monotonic reading, truncated to the microsecond every store keeps.
func storeTime(t time.Time) time.Time {
	return t.Round(0).UTC().Truncate(time.Microsecond)
}
