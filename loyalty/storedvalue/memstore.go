package storedvalue

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
)

// NewMemoryStore returns the in-memory Store: the embedded default, safe
// for concurrent use. Each account keeps its ordered indexes (part IDs,
// open parts in spending order, records) in persistent ordered maps, so a
// reader takes a snapshot of an index in O(1) under the lock and walks it
// outside, and its parts in a map, so a payment's update of a part costs
// the same however many parts there are; nothing costs the account's
// history.
func NewMemoryStore() Store {
	return &memoryStore{accounts: map[string]*memAccount{}, codes: map[string]string{}, ops: map[string]Operation{},
		due: pmap.New[DueRecord, struct{}](compareDueByKind)}
}

// compareDueByKind orders the due index by kind first, so a sweep of one
// kind walks only its own records, then in DueRecord order.
func compareDueByKind(a, b DueRecord) int {
	return cmp.Or(strings.Compare(string(a.Kind), string(b.Kind)), CompareDue(a, b))
}

type memoryStore struct {
	mu       sync.RWMutex
	accounts map[string]*memAccount
	codes    map[string]string // code key -> account ID
	ops      map[string]Operation
	ids      []string // every account ID; sorted when sorted is true
	sorted   bool
	// due indexes the records with a DueAt, across accounts; a sweep
	// snapshots it and walks only the records due.
	due pmap.Map[DueRecord, struct{}]
}

type memAccount struct {
	acct Account
	// parts holds each part, replaced (never changed) on update, read and
	// written under the store's lock: a payment's update is a map
	// assignment, whatever the number of parts. The two ordered indexes
	// are persistent maps a reader walks outside the lock, and change only
	// when a part is created, closed or reopened.
	parts    map[string]*Part
	partIDs  pmap.Map[string, struct{}]
	spending [2]pmap.Map[spendKey, struct{}] // open parts by kind (paid, bonus), in spending order
	records  pmap.Map[recordKey, []byte]
	// dues holds the DueAt of the records that have one, apart from the
	// records, so records without one (most) cost what they did.
	dues    pmap.Map[recordKey, time.Time]
	entries []Entry // append-only: a reader's slice header stays valid
}

// spendKey is a part's place in SpendingOrder, small so that the index's
// path copies stay small (a whole Part as the key made a write copy about
// 2.5 KB of index nodes). The index holds keys only: a payment changes a
// part's Remaining, not its place, so it leaves the index alone, and a
// reader finds the part by ID in the same snapshot.
type spendKey struct {
	never        bool
	exp, created int64 // Unix microseconds: stores keep microseconds
	id           string
}

func spendKeyOf(p *Part) spendKey {
	k := spendKey{never: p.ExpiresAt.IsZero(), created: p.CreatedAt.UnixMicro(), id: p.ID}
	if !k.never {
		k.exp = p.ExpiresAt.UnixMicro()
	}
	return k
}

func compareSpend(a, b spendKey) int {
	if a.never != b.never {
		if a.never {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.exp, b.exp), cmp.Compare(a.created, b.created), strings.Compare(a.id, b.id))
}

type recordKey struct {
	kind RecordKind
	key  string
}

func compareRecords(a, b recordKey) int {
	return cmp.Or(strings.Compare(string(a.kind), string(b.kind)), strings.Compare(a.key, b.key))
}

func kindIndex(k PartKind) int {
	if k == BonusPart {
		return 1
	}
	return 0
}

func newMemAccount() *memAccount {
	return &memAccount{
		parts:    map[string]*Part{},
		partIDs:  pmap.New[string, struct{}](strings.Compare),
		spending: [2]pmap.Map[spendKey, struct{}]{pmap.New[spendKey, struct{}](compareSpend), pmap.New[spendKey, struct{}](compareSpend)},
		records:  pmap.New[recordKey, []byte](compareRecords),
		dues:     pmap.New[recordKey, time.Time](compareRecords),
	}
}

func (a *memAccount) putPart(p Part) {
	p.CreatedAt, p.ExpiresAt = p.CreatedAt.UTC(), p.ExpiresAt.UTC()
	nk, nopen := spendKeyOf(&p), p.Remaining > 0
	old, exists := a.parts[p.ID]
	a.parts[p.ID] = &p
	if !exists {
		a.partIDs = a.partIDs.Set(p.ID, struct{}{})
	}
	if exists && old.Remaining > 0 {
		oldKey := spendKeyOf(old)
		if nopen && oldKey == nk && old.Kind == p.Kind {
			return // the same place in the index
		}
		i := kindIndex(old.Kind)
		a.spending[i] = a.spending[i].Delete(oldKey)
	}
	if nopen {
		i := kindIndex(p.Kind)
		a.spending[i] = a.spending[i].Set(nk, struct{}{})
	}
}

