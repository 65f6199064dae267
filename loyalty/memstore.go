package loyalty

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clientele-go/clientele/internal/pmap"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// NewMemoryStore returns the in-memory Store: the embedded default, safe
// for concurrent use. It keeps each member's lots and records in
// persistent ordered maps, so a read takes a snapshot of an index in O(1)
// under the lock and walks it outside, and a write costs O(log n) per lot
// or record it changes, never the member's history.
func NewMemoryStore() Store {
	return &memoryStore{
		accounts: map[string]*memAccount{},
		entries:  map[string]*entryLog{},
		ops:      newOpTable(),
	}
}

type memoryStore struct {
	mu       sync.RWMutex
	accounts map[string]*memAccount
	entries  map[string]*entryLog
	ops      opTable
	ids      []string // every member ID; sorted when sorted is true
	sorted   bool
}

// memAccount is one member: the header as saved (its ledger header kept as
// plain data) and the indexes of its lots and records.
type memAccount struct {
	acct     Account // Points is the zero ledger.Account: header holds it
	header   ledger.Header
	lots     pmap.Boxed[string, ledger.Lot]
	spending pmap.Map[ledger.Lot, struct{}] // open lots, in spending order
	pending  pmap.Map[pendingKey, struct{}] // unreleased open lots, by PendingUntil
	records  pmap.Map[recordKey, []byte]
}

type pendingKey struct {
	until time.Time
	id    string
}

func comparePending(a, b pendingKey) int {
	return cmp.Or(a.until.Compare(b.until), strings.Compare(a.id, b.id))
}

type recordKey struct {
	kind RecordKind
	key  string
}

func compareRecords(a, b recordKey) int {
	return cmp.Or(strings.Compare(string(a.kind), string(b.kind)), strings.Compare(a.key, b.key))
}

func newMemAccount() *memAccount {
	return &memAccount{
		lots:     pmap.NewBoxed[string, ledger.Lot](strings.Compare),
		spending: pmap.New[ledger.Lot, struct{}](ledger.SpendingOrder),
		pending:  pmap.New[pendingKey, struct{}](comparePending),
		records:  pmap.New[recordKey, []byte](compareRecords),
	}
}

// account returns the header as a reader gets it.
func (a *memAccount) account() (Account, error) {
	out := a.acct.Clone()
	pts, err := ledger.FromHeader(a.header)
	out.Points = pts
	return out, err
}

// putLot replaces a lot and moves it in the indexes.
func (a *memAccount) putLot(l ledger.Lot) {
	if old, ok := a.lots.Get(l.ID); ok {
		a.spending = a.spending.Delete(old)
		a.pending = a.pending.Delete(pendingKey{old.PendingUntil, old.ID})
	}
	l.EarnedAt, l.PendingUntil, l.ExpiresAt, l.LapsedAt = l.EarnedAt.UTC(), l.PendingUntil.UTC(), l.ExpiresAt.UTC(), l.LapsedAt.UTC()
	a.lots = a.lots.Set(l.ID, l)
	if l.Remaining > 0 {
		a.spending = a.spending.Set(l, struct{}{})
		if !l.Released {
			a.pending = a.pending.Set(pendingKey{l.PendingUntil, l.ID}, struct{}{})
		}
	}
}

// chunk is how many accounts an iterator copies per lock acquisition.
const chunk = 256

func (m *memoryStore) GetAccount(ctx context.Context, memberID string) (Account, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[memberID]
	if !ok {
		return Account{}, &notFoundError{what: "account", key: memberID}
	}
	return a.account()
}

func (m *memoryStore) Save(ctx context.Context, w Write) error { return m.save(ctx, w, true) }

// saveOwned is Save for a caller that hands the operation's result over
// to the store and keeps no reference to it (the service's earn does), so
// that it needs no copy.
func (m *memoryStore) saveOwned(ctx context.Context, w Write) error { return m.save(ctx, w, false) }

