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

	"github.com/clientele-go/clientele/internal/btree"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// NewMemoryStore returns the in-memory Store: the embedded default, safe
// for concurrent use. It keeps each member's lots and records in mutable
// B-trees under its lock (internal/btree: three levels at 50,000 lots),
// so a write changes a node or two in place, whatever the member's
// history; its iterators copy a page of entries under the read lock and
// find their place again after the last key for the next, as the SQL
// stores page (the service's version check at Save catches a write that
// landed between two pages).
func NewMemoryStore() Store {
	return &memoryStore{
		accounts: map[string]*memAccount{},
		entries:  map[string]*entryLog{},
		ops:      newOpTable(),
		due:      btree.New[dueKey, *ledger.Lot](compareDue),
	}
}

type memoryStore struct {
	mu       sync.RWMutex
	accounts map[string]*memAccount
	entries  map[string]*entryLog
	ops      opTable
	ids      []string // every member ID; sorted when sorted is true
	sorted   bool
	due      btree.Map[dueKey, *ledger.Lot] // every member's open lots by when they are due (memstore_due.go)
}

// memAccount is one member: the header as saved (its ledger header kept as
// plain data) and the indexes of its lots and records. A lot lives once,
// behind the pointer every index holds; a write changes it in place under
// the lock, and readers copy it before the lock is released.
type memAccount struct {
	id       string
	due      *btree.Map[dueKey, *ledger.Lot] // the store's
	acct     Account                         // Points is the zero ledger.Account: header holds it
	header   ledger.Header
	lots     btree.Map[string, *ledger.Lot]
	spending btree.Map[spendKey, *ledger.Lot]   // open lots, in spending order
	pending  btree.Map[pendingKey, *ledger.Lot] // unreleased open lots, by PendingUntil
	records  btree.Map[recordKey, []byte]       // each slice is never changed once stored
	changes  [][]byte                           // the change journal: save v's EncodeChange at v-1
}

// instant is a time's instant alone: keys hold no zone pointer and take
// less room in a node.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (i instant) compare(j instant) int {
	return cmp.Or(cmp.Compare(i.sec, j.sec), cmp.Compare(i.nsec, j.nsec))
}

var zeroInstant = instantOf(time.Time{})

// spendKey orders open lots as ledger.SpendingOrder does: soonest expiry
// first, never-expiring last, then by earn time, then by ID.
type spendKey struct {
	expires, earned instant
	id              string
}

func spendKeyOf(l *ledger.Lot) spendKey {
	return spendKey{instantOf(l.ExpiresAt), instantOf(l.EarnedAt), l.ID}
}

func compareSpending(a, b spendKey) int {
	if az, bz := a.expires == zeroInstant, b.expires == zeroInstant; az != bz {
		if az {
			return 1
		}
		return -1
	}
	return cmp.Or(a.expires.compare(b.expires), a.earned.compare(b.earned), strings.Compare(a.id, b.id))
}

type pendingKey struct {
	until instant
	id    string
}

func comparePending(a, b pendingKey) int {
	return cmp.Or(a.until.compare(b.until), strings.Compare(a.id, b.id))
}

type recordKey struct {
	kind RecordKind
	key  string
}

func compareRecords(a, b recordKey) int {
	return cmp.Or(strings.Compare(string(a.kind), string(b.kind)), strings.Compare(a.key, b.key))
}

func newMemAccount(id string, due *btree.Map[dueKey, *ledger.Lot]) *memAccount {
	return &memAccount{
		id:       id,
		due:      due,
		lots:     btree.New[string, *ledger.Lot](strings.Compare),
		spending: btree.New[spendKey, *ledger.Lot](compareSpending),
		pending:  btree.New[pendingKey, *ledger.Lot](comparePending),
		records:  btree.New[recordKey, []byte](compareRecords),
	}
}

// account returns the header as a reader gets it.
func (a *memAccount) account() (Account, error) {
	out := a.acct.Clone()
	pts, err := ledger.FromHeader(a.header)
	out.Points = pts
	return out, err
}

