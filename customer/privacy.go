package customer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Export is everything the library holds about one person: the customer
// record, the records merged into it, purchases, returns, interactions and
// the sections other packages add through Options.Exporters.
type Export struct {
	ExportedAt   time.Time                  `json:"exportedAt"`
	Customer     Customer                   `json:"customer"`
	MergedFrom   []Customer                 `json:"mergedFrom,omitempty"`
	Purchases    []Purchase                 `json:"purchases"`
	Returns      []Return                   `json:"returns"`
	Interactions []Interaction              `json:"interactions"`
	Sections     map[string]json.RawMessage `json:"sections,omitempty"`
}

// Export gathers everything held about a customer (merges resolved), for a
// data-subject access request. Marshal the result with encoding/json.
func (s *Service) Export(ctx context.Context, id string) (Export, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return Export{}, err
	}
	ex := Export{ExportedAt: storeTime(s.opts.Clock()), Customer: c,
		Purchases: []Purchase{}, Returns: []Return{}, Interactions: []Interaction{}}
	for _, m := range c.MergedFrom {
		d, err := s.store.GetCustomer(ctx, m)
		if err != nil {
			return Export{}, fmt.Errorf("customer: export %s: %w", id, err)
		}
		ex.MergedFrom = append(ex.MergedFrom, d)
	}
	if err := collect(&ex.Purchases, s.store.PurchasesOf(ctx, c.ID)); err != nil {
		return Export{}, fmt.Errorf("customer: export %s: %w", id, err)
	}
	if err := collect(&ex.Returns, s.store.ReturnsOf(ctx, c.ID)); err != nil {
		return Export{}, fmt.Errorf("customer: export %s: %w", id, err)
	}
	if err := collect(&ex.Interactions, s.store.InteractionsOf(ctx, c.ID)); err != nil {
		return Export{}, fmt.Errorf("customer: export %s: %w", id, err)
	}
	names := make([]string, 0, len(s.opts.Exporters))
	for name := range s.opts.Exporters {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v, err := s.opts.Exporters[name](ctx, c.ID)
		if err != nil {
			return Export{}, fmt.Errorf("customer: export %s: section %s: %w", id, name, err)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return Export{}, fmt.Errorf("customer: export %s: section %s: %w", id, name, err)
		}
		if ex.Sections == nil {
			ex.Sections = map[string]json.RawMessage{}
		}
		ex.Sections[name] = raw
	}
	return ex, nil
}

func collect[T any](dst *[]T, seq func(func(T, error) bool)) error {
	for v, err := range seq {
		if err != nil {
			return err
		}
		*dst = append(*dst, v)
	}
	return nil
}

// EraseRequest records who asked for an erasure.
type EraseRequest struct {
	Actor string
	At    time.Time // defaults to the service clock
}

// Erase removes a customer's personal data irreversibly: the profile,
// identities, tags, consents and the free text of interactions, in the
// customer record, every record on its merge chain and every record merged
// into those, however deep. Purchases and returns stay, linked to the now
// pseudonymous customer ID, so metrics keep their history. The record
// keeps keyed hashes of its identities (tombstones), so a re-import with
// the same phone or email is refused with ErrErased unless the caller sets
// Registration.AllowErased. Erase is idempotent; OnErase hooks run for
// every record. A merge into an erased customer that was under way when
// the erasure ran erases its duplicate when it completes.
func (s *Service) Erase(ctx context.Context, id string, r EraseRequest) error {
	_, err := s.erase(ctx, id, r)
	return err
}

func (s *Service) erase(ctx context.Context, id string, r EraseRequest) ([]Event, error) {
	var fe fieldErrors
	checkTime(&fe, "at", r.At, false)
	if err := fe.err(); err != nil {
		return nil, err
	}
	at := r.At
	if at.IsZero() {
		at = s.opts.Clock()
	}
	// A merge of the customer may commit after its chain was read and
	// before it was erased: the chain then ends further on, at a customer
	// this pass did not erase. Passes repeat until one starts from an end
	// already erased; an erased customer is never merged into another, so
	// it ends there.
	var events []Event
	for pass := 0; pass <= maxMergeDepth; pass++ {
		path, err := s.chainEnd(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("customer: erase %s: %w", id, err)
		}
		if pass > 0 && path[len(path)-1].Erased() {
			return events, nil
		}
		if events, err = s.eraseFrom(ctx, path, storeTime(at)); err != nil {
			return nil, fmt.Errorf("customer: erase %s: %w", id, err)
		}
	}
	return nil, fmt.Errorf("customer: erase %s: %w: merges kept moving it", id, ErrConflict)
}

// eraseFrom erases the end of a merge chain, the chain up to it, and the
// tree merged into them, breadth first, each record once, and returns an
// EventErased per record (erased now or before) with its erasure time.
func (s *Service) eraseFrom(ctx context.Context, path []Customer, at time.Time) ([]Event, error) {
	var events []Event
	queue := []string{path[len(path)-1].ID}
	for _, c := range path[:len(path)-1] {
		queue = append(queue, c.ID)
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		target := queue[0]
		queue = queue[1:]
		if seen[target] {
			continue
		}
		seen[target] = true
		if err := s.eraseOne(ctx, target, at); err != nil {
			return nil, err
		}
		c, err := s.store.GetCustomer(ctx, target)
		if err != nil {
			return nil, err
		}
		events = append(events, Event{Type: EventErased, CustomerID: c.ID, At: c.ErasedAt})
		queue = append(queue, c.MergedFrom...)
	}
	return events, nil
}

func (s *Service) eraseOne(ctx context.Context, id string, at time.Time) error {
	for attempt := 0; ; attempt++ {
		c, err := s.store.GetCustomer(ctx, id)
		if err != nil {
			return err
		}
		if c.Erased() {
			break
		}
		c = s.erased(c, at)
		// A record erased with the one merged into it, between the merge
		// giving the survivor the identities and forgetting them on the
		// duplicate, would leave the same tombstone twice: one blocks a
		// re-import as well as two, and the index keeps one per key.
		if c.Identities, err = s.unclaimed(ctx, c.ID, c.Identities); err != nil {
			return err
		}
		err = s.store.UpdateCustomer(ctx, c)
		if err == nil {
			break
		}
		if !(errors.Is(err, ErrConflict) || errors.Is(err, ErrIdentityTaken)) || attempt >= s.opts.MaxRetries {
			return err
		}
	}
	if err := s.store.RedactInteractions(ctx, id); err != nil {
		return err
	}
	for _, hook := range s.opts.OnErase {
		if err := hook(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// erased returns the record an erasure leaves: the ID, version, membership
// dates, registration store, merge links and merge bookkeeping, and a
// tombstone per identity (parked ones included).
func (s *Service) erased(c Customer, at time.Time) Customer {
	var tombs []Identity
	for _, id := range append(c.Identities, c.MovedIdentities...) {
		if id.Kind == IdentityTombstone {
			tombs = append(tombs, id)
			continue
		}
		for _, t := range s.tombstones(id) {
			if !slices.Contains(tombs, t) {
				tombs = append(tombs, t)
			}
		}
	}
	return Customer{
		ID:                c.ID,
		Version:           c.Version + 1,
		Identities:        tombs,
		RegisteredStore:   c.RegisteredStore,
		RegisteredChannel: c.RegisteredChannel,
		JoinedAt:          c.JoinedAt,
		MergedInto:        c.MergedInto,
		CommittedMerge:    c.CommittedMerge,
		AbandonedMerge:    c.AbandonedMerge,
		MergedFrom:        c.MergedFrom,
		ErasedAt:          at,
	}
}