func (m *memoryStore) save(ctx context.Context, w Write, copyIn bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := w.Account.MemberID
	header := w.Account.Points.Header()
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, exists := m.accounts[id]
	version := int64(0)
	if exists {
		version = cur.acct.Version
	}
	if version != w.Account.Version-1 {
		return fmt.Errorf("account %s: %w", id, ErrConflict)
	}
	if _, err := ledger.FromHeader(header); err != nil || header.ID != id {
		return fmt.Errorf("account %s: the points header is not this account's or not valid: %w", id, ErrInvalid)
	}
	if w.Operation != nil {
		if m.ops.has(w.Operation.Key) {
			return fmt.Errorf("operation %s: %w", w.Operation.Key, ErrAlreadyExists)
		}
		op := *w.Operation
		if copyIn {
			op.Result = slices.Clone(op.Result)
		}
		m.ops.add(op)
	}
	if !exists {
		cur = newMemAccount()
		m.accounts[id] = cur
		m.ids = append(m.ids, id)
		m.sorted = false
	}
	cur.acct = w.Account.Clone()
	cur.acct.Points = ledger.Account{}
	cur.header = header
	for _, l := range w.Lots {
		cur.putLot(l)
	}
	for _, r := range w.Records {
		cur.records = cur.records.Set(recordKey{r.Kind, r.Key}, slices.Clone(r.Data))
	}
	if len(w.Entries) > 0 {
		log := m.entries[id]
		if log == nil {
			log = &entryLog{}
			m.entries[id] = log
		}
		for i := range w.Entries {
			log.append(&w.Entries[i])
		}
	}
	return nil
}

// member returns the member's indexes as they are now: persistent maps, so
// a reader may walk them after the lock is released.
func (m *memoryStore) member(memberID string) (memAccount, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[memberID]
	if !ok {
		return memAccount{}, false
	}
	return *a, true
}

func (m *memoryStore) Lots(ctx context.Context, memberID string, ids []string) ([]ledger.Lot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a, ok := m.member(memberID)
	if !ok {
		return nil, nil
	}
	var out []ledger.Lot
	for _, id := range ids {
		if l, ok := a.lots.Get(id); ok {
			out = append(out, l)
		}
	}
	return out, nil
}

func (m *memoryStore) SpendingLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return func(yield func(ledger.Lot, error) bool) {
		a, ok := m.member(memberID)
		if !ok {
			yieldErr(ctx, yield)
			return
		}
		for l := range a.spending.All() {
			if ctx.Err() != nil || !yield(l, nil) {
				yieldErr(ctx, yield)
				return
			}
		}
		yieldErr(ctx, yield)
	}
}

func (m *memoryStore) PendingLots(ctx context.Context, memberID string, through time.Time) iter.Seq2[ledger.Lot, error] {
	return func(yield func(ledger.Lot, error) bool) {
		a, ok := m.member(memberID)
		if !ok {
			yieldErr(ctx, yield)
			return
		}
		for k := range a.pending.All() {
			if k.until.After(through) {
				break
			}
			l, _ := a.lots.Get(k.id)
			if ctx.Err() != nil || !yield(l, nil) {
				yieldErr(ctx, yield)
				return
			}
		}
		yieldErr(ctx, yield)
	}
}

func (m *memoryStore) AllLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return func(yield func(ledger.Lot, error) bool) {
		a, ok := m.member(memberID)
		if !ok {
			yieldErr(ctx, yield)
			return
		}
		for _, l := range a.lots.All() {
			if ctx.Err() != nil || !yield(l, nil) {
				yieldErr(ctx, yield)
				return
			}
		}
		yieldErr(ctx, yield)
	}
}

func (m *memoryStore) GetRecords(ctx context.Context, memberID string, kind RecordKind, keys []string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a, ok := m.member(memberID)
	if !ok {
		return nil, nil
	}
	var out []Record
	for _, k := range keys {
		if data, ok := a.records.Get(recordKey{kind, k}); ok {
			out = append(out, Record{Kind: kind, Key: k, Data: slices.Clone(data)})
		}
	}
	return out, nil
}

func (m *memoryStore) Records(ctx context.Context, memberID string, kind RecordKind) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		a, ok := m.member(memberID)
		if !ok {
			yieldErr(ctx, yield)
			return
		}
		for k, data := range a.records.From(recordKey{kind, ""}) {
			if k.kind != kind {
				break
			}
			if ctx.Err() != nil || !yield(Record{Kind: kind, Key: k.key, Data: slices.Clone(data)}, nil) {
				yieldErr(ctx, yield)
				return
			}
		}
		yieldErr(ctx, yield)
	}
}

