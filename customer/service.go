package customer

import (
	"context"
	"errors"
	"fmt"
)

// Service is the customer domain over a Store: registration with duplicate
// checks, profiles, consent, purchase and return history, interactions,
// merge, export and erasure. It is safe for concurrent use if its Store is.
type Service struct {
	store Store
	opts  Options
}

// NewService returns a Service over store. A nil opts means defaults.
func NewService(store Store, opts *Options) *Service {
	return &Service{store: store, opts: opts.withDefaults()}
}

// Store returns the store the service writes to.
func (s *Service) Store() Store { return s.store }

// maxMergeDepth bounds how many merge redirects Get follows.
const maxMergeDepth = 16

// Get returns the customer with the ID. A customer merged into another
// resolves to the survivor.
func (s *Service) Get(ctx context.Context, id string) (Customer, error) {
	c, err := s.store.GetCustomer(ctx, id)
	for depth := 0; err == nil && c.MergedInto != ""; depth++ {
		if depth == maxMergeDepth {
			return Customer{}, fmt.Errorf("customer: merge chain of %s too long", id)
		}
		c, err = s.store.GetCustomer(ctx, c.MergedInto)
	}
	if err != nil {
		return Customer{}, fmt.Errorf("customer: get %s: %w", id, err)
	}
	return c, nil
}

// FindByIdentity normalises raw as an identity of kind and returns the
// customer holding it.
func (s *Service) FindByIdentity(ctx context.Context, kind IdentityKind, raw string) (Customer, error) {
	id, err := s.normalizeIdentity(kind, raw)
	if err != nil {
		return Customer{}, err
	}
	c, err := s.store.CustomerByIdentity(ctx, id)
	if err != nil {
		return Customer{}, fmt.Errorf("customer: find by %s: %w", kind, err)
	}
	return s.Get(ctx, c.ID)
}

// errUnchanged, returned by a modify change, means the change is already
// in the record (a replay): modify returns the record as read and writes
// nothing.
var errUnchanged = errors.New("customer: unchanged")

// modify reads a customer, applies change and writes it back with the
// version it read, retrying lost races. Merged and erased customers are
// refused. change must be deterministic in its
// input: it may run several times.
func (s *Service) modify(ctx context.Context, id string, change func(*Customer) error) (Customer, error) {
	for attempt := 0; ; attempt++ {
		c, err := s.store.GetCustomer(ctx, id)
		if err != nil {
			return Customer{}, err
		}
		if err := updatable(c); err != nil {
			return Customer{}, err
		}
		read := c.Clone()
		if err := change(&c); errors.Is(err, errUnchanged) {
			return read, nil
		} else if err != nil {
			return Customer{}, err
		}
		c.Version++
		err = s.store.UpdateCustomer(ctx, c)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrConflict) || attempt >= s.opts.MaxRetries {
			return Customer{}, err
		}
	}
}
