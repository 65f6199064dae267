package coupon

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clientele-go/clientele/internal/pmap"
	"github.com/clientele-go/clientele/loyalty/pricing"
)

// MemoryStore is the in-memory Store: the embedded default, safe for
// concurrent use. Codes sit in a map (the index) and, per definition, in
// a persistent ordered map that Codes walks without holding the lock.
type MemoryStore struct {
	mu          sync.RWMutex
	defs        map[string]Definition
	codes       map[string]Code
	byDef       map[string]pmap.Map[string, struct{}]
	uses        map[[2]string]Uses
	redemptions map[string]Redemption
	open        pmap.Map[holdKey, struct{}] // held redemptions by time, for OpenHolds
	ops         map[string]Operation
}

// holdKey orders open holds: oldest first, then by ID.
type holdKey struct {
	at time.Time
	id string
}

func compareHolds(a, b holdKey) int {
	if c := a.at.Compare(b.at); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{defs: map[string]Definition{}, codes: map[string]Code{}, byDef: map[string]pmap.Map[string, struct{}]{},
		uses: map[[2]string]Uses{}, redemptions: map[string]Redemption{}, ops: map[string]Operation{},
		open: pmap.New[holdKey, struct{}](compareHolds)}
}

var _ Store = (*MemoryStore)(nil)

// AddDefinition implements Store.
func (m *MemoryStore) AddDefinition(_ context.Context, d Definition) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.defs[d.ID]; ok {
		return fmt.Errorf("definition %s: %w", d.ID, ErrAlreadyExists)
	}
	m.defs[d.ID] = cloneDefinition(d)
	return nil
}

// GetDefinition implements Store.
func (m *MemoryStore) GetDefinition(_ context.Context, id string) (Definition, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	d, ok := m.defs[id]
	if !ok {
		return Definition{}, fmt.Errorf("definition %s: %w", id, ErrNotFound)
	}
	return cloneDefinition(d), nil
}

// AddCodes implements Store.
func (m *MemoryStore) AddCodes(_ context.Context, b Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.ops[b.Operation.Key]; ok {
		return fmt.Errorf("operation %s: %w", b.Operation.Key, ErrAlreadyExists)
	}
	seen := make(map[string]bool, len(b.Codes))
	for _, c := range b.Codes {
		if _, ok := m.codes[c.Code]; ok || seen[c.Code] {
			return fmt.Errorf("a code of the batch: %w", ErrAlreadyExists)
		}
		seen[c.Code] = true
	}
	for _, c := range b.Codes {
		c.Version = 1
		c.IssuedAt = c.IssuedAt.UTC()
		m.codes[c.Code] = c
		pm, ok := m.byDef[c.Definition]
		if !ok {
			pm = pmap.New[string, struct{}](strings.Compare)
		}
		m.byDef[c.Definition] = pm.Set(c.Code, struct{}{})
	}
	m.ops[b.Operation.Key] = cloneOp(b.Operation)
	return nil
}

// GetCode implements Store.
func (m *MemoryStore) GetCode(_ context.Context, code string) (Code, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.codes[code]
	if !ok {
		return Code{}, fmt.Errorf("code %s: %w", Mask(code), ErrNotFound)
	}
	return c, nil
}

// Codes implements Store.
func (m *MemoryStore) Codes(ctx context.Context, definition string) iter.Seq2[Code, error] {
	return func(yield func(Code, error) bool) {
		m.mu.RLock()
		snapshot := m.byDef[definition]
		m.mu.RUnlock()
		for code := range snapshot.All() {
			if err := ctx.Err(); err != nil {
				yield(Code{}, err)
				return
			}
			m.mu.RLock()
			c := m.codes[code]
			m.mu.RUnlock()
			if !yield(c, nil) {
				return
			}
		}
		if err := ctx.Err(); err != nil {
			yield(Code{}, err)
		}
	}
}

// GetUses implements Store.
func (m *MemoryStore) GetUses(_ context.Context, code, customer string) (Uses, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	u, ok := m.uses[[2]string{code, customer}]
	if !ok {
		return Uses{}, fmt.Errorf("uses of %s: %w", Mask(code), ErrNotFound)
	}
	return u, nil
}

