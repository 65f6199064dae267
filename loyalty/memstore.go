package loyalty

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// NewMemoryStore returns the in-memory Store: the embedded default, safe
// for concurrent use. Ledger accounts are immutable values, so keeping and
// handing out one costs no copy of its lots.
func NewMemoryStore() Store {
	return &memoryStore{
		accounts: map[string]Account{},
		entries:  map[string]*entryLog{},
		ops:      newOpTable(),
	}
}

type memoryStore struct {
	mu       sync.RWMutex
	accounts map[string]Account
	entries  map[string]*entryLog
	ops      opTable
	ids      []string // every member ID; sorted when sorted is true
	sorted   bool
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
	return a.Clone(), nil
}

func (m *memoryStore) Save(ctx context.Context, w Write) error { return m.save(ctx, w, true) }

// saveOwned is Save for a caller that hands the account's slices and maps
// and the operation's result over to the store and keeps no reference to
// them (the service's earn does), so that they need no copy.
func (m *memoryStore) saveOwned(ctx context.Context, w Write) error { return m.save(ctx, w, false) }

func (m *memoryStore) save(ctx context.Context, w Write, copyIn bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := w.Account.MemberID
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, exists := m.accounts[id]
	if !exists {
		cur.Version = 0
	}
	if cur.Version != w.Account.Version-1 {
		return fmt.Errorf("account %s: %w", id, ErrConflict)
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
	if copyIn {
		w.Account = w.Account.Clone()
	}
	m.accounts[id] = w.Account
	if !exists {
		m.ids = append(m.ids, id)
		m.sorted = false
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
		out = append(out, m.accounts[id].Clone())
	}
	return out
}

// notFoundError is ErrNotFound naming the key, its message built only if
// someone reads it.
type notFoundError struct{ what, key string }

func (e *notFoundError) Error() string { return e.what + " " + e.key + ": " + ErrNotFound.Error() }

func (e *notFoundError) Unwrap() error { return ErrNotFound }
