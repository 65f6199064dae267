package customer

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/textcheck"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Registration is a new customer as a POS captures it. Identities are given
// raw and normalised by the service.
type Registration struct {
	Profile
	MemberNumber string
	Phone        string
	Email        string
	// ExternalIDs are "system:id" pairs such as "wechat:<unionid>".
	ExternalIDs []string
	Tags        []string
	Store       string
	Channel     SalesChannel
	// JoinedAt defaults to the service clock.
	JoinedAt time.Time

	// Force creates the customer even if likely duplicates exist.
	Force bool
	// AllowErased lets the identities of an erased customer be used again:
	// the person came back and asked to be registered.
	AllowErased bool

	// RequestID, when set, makes the registration idempotent: the POS
	// lane makes it and keeps it before it submits, and a retry reuses it.
	// A replay (the same ID and the same registration) returns the
	// customer it created, as stored now, and its EventRegistered again,
	// and writes nothing; the same ID with a different registration is
	// ErrIdempotencyMismatch; a replay after the customer was erased is
	// ErrErased. The customer's ID is derived from the request ID (32 hex
	// digits), so a replay finds it without another index. At most 128
	// bytes, no control characters. Force and AllowErased are not part of
	// what a replay compares: they only decide whether the first attempt
	// may write.
	RequestID string
}

// String redacts personal data.
func (r Registration) String() string {
	return fmt.Sprintf("Registration{Store: %s, Channel: %s}", r.Store, r.Channel)
}

// GoString redacts personal data.
func (r Registration) GoString() string { return r.String() }

// Limits on free text, so one bad import cannot fill a store.
const (
	maxNameLen  = 200
	maxTextLen  = 2000
	maxIDLen    = textcheck.MaxID
	maxTags     = 200
	maxTagLen   = 64
	maxAttrs    = 100
	maxExternal = 20
)

// Register validates and normalises a registration and creates the
// customer. It fails with ErrIdentityTaken if another customer holds one of
// the identities, ErrErased if they belong to an erased customer (unless
// AllowErased), and a *DuplicateError (ErrLikelyDuplicate) if likely
// duplicates exist (unless Force).
//
// With a RequestID a registration is replay-safe; see
// Registration.RequestID.
func (s *Service) Register(ctx context.Context, r Registration) (Customer, error) {
	return customerOf(s.register(ctx, r))
}

func (s *Service) register(ctx context.Context, r Registration) (Change, error) {
	c, err := s.newCustomer(r)
	if err != nil {
		return Change{}, err
	}
	if r.RequestID != "" {
		// A replay is found before anything else is checked: its
		// identities are taken (by itself) and it duplicates itself.
		if ch, done, err := s.replayedRegistration(ctx, c.ID, c.RegistrationHash, r.RequestID); done {
			return ch, err
		}
	}
	if err := s.checkIdentitiesFree(ctx, c.ID, c.Identities, r.AllowErased); err != nil {
		return Change{}, err
	}
	if !r.Force {
		matches, err := s.findDuplicates(ctx, c)
		if err != nil {
			return Change{}, fmt.Errorf("customer: register: %w", err)
		}
		if len(matches) > 0 {
			return Change{}, &DuplicateError{Candidates: matches}
		}
	}
	if err := s.store.CreateCustomer(ctx, c); err != nil {
		if r.RequestID != "" {
			// A concurrent replay of the same request created it first.
			if ch, done, rerr := s.replayedRegistration(ctx, c.ID, c.RegistrationHash, r.RequestID); done {
				return ch, rerr
			}
		}
		return Change{}, fmt.Errorf("customer: register: %w", err)
	}
	return Change{Customer: c, Events: []Event{registeredEvent(c, r.RequestID)}}, nil
}

func registeredEvent(c Customer, requestID string) Event {
	return Event{Type: EventRegistered, CustomerID: c.ID, Version: 1, At: c.JoinedAt, RequestID: requestID}
}

// replayedRegistration reports whether the customer a request ID names
// exists, and if so whether the same registration created it.
func (s *Service) replayedRegistration(ctx context.Context, id, hash, requestID string) (Change, bool, error) {
	c, err := s.store.GetCustomer(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return Change{}, false, nil
	case err != nil:
		return Change{}, true, fmt.Errorf("customer: register %s: %w", id, err)
	case c.Erased():
		return Change{}, true, fmt.Errorf("customer: register %s: %w", id, ErrErased)
	case c.RegistrationHash != hash:
		return Change{}, true, fmt.Errorf("customer: register %s: %w", id, ErrIdempotencyMismatch)
	}
	return Change{Customer: c, Events: []Event{registeredEvent(c, requestID)}}, true, nil
}

// requestCustomerID is the ID of the customer a registration request
// creates: a hash of the request ID, so a replay finds the customer and
// the ID says nothing about the request.
func requestCustomerID(requestID string) string {
	sum := sha256.Sum256([]byte("clientele/customer/register\x00" + requestID))
	return hex.EncodeToString(sum[:16])
}

