package ledger

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/clientele-go/clientele/internal/pmap"
)

// A store does not hand an operation the member's whole history. It keeps
// an account as a small Header beside its lots and operations, each a
// record of its own, and an operation reads the header plus the few records
// it touches: a redemption the soonest-expiring open lots until they cover
// it, a clawback the purchase's lot, a hold's commit the lots the hold
// reserved. Such an account is partial. Its balances come from the header's
// running sums, not from the lots it holds, so they are right whatever was
// loaded; an operation that would need a record it was not given fails with
// ErrPartial instead of guessing, and the caller loads more and runs it
// again. Changes lists what an operation wrote, for the store to upsert.

// ErrPartial reports that a partial account was not loaded with a record
// the operation needs. It is never a business outcome: load more and retry.
var ErrPartial = errors.New("ledger: the account was not loaded with every record the operation needs")

// Header is an account's fixed-size state: what a store keeps in the
// account's versioned row. Remaining, Pending and Held are the sums over
// the account's lots of their remaining, pending and held points.
type Header struct {
	ID           string
	Version      int64
	Seq          int64 // the last entry's Seq
	Debt         int64
	LastActivity time.Time
	Totals       Totals
	Remaining    int64
	Pending      int64
	Held         int64
}

// Header returns the account's header.
func (a Account) Header() Header {
	return Header{ID: a.id, Version: a.version, Seq: a.seq, Debt: a.debt, LastActivity: a.lastActivity,
		Totals: a.totals, Remaining: a.remaining, Pending: a.pendingPts, Held: a.held}
}

// FromHeader returns a partial account: the header, and none of the lots
// or operations. Load adds those an operation needs.
func FromHeader(h Header) (Account, error) {
	var errs []error
	if h.ID == "" {
		errs = append(errs, invalid("ID", "must not be empty"))
	}
	if h.Version < 0 || h.Seq < 0 || h.Debt < 0 {
		errs = append(errs, invalid("Version/Seq/Debt", fmt.Sprintf("must not be negative (got %d/%d/%d)", h.Version, h.Seq, h.Debt)))
	}
	if h.Pending < 0 || h.Held < 0 || h.Pending+h.Held > h.Remaining {
		errs = append(errs, invalid("Remaining/Pending/Held", fmt.Sprintf("pending %d and held %d must fit in remaining %d", h.Pending, h.Held, h.Remaining)))
	}
	if len(errs) > 0 {
		return Account{}, errors.Join(errs...)
	}
	a := empty(h.ID)
	a.version, a.seq, a.debt, a.lastActivity, a.totals = h.Version, h.Seq, h.Debt, h.LastActivity.Round(0), h.Totals
	a.remaining, a.pendingPts, a.held = h.Remaining, h.Pending, h.Held
	a.part = &partState{}
	return a, nil
}

// partState says what a partial account was loaded with. It is never
// changed once an account holds it; Load makes a new one.
type partState struct {
	spending     bool   // a prefix of the open lots in spending order was loaded
	spendingAll  bool   // ... and it held every open lot
	spendThrough lotKey // the prefix's last lot
	pendThrough  time.Time
	pending      bool // unreleased lots due by pendThrough were loaded
}

// Loaded is what a store read for one operation on a partial account.
type Loaded struct {
	// Lots are lots read by ID (a purchase's lot, the lots a hold reserved).
	Lots []Lot
	// Spending is a prefix of the account's open lots in spending order
	// (SpendingOrder): the soonest-expiring ones. SpendingAll says it holds
	// every open lot (an account that has none sets it alone).
	Spending    []Lot
	SpendingAll bool
	// Pending holds every unreleased lot with points left whose
	// PendingUntil is at or before PendingThrough.
	Pending        []Lot
	PendingThrough time.Time
	// Operations are operations read by key (OperationKey).
	Operations []Operation
	// Returned is, per purchase, the points of returns already clawed back
	// from it (ReturnedPoints of the account that recorded them).
	Returned map[string]int64
}

// Load returns the partial account with the records in l added. Records it
// adds are not changes: Changes reports only what operations write.
func (a Account) Load(l Loaded) (Account, error) {
	if a.part == nil {
		return a, fmt.Errorf("%w: account %q is complete", ErrInvalid, a.id)
	}
	p := *a.part
	t := &tx{a: a}
	put := func(l Lot) error {
		if l.ID == "" || !l.countsValid() {
			return invalid("lot", fmt.Sprintf("lot %q: remaining %d of %d with %d held and %d lapsed", l.ID, l.Remaining, l.Amount, l.Held, l.Lapsed))
		}
		if old, ok := t.a.lots.Get(l.ID); ok {
			if !sameLot(old, l) || old.Remaining != l.Remaining || old.Held != l.Held || old.Released != l.Released || old.Lapsed != l.Lapsed {
				return invalid("lot", fmt.Sprintf("lot %q loaded twice with different contents", l.ID))
			}
			return nil
		}
		t.load(l.monotonic())
		return nil
	}
	var errs []error
	for _, l := range slices.Concat(l.Lots, l.Spending, l.Pending) {
		errs = append(errs, put(l))
	}
	for i, s := range l.Spending {
		if s.Remaining == 0 || (i > 0 && cmpLotKey(l.Spending[i-1].key(), s.key()) >= 0) {
			errs = append(errs, invalid("spending", "must be open lots in spending order"))
			break
		}
	}
	if n := len(l.Spending); n > 0 && (!p.spending || cmpLotKey(l.Spending[n-1].key(), p.spendThrough) > 0) {
		p.spending, p.spendThrough = true, l.Spending[n-1].key()
	}
	if l.SpendingAll {
		p.spending, p.spendingAll = true, true
	}
	if !l.PendingThrough.IsZero() && (!p.pending || l.PendingThrough.After(p.pendThrough)) {
		p.pending, p.pendThrough = true, l.PendingThrough.Round(0)
	}
	for _, op := range l.Operations {
		if op.ID == "" {
			errs = append(errs, invalid("operation", "must have an ID"))
			continue
		}
		t.a.ops = t.a.ops.Set(keyOf(op.Kind, op.ID), op.clone())
		if op.Kind == KindHold && op.State == HoldOpen {
			t.a.holds = t.a.holds.Set(op.ID, struct{}{})
		}
	}
	for purchase, n := range l.Returned {
		t.a.returned = t.a.returned.Set(purchase, n)
	}
	if err := errors.Join(errs...); err != nil {
		return a, err
	}
	t.a.part = &p
	return t.a, nil
}

