package customer

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
)

// NewMemoryStore returns a Store that keeps everything in memory. It is the
// embedded default, not a mock: it is safe for concurrent use, keeps times
// at full precision, returns copies, and passes customertest.Run.
//
// Its iterators stream: they copy a small chunk of records under a read
// lock, release the lock, and yield the chunk, so memory stays flat however
// large the range, and the loop body may itself call the store. Records
// written while an iteration runs appear in it if their position in the
// order is still ahead of the iterator.
//
// Customer and interaction IDs, purchase and return IDs, and the customers
// named by Reassign must not be empty; the store reports an empty one as a
// *FieldError (matching ErrInvalid). Anonymous purchases (no CustomerID)
// are kept but belong to no customer, so PurchasesOf("") yields nothing.
func NewMemoryStore() Store {
	return &memoryStore{
		customers:         map[string]*Customer{},
		identities:        map[string]string{},
		names:             map[string]*orderedIndex[*Customer]{},
		merges:            map[string][]MergeRecord{},
		purchases:         map[string]*PurchaseRecord{},
		purchasesOf:       map[string]*orderedIndex[*PurchaseRecord]{},
		returns:           map[string]*ReturnRecord{},
		returnsOf:         map[string]*orderedIndex[*ReturnRecord]{},
		returnsOfPurchase: map[string]*orderedIndex[*ReturnRecord]{},
		interactions:      map[string]*Interaction{},
		interactionsOf:    map[string]*orderedIndex[*Interaction]{},
	}
}

// memoryStore guards every map and index with one lock. Records are
// replaced or have scalar fields set, never edited inside a slice or map
// they hold, so a shallow copy taken under the lock can be deep-copied
// (Clone) after the lock is released.
type memoryStore struct {
	mu sync.RWMutex

	customers   map[string]*Customer
	customerIDs orderedIndex[*Customer]             // by ID
	identities  map[string]string                   // Identity.Key() -> customer ID
	names       map[string]*orderedIndex[*Customer] // NameKey -> customers by ID
	merges      map[string][]MergeRecord            // by duplicate, oldest attempt first

	purchases       map[string]*PurchaseRecord
	purchasesByTime orderedIndex[*PurchaseRecord]             // by (Time, ID)
	purchasesOf     map[string]*orderedIndex[*PurchaseRecord] // customer -> by (Time, ID)

	returns           map[string]*ReturnRecord
	returnsByTime     orderedIndex[*ReturnRecord]
	returnsOf         map[string]*orderedIndex[*ReturnRecord] // customer -> by (Time, ID)
	returnsOfPurchase map[string]*orderedIndex[*ReturnRecord] // purchase -> by (Time, ID)

	interactions   map[string]*Interaction
	interactionsOf map[string]*orderedIndex[*Interaction] // customer -> by (Time, ID)
}

func memNotFound(what, id string) error { return fmt.Errorf("%w: %s %s", ErrNotFound, what, id) }

func memAlreadyExists(what, id string) error {
	return fmt.Errorf("%w: %s %s", ErrAlreadyExists, what, id)
}

func memConflict(what, id string, stored, named int64) error {
	return fmt.Errorf("%w: %s %s is at version %d, the write named %d", ErrConflict, what, id, stored, named)
}

func memRequireID(field, id string) error {
	if id == "" {
		return &FieldError{Field: field, Problem: "must not be empty"}
	}
	return nil
}

// memIndexFor returns the index under key in m, creating it when asked.
func memIndexFor[V any](m map[string]*orderedIndex[V], key string, create bool) *orderedIndex[V] {
	ix := m[key]
	if ix == nil && create {
		ix = &orderedIndex[V]{}
		m[key] = ix
	}
	return ix
}

// memRemoveFrom deletes k from the index under key in m and drops the index
// once it is empty, so reassigned and renamed customers leave nothing behind.
func memRemoveFrom[V any](m map[string]*orderedIndex[V], key string, k orderKey) {
	if ix := m[key]; ix != nil {
		ix.remove(k)
		if ix.len() == 0 {
			delete(m, key)
		}
	}
}