// GetRedemption implements Store.
func (m *MemoryStore) GetRedemption(_ context.Context, id string) (Redemption, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.redemptions[id]
	if !ok {
		return Redemption{}, fmt.Errorf("redemption %s: %w", id, ErrNotFound)
	}
	return r, nil
}

// GetOperation implements Store.
func (m *MemoryStore) GetOperation(_ context.Context, key string) (Operation, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	op, ok := m.ops[key]
	if !ok {
		return Operation{}, fmt.Errorf("operation %s: %w", key, ErrNotFound)
	}
	return cloneOp(op), nil
}

// Save implements Store.
func (m *MemoryStore) Save(_ context.Context, w Write) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := w.Code; c != nil {
		if old, ok := m.codes[c.Code]; !ok || old.Version != c.Version-1 {
			return fmt.Errorf("code %s: %w", Mask(c.Code), ErrConflict)
		}
	}
	if u := w.Uses; u != nil && m.uses[[2]string{u.Code, u.Customer}].Version != u.Version-1 {
		return fmt.Errorf("uses of %s: %w", Mask(u.Code), ErrConflict)
	}
	if r := w.Redemption; r != nil && m.redemptions[r.ID].Version != r.Version-1 {
		return fmt.Errorf("redemption %s: %w", r.ID, ErrConflict)
	}
	if _, ok := m.ops[w.Operation.Key]; ok {
		return fmt.Errorf("operation %s: %w", w.Operation.Key, ErrAlreadyExists)
	}
	if c := w.Code; c != nil {
		v := *c
		v.IssuedAt = v.IssuedAt.UTC()
		m.codes[c.Code] = v
	}
	if u := w.Uses; u != nil {
		m.uses[[2]string{u.Code, u.Customer}] = *u
	}
	if r := w.Redemption; r != nil {
		v := *r
		v.HeldAt, v.ClosedAt = v.HeldAt.UTC(), v.ClosedAt.UTC()
		if old, ok := m.redemptions[r.ID]; ok && old.State == StateHeld {
			m.open = m.open.Delete(holdKey{old.HeldAt, old.ID})
		}
		if v.State == StateHeld {
			m.open = m.open.Set(holdKey{v.HeldAt, v.ID}, struct{}{})
		}
		m.redemptions[r.ID] = v
	}
	m.ops[w.Operation.Key] = cloneOp(w.Operation)
	return nil
}

func cloneOp(op Operation) Operation {
	op.Result = slices.Clone(op.Result)
	return op
}

// cloneDefinition copies the slices an offer holds.
func cloneDefinition(d Definition) Definition {
	o := &d.Offer
	o.Scope = pricing.Scope{SKUs: slices.Clone(o.Scope.SKUs), Categories: slices.Clone(o.Scope.Categories),
		Brands: slices.Clone(o.Scope.Brands), ExcludeSKUs: slices.Clone(o.Scope.ExcludeSKUs), ExcludeTags: slices.Clone(o.Scope.ExcludeTags)}
	o.When.Channels, o.When.Stores = slices.Clone(o.When.Channels), slices.Clone(o.When.Stores)
	o.When.Tiers, o.When.DaysOfMonth = slices.Clone(o.When.Tiers), slices.Clone(o.When.DaysOfMonth)
	return d
}

// OpenHolds implements Store.
func (m *MemoryStore) OpenHolds(ctx context.Context, before time.Time) iter.Seq2[Redemption, error] {
	return func(yield func(Redemption, error) bool) {
		m.mu.RLock()
		snapshot := m.open
		m.mu.RUnlock()
		for k := range snapshot.All() {
			if !k.at.Before(before) {
				break
			}
			if err := ctx.Err(); err != nil {
				yield(Redemption{}, err)
				return
			}
			m.mu.RLock()
			r := m.redemptions[k.id]
			m.mu.RUnlock()
			if !yield(r, nil) {
				return
			}
		}
		if err := ctx.Err(); err != nil {
			yield(Redemption{}, err)
		}
	}
}