// load indexes a lot read from a store without touching the running sums,
// which the header already holds.
func (t *tx) load(l Lot) {
	a := &t.a
	if l.Remaining > 0 {
		a.open = a.open.Set(l.key(), struct{}{})
		if !l.Released {
			a.pending = a.pending.Set(pendKey{l.PendingUntil, l.ID}, struct{}{})
		}
	}
	if l.Origin == KindEarn && l.Source != "" {
		a.bySource = a.bySource.Set(srcKey{l.Source, l.ID}, struct{}{})
	}
	a.lots = a.lots.Set(l.ID, l)
}

// Partial reports whether the account was built from a header and holds
// only the records loaded into it.
func (a Account) Partial() bool { return a.part != nil }

// Changes returns the lots and operations written since the account was
// built or loaded, in ID order: what a store must upsert beside the header
// and the new entries.
func (a Account) Changes() ([]Lot, []Operation) {
	var lots []Lot
	for id := range a.dirtyLots.All() {
		l, _ := a.lots.Get(id)
		lots = append(lots, l)
	}
	var ops []Operation
	for k := range a.dirtyOps.All() {
		op, _ := a.ops.Get(k)
		ops = append(ops, op.clone())
	}
	return lots, ops
}

// Clean returns the account with no changes recorded, as a store returns
// it after saving them.
func (a Account) Clean() Account {
	a.dirtyLots = pmap.New[string, struct{}](compareStrings)
	a.dirtyOps = pmap.New[opKey, struct{}](cmpOpKey)
	return a
}

// ReturnedPoints reports the points of returns clawed back from a
// purchase's lots so far (as loaded, on a partial account).
func (a Account) ReturnedPoints(purchase string) int64 {
	n, _ := a.returned.Get(purchase)
	return n
}

// Operation returns the operation recorded under the kind and ID: a
// redemption or hold (which share IDs), a clawback, a refund, an
// adjustment or a merge-in.
func (a Account) Operation(kind EntryKind, id string) (Operation, bool) {
	op, ok := a.ops.Get(keyOf(kind, id))
	return op.clone(), ok
}

// AllLots yields every lot the account holds (on a partial account, those
// loaded), by ID.
func (a Account) AllLots() iter.Seq[Lot] {
	return func(yield func(Lot) bool) {
		for _, l := range a.lots.All() {
			if !yield(l) {
				return
			}
		}
	}
}

// Operations yields every operation the account holds, by key.
func (a Account) Operations() iter.Seq[Operation] {
	return func(yield func(Operation) bool) {
		for _, op := range a.ops.All() {
			if !yield(op.clone()) {
				return
			}
		}
	}
}

// OperationKey is the key a store files an operation under: the ID
// namespace of its kind (redemptions and holds share one) and its ID.
func OperationKey(kind EntryKind, id string) string {
	k := keyOf(kind, id)
	return k.ns + ":" + k.id
}

// SpendingOrder compares lots the way spending draws them: soonest expiry
// first, never-expiring last, then by earn time, then by ID (byte order).
// A store that yields open lots for a spend yields them in this order.
func SpendingOrder(a, b Lot) int { return cmpLotKey(a.key(), b.key()) }

// coversOverdue reports whether every open lot expired at at is loaded:
// they come first in spending order, so a loaded prefix that reaches a lot
// expiring later (or never) holds them all.
func (a Account) coversOverdue(at time.Time) bool {
	p := a.part
	if p == nil || p.spendingAll {
		return true
	}
	return p.spending && (p.spendThrough.expires.isZero() || p.spendThrough.expires.after(at))
}

// needSpending fails with ErrPartial unless the loaded prefix of open lots
// holds the overdue ones and covers want points free at at.
func (a Account) needSpending(at time.Time, want int64) error {
	p := a.part
	if p == nil || p.spendingAll {
		return nil
	}
	if !a.coversOverdue(at) {
		return fmt.Errorf("%w: lots expired by %s", ErrPartial, at.Format(time.RFC3339))
	}
	var free int64
	for k := range a.open.All() {
		if free >= want || cmpLotKey(k, p.spendThrough) > 0 {
			break
		}
		if l, _ := a.lots.Get(k.id); !l.ExpiredAt(at) {
			free += l.Free()
		}
	}
	if free < want {
		return fmt.Errorf("%w: open lots covering %d points", ErrPartial, want)
	}
	return nil
}

// needPending fails with ErrPartial unless every unreleased lot due by at
// is loaded.
func (a Account) needPending(at time.Time) error {
	if p := a.part; p != nil && !p.spendingAll && (!p.pending || at.After(p.pendThrough)) {
		return fmt.Errorf("%w: pending lots due by %s", ErrPartial, at.Format(time.RFC3339))
	}
	return nil
}

// needAll fails with ErrPartial unless every open lot is loaded.
func (a Account) needAll() error {
	if p := a.part; p != nil && !p.spendingAll {
		return fmt.Errorf("%w: every open lot", ErrPartial)
	}
	return nil
}