// --- customers ---

func (s *memoryStore) CreateCustomer(ctx context.Context, c Customer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := memRequireID("id", c.ID); err != nil {
		return err
	}
	c = c.Clone()
	c.Version = 1
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.customers[c.ID]; ok {
		return memAlreadyExists("customer", c.ID)
	}
	if err := s.checkIdentities(c.ID, c.Identities); err != nil {
		return err
	}
	rec := &c
	s.customers[c.ID] = rec
	s.customerIDs.insert(orderKeyOf(c.ID), rec)
	memIndexFor(s.names, c.NameKey, true).insert(orderKeyOf(c.ID), rec)
	for _, id := range c.Identities {
		s.identities[id.Key()] = c.ID
	}
	return nil
}

// checkIdentities fails if a customer other than owner holds one of ids.
// The error names the kind only: the value is personal data.
func (s *memoryStore) checkIdentities(owner string, ids []Identity) error {
	for _, id := range ids {
		if holder, ok := s.identities[id.Key()]; ok && holder != owner {
			return fmt.Errorf("%w: a %s identity", ErrIdentityTaken, id.Kind)
		}
	}
	return nil
}

func (s *memoryStore) GetCustomer(ctx context.Context, id string) (Customer, error) {
	if err := ctx.Err(); err != nil {
		return Customer{}, err
	}
	s.mu.RLock()
	rec, ok := s.customers[id]
	var c Customer
	if ok {
		c = *rec
	}
	s.mu.RUnlock()
	if !ok {
		return Customer{}, memNotFound("customer", id)
	}
	return c.Clone(), nil
}

func (s *memoryStore) UpdateCustomer(ctx context.Context, c Customer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c = c.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.customers[c.ID]
	if !ok {
		return memNotFound("customer", c.ID)
	}
	if rec.Version != c.Version-1 {
		return memConflict("customer", c.ID, rec.Version, c.Version-1)
	}
	if err := s.checkIdentities(c.ID, c.Identities); err != nil {
		return err
	}
	// Release every identity the old record held, then claim the new set:
	// the checks above guarantee nobody else holds any of them.
	for _, id := range rec.Identities {
		if s.identities[id.Key()] == c.ID {
			delete(s.identities, id.Key())
		}
	}
	for _, id := range c.Identities {
		s.identities[id.Key()] = c.ID
	}
	if rec.NameKey != c.NameKey {
		memRemoveFrom(s.names, rec.NameKey, orderKeyOf(c.ID))
		memIndexFor(s.names, c.NameKey, true).insert(orderKeyOf(c.ID), rec)
	}
	*rec = c // the indexes point at rec, so they see the new record
	return nil
}

func (s *memoryStore) CustomerByIdentity(ctx context.Context, id Identity) (Customer, error) {
	if err := ctx.Err(); err != nil {
		return Customer{}, err
	}
	s.mu.RLock()
	var c Customer
	holder, ok := s.identities[id.Key()]
	if ok {
		c = *s.customers[holder]
	}
	s.mu.RUnlock()
	if !ok {
		// The error names the kind only: the value is personal data.
		return Customer{}, fmt.Errorf("%w: customer with that %s identity", ErrNotFound, id.Kind)
	}
	return c.Clone(), nil
}

func (s *memoryStore) CustomersByNameKey(ctx context.Context, key string) iter.Seq2[Customer, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*Customer] { return s.names[key] },
		memKeyRange{}, false, memCustomer, Customer.Clone)
}

func (s *memoryStore) Customers(ctx context.Context) iter.Seq2[Customer, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*Customer] { return &s.customerIDs },
		memKeyRange{}, false, memCustomer, Customer.Clone)
}

func memCustomer(c *Customer) Customer { return *c }

