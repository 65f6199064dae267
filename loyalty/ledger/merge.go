package ledger

import (
	"errors"
	"fmt"
	"time"
)

// Merge is the result of MergeFrom: both accounts' new states and entries.
type Merge struct {
	Survivor        Account
	SurvivorEntries []Entry // one merge-in entry, then possibly debt-payoff
	Merged          Account // the emptied account
	MergedEntries   []Entry // one merge-out entry
}

// MergeFrom moves everything other holds into a (when two customer records
// are merged): every lot with its expiry, pending state and holds, the
// debt, and the records of its redemptions, holds, returns, refunds and
// adjustments, so later refunds, clawbacks and hold commits work on the
// survivor. Each account keeps its own entries and totals; the merge-in
// entry on the survivor and the merge-out entry on the other name each
// moved lot in their draws. If the survivor then has available points and
// debt, the debt is paid.
//
// Merging the same account again is a no-op for both. Merging an account
// into itself, or accounts sharing a lot or operation ID, is
// ErrMergeConflict.
func (a Account) MergeFrom(other Account, at time.Time) (Merge, error) {
	at = at.Round(0)
	unchanged := Merge{Survivor: a, Merged: other}
	if err := errors.Join(checkID("other", other.id), a.checkAt(at)); err != nil {
		return unchanged, err
	}
	if other.part != nil {
		return unchanged, fmt.Errorf("%w: the merged account must be complete", ErrPartial)
	}
	if other.id == a.id {
		return unchanged, fmt.Errorf("%w: account %q into itself", ErrMergeConflict, a.id)
	}
	if _, ok := a.ops.Get(keyOf(KindMergeIn, other.id)); ok {
		return unchanged, nil
	}
	if err := a.mergeConflicts(other); err != nil {
		return unchanged, err
	}
	t := a.begin(at)
	o := other.begin(at)
	var in, out []Draw
	for _, l := range other.lots.All() {
		t.putLot(Lot{}, l, false)
		if l.Remaining == 0 {
			continue
		}
		in = append(in, Draw{LotID: l.ID, Points: l.Remaining, Pending: l.Pending(), Held: l.Held})
		out = append(out, Draw{LotID: l.ID, Points: -l.Remaining, Pending: -l.Pending(), Held: -l.Held})
	}
	for _, op := range other.ops.All() {
		t.setOp(op)
	}
	for p, n := range other.returned.All() {
		done, _ := t.a.returned.Get(p)
		t.a.returned = t.a.returned.Set(p, done+n)
	}
	outEntry := o.emit(Entry{Kind: KindMergeOut, Reference: a.id, Debt: -other.debt, Draws: out})
	inEntry := t.emit(Entry{Kind: KindMergeIn, Reference: other.id, Corrects: outEntry.ID, Debt: other.debt, Draws: in})
	t.setOp(Operation{Kind: KindMergeIn, ID: other.id, Points: inEntry.Points, Target: other.id, Entry: inEntry.ID, Time: at})
	o.a = emptied(o.a)
	if err := t.payDebt(); err != nil {
		return unchanged, err
	}
	var m Merge
	var err error
	if m.Survivor, m.SurvivorEntries, err = t.done(); err != nil {
		return unchanged, err
	}
	if m.Merged, m.MergedEntries, err = o.done(); err != nil {
		return unchanged, err
	}
	return m, nil
}

// emptied keeps an account's identity, sequence and totals and drops
// everything it held.
func emptied(a Account) Account {
	e := empty(a.id)
	e.version, e.seq, e.lastActivity, e.totals, e.debt = a.version, a.seq, a.lastActivity, a.totals, a.debt
	return e
}

func (a Account) mergeConflicts(other Account) error {
	var errs []error
	for id := range other.lots.All() {
		if _, ok := a.lots.Get(id); ok {
			errs = append(errs, fmt.Errorf("%w: both accounts hold lot %q", ErrMergeConflict, id))
		}
	}
	for k := range other.ops.All() {
		if _, ok := a.ops.Get(k); ok {
			errs = append(errs, fmt.Errorf("%w: both accounts recorded %s %q", ErrMergeConflict, k.ns, k.id))
		}
	}
	return errors.Join(errs...)
}