func (m *memoryStore) GetAccount(ctx context.Context, id string) (Account, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[id]
	if !ok {
		return Account{}, &notFound{what: "account", key: id}
	}
	return a.acct.Clone(), nil
}

// AccountByCode probes the code index for both keys whatever the first
// finds, and copies one header either way.
func (m *memoryStore) AccountByCode(ctx context.Context, key, decoy string) (Account, error) {
	if err := ctx.Err(); err != nil {
		return Account{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	id, ok := m.codes[key]
	did, dok := m.codes[decoy]
	if !ok {
		id, ok = did, dok
	}
	if !ok {
		return Account{}, &notFound{what: "code"}
	}
	return m.accounts[id].acct.Clone(), nil
}

func (m *memoryStore) Save(ctx context.Context, w Write) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := w.Account.ID
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
	if w.Operation != nil {
		if _, dup := m.ops[w.Operation.Key]; dup {
			return fmt.Errorf("operation %s: %w", w.Operation.Key, ErrAlreadyExists)
		}
	}
	if k := w.Account.CodeKey; k != "" {
		if owner, taken := m.codes[k]; taken && owner != id {
			return fmt.Errorf("account %s: code key: %w", id, ErrAlreadyExists)
		}
	}
	if w.Operation != nil {
		op := *w.Operation
		op.Result = slices.Clone(op.Result)
		m.ops[op.Key] = op
	}
	if !exists {
		cur = newMemAccount()
		m.accounts[id] = cur
		m.ids = append(m.ids, id)
		m.sorted = false
	}
	if old := cur.acct.CodeKey; old != "" && old != w.Account.CodeKey {
		delete(m.codes, old)
	}
	if k := w.Account.CodeKey; k != "" {
		m.codes[k] = id
	}
	cur.acct = w.Account.Clone()
	cur.acct.CreatedAt = cur.acct.CreatedAt.UTC()
	if p := cur.acct.Punch; p != nil {
		p.ValidFrom, p.ValidUntil = p.ValidFrom.UTC(), p.ValidUntil.UTC()
	}
	for _, p := range w.Parts {
		cur.putPart(p)
	}
	for _, r := range w.Records {
		k := recordKey{r.Kind, r.Key}
		if old, ok := cur.dues.Get(k); ok {
			m.due = m.due.Delete(DueRecord{At: old, AccountID: id, Kind: r.Kind, Key: r.Key})
			cur.dues = cur.dues.Delete(k)
		}
		if !r.DueAt.IsZero() {
			due := r.DueAt.UTC()
			m.due = m.due.Set(DueRecord{At: due, AccountID: id, Kind: r.Kind, Key: r.Key}, struct{}{})
			cur.dues = cur.dues.Set(k, due)
		}
		cur.records = cur.records.Set(k, slices.Clone(r.Data))
	}
	for _, e := range w.Entries {
		e.At = e.At.UTC()
		cur.entries = append(cur.entries, e)
	}
	return nil
}

// member returns the account's indexes as they are now: persistent maps
// and an append-only slice, so a reader may walk them unlocked.
func (m *memoryStore) member(id string) (memAccount, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[id]
	if !ok {
		return memAccount{}, false
	}
	return *a, true
}

func (m *memoryStore) Parts(ctx context.Context, accountID string, ids []string) ([]Part, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[accountID]
	if !ok {
		return nil, nil
	}
	var out []Part
	for _, id := range ids {
		if p, ok := a.parts[id]; ok {
			out = append(out, *p)
		}
	}
	return out, nil
}

// live returns the part with the ID as it is now (parts are never
// removed, so an index snapshot's IDs are all there).
func (m *memoryStore) live(parts map[string]*Part, id string) Part {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return *parts[id]
}

// walk yields what val makes of seq's values, the context checked before
// each and once at the end.
func walk[K, V, T any](ctx context.Context, seq iter.Seq2[K, V], val func(K, V) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for k, v := range seq {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			if !yield(val(k, v), nil) {
				return
			}
		}
		if err := ctx.Err(); err != nil {
			yield(zero, err)
		}
	}
}

// lazily defers building an iterator until iteration starts, so the
// snapshot it walks is the store as it is then.
func lazily[T any](make func() iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range make() {
			if !yield(v, err) {
				return
			}
		}
	}
}

// SpendingParts walks a snapshot of the index and reads each part as it
// is now: a part a write closed since is skipped, one it changed is
// yielded changed (the service's compare-and-set catches a read across a
// write).
func (m *memoryStore) SpendingParts(ctx context.Context, accountID string, kind PartKind) iter.Seq2[Part, error] {
	// One closure, not a stack of adapters: a payment walks this two or
	// three times, and each layer cost allocations.
	return func(yield func(Part, error) bool) {
		a, ok := m.member(accountID)
		if ok {
			for k := range a.spending[kindIndex(kind)].All() {
				if err := ctx.Err(); err != nil {
					yield(Part{}, err)
					return
				}
				if p := m.live(a.parts, k.id); p.Remaining > 0 && !yield(p, nil) {
					return
				}
			}
		}
		if err := ctx.Err(); err != nil {
			yield(Part{}, err)
		}
	}
}