func (s *memoryStore) AddMerge(ctx context.Context, m MergeRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := memRequireID("duplicate", m.Duplicate); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	attempts := s.merges[m.Duplicate]
	next := 1
	if n := len(attempts); n > 0 {
		latest := attempts[n-1]
		if !latest.Abandoned() || m.Attempt <= latest.Attempt {
			return memAlreadyExists("merge of customer", m.Duplicate)
		}
		next = latest.Attempt + 1
	}
	if m.Attempt != next {
		return fmt.Errorf("%w: the next merge attempt of customer %s is %d, the write named %d",
			ErrConflict, m.Duplicate, next, m.Attempt)
	}
	// A new slice, so that MergeAttempts copies taken earlier stay as they were.
	s.merges[m.Duplicate] = append(slices.Clip(attempts), m)
	return nil
}

func (s *memoryStore) GetMerge(ctx context.Context, duplicate string) (MergeRecord, error) {
	if err := ctx.Err(); err != nil {
		return MergeRecord{}, err
	}
	s.mu.RLock()
	attempts := s.merges[duplicate]
	var m MergeRecord
	if len(attempts) > 0 {
		m = attempts[len(attempts)-1]
	}
	s.mu.RUnlock()
	if len(attempts) == 0 {
		return MergeRecord{}, memNotFound("merge of customer", duplicate)
	}
	return m, nil
}

func (s *memoryStore) AbandonMerge(ctx context.Context, duplicate string, attempt int, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	attempts := s.merges[duplicate]
	i := slices.IndexFunc(attempts, func(m MergeRecord) bool { return m.Attempt == attempt })
	if i < 0 {
		return fmt.Errorf("%w: merge of customer %s, attempt %d", ErrNotFound, duplicate, attempt)
	}
	if attempts[i].Abandoned() {
		return nil // the first abandonment stays
	}
	// Replace the slice rather than edit it: readers may hold a copy of it.
	attempts = slices.Clone(attempts)
	attempts[i].AbandonedAt = at
	s.merges[duplicate] = attempts
	return nil
}

func (s *memoryStore) MergeAttempts(ctx context.Context, duplicate string) ([]MergeRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.merges[duplicate]), nil
}

// --- purchases and returns ---

