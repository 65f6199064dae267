package ledger

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
)

// checkPartial runs op on a partial account made from before (its header,
// by ID every lot an operation could name, every operation, and a random
// prefix of the open lots in spending order), widening the prefix
// to every open lot when the ledger reports ErrPartial. The result must be
// the complete account's: the same error, the same entries, the same
// header, and Changes naming exactly the lots and operations that differ.
// byID loads every lot by ID, for an operation that names a lot of its
// choosing (releasing one lot). A partial account that guessed where it
// should have asked would fail here.
func checkPartial(rng *rand.Rand, before, next Account, entries []Entry, err error, byID bool, op func(Account) (Account, []Entry, error)) error {
	open := before.Lots()
	k := rng.IntN(len(open) + 1)
	for {
		p, lerr := partialOf(before, open[:k], k == len(open), byID)
		if lerr != nil {
			return fmt.Errorf("partial load: %w", lerr)
		}
		pnext, pentries, perr := op(p)
		if errors.Is(perr, ErrPartial) {
			if k == len(open) {
				return fmt.Errorf("ErrPartial with every lot loaded: %w", perr)
			}
			k = len(open)
			continue
		}
		switch {
		case (err == nil) != (perr == nil):
			return fmt.Errorf("partial account: error %v, complete account: %v", perr, err)
		case err != nil:
			return nil
		case !reflect.DeepEqual(nilIfNone(entries), nilIfNone(pentries)):
			return fmt.Errorf("partial account wrote entries %+v, complete account %+v", pentries, entries)
		case pnext.Header() != next.Header():
			return fmt.Errorf("partial account header %+v, complete account %+v", pnext.Header(), next.Header())
		}
		return sameChanges(before, next, pnext)
	}
}

func partialOf(a Account, prefix []Lot, all, byID bool) (Account, error) {
	p, err := FromHeader(a.Header())
	if err != nil {
		return Account{}, err
	}
	// By ID: what an operation names (a purchase's lots, a hold's or a
	// redemption's portions, a pending lot to release) and every closed
	// lot; only released open lots no operation names are left to the
	// spending-order prefix.
	named := map[string]bool{}
	for op := range a.Operations() {
		for _, p := range op.Portions {
			named[p.LotID] = true
		}
	}
	var l Loaded
	for lot := range a.AllLots() {
		if byID || lot.Remaining == 0 || !lot.Released || named[lot.ID] || lot.Source != "" && lot.Origin == KindEarn {
			l.Lots = append(l.Lots, lot)
		}
	}
	l.Spending, l.SpendingAll = prefix, all
	for op := range a.Operations() {
		l.Operations = append(l.Operations, op)
	}
	l.Returned = map[string]int64{}
	for purchase, n := range a.returned.All() {
		l.Returned[purchase] = n
	}
	for _, lot := range a.Lots() {
		if !lot.Released {
			l.Pending = append(l.Pending, lot)
		}
	}
	l.PendingThrough = maxTime
	return p.Load(l)
}

var maxTime = modelStart.AddDate(100, 0, 0)

// sameChanges checks that the partial account's Changes are exactly the
// lots and operations the complete account changed.
func sameChanges(before, next, pnext Account) error {
	lots, ops := pnext.Changes()
	for _, l := range lots {
		if got, ok := next.Lot(l.ID); !ok || got != l {
			return fmt.Errorf("partial account changed lot %+v, complete account holds %+v", l, got)
		}
	}
	for l := range next.AllLots() {
		old, existed := before.Lot(l.ID)
		changed := !existed || old != l
		listed := slices.ContainsFunc(lots, func(x Lot) bool { return x.ID == l.ID })
		if changed && !listed {
			return fmt.Errorf("lot %s changed but is not among the partial account's changes", l.ID)
		}
	}
	for op := range next.Operations() {
		old, existed := before.Operation(op.Kind, op.ID)
		changed := !existed || !reflect.DeepEqual(old, op)
		listed := slices.ContainsFunc(ops, func(x Operation) bool { return keyOf(x.Kind, x.ID) == keyOf(op.Kind, op.ID) })
		if changed && !listed {
			return fmt.Errorf("operation %s %s changed but is not among the partial account's changes", op.Kind, op.ID)
		}
	}
	return nil
}

func nilIfNone(e []Entry) []Entry {
	if len(e) == 0 {
		return nil
	}
	return e
}