// registrationHash fingerprints what a registration asked for, normalised
// (so "138 0013 8000" and "13800138000" replay alike), with the JoinedAt
// it gave (zero when it let the clock decide).
func registrationHash(c Customer, joined time.Time) (string, error) {
	if !joined.IsZero() {
		joined = storeTime(joined)
	}
	return idem.Hash(struct {
		Profile    Profile
		Identities []Identity
		Tags       []string
		Store      string
		Channel    SalesChannel
		JoinedAt   time.Time
	}{c.Profile, c.Identities, c.Tags, c.RegisteredStore, c.RegisteredChannel, joined})
}

// newCustomer builds the record a registration describes, reporting every
// invalid field at once.
func (s *Service) newCustomer(r Registration) (Customer, error) {
	var fe fieldErrors
	id := requestCustomerID(r.RequestID)
	if r.RequestID == "" {
		id = s.opts.NewID()
	}
	c := Customer{
		ID:                id,
		Version:           1,
		Profile:           r.Profile,
		RegisteredStore:   r.Store,
		RegisteredChannel: r.Channel,
		JoinedAt:          r.JoinedAt,
	}
	checkTime(&fe, "joinedAt", c.JoinedAt, false)
	if c.JoinedAt.IsZero() {
		c.JoinedAt = s.opts.Clock()
	}
	c.JoinedAt = storeTime(c.JoinedAt)
	validateProfile(&fe, c.Profile)
	if !validLabel(r.Store, maxIDLen) {
		fe.add("store", "must be at most %d bytes of valid UTF-8", maxIDLen)
	}
	c.Identities = s.registrationIdentities(&fe, r)
	c.Tags = normalizeTags(&fe, "tags", r.Tags)
	c.NameKey = NameKey(c.Name)
	c.Attributes = cloneMap(c.Attributes)
	c.Preferences.Categories = cloneSlice(c.Preferences.Categories)
	c.Preferences.Brands = cloneSlice(c.Preferences.Brands)
	checkRequestID(&fe, r.RequestID)
	if err := fe.err(); err != nil {
		return Customer{}, err
	}
	if r.RequestID != "" {
		hash, err := registrationHash(c, r.JoinedAt)
		if err != nil {
			return Customer{}, &FieldError{Field: "registration", Problem: "cannot be encoded"}
		}
		c.RegistrationHash = hash
	}
	return c, nil
}

func (s *Service) registrationIdentities(fe *fieldErrors, r Registration) []Identity {
	var ids []Identity
	add := func(field string, kind IdentityKind, raw string) {
		id, err := s.normalizeIdentity(kind, raw)
		if err != nil {
			fe.add(field, "%s", problemOf(err))
			return
		}
		if slices.Contains(ids, id) {
			fe.add(field, "repeats another identity")
			return
		}
		ids = append(ids, id)
	}
	if r.MemberNumber != "" {
		add("memberNumber", IdentityMember, r.MemberNumber)
	}
	if r.Phone != "" {
		add("phone", IdentityPhone, r.Phone)
	}
	if r.Email != "" {
		add("email", IdentityEmail, r.Email)
	}
	if len(r.ExternalIDs) > maxExternal {
		fe.add("externalIds", "at most %d", maxExternal)
	}
	for i, ext := range r.ExternalIDs {
		add(fmt.Sprintf("externalIds[%d]", i), IdentityExternal, ext)
	}
	return ids
}

// problemOf returns the problem a normaliser's FieldError describes.
func problemOf(err error) string {
	var f *FieldError
	if errors.As(err, &f) {
		return f.Problem
	}
	return "is not valid"
}

// normalizeIdentity returns the stored form of a raw identity.
func (s *Service) normalizeIdentity(kind IdentityKind, raw string) (Identity, error) {
	switch kind {
	case IdentityPhone:
		v, err := s.opts.Phones.NormalizePhone(raw, s.opts.DefaultRegion)
		if err != nil {
			return Identity{}, err
		}
		return Identity{Kind: kind, Value: v}, nil
	case IdentityEmail:
		v, _, err := NormalizeEmail(raw)
		if err != nil {
			return Identity{}, err
		}
		return Identity{Kind: kind, Value: v}, nil
	case IdentityMember:
		v := foldIdentifier(raw)
		if v == "" || !validLabel(v, maxIDLen) || strings.ContainsFunc(v, unicode.IsSpace) {
			return Identity{}, &FieldError{Field: "memberNumber", Problem: "must be 1 to 128 bytes of valid UTF-8 without spaces or control characters"}
		}
		return Identity{Kind: kind, Value: v}, nil
	case IdentityExternal:
		v := strings.TrimSpace(raw)
		system, id, ok := strings.Cut(v, ":")
		if !ok || system == "" || id == "" || !validLabel(v, 2*maxIDLen) {
			return Identity{}, &FieldError{Field: "externalId", Problem: `must be "system:id"`}
		}
		return Identity{Kind: kind, Value: strings.ToLower(system) + ":" + id}, nil
	}
	return Identity{}, &FieldError{Field: "kind", Problem: "unknown identity kind"}
}

