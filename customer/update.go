package customer

import (
	"context"
	"fmt"
	"slices"

	"github.com/clientele-go/clientele/internal/idem"
)

// UpdateProfile replaces the profile of a customer if its version is still
// version (the one the caller read); otherwise it fails with ErrConflict, so
// two cashiers editing the same customer cannot overwrite each other.
//
// A replay of an update that landed (the customer is at version+1 with
// exactly this profile) returns the customer and writes nothing, so a lane
// that timed out and retries gets its result instead of ErrConflict.
func (s *Service) UpdateProfile(ctx context.Context, id string, version int64, p Profile) (Customer, error) {
	return customerOf(s.updateProfile(ctx, id, version, p))
}

func (s *Service) updateProfile(ctx context.Context, id string, version int64, p Profile) (Change, error) {
	var fe fieldErrors
	validateProfile(&fe, p)
	if err := fe.err(); err != nil {
		return Change{}, err
	}
	c, err := s.store.GetCustomer(ctx, id)
	if err != nil {
		return Change{}, fmt.Errorf("customer: update %s: %w", id, err)
	}
	if err := updatable(c); err != nil {
		return Change{}, fmt.Errorf("customer: update %s: %w", id, err)
	}
	if c.Version == version+1 && sameProfile(c.Profile, p) {
		return Change{Customer: c, Events: []Event{s.event(EventProfileUpdated, c)}}, nil
	}
	if c.Version != version {
		return Change{}, fmt.Errorf("customer: update %s: %w", id, ErrConflict)
	}
	c.Profile = p
	c.Attributes = cloneMap(p.Attributes)
	c.Preferences.Categories = cloneSlice(p.Preferences.Categories)
	c.Preferences.Brands = cloneSlice(p.Preferences.Brands)
	c.NameKey = NameKey(p.Name)
	c.Version++
	if err := s.store.UpdateCustomer(ctx, c); err != nil {
		return Change{}, fmt.Errorf("customer: update %s: %w", id, err)
	}
	return Change{Customer: c, Events: []Event{s.event(EventProfileUpdated, c)}}, nil
}

// sameProfile compares profiles by their JSON form, so a nil and an empty
// map or list are the same profile, as a store's round trip makes them.
func sameProfile(a, b Profile) bool {
	ha, errA := idem.Hash(a)
	hb, errB := idem.Hash(b)
	return errA == nil && errB == nil && ha == hb
}

// SetPreferences replaces a customer's preferences, retrying version races
// (preferences are set whole, so the last writer wins by design).
func (s *Service) SetPreferences(ctx context.Context, id string, p Preferences) (Customer, error) {
	return customerOf(s.setPreferences(ctx, id, p))
}

func (s *Service) setPreferences(ctx context.Context, id string, p Preferences) (Change, error) {
	var fe fieldErrors
	validateProfile(&fe, Profile{Preferences: p})
	if err := fe.err(); err != nil {
		return Change{}, err
	}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		c.Preferences = Preferences{
			Categories:     cloneSlice(p.Categories),
			Brands:         cloneSlice(p.Brands),
			ContactChannel: p.ContactChannel,
			Language:       p.Language,
		}
		return nil
	})
	return s.changed(c, err, "set preferences", id, Event{Type: EventPreferencesSet})
}

// Tag adds tags to a customer. Tagging is commutative, so concurrent tag
// changes are merged rather than refused.
func (s *Service) Tag(ctx context.Context, id string, tags ...string) (Customer, error) {
	return customerOf(s.tag(ctx, id, tags))
}

func (s *Service) tag(ctx context.Context, id string, tags []string) (Change, error) {
	return s.changeTags(ctx, id, "tag", EventTagged, tags, func(have, change []string) []string {
		return append(have, change...)
	})
}

// Untag removes tags from a customer.
func (s *Service) Untag(ctx context.Context, id string, tags ...string) (Customer, error) {
	return customerOf(s.untag(ctx, id, tags))
}

func (s *Service) untag(ctx context.Context, id string, tags []string) (Change, error) {
	return s.changeTags(ctx, id, "untag", EventUntagged, tags, func(have, change []string) []string {
		return slices.DeleteFunc(have, func(t string) bool { return slices.Contains(change, t) })
	})
}

func (s *Service) changeTags(ctx context.Context, id, op string, typ EventType, tags []string, apply func(have, change []string) []string) (Change, error) {
	var fe fieldErrors
	change := normalizeTags(&fe, "tags", tags)
	if err := fe.err(); err != nil {
		return Change{}, err
	}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		var fe fieldErrors
		c.Tags = normalizeTags(&fe, "tags", apply(cloneSlice(c.Tags), change))
		return fe.err()
	})
	return s.changed(c, err, op, id, Event{Type: typ, Tags: change})
}

// AddIdentity normalises raw and gives it to the customer. It fails with
// ErrIdentityTaken if another customer holds it, and ErrErased if an erased
// customer did (unless allowErased).
func (s *Service) AddIdentity(ctx context.Context, id string, kind IdentityKind, raw string, allowErased bool) (Customer, error) {
	return customerOf(s.addIdentity(ctx, id, kind, raw, allowErased))
}

func (s *Service) addIdentity(ctx context.Context, id string, kind IdentityKind, raw string, allowErased bool) (Change, error) {
	ident, err := s.normalizeIdentity(kind, raw)
	if err != nil {
		return Change{}, err
	}
	if err := s.checkIdentitiesFree(ctx, id, []Identity{ident}, allowErased); err != nil {
		return Change{}, err
	}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		if !slices.Contains(c.Identities, ident) {
			c.Identities = append(c.Identities, ident)
		}
		return nil
	})
	return s.changed(c, err, "add identity", id, Event{Type: EventIdentityAdded, IdentityKind: kind})
}

// RemoveIdentity takes an identity from the customer, freeing it for others.
func (s *Service) RemoveIdentity(ctx context.Context, id string, kind IdentityKind, raw string) (Customer, error) {
	return customerOf(s.removeIdentity(ctx, id, kind, raw))
}

func (s *Service) removeIdentity(ctx context.Context, id string, kind IdentityKind, raw string) (Change, error) {
	ident, err := s.normalizeIdentity(kind, raw)
	if err != nil {
		return Change{}, err
	}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		c.Identities = slices.DeleteFunc(c.Identities, func(x Identity) bool { return x == ident })
		return nil
	})
	return s.changed(c, err, "remove identity", id, Event{Type: EventIdentityRemoved, IdentityKind: kind})
}

// updatable refuses changes to merged and erased customers.
func updatable(c Customer) error {
	switch {
	case c.MergedInto != "":
		return ErrMerged
	case c.Erased():
		return ErrErased
	}
	return nil
}

// changed wraps a write's error once, or completes its event with the
// customer it wrote (ID, version) and the service clock when the event
// names no time of its own.
func (s *Service) changed(c Customer, err error, op, id string, ev Event) (Change, error) {
	if err != nil {
		return Change{}, fmt.Errorf("customer: %s %s: %w", op, id, err)
	}
	ev.CustomerID, ev.Version = c.ID, c.Version
	if ev.At.IsZero() {
		ev.At = storeTime(s.opts.Clock())
	}
	return Change{Customer: c, Events: []Event{ev}}, nil
}

func customerOf(ch Change, err error) (Customer, error) { return ch.Customer, err }
