package customer

import (
	"fmt"
	"log/slog"
)

// IdentityKind is the kind of a key that identifies one customer.
type IdentityKind string

// Identity kinds. Each identity is unique across all customers.
const (
	IdentityMember   IdentityKind = "member"   // the shop's member or card number
	IdentityPhone    IdentityKind = "phone"    // E.164, e.g. +8613800138000
	IdentityEmail    IdentityKind = "email"    // trimmed, domain lower-cased
	IdentityExternal IdentityKind = "external" // "system:id", e.g. "wechat:o6_bmasdasdsad6_2sgVt7hMZOPfL"
	// IdentityTombstone is kept by an erased customer: a keyed hash of one
	// of its former identities, so a re-import does not resurrect the person.
	IdentityTombstone IdentityKind = "tombstone"
)

// Identity is one normalised key of a customer. Value is personal data for
// phones, emails and external IDs.
type Identity struct {
	Kind  IdentityKind `json:"kind"`
	Value string       `json:"value"`
}

// Key returns the identity as one string, "kind:value", the form stores
// index uniquely.
func (id Identity) Key() string { return string(id.Kind) + ":" + id.Value }

// String redacts the value.
func (id Identity) String() string { return fmt.Sprintf("%s:<redacted>", id.Kind) }

// GoString redacts the value.
func (id Identity) GoString() string { return id.String() }

// LogValue redacts the value in slog output.
func (id Identity) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", string(id.Kind)), slog.String("value", "<redacted>"))
}