func (m *memoryStore) AllParts(ctx context.Context, accountID string) iter.Seq2[Part, error] {
	return lazily(func() iter.Seq2[Part, error] {
		a, ok := m.member(accountID)
		if !ok {
			return walk(ctx, emptySeq[string, struct{}], func(string, struct{}) Part { return Part{} })
		}
		return walk(ctx, a.partIDs.All(), func(id string, _ struct{}) Part { return m.live(a.parts, id) })
	})
}

func emptySeq[K, V any](func(K, V) bool) {}

func second[K, V any](_ K, v V) V { return v }

func (m *memoryStore) GetRecords(ctx context.Context, accountID string, kind RecordKind, keys []string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a, ok := m.member(accountID)
	if !ok {
		return nil, nil
	}
	var out []Record
	for _, k := range keys {
		if d, ok := a.records.Get(recordKey{kind, k}); ok {
			due, _ := a.dues.Get(recordKey{kind, k})
			out = append(out, Record{Kind: kind, Key: k, Data: slices.Clone(d), DueAt: due})
		}
	}
	return out, nil
}

func (m *memoryStore) GetOperation(ctx context.Context, key string) (Operation, error) {
	if err := ctx.Err(); err != nil {
		return Operation{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	op, ok := m.ops[key]
	if !ok {
		return Operation{}, &notFound{what: "operation", key: key}
	}
	op.Result = slices.Clone(op.Result)
	return op, nil
}

func (m *memoryStore) Entries(ctx context.Context, accountID string, afterSeq int64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		a, _ := m.member(accountID)
		es := a.entries
		i, _ := slices.BinarySearchFunc(es, afterSeq+1, func(e Entry, s int64) int { return cmp.Compare(e.Seq, s) })
		seq := func(yield func(int, Entry) bool) {
			for ; i < len(es); i++ {
				if !yield(i, es[i]) {
					return
				}
			}
		}
		for e, err := range walk(ctx, seq, second) {
			if !yield(e, err) {
				return
			}
		}
	}
}

// notFound is the memory store's ErrNotFound: a struct, formatted only if
// printed, since every new request's idempotency check misses.
type notFound struct{ what, key string }

func (e *notFound) Error() string {
	if e.key == "" {
		return e.what + ": " + ErrNotFound.Error()
	}
	return e.what + " " + e.key + ": " + ErrNotFound.Error()
}

func (e *notFound) Unwrap() error { return ErrNotFound }

// chunk is how many headers Accounts copies per lock acquisition.
const chunk = 256

func (m *memoryStore) Accounts(ctx context.Context, after string) iter.Seq2[Account, error] {
	return func(yield func(Account, error) bool) {
		for {
			if err := ctx.Err(); err != nil {
				yield(Account{}, err)
				return
			}
			page := m.accountPage(after)
			for _, a := range page {
				if err := ctx.Err(); err != nil {
					yield(Account{}, err)
					return
				}
				if !yield(a, nil) {
					return
				}
			}
			if len(page) < chunk {
				return
			}
			after = page[len(page)-1].ID
		}
	}
}

func (m *memoryStore) accountPage(after string) []Account {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.sorted {
		slices.Sort(m.ids)
		m.sorted = true
	}
	i, found := slices.BinarySearch(m.ids, after)
	if found {
		i++
	}
	var out []Account
	for ; i < len(m.ids) && len(out) < chunk; i++ {
		out = append(out, m.accounts[m.ids[i]].acct.Clone())
	}
	return out
}

// DueRecords walks a snapshot of the due index from the cursor and stops
// at the first record not yet due.
func (m *memoryStore) DueRecords(ctx context.Context, kind RecordKind, until time.Time, after DueRecord) iter.Seq2[DueRecord, error] {
	return func(yield func(DueRecord, error) bool) {
		m.mu.RLock()
		idx := m.due
		m.mu.RUnlock()
		from := after
		from.Kind = kind
		for d := range idx.From(from) {
			if err := ctx.Err(); err != nil {
				yield(DueRecord{}, err)
				return
			}
			if d.Kind != kind || d.At.After(until) {
				break
			}
			if CompareDue(d, after) <= 0 {
				continue
			}
			if !yield(d, nil) {
				return
			}
		}
		if err := ctx.Err(); err != nil {
			yield(DueRecord{}, err)
		}
	}
}