// foldIdentifier folds a typed identifier (member card numbers are often
// typed with full-width digits on Chinese keyboards) and upper-cases it.
func foldIdentifier(raw string) string {
	return strings.ToUpper(strings.TrimSpace(norm.NFKC.String(width.Fold.String(raw))))
}

// checkIdentitiesFree refuses identities that another customer holds or
// that an erased customer left as tombstones.
func (s *Service) checkIdentitiesFree(ctx context.Context, self string, ids []Identity, allowErased bool) error {
	for _, id := range ids {
		holder, err := s.store.CustomerByIdentity(ctx, id)
		switch {
		case err == nil && holder.ID != self:
			return fmt.Errorf("customer: %s identity: %w", id.Kind, ErrIdentityTaken)
		case err != nil && !errors.Is(err, ErrNotFound):
			return fmt.Errorf("customer: identity lookup: %w", err)
		}
		if allowErased {
			continue
		}
		for _, t := range s.tombstones(id) {
			_, err = s.store.CustomerByIdentity(ctx, t)
			switch {
			case err == nil:
				return fmt.Errorf("customer: %s identity: %w", id.Kind, ErrErased)
			case !errors.Is(err, ErrNotFound):
				return fmt.Errorf("customer: identity lookup: %w", err)
			}
		}
	}
	return nil
}

// tombstone is the keyed hash an erased customer keeps of one identity.
func (s *Service) tombstone(id Identity) Identity {
	mac := hmac.New(sha256.New, s.opts.TombstoneKey)
	mac.Write([]byte(id.Key()))
	return Identity{Kind: IdentityTombstone, Value: hex.EncodeToString(mac.Sum(nil))}
}

// emailMatchKind keys the tombstone of an email's match key; it is never
// an identity of a live customer.
const emailMatchKind IdentityKind = "email-match"

// tombstones are the keyed hashes an erasure leaves of an identity and
// that a registration checks: the identity itself and, for an email, its
// match key too, so "Nana.Ouyang+vip@Example.COM" erased also blocks
// "nana.ouyang@example.com", the same mailbox.
func (s *Service) tombstones(id Identity) []Identity {
	out := []Identity{s.tombstone(id)}
	if id.Kind == IdentityEmail {
		if _, key, err := NormalizeEmail(id.Value); err == nil {
			if t := s.tombstone(Identity{Kind: emailMatchKind, Value: key}); t != out[0] {
				out = append(out, t)
			}
		}
	}
	return out
}

func validateProfile(fe *fieldErrors, p Profile) {
	if !validLabel(p.Name, maxNameLen) {
		fe.add("name", "must be at most %d bytes of valid UTF-8", maxNameLen)
	}
	if !validLabel(p.SortName, maxNameLen) {
		fe.add("sortName", "must be at most %d bytes of valid UTF-8", maxNameLen)
	}
	switch p.Gender {
	case GenderUnstated, GenderFemale, GenderMale, GenderOther:
	default:
		fe.add("gender", "must be female, male, other or empty")
	}
	if err := p.Birthday.Validate(); err != nil {
		*fe = append(*fe, err)
	}
	for name, v := range map[string]string{
		"address.country": p.Address.Country, "address.province": p.Address.Province,
		"address.city": p.Address.City, "address.district": p.Address.District,
		"address.street": p.Address.Street, "address.postalCode": p.Address.PostalCode,
	} {
		if !validText(v, maxTextLen) {
			fe.add(name, "must be at most %d bytes of valid UTF-8", maxTextLen)
		}
	}
	if len(p.Attributes) > maxAttrs {
		fe.add("attributes", "at most %d entries", maxAttrs)
	}
	for k, v := range p.Attributes {
		if k == "" || !validLabel(k, maxTagLen) || !validText(v, maxTextLen) {
			fe.add("attributes", "keys must be 1 to %d bytes and values at most %d bytes of valid UTF-8", maxTagLen, maxTextLen)
			break
		}
	}
	switch p.Preferences.ContactChannel {
	case "", ContactSMS, ContactEmail, ContactPhone, ContactAppPush, ContactWeChat, ContactPost:
	default:
		fe.add("preferences.contactChannel", "unknown channel")
	}
}

// normalizeTags trims, de-duplicates and sorts tags.
func normalizeTags(fe *fieldErrors, field string, tags []string) []string {
	if len(tags) > maxTags {
		fe.add(field, "at most %d tags", maxTags)
		return nil
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || !validLabel(t, maxTagLen) {
			fe.add(field, "each tag must be 1 to %d bytes of valid UTF-8", maxTagLen)
			return nil
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