func (s *memoryStore) AddPurchase(ctx context.Context, r PurchaseRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := memRequireID("purchase.id", r.Purchase.ID); err != nil {
		return err
	}
	r.Purchase = r.Purchase.Clone()
	r.Version = 1
	p := &r.Purchase
	k := orderKeyAt(p.Time, p.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.purchases[p.ID]; ok {
		return memAlreadyExists("purchase", p.ID)
	}
	rec := &r
	s.purchases[p.ID] = rec
	s.purchasesByTime.insert(k, rec)
	if p.CustomerID != "" {
		memIndexFor(s.purchasesOf, p.CustomerID, true).insert(k, rec)
	}
	return nil
}

// GetPurchaseHolder implements PurchaseHolderStore: both records under
// one read lock.
func (s *memoryStore) GetPurchaseHolder(ctx context.Context, id string) (PurchaseRecord, Customer, bool, error) {
	if err := ctx.Err(); err != nil {
		return PurchaseRecord{}, Customer{}, false, err
	}
	s.mu.RLock()
	rec, ok := s.purchases[id]
	var r PurchaseRecord
	var c Customer
	found := false
	if ok {
		r = *rec
		if held, in := s.customers[r.Purchase.CustomerID]; in && r.Purchase.CustomerID != "" {
			c, found = *held, true
		}
	}
	s.mu.RUnlock()
	if !ok {
		return PurchaseRecord{}, Customer{}, false, memNotFound("purchase", id)
	}
	r.Purchase = r.Purchase.Clone()
	if found {
		c = c.Clone()
	}
	return r, c, found, nil
}

func (s *memoryStore) GetPurchase(ctx context.Context, id string) (PurchaseRecord, error) {
	if err := ctx.Err(); err != nil {
		return PurchaseRecord{}, err
	}
	s.mu.RLock()
	rec, ok := s.purchases[id]
	var r PurchaseRecord
	if ok {
		r = *rec
	}
	s.mu.RUnlock()
	if !ok {
		return PurchaseRecord{}, memNotFound("purchase", id)
	}
	r.Purchase = r.Purchase.Clone()
	return r, nil
}

func (s *memoryStore) AddReturn(ctx context.Context, r ReturnRecord, purchaseVersion int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := memRequireID("return.id", r.Return.ID); err != nil {
		return err
	}
	r.Return = r.Return.Clone()
	ret := &r.Return
	k := orderKeyAt(ret.Time, ret.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	// A reused ID is reported first, so a replay is told apart from a race.
	if _, ok := s.returns[ret.ID]; ok {
		return memAlreadyExists("return", ret.ID)
	}
	p, ok := s.purchases[ret.PurchaseID]
	if !ok {
		return memNotFound("purchase", ret.PurchaseID)
	}
	if p.Version != purchaseVersion {
		return memConflict("purchase", ret.PurchaseID, p.Version, purchaseVersion)
	}
	rec := &r
	s.returns[ret.ID] = rec
	s.returnsByTime.insert(k, rec)
	memIndexFor(s.returnsOfPurchase, ret.PurchaseID, true).insert(k, rec)
	if ret.CustomerID != "" {
		memIndexFor(s.returnsOf, ret.CustomerID, true).insert(k, rec)
	}
	p.Version++
	return nil
}

func (s *memoryStore) GetReturn(ctx context.Context, id string) (ReturnRecord, error) {
	if err := ctx.Err(); err != nil {
		return ReturnRecord{}, err
	}
	s.mu.RLock()
	rec, ok := s.returns[id]
	var r ReturnRecord
	if ok {
		r = *rec
	}
	s.mu.RUnlock()
	if !ok {
		return ReturnRecord{}, memNotFound("return", id)
	}
	r.Return = r.Return.Clone()
	return r, nil
}

func (s *memoryStore) ReturnsOfPurchase(ctx context.Context, purchaseID string) iter.Seq2[Return, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*ReturnRecord] { return s.returnsOfPurchase[purchaseID] },
		memKeyRange{}, false, memReturn, Return.Clone)
}

func (s *memoryStore) PurchasesOf(ctx context.Context, customerID string) iter.Seq2[Purchase, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*PurchaseRecord] { return s.purchasesOf[customerID] },
		memKeyRange{}, true, memPurchase, Purchase.Clone)
}

func (s *memoryStore) ReturnsOf(ctx context.Context, customerID string) iter.Seq2[Return, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*ReturnRecord] { return s.returnsOf[customerID] },
		memKeyRange{}, true, memReturn, Return.Clone)
}

func (s *memoryStore) PurchasesBetween(ctx context.Context, from, to time.Time) iter.Seq2[Purchase, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*PurchaseRecord] { return &s.purchasesByTime },
		memTimeRange(from, to), false, memPurchase, Purchase.Clone)
}

func (s *memoryStore) ReturnsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Return, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*ReturnRecord] { return &s.returnsByTime },
		memTimeRange(from, to), false, memReturn, Return.Clone)
}

func memPurchase(r *PurchaseRecord) Purchase { return r.Purchase }
func memReturn(r *ReturnRecord) Return       { return r.Return }

