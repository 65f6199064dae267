package loyaltytest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// ErrOverBudget is what a CountingStore returns, wrapped, when the code
// under test calls a method its Budget forbids or reads more lots or
// records than it allows.
var ErrOverBudget = errors.New("loyaltytest: store read over budget")

// Store method names, as CountingStore counts them.
const (
	MethodGetAccount   = "GetAccount"
	MethodSave         = "Save"
	MethodLots         = "Lots"
	MethodSpendingLots = "SpendingLots"
	MethodPendingLots  = "PendingLots"
	MethodAllLots      = "AllLots"
	MethodGetRecords   = "GetRecords"
	MethodRecords      = "Records"
	MethodGetOperation = "GetOperation"
	MethodEntries      = "Entries"
	MethodAccounts     = "Accounts"
)

// WholeHistory are the methods that return a member's whole history (or
// every account): statements, exports, merges and audits call them, an
// operation on one member never does.
var WholeHistory = []string{MethodAllLots, MethodRecords, MethodEntries, MethodAccounts}

// Count is what one method was asked for: how many calls, and how many
// items (lots, records, entries, accounts, operations) they returned or
// yielded.
type Count struct {
	Calls, Items int
}

// Budget bounds what the code under test may read from a CountingStore
// between two calls of Reset. A zero Budget bounds nothing.
type Budget struct {
	// MaxLots bounds the lots read (Lots, SpendingLots, PendingLots and
	// AllLots together); 0 means no bound.
	MaxLots int
	// MaxRecords bounds the records read (GetRecords and Records); 0 means
	// no bound.
	MaxRecords int
	// Forbid lists methods that must not be called at all, such as
	// WholeHistory.
	Forbid []string
}

// CountingStore wraps a loyalty.Store, counts what each method is asked
// for, and fails reads over its Budget: the call returns an error wrapping
// ErrOverBudget (an iterator yields it and stops), and the violation is
// kept for Check. It is safe for concurrent use.
type CountingStore struct {
	loyalty.Store
	mu         sync.Mutex
	counts     map[string]Count
	budget     Budget
	violations []string
}

// Counting returns a CountingStore over store with no budget.
func Counting(store loyalty.Store) *CountingStore {
	return &CountingStore{Store: store, counts: map[string]Count{}}
}

// SetBudget bounds what the code under test may read from now on, and
// resets the counts.
func (c *CountingStore) SetBudget(b Budget) {
	c.mu.Lock()
	c.budget = b
	c.mu.Unlock()
	c.Reset()
}

// Reset zeroes the counts and forgets the violations.
func (c *CountingStore) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = map[string]Count{}
	c.violations = nil
}

// Counts returns the counts per method since the last Reset.
func (c *CountingStore) Counts() map[string]Count {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.counts)
}

// LotsRead is the lots read since the last Reset, by every lot method.
func (c *CountingStore) LotsRead() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lotsRead()
}

// RecordsRead is the records read since the last Reset.
func (c *CountingStore) RecordsRead() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.recordsRead()
}

func (c *CountingStore) lotsRead() int {
	return c.counts[MethodLots].Items + c.counts[MethodSpendingLots].Items + c.counts[MethodPendingLots].Items + c.counts[MethodAllLots].Items
}

func (c *CountingStore) recordsRead() int {
	return c.counts[MethodGetRecords].Items + c.counts[MethodRecords].Items
}

// Violations lists what broke the budget since the last Reset.
func (c *CountingStore) Violations() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.violations)
}

// Check reports every violation since the last Reset with t.Errorf,
// naming what (the operation) did it.
func (c *CountingStore) Check(t testing.TB, what string) {
	t.Helper()
	for _, v := range c.Violations() {
		t.Errorf("%s: %s", what, v)
	}
}

// String lists the counts, for a test's log.
func (c *CountingStore) String() string {
	counts := c.Counts()
	out := ""
	for _, m := range slices.Sorted(maps.Keys(counts)) {
		out += fmt.Sprintf("%s %d/%d ", m, counts[m].Calls, counts[m].Items)
	}
	return fmt.Sprintf("lots %d, records %d: %s", c.LotsRead(), c.RecordsRead(), out)
}

// call counts a call of method and fails it if the budget forbids it.
func (c *CountingStore) call(method string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.counts[method]
	n.Calls++
	c.counts[method] = n
	if slices.Contains(c.budget.Forbid, method) {
		return c.violate("%s called", method)
	}
	return nil
}

