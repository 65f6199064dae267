package ledger

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Snapshot is an Account as plain data, for a store to persist (it
// marshals to JSON as is) and FromSnapshot to restore. Entries are not part
// of it: a store keeps them in its own append-only table.
type Snapshot struct {
	ID           string
	Version      int64
	Seq          int64 // the last entry's Seq
	Debt         int64
	LastActivity time.Time
	Totals       Totals
	Lots         []Lot       // every lot, closed ones included, by ID
	Operations   []Operation // every identified operation, by namespace and ID
}

// Snapshot returns the account as plain data. It costs O(n) in the lots
// and operations the account holds.
func (a Account) Snapshot() Snapshot {
	s := Snapshot{ID: a.id, Version: a.version, Seq: a.seq, Debt: a.debt, LastActivity: a.lastActivity, Totals: a.totals}
	s.Lots = make([]Lot, 0, a.lots.Len())
	for _, l := range a.lots.All() {
		s.Lots = append(s.Lots, l)
	}
	s.Operations = make([]Operation, 0, a.ops.Len())
	for _, op := range a.ops.All() {
		s.Operations = append(s.Operations, op.clone())
	}
	return s
}

// FromSnapshot restores an account, checking that the snapshot is one an
// Account could have produced: every problem found is reported at once,
// each a *FieldError (ErrInvalid) naming the field.
func FromSnapshot(s Snapshot) (Account, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, invalid(field, fmt.Sprintf(format, args...)))
	}
	if s.ID == "" {
		bad("ID", "must not be empty")
	}
	if s.Version < 0 || s.Seq < 0 || s.Debt < 0 {
		bad("Version/Seq/Debt", "must not be negative (got %d/%d/%d)", s.Version, s.Seq, s.Debt)
	}
	a := empty(s.ID)
	a.version, a.seq, a.debt, a.lastActivity, a.totals = s.Version, s.Seq, s.Debt, s.LastActivity.Round(0), s.Totals
	t := &tx{a: a}
	for i, l := range s.Lots {
		field := fmt.Sprintf("Lots[%d]", i)
		switch _, dup := t.a.lots.Get(l.ID); {
		case l.ID == "":
			bad(field+".ID", "must not be empty")
		case dup:
			bad(field+".ID", "lot %q appears twice", l.ID)
		case !l.countsValid():
			bad(field, "lot %q: remaining %d of %d with %d held and %d lapsed", l.ID, l.Remaining, l.Amount, l.Held, l.Lapsed)
		case l.Held > 0 && !l.Released:
			bad(field+".Held", "lot %q: pending points cannot be held", l.ID)
		default:
			t.putLot(Lot{}, l.monotonic(), false)
		}
	}
	reserved := map[string]int64{}
	for i, op := range s.Operations {
		field := fmt.Sprintf("Operations[%d]", i)
		k := keyOf(op.Kind, op.ID)
		if _, dup := t.a.ops.Get(k); dup || op.ID == "" {
			bad(field+".ID", "%s %q is empty or appears twice", op.Kind, op.ID)
			continue
		}
		if err := checkOperation(t.a, op, reserved); err != nil {
			bad(field, "%s %q: %v", op.Kind, op.ID, err)
			continue
		}
		if op.Kind == KindClawback {
			done, _ := t.a.returned.Get(op.Target)
			t.a.returned = t.a.returned.Set(op.Target, done+op.Points)
		}
		t.setOp(op.clone())
	}
	for _, l := range t.a.lots.All() {
		if reserved[l.ID] != l.Held {
			bad("Lots", "lot %q: open holds reserve %d, lot has %d held", l.ID, reserved[l.ID], l.Held)
		}
	}
	if len(errs) > 0 {
		return Account{}, errors.Join(errs...)
	}
	return t.a.Clean(), nil
}

// checkOperation checks one restored operation against the lots and adds
// what an open hold reserves to reserved.
func checkOperation(a Account, op Operation, reserved map[string]int64) error {
	switch op.Kind {
	case KindRedeem, KindHold:
	case KindClawback, KindRefund, KindAdjust, KindMergeIn:
		return nil
	default:
		return errors.New("unknown kind")
	}
	if op.Kind == KindHold && op.State != HoldOpen && op.State != HoldCommitted && op.State != HoldReleased {
		return fmt.Errorf("unknown hold state %q", op.State)
	}
	var sum int64
	for _, p := range op.Portions {
		if _, ok := a.lots.Get(p.LotID); !ok {
			return fmt.Errorf("portion names unknown lot %q", p.LotID)
		}
		if p.Points <= 0 || p.Points > MaxPoints || p.Refunded < 0 || p.Refunded > p.Points {
			return fmt.Errorf("portion of lot %q: %d points, %d refunded", p.LotID, p.Points, p.Refunded)
		}
		sum += p.Points
		if op.Kind == KindHold && op.State == HoldOpen {
			reserved[p.LotID] += p.Points
		}
	}
	if sum != op.Points || op.Refunded < 0 || op.Refunded > op.Points {
		return fmt.Errorf("portions sum to %d of %d points, %d refunded", sum, op.Points, op.Refunded)
	}
	return nil
}

// MarshalJSON encodes the account as its Snapshot, so a host that stores
// records as JSON keeps the whole ledger state.
func (a Account) MarshalJSON() ([]byte, error) { return json.Marshal(a.Snapshot()) }

// UnmarshalJSON decodes a Snapshot and restores it with FromSnapshot,
// rejecting a snapshot no Account could have produced.
func (a *Account) UnmarshalJSON(data []byte) error {
	var s Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("ledger: decoding account: %w", err)
	}
	restored, err := FromSnapshot(s)
	if err != nil {
		return err
	}
	*a = restored
	return nil
}
