package customer

import (
	"context"
	"fmt"
	"slices"
)

// UpdateProfile replaces the profile of a customer if its version is still
// version (the one the caller read); otherwise it fails with ErrConflict, so
// two cashiers editing the same customer cannot overwrite each other.
func (s *Service) UpdateProfile(ctx context.Context, id string, version int64, p Profile) (Customer, error) {
	var fe fieldErrors
	validateProfile(&fe, p)
	if err := fe.err(); err != nil {
		return Customer{}, err
	}
	c, err := s.store.GetCustomer(ctx, id)
	if err != nil {
		return Customer{}, fmt.Errorf("customer: update %s: %w", id, err)
	}
	if err := updatable(c); err != nil {
		return Customer{}, fmt.Errorf("customer: update %s: %w", id, err)
	}
	if c.Version != version {
		return Customer{}, fmt.Errorf("customer: update %s: %w", id, ErrConflict)
	}
	c.Profile = p
	c.Attributes = cloneMap(p.Attributes)
	c.Preferences.Categories = cloneSlice(p.Preferences.Categories)
	c.Preferences.Brands = cloneSlice(p.Preferences.Brands)
	c.NameKey = NameKey(p.Name)
	c.Version++
	if err := s.store.UpdateCustomer(ctx, c); err != nil {
		return Customer{}, fmt.Errorf("customer: update %s: %w", id, err)
	}
	return c, nil
}

// SetPreferences replaces a customer's preferences, retrying version races
// (preferences are set whole, so the last writer wins by design).
func (s *Service) SetPreferences(ctx context.Context, id string, p Preferences) (Customer, error) {
	var fe fieldErrors
	validateProfile(&fe, Profile{Preferences: p})
	if err := fe.err(); err != nil {
		return Customer{}, err
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
	return wrapResult(c, err, "set preferences", id)
}

// Tag adds tags to a customer. Tagging is commutative, so concurrent tag
// changes are merged rather than refused.
func (s *Service) Tag(ctx context.Context, id string, tags ...string) (Customer, error) {
	return s.changeTags(ctx, id, "tag", tags, func(have, change []string) []string {
		return append(have, change...)
	})
}

// Untag removes tags from a customer.
func (s *Service) Untag(ctx context.Context, id string, tags ...string) (Customer, error) {
	return s.changeTags(ctx, id, "untag", tags, func(have, change []string) []string {
		return slices.DeleteFunc(have, func(t string) bool { return slices.Contains(change, t) })
	})
}

func (s *Service) changeTags(ctx context.Context, id, op string, tags []string, apply func(have, change []string) []string) (Customer, error) {
	var fe fieldErrors
	change := normalizeTags(&fe, "tags", tags)
	if err := fe.err(); err != nil {
		return Customer{}, err
	}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		var fe fieldErrors
		c.Tags = normalizeTags(&fe, "tags", apply(cloneSlice(c.Tags), change))
		return fe.err()
	})
	return wrapResult(c, err, op, id)
}

// AddIdentity normalises raw and gives it to the customer. It fails with
// ErrIdentityTaken if another customer holds it, and ErrErased if an erased
// customer did (unless allowErased).
func (s *Service) AddIdentity(ctx context.Context, id string, kind IdentityKind, raw string, allowErased bool) (Customer, error) {
	ident, err := s.normalizeIdentity(kind, raw)
	if err != nil {
		return Customer{}, err
	}
	if err := s.checkIdentitiesFree(ctx, id, []Identity{ident}, allowErased); err != nil {
		return Customer{}, err
	}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		if !slices.Contains(c.Identities, ident) {
			c.Identities = append(c.Identities, ident)
		}
		return nil
	})
	return wrapResult(c, err, "add identity", id)
}

// RemoveIdentity takes an identity from the customer, freeing it for others.
func (s *Service) RemoveIdentity(ctx context.Context, id string, kind IdentityKind, raw string) (Customer, error) {
	ident, err := s.normalizeIdentity(kind, raw)
	if err != nil {
		return Customer{}, err
	}
	c, err := s.modify(ctx, id, func(c *Customer) error {
		c.Identities = slices.DeleteFunc(c.Identities, func(x Identity) bool { return x == ident })
		return nil
	})
	return wrapResult(c, err, "remove identity", id)
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

func wrapResult(c Customer, err error, op, id string) (Customer, error) {
	if err != nil {
		return Customer{}, fmt.Errorf("customer: %s %s: %w", op, id, err)
	}
	return c, nil
}