// items counts n items method returned and fails the read if it took the
// lots or records read over the budget.
func (c *CountingStore) items(method string, n int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	cnt := c.counts[method]
	cnt.Items += n
	c.counts[method] = cnt
	if b := c.budget.MaxLots; b > 0 && c.lotsRead() > b {
		return c.violate("%d lots read, budget %d (last by %s)", c.lotsRead(), b, method)
	}
	if b := c.budget.MaxRecords; b > 0 && c.recordsRead() > b {
		return c.violate("%d records read, budget %d (last by %s)", c.recordsRead(), b, method)
	}
	return nil
}

// violate keeps a violation and returns it as an error; c.mu is held.
func (c *CountingStore) violate(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	c.violations = append(c.violations, msg)
	return fmt.Errorf("%w: %s", ErrOverBudget, msg)
}

// counted counts the calls and items of a store's iterator, failing it
// over budget.
func counted[T any](c *CountingStore, method string, seq func() iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := c.call(method); err != nil {
			yield(zero, err)
			return
		}
		for v, err := range seq() {
			if err == nil {
				if err := c.items(method, 1); err != nil {
					yield(zero, err)
					return
				}
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

// GetAccount counts one call and one item.
func (c *CountingStore) GetAccount(ctx context.Context, memberID string) (loyalty.Account, error) {
	if err := c.call(MethodGetAccount); err != nil {
		return loyalty.Account{}, err
	}
	a, err := c.Store.GetAccount(ctx, memberID)
	if err == nil {
		err = c.items(MethodGetAccount, 1)
	}
	return a, err
}

// Save counts one call; its items are the lots, records and entries it
// writes.
func (c *CountingStore) Save(ctx context.Context, w loyalty.Write) error {
	if err := c.call(MethodSave); err != nil {
		return err
	}
	c.mu.Lock()
	n := c.counts[MethodSave]
	n.Items += len(w.Lots) + len(w.Records) + len(w.Entries)
	c.counts[MethodSave] = n
	c.mu.Unlock()
	return c.Store.Save(ctx, w)
}

// Lots counts one call and the lots returned.
func (c *CountingStore) Lots(ctx context.Context, memberID string, ids []string) ([]ledger.Lot, error) {
	if err := c.call(MethodLots); err != nil {
		return nil, err
	}
	lots, err := c.Store.Lots(ctx, memberID, ids)
	if err == nil {
		err = c.items(MethodLots, len(lots))
	}
	return lots, err
}

// SpendingLots counts one call and the lots yielded.
func (c *CountingStore) SpendingLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return counted(c, MethodSpendingLots, func() iter.Seq2[ledger.Lot, error] { return c.Store.SpendingLots(ctx, memberID) })
}

// PendingLots counts one call and the lots yielded.
func (c *CountingStore) PendingLots(ctx context.Context, memberID string, through time.Time) iter.Seq2[ledger.Lot, error] {
	return counted(c, MethodPendingLots, func() iter.Seq2[ledger.Lot, error] { return c.Store.PendingLots(ctx, memberID, through) })
}

// AllLots counts one call and the lots yielded.
func (c *CountingStore) AllLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return counted(c, MethodAllLots, func() iter.Seq2[ledger.Lot, error] { return c.Store.AllLots(ctx, memberID) })
}

// GetRecords counts one call and the records returned.
func (c *CountingStore) GetRecords(ctx context.Context, memberID string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	if err := c.call(MethodGetRecords); err != nil {
		return nil, err
	}
	recs, err := c.Store.GetRecords(ctx, memberID, kind, keys)
	if err == nil {
		err = c.items(MethodGetRecords, len(recs))
	}
	return recs, err
}

// Records counts one call and the records yielded.
func (c *CountingStore) Records(ctx context.Context, memberID string, kind loyalty.RecordKind) iter.Seq2[loyalty.Record, error] {
	return counted(c, MethodRecords, func() iter.Seq2[loyalty.Record, error] { return c.Store.Records(ctx, memberID, kind) })
}

// GetOperation counts one call, and one item if found.
func (c *CountingStore) GetOperation(ctx context.Context, key string) (loyalty.Operation, error) {
	if err := c.call(MethodGetOperation); err != nil {
		return loyalty.Operation{}, err
	}
	op, err := c.Store.GetOperation(ctx, key)
	if err == nil {
		err = c.items(MethodGetOperation, 1)
	}
	return op, err
}

// Entries counts one call and the entries yielded.
func (c *CountingStore) Entries(ctx context.Context, memberID string, afterSeq int64) iter.Seq2[ledger.Entry, error] {
	return counted(c, MethodEntries, func() iter.Seq2[ledger.Entry, error] { return c.Store.Entries(ctx, memberID, afterSeq) })
}

// Accounts counts one call and the accounts yielded.
func (c *CountingStore) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return counted(c, MethodAccounts, func() iter.Seq2[loyalty.Account, error] { return c.Store.Accounts(ctx, after) })
}