// setAccount keeps the new header. Readers only ever get copies, so the
// slices the store holds are its own: a copied-in header is written over
// them, allocating only when it outgrew them (an operation on a member
// with a long activity copies it once, on the read, not again on the
// save); an owned one is kept as it is.
func (a *memAccount) setAccount(acct Account, copyIn bool) {
	prev := a.acct
	a.acct = acct
	a.acct.Points = ledger.Account{}
	if !copyIn {
		return
	}
	a.acct.Activity = overwrite(prev.Activity, acct.Activity)
	a.acct.TierMarks = overwrite(prev.TierMarks, acct.TierMarks)
	if o := acct.Tier.Override; o != nil {
		c := *o // rare and small: a fresh one, never written over
		a.acct.Tier.Override = &c
	}
}

// overwrite copies src over dst's array, clearing what is left of dst's
// old contents (the collector would keep what they point to alive).
func overwrite[T any](dst, src []T) []T {
	if len(src) == 0 {
		clear(dst)
		return nil
	}
	out := append(dst[:0], src...)
	if len(dst) > len(src) && cap(out) == cap(dst) {
		clear(dst[len(src):])
	}
	return out
}

// putLot replaces a lot in place and moves it in the indexes whose keys
// it changed. An index whose key stayed the same is not touched (the
// entry holds the lot's pointer, which already sees the new values): a
// delete and a set of the same key in a B-tree whose nodes are at their
// limits merges and splits a node each time.
func (a *memAccount) putLot(l ledger.Lot) {
	l.EarnedAt, l.PendingUntil, l.ExpiresAt, l.LapsedAt = l.EarnedAt.UTC(), l.PendingUntil.UTC(), l.ExpiresAt.UTC(), l.LapsedAt.UTC()
	var was ledger.Lot // the lot as it was (none: the zero lot, which no index holds)
	p, ok := a.lots.Get(l.ID)
	if ok {
		was = *p
		*p = l
	} else {
		p = new(ledger.Lot)
		*p = l
		a.lots.Set(l.ID, p)
	}
	reindex(&a.spending, p, was.Remaining > 0, spendKeyOf(&was), l.Remaining > 0, spendKeyOf(p), compareSpending)
	reindex(&a.pending, p, was.Remaining > 0 && !was.Released, pendingKeyOf(&was),
		l.Remaining > 0 && !l.Released, pendingKeyOf(p), comparePending)
	a.reindexDue(&was, p)
}

// reindex moves lot p in an index from key old (if it was in it: had) to
// key new (if it belongs in it now: has), touching the index only if that
// changes anything.
func reindex[K any](m *btree.Map[K, *ledger.Lot], p *ledger.Lot, had bool, old K, has bool, new K, cmp func(a, b K) int) {
	same := had && has && cmp(old, new) == 0
	if had && !same {
		m.Delete(old)
	}
	if has && !same {
		m.Set(new, p)
	}
}

func pendingKeyOf(l *ledger.Lot) pendingKey { return pendingKey{instantOf(l.PendingUntil), l.ID} }

// page copies, under the read lock, up to n entries of one of the
// member's indexes (those after the key after, or from the start when
// after is nil), each as conv makes it, and reports whether there may be
// more. conv runs under the lock: it copies what it keeps.
func page[K, V, T any](m *memoryStore, memberID string, index func(*memAccount) *btree.Map[K, V], from func(*btree.Map[K, V]) iter.Seq2[K, V], after *K, n int, conv func(K, V) (T, bool)) (out []T, last K, more bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[memberID]
	if !ok {
		return nil, last, false
	}
	idx := index(a)
	seq := idx.All()
	switch {
	case after != nil:
		seq = idx.After(*after)
	case from != nil:
		seq = from(idx)
	}
	for k, v := range seq {
		if len(out) == n {
			return out, last, true
		}
		t, ok := conv(k, v)
		if !ok {
			return out, last, false
		}
		out = append(out, t)
		last = k
	}
	return out, last, false
}