func (s *memoryStore) Reassign(ctx context.Context, from, to string) error {
	if err := memCheckReassign(ctx, from, to); err != nil || from == to {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	memMoveAll(s.purchasesOf, from, to, func(r *PurchaseRecord) { r.Purchase.CustomerID = to })
	memMoveAll(s.returnsOf, from, to, func(r *ReturnRecord) { r.Return.CustomerID = to })
	return nil
}

func memCheckReassign(ctx context.Context, from, to string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// An empty ID would move every anonymous record, or make records
	// anonymous: never what a merge means.
	if err := memRequireID("from", from); err != nil {
		return err
	}
	return memRequireID("to", to)
}

// memMoveAll moves every record indexed under from to to, relabelling each.
// Calling it again finds nothing under from, which makes it idempotent.
func memMoveAll[V any](m map[string]*orderedIndex[V], from, to string, relabel func(V)) {
	src := m[from]
	if src == nil {
		return
	}
	dst := memIndexFor(m, to, true)
	for p := src.first(); src.valid(p); p = src.next(p) {
		e := src.at(p)
		relabel(e.val)
		dst.insert(e.key, e.val)
	}
	delete(m, from)
}

// --- interactions ---

func (s *memoryStore) AddInteraction(ctx context.Context, in Interaction) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := memRequireID("id", in.ID); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.interactions[in.ID]; ok {
		return memAlreadyExists("interaction", in.ID)
	}
	rec := &in
	s.interactions[in.ID] = rec
	if in.CustomerID != "" {
		memIndexFor(s.interactionsOf, in.CustomerID, true).insert(orderKeyAt(in.Time, in.ID), rec)
	}
	return nil
}

func (s *memoryStore) GetInteraction(ctx context.Context, id string) (Interaction, error) {
	if err := ctx.Err(); err != nil {
		return Interaction{}, err
	}
	s.mu.RLock()
	rec, ok := s.interactions[id]
	var in Interaction
	if ok {
		in = *rec
	}
	s.mu.RUnlock()
	if !ok {
		return Interaction{}, memNotFound("interaction", id)
	}
	return in, nil
}

func (s *memoryStore) InteractionsOf(ctx context.Context, customerID string) iter.Seq2[Interaction, error] {
	return memScan(ctx, &s.mu, func() *orderedIndex[*Interaction] { return s.interactionsOf[customerID] },
		memKeyRange{}, true, memInteraction, memSame[Interaction])
}

func memInteraction(in *Interaction) Interaction { return *in }

// memSame is the deep copy of a value without references.
func memSame[T any](v T) T { return v }

func (s *memoryStore) ReassignInteractions(ctx context.Context, from, to string) error {
	if err := memCheckReassign(ctx, from, to); err != nil || from == to {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	memMoveAll(s.interactionsOf, from, to, func(in *Interaction) { in.CustomerID = to })
	return nil
}

func (s *memoryStore) RedactInteractions(ctx context.Context, customerID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ix := s.interactionsOf[customerID]
	if ix == nil {
		return nil
	}
	for p := ix.first(); ix.valid(p); p = ix.next(p) {
		in := ix.at(p).val
		in.Summary, in.Outcome = "", ""
	}
	return nil
}

// --- streaming ---

// memChunkSize is how many records an iterator copies per read lock: large
// enough that locking costs little per record, small enough that writers
// wait briefly and the buffer stays small.
const memChunkSize = 128

// memKeyRange bounds an ascending memScan: lo inclusive, hi exclusive, each only
// when its has flag is set.
type memKeyRange struct {
	lo, hi       orderKey
	hasLo, hasHi bool
}

// memTimeRange is [from, to) on (Time, ID) keys: the empty ID sorts before
// every other, so (from, "") is the first key at from and (to, "") the
// first key not before to.
func memTimeRange(from, to time.Time) memKeyRange {
	return memKeyRange{lo: orderKeyAt(from, ""), hi: orderKeyAt(to, ""), hasLo: true, hasHi: true}
}

// memScan streams the index that lookup returns (nil: nothing to yield),
// ascending within r or descending over everything. Each round takes the
// read lock, looks the index up afresh, re-finds its place by the last key
// it took (so concurrent inserts and removals are safe), copies up to
// memChunkSize records with snap, and releases the lock before yielding the
// deep copies that clone makes. ctx is checked before every record and
// once more at the end, so a cancelled caller always hears about it.
func memScan[V, T any](ctx context.Context, mu *sync.RWMutex, lookup func() *orderedIndex[V], r memKeyRange, desc bool,
	snap func(V) T, clone func(T) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		buf := make([]T, 0, memChunkSize)
		var last orderKey
		started, done := false, false
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if done {
				return
			}
			buf = buf[:0]
			mu.RLock()
			if ix := lookup(); ix == nil {
				done = true
			} else if desc {
				buf, last, done = memChunkDesc(ix, buf, last, started, snap)
			} else {
				buf, last, done = memChunkAsc(ix, buf, last, started, r, snap)
			}
			mu.RUnlock()
			started = true
			for i := range buf {
				if i > 0 {
					if err := ctx.Err(); err != nil {
						yield(zero, err)
						return
					}
				}
				if !yield(clone(buf[i]), nil) {
					return
				}
				buf[i] = zero // drop the reference now rather than next round
			}
		}
	}
}

