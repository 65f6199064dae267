package ledger

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// tx is one operation in progress: a working copy of the account (sharing
// structure with the original, which it never mutates) plus the entries
// appended so far. An operation that fails simply drops its tx.
type tx struct {
	a        Account
	at       time.Time
	entries  []Entry
	activity bool   // the operation is member activity (see LastActivity)
	next     string // the next entry's ID, once nextID built it
}

func (a Account) begin(at time.Time) *tx {
	return &tx{a: a, at: at}
}

// done finishes a successful operation.
func (t *tx) done() (Account, []Entry, error) {
	if len(t.entries) == 0 {
		return t.a, nil, nil
	}
	t.a.version++
	if t.activity && t.at.After(t.a.lastActivity) {
		t.a.lastActivity = t.at
	}
	return t.a, t.entries, nil
}

// lot returns a lot that must exist.
func (t *tx) lot(id string) (Lot, error) {
	l, ok := t.a.lots.Get(id)
	if !ok && t.a.part != nil {
		return Lot{}, fmt.Errorf("%w: lot %q", ErrPartial, id)
	}
	if !ok {
		return Lot{}, fmt.Errorf("%w: lot %q missing from account %q", ErrInvariant, id, t.a.id)
	}
	return l, nil
}

// putLot stores a lot's new state and keeps the indexes and sums in step:
// a lot is in the open index while it has points, and in the pending index
// while it also is unreleased.
func (t *tx) putLot(old, l Lot, existed bool) {
	a := &t.a
	wasOpen, wasPending := existed && old.Remaining > 0, existed && old.Remaining > 0 && !old.Released
	isOpen, isPending := l.Remaining > 0, l.Remaining > 0 && !l.Released
	if existed {
		a.remaining -= old.Remaining
		a.pendingPts -= old.Pending()
		a.held -= old.Held
	} else if l.Origin == KindEarn && l.Source != "" {
		a.bySource = a.bySource.Set(srcKey{l.Source, l.ID}, struct{}{})
	}
	a.remaining += l.Remaining
	a.pendingPts += l.Pending()
	a.held += l.Held
	// A lot's index keys never change (its expiry, earn time and release
	// time are fixed), so only entering or leaving an index touches it.
	switch {
	case wasOpen && !isOpen:
		a.open = a.open.Delete(old.key())
	case !wasOpen && isOpen:
		a.open = a.open.Set(l.key(), struct{}{})
	}
	switch {
	case wasPending && !isPending:
		a.pending = a.pending.Delete(pendKey{old.PendingUntil, old.ID})
	case !wasPending && isPending:
		a.pending = a.pending.Set(pendKey{l.PendingUntil, l.ID}, struct{}{})
	}
	a.lots = a.lots.Set(l.ID, l)
	a.dirtyLots = a.dirtyLots.Set(l.ID, struct{}{})
}

// change applies signed changes to a lot's remaining and held points and
// returns the draw that records them.
func (t *tx) change(id string, points, held int64) (Draw, error) {
	old, err := t.lot(id)
	if err != nil {
		return Draw{}, err
	}
	l := old
	l.Remaining += points
	l.Held += held
	if l.Remaining < 0 || l.Remaining > l.Amount || l.Held < 0 || l.Held > l.Remaining {
		return Draw{}, fmt.Errorf("%w: lot %q would hold %d of %d points with %d held",
			ErrInvariant, id, l.Remaining, l.Amount, l.Held)
	}
	t.putLot(old, l, true)
	return Draw{LotID: id, Points: points, Pending: l.Pending() - old.Pending(), Held: held}, nil
}

// addLot creates a lot and returns the draw that records it.
func (t *tx) addLot(l Lot) Draw {
	l.Remaining = l.Amount
	t.putLot(Lot{}, l, false)
	return Draw{LotID: l.ID, Points: l.Amount, Pending: l.Pending()}
}