// pages streams an index page by page: the first page small (a spend
// usually stops after a lot or two), each next one twice as large up to
// chunk.
func pages[K, V, T any](ctx context.Context, m *memoryStore, memberID string, index func(*memAccount) *btree.Map[K, V], from func(*btree.Map[K, V]) iter.Seq2[K, V], conv func(K, V) (T, bool)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var after *K
		for n := firstPage; ; n = min(2*n, chunk) {
			if ctx.Err() != nil {
				yieldErr(ctx, yield)
				return
			}
			batch, last, more := page(m, memberID, index, from, after, n, conv)
			for _, t := range batch {
				if ctx.Err() != nil || !yield(t, nil) {
					yieldErr(ctx, yield)
					return
				}
			}
			if !more {
				yieldErr(ctx, yield)
				return
			}
			after = &last
		}
	}
}

// firstPage is how many entries an index stream copies first.
const firstPage = 4

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
		cur = newMemAccount(id, &m.due)
		m.accounts[id] = cur
		m.ids = append(m.ids, id)
		m.sorted = false
	}
	cur.setAccount(w.Account, copyIn)
	cur.header = header
	cur.changes = append(cur.changes, EncodeChange(ChangeOf(w)))
	for _, l := range w.Lots {
		cur.putLot(l)
	}
	for _, r := range w.Records {
		cur.records.Set(recordKey{r.Kind, r.Key}, slices.Clone(r.Data))
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

func (m *memoryStore) Lots(ctx context.Context, memberID string, ids []string) ([]ledger.Lot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[memberID]
	if !ok {
		return nil, nil
	}
	var out []ledger.Lot
	for _, id := range ids {
		if l, ok := a.lots.Get(id); ok {
			out = append(out, *l)
		}
	}
	return out, nil
}

func lotOf[K any](_ K, l *ledger.Lot) (ledger.Lot, bool) { return *l, true }

func (m *memoryStore) SpendingLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return pages(ctx, m, memberID, func(a *memAccount) *btree.Map[spendKey, *ledger.Lot] { return &a.spending }, nil, lotOf[spendKey])
}

func (m *memoryStore) PendingLots(ctx context.Context, memberID string, through time.Time) iter.Seq2[ledger.Lot, error] {
	end := instantOf(through)
	return pages(ctx, m, memberID, func(a *memAccount) *btree.Map[pendingKey, *ledger.Lot] { return &a.pending }, nil,
		func(k pendingKey, l *ledger.Lot) (ledger.Lot, bool) { return *l, k.until.compare(end) <= 0 })
}

func (m *memoryStore) AllLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return pages(ctx, m, memberID, func(a *memAccount) *btree.Map[string, *ledger.Lot] { return &a.lots }, nil, lotOf[string])
}

func (m *memoryStore) GetRecords(ctx context.Context, memberID string, kind RecordKind, keys []string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	a, ok := m.accounts[memberID]
	if !ok {
		return nil, nil
	}
	return a.getRecords(kind, keys, nil), nil
}

// getRecords appends copies of the records of the kind with the keys.
func (a *memAccount) getRecords(kind RecordKind, keys []string, out []Record) []Record {
	for _, k := range keys {
		if data, ok := a.records.Get(recordKey{kind, k}); ok {
			out = append(out, Record{Kind: kind, Key: k, Data: slices.Clone(data)})
		}
	}
	return out
}

func (m *memoryStore) Records(ctx context.Context, memberID string, kind RecordKind) iter.Seq2[Record, error] {
	return pages(ctx, m, memberID, func(a *memAccount) *btree.Map[recordKey, []byte] { return &a.records },
		func(idx *btree.Map[recordKey, []byte]) iter.Seq2[recordKey, []byte] {
			return idx.From(recordKey{kind, ""})
		},
		func(k recordKey, data []byte) (Record, bool) {
			if k.kind != kind {
				return Record{}, false
			}
			return Record{Kind: kind, Key: k.key, Data: slices.Clone(data)}, true
		})
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
	out.Records = a.getRecords(q.Kind, q.Keys, out.Records)
	return out, nil
}