// memChunkAsc appends to buf up to memChunkSize snapshots of the entries after
// last (from the start of r when !started) and before r's end. It returns
// the last key taken and whether nothing is left.
func memChunkAsc[V, T any](ix *orderedIndex[V], buf []T, last orderKey, started bool, r memKeyRange, snap func(V) T) ([]T, orderKey, bool) {
	var p indexPos
	switch {
	case started:
		p = ix.search(last, true)
	case r.hasLo:
		p = ix.search(r.lo, false)
	default:
		p = ix.first()
	}
	for ; ix.valid(p); p = ix.next(p) {
		e := ix.at(p)
		if r.hasHi && e.key.compare(r.hi) >= 0 {
			return buf, last, true
		}
		if len(buf) == memChunkSize {
			return buf, last, false
		}
		buf = append(buf, snap(e.val))
		last = e.key
	}
	return buf, last, true
}

// memChunkDesc is memChunkAsc backwards over the whole index: the entries before
// last, or from the end when !started.
func memChunkDesc[V, T any](ix *orderedIndex[V], buf []T, last orderKey, started bool, snap func(V) T) ([]T, orderKey, bool) {
	p := ix.end()
	if started {
		p = ix.search(last, false)
	}
	for p = ix.prev(p); p.block >= 0; p = ix.prev(p) {
		if len(buf) == memChunkSize {
			return buf, last, false
		}
		e := ix.at(p)
		buf = append(buf, snap(e.val))
		last = e.key
	}
	return buf, last, true
}

// --- ordered index ---

// orderKey orders records by time, then ID. Keys of records without a time
// (customers by ID) leave the time zero. The time is kept as Unix seconds
// and nanoseconds, which covers every time.Time and compares fast.
type orderKey struct {
	sec  int64
	nsec int32
	id   string
}

func orderKeyAt(t time.Time, id string) orderKey {
	return orderKey{sec: t.Unix(), nsec: int32(t.Nanosecond()), id: id}
}

func orderKeyOf(id string) orderKey { return orderKey{id: id} }

func (a orderKey) compare(b orderKey) int {
	switch {
	case a.sec != b.sec:
		if a.sec < b.sec {
			return -1
		}
		return 1
	case a.nsec != b.nsec:
		if a.nsec < b.nsec {
			return -1
		}
		return 1
	}
	return strings.Compare(a.id, b.id)
}

type indexEntry[V any] struct {
	key orderKey
	val V
}

// indexBlockSize is the most entries a block holds. Inserting shifts at most one
// block, and splitting shifts only the list of blocks, so an insert costs
// O(log n + indexBlockSize + n/indexBlockSize) wherever it lands, where one sorted
// slice would shift O(n) entries.
const indexBlockSize = 512

// orderedIndex is a sorted list of unique keys kept as a list of sorted
// blocks (each non-empty, every key of a block below every key of the
// next). Small indexes (one customer's purchases) are one small block that
// grows by append; large ones (all purchases by time) are many full blocks.
// The zero value is an empty index.
type orderedIndex[V any] struct {
	blocks [][]indexEntry[V]
	n      int
}

// indexPos names an entry: blocks[block][offset]. The position after the
// last entry is {len(blocks), 0}; the one before the first has block -1.
type indexPos struct{ block, offset int }

func (ix *orderedIndex[V]) len() int { return ix.n }

func (ix *orderedIndex[V]) first() indexPos { return indexPos{} }