// yieldErr ends a stream with the context's error, if it was cancelled.
func yieldErr[T any](ctx context.Context, yield func(T, error) bool) {
	if err := ctx.Err(); err != nil {
		var zero T
		yield(zero, err)
	}
}

func (m *memoryStore) GetOperation(ctx context.Context, key string) (Operation, error) {
	op, found, err := m.lookupOperation(ctx, key)
	if err == nil && !found {
		err = &notFoundError{what: "operation", key: key}
	}
	return op, err
}

// lookupOperation is GetOperation reporting a missing key as found false.
func (m *memoryStore) lookupOperation(ctx context.Context, key string) (Operation, bool, error) {
	if err := ctx.Err(); err != nil {
		return Operation{}, false, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	op, ok := m.ops.get(key)
	if !ok {
		return Operation{}, false, nil
	}
	op.Result = slices.Clone(op.Result)
	return op, true, nil
}

func (m *memoryStore) Entries(ctx context.Context, memberID string, afterSeq int64) iter.Seq2[ledger.Entry, error] {
	return func(yield func(ledger.Entry, error) bool) {
		for {
			if err := ctx.Err(); err != nil {
				yield(ledger.Entry{}, err)
				return
			}
			m.mu.RLock()
			var batch []ledger.Entry
			var err error
			if log := m.entries[memberID]; log != nil {
				batch, err = log.after(afterSeq, chunk)
			}
			m.mu.RUnlock()
			if err != nil {
				yield(ledger.Entry{}, err)
				return
			}
			if len(batch) == 0 {
				return
			}
			for _, e := range batch {
				if !yield(e, nil) {
					return
				}
			}
			afterSeq = batch[len(batch)-1].Seq
		}
	}
}

func (m *memoryStore) Accounts(ctx context.Context, after string) iter.Seq2[Account, error] {
	return func(yield func(Account, error) bool) {
		for {
			if err := ctx.Err(); err != nil {
				yield(Account{}, err)
				return
			}
			batch := m.accountsAfter(after)
			if len(batch) == 0 {
				return
			}
			for _, a := range batch {
				if !yield(a, nil) {
					return
				}
			}
			after = batch[len(batch)-1].MemberID
		}
	}
}

// accountsAfter copies the next chunk of accounts in ID order.
func (m *memoryStore) accountsAfter(after string) []Account {
	m.mu.Lock() // sorting the ID list may write
	defer m.mu.Unlock()
	if !m.sorted {
		slices.Sort(m.ids)
		m.sorted = true
	}
	i, found := slices.BinarySearch(m.ids, after)
	if found {
		i++
	}
	out := make([]Account, 0, min(chunk, len(m.ids)-i))
	for _, id := range m.ids[i:min(i+chunk, len(m.ids))] {
		a, _ := m.accounts[id].account() // Save let only valid headers in
		out = append(out, a)
	}
	return out
}

// notFoundError is ErrNotFound naming the key, its message built only if
// someone reads it.
type notFoundError struct{ what, key string }

func (e *notFoundError) Error() string { return e.what + " " + e.key + ": " + ErrNotFound.Error() }

func (e *notFoundError) Unwrap() error { return ErrNotFound }

// Prefetch reads an operation, an account header and records under one
// lock: one consistent snapshot, as a database's one statement would be.
func (m *memoryStore) Prefetch(ctx context.Context, q Prefetch) (Prefetched, error) {
	if err := ctx.Err(); err != nil {
		return Prefetched{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out Prefetched
	if op, ok := m.ops.get(q.OperationKey); ok {
		op.Result = slices.Clone(op.Result)
		out.Operation = &op
	}
	a, ok := m.accounts[q.MemberID]
	if !ok {
		return out, nil
	}
	acct, err := a.account()
	if err != nil {
		return Prefetched{}, err
	}
	out.Account = &acct
	for _, k := range q.Keys {
		if data, ok := a.records.Get(recordKey{q.Kind, k}); ok {
			out.Records = append(out.Records, Record{Kind: q.Kind, Key: k, Data: slices.Clone(data)})
		}
	}
	return out, nil
}