// emit appends an entry, deriving its sums from its draws.
func (t *tx) emit(e Entry) Entry {
	e.Points, e.Pending, e.Held = 0, 0, 0
	for _, d := range e.Draws {
		e.Points += d.Points
		e.Pending += d.Pending
		e.Held += d.Held
	}
	e.ID = t.nextID()
	t.a.seq++
	t.next = ""
	e.Seq = t.a.seq
	e.Account = t.a.id
	e.Time = t.at
	t.a.debt += e.Debt
	t.a.totals.Add(e)
	t.entries = append(t.entries, e)
	return e
}

// setOp records an identified operation.
func (t *tx) setOp(op Operation) {
	t.a.ops = t.a.ops.Set(keyOf(op.Kind, op.ID), op)
	t.a.dirtyOps = t.a.dirtyOps.Set(keyOf(op.Kind, op.ID), struct{}{})
	if op.Kind == KindHold {
		if op.State == HoldOpen {
			t.a.holds = t.a.holds.Set(op.ID, struct{}{})
		} else {
			t.a.holds = t.a.holds.Delete(op.ID)
		}
	}
}

// freeAt reports the available points at t: released, unexpired, unheld.
// It costs O(log n) plus the lots already past expiry but not yet expired
// by an Expire call.
func (a Account) freeAt(at time.Time) int64 {
	free := a.remaining - a.pendingPts - a.held
	for k := range a.open.All() {
		if k.expires.isZero() || k.expires.after(at) {
			break
		}
		l, _ := a.lots.Get(k.id)
		free -= l.Free()
	}
	return free
}

// take draws up to want free points from lots in spending order (soonest
// expiry first), as spends (hold=false) or reservations (hold=true). It
// returns the draws and the points they took; the caller checks the total.
func (t *tx) take(want int64, hold bool) ([]Draw, int64, error) {
	type pick struct {
		lot    string
		points int64
	}
	var picks []pick
	var got int64
	for k := range t.a.open.All() {
		if got == want {
			break
		}
		l, _ := t.a.lots.Get(k.id)
		if l.ExpiredAt(t.at) || l.Free() == 0 {
			continue
		}
		n := min(l.Free(), want-got)
		picks = append(picks, pick{l.ID, n})
		got += n
	}
	draws := make([]Draw, 0, len(picks))
	for _, p := range picks {
		spent, held := -p.points, int64(0)
		if hold {
			spent, held = 0, p.points
		}
		d, err := t.change(p.lot, spent, held)
		if err != nil {
			return nil, 0, err
		}
		draws = append(draws, d)
	}
	return draws, got, nil
}

func checkTime(field string, at time.Time) error {
	if at.IsZero() {
		return invalid(field, "must be set")
	}
	return nil
}

func checkID(field, id string) error {
	if id == "" {
		return invalid(field, "must not be empty")
	}
	return nil
}

// MaxPoints bounds the points of one operation, so that no sequence of
// operations a shop could perform overflows the int64 sums.
const MaxPoints = 1_000_000_000_000

func checkPositive(field string, n int64) error {
	switch {
	case n <= 0:
		return invalid(field, "must be positive")
	case n > MaxPoints:
		return invalid(field, fmt.Sprintf("must be at most %d", int64(MaxPoints)))
	}
	return nil
}

// nextID returns the ID the next emitted entry will get.
func (t *tx) nextID() string {
	if t.next == "" {
		t.next = entryID(t.a.id, t.a.seq+1)
	}
	return t.next
}

// entryID is "<account>#<seq>", built in one allocation.
func entryID(account string, seq int64) string {
	var buf [64]byte
	b := append(buf[:0], account...)
	b = strconv.AppendInt(append(b, '#'), seq, 10)
	return string(b)
}

// checkAt checks an operation's time, and that the account is not the zero
// Account (which has no ID and cannot record entries).
func (a Account) checkAt(at time.Time) error {
	var err error
	if a.id == "" {
		err = invalid("account", "the zero Account cannot record entries: use New or FromSnapshot")
	}
	return errors.Join(err, checkTime("at", at))
}