func (ix *orderedIndex[V]) end() indexPos { return indexPos{block: len(ix.blocks)} }

func (ix *orderedIndex[V]) valid(p indexPos) bool {
	return p.block >= 0 && p.block < len(ix.blocks)
}

func (ix *orderedIndex[V]) at(p indexPos) indexEntry[V] { return ix.blocks[p.block][p.offset] }

func (ix *orderedIndex[V]) next(p indexPos) indexPos {
	p.offset++
	if p.offset == len(ix.blocks[p.block]) {
		p = indexPos{block: p.block + 1}
	}
	return p
}

func (ix *orderedIndex[V]) prev(p indexPos) indexPos {
	if p.offset > 0 {
		p.offset--
		return p
	}
	p.block--
	if p.block >= 0 {
		p.offset = len(ix.blocks[p.block]) - 1
	}
	return p
}

// search returns the position of the first key >= k (> k when strict), or
// end() when there is none.
func (ix *orderedIndex[V]) search(k orderKey, strict bool) indexPos {
	after := func(e indexEntry[V]) bool {
		c := e.key.compare(k)
		return c > 0 || (c == 0 && !strict)
	}
	b, _ := slices.BinarySearchFunc(ix.blocks, true, func(blk []indexEntry[V], _ bool) int {
		if after(blk[len(blk)-1]) {
			return 1
		}
		return -1
	})
	if b == len(ix.blocks) {
		return ix.end()
	}
	o, _ := slices.BinarySearchFunc(ix.blocks[b], true, func(e indexEntry[V], _ bool) int {
		if after(e) {
			return 1
		}
		return -1
	})
	return indexPos{block: b, offset: o}
}

// insert adds v under k and reports false, changing nothing, if k is
// already present.
func (ix *orderedIndex[V]) insert(k orderKey, v V) bool {
	e := indexEntry[V]{key: k, val: v}
	if len(ix.blocks) == 0 {
		ix.blocks = [][]indexEntry[V]{{e}}
		ix.n = 1
		return true
	}
	p := ix.search(k, false)
	if ix.valid(p) && ix.at(p).key == k {
		return false
	}
	if !ix.valid(p) { // after every key: append to the last block
		p = indexPos{block: len(ix.blocks) - 1, offset: len(ix.blocks[len(ix.blocks)-1])}
	}
	ix.n++
	blk := ix.blocks[p.block]
	switch {
	case len(blk) < indexBlockSize:
		ix.blocks[p.block] = slices.Insert(blk, p.offset, e)
	case p.block == len(ix.blocks)-1 && p.offset == len(blk):
		// Appending in key order, the common case for purchases arriving
		// over time: start a new block and leave this one full.
		nb := make([]indexEntry[V], 1, indexBlockSize)
		nb[0] = e
		ix.blocks = append(ix.blocks, nb)
	default:
		half := indexBlockSize / 2
		right := make([]indexEntry[V], indexBlockSize-half, indexBlockSize)
		copy(right, blk[half:])
		clear(blk[half:])
		left := blk[:half]
		if p.offset <= half {
			left = slices.Insert(left, p.offset, e)
		} else {
			right = slices.Insert(right, p.offset-half, e)
		}
		ix.blocks[p.block] = left
		ix.blocks = slices.Insert(ix.blocks, p.block+1, right)
	}
	return true
}

// remove deletes k and reports whether it was present. Emptied blocks are
// dropped; half-empty ones are left as they are, since removals are rare
// (merges and renames).
func (ix *orderedIndex[V]) remove(k orderKey) bool {
	p := ix.search(k, false)
	if !ix.valid(p) || ix.at(p).key != k {
		return false
	}
	ix.n--
	blk := slices.Delete(ix.blocks[p.block], p.offset, p.offset+1)
	if len(blk) == 0 {
		ix.blocks = slices.Delete(ix.blocks, p.block, p.block+1)
	} else {
		ix.blocks[p.block] = blk
	}
	return true
}
