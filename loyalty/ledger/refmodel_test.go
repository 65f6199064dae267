package ledger

import (
	"slices"
	"strings"
	"time"
)

// refModel is the reference the model-based test compares the ledger with:
// a naive simulation that tracks every single point as its own unit, with
// no lots, draws or indexes. It is slow and obviously right, for small
// amounts.
type refModel struct {
	units    []*unit
	debt     map[string]int64
	spends   map[string]*refSpend
	returned map[string]int64 // purchase -> points returned
	earned   map[string]int64 // purchase -> points earned
}

type unitState int

const (
	uPending unitState = iota
	uFree
	uHeld
	uSpent
	uGone
)

type unit struct {
	owner   string
	lot     string
	source  string
	earned  time.Time
	expires time.Time
	state   unitState
	by      string // the hold or redemption holding or spending it
}

type refSpend struct {
	hold     bool
	state    HoldState
	units    []*unit // in draw order
	refunded int
}

func newRefModel() *refModel {
	return &refModel{debt: map[string]int64{}, spends: map[string]*refSpend{},
		returned: map[string]int64{}, earned: map[string]int64{}}
}

func (u *unit) expiredAt(t time.Time) bool { return !u.expires.IsZero() && !u.expires.After(t) }

func (u *unit) alive() bool { return u.state == uPending || u.state == uFree || u.state == uHeld }

// ordered returns the owner's units matching keep, in spending order.
func (m *refModel) ordered(owner string, keep func(*unit) bool) []*unit {
	var out []*unit
	for _, u := range m.units {
		if u.owner == owner && keep(u) {
			out = append(out, u)
		}
	}
	slices.SortStableFunc(out, func(a, b *unit) int {
		switch {
		case a.expires.IsZero() && !b.expires.IsZero():
			return 1
		case !a.expires.IsZero() && b.expires.IsZero():
			return -1
		}
		if c := a.expires.Compare(b.expires); c != 0 {
			return c
		}
		if c := a.earned.Compare(b.earned); c != 0 {
			return c
		}
		return strings.Compare(a.lot, b.lot)
	})
	return out
}

func (m *refModel) free(owner string, at time.Time) []*unit {
	return m.ordered(owner, func(u *unit) bool { return u.state == uFree && !u.expiredAt(at) })
}

func (m *refModel) available(owner string, at time.Time) int64 { return int64(len(m.free(owner, at))) }

func (m *refModel) pending(owner string, at time.Time) int64 {
	return int64(len(m.ordered(owner, func(u *unit) bool { return u.state == uPending && !u.expiredAt(at) })))
}

func (m *refModel) held(owner string) int64 {
	return int64(len(m.ordered(owner, func(u *unit) bool { return u.state == uHeld })))
}

func (m *refModel) lotRemaining(lot string) int64 {
	var n int64
	for _, u := range m.units {
		if u.lot == lot && u.alive() {
			n++
		}
	}
	return n
}

func (m *refModel) payDebt(owner string, at time.Time) {
	for _, u := range m.free(owner, at) {
		if m.debt[owner] == 0 {
			return
		}
		u.state = uGone
		m.debt[owner]--
	}
}

func (m *refModel) earn(owner, lot, source string, n int64, at, pendingUntil, expires time.Time) {
	st := uFree
	if pendingUntil.After(at) {
		st = uPending
	}
	for range n {
		m.units = append(m.units, &unit{owner: owner, lot: lot, source: source, earned: at, expires: expires, state: st})
	}
	if source != "" {
		m.earned[source] += n
	}
	m.payDebt(owner, at)
}

func (m *refModel) release(owner, lot string, at time.Time) {
	for _, u := range m.units {
		if u.lot == lot && u.state == uPending {
			u.state = uFree
		}
	}
	m.payDebt(owner, at)
}

func (m *refModel) releaseDue(owner string, at time.Time, pendingUntil map[string]time.Time) {
	for _, u := range m.units {
		if u.owner == owner && u.state == uPending && !pendingUntil[u.lot].After(at) {
			u.state = uFree
		}
	}
	m.payDebt(owner, at)
}

// spend returns false when too few points are free.
func (m *refModel) spend(owner, id string, n int64, at time.Time, hold bool) bool {
	free := m.free(owner, at)
	if int64(len(free)) < n {
		return false
	}
	s := &refSpend{hold: hold, state: HoldOpen}
	for _, u := range free[:n] {
		u.state, u.by = uSpent, id
		if hold {
			u.state = uHeld
		}
		s.units = append(s.units, u)
	}
	m.spends[id] = s
	return true
}

func (m *refModel) endHold(owner, id string, at time.Time, commit bool) {
	s := m.spends[id]
	for _, u := range s.units {
		if commit {
			u.state = uSpent
			continue
		}
		u.state = uFree
	}
	if commit {
		s.state = HoldCommitted
		return
	}
	for _, u := range s.units {
		m.expireLot(u.lot, at)
	}
	s.state = HoldReleased
	m.payDebt(owner, at)
}

func (m *refModel) refund(owner, id string, n int64, at time.Time) {
	s := m.spends[id]
	for i := len(s.units) - 1 - s.refunded; n > 0; i-- {
		u := s.units[i]
		u.state = uFree
		m.expireLot(u.lot, at)
		s.refunded++
		n--
	}
	m.payDebt(owner, at)
}

func (m *refModel) clawback(owner, purchase string, n int64, at time.Time, policy ClawbackPolicy) {
	m.returned[purchase] += n
	own := func(st unitState) []*unit {
		return m.ordered(owner, func(u *unit) bool { return u.source == purchase && u.state == st && !u.expiredAt(at) })
	}
	take := own(uPending)
	if policy != OnlyPending {
		take = append(take, own(uFree)...)
		for _, u := range m.free(owner, at) {
			if u.source != purchase {
				take = append(take, u)
			}
		}
	}
	for _, u := range take {
		if n == 0 {
			break
		}
		u.state = uGone
		n--
	}
	if policy == AllowDebt {
		m.debt[owner] += n
	}
}

func (m *refModel) expire(owner string, at time.Time) {
	for _, u := range m.units {
		if u.owner == owner && (u.state == uPending || u.state == uFree) && u.expiredAt(at) {
			u.state = uGone
		}
	}
}

func (m *refModel) merge(into, from string, at time.Time) {
	for _, u := range m.units {
		if u.owner == from {
			u.owner = into
		}
	}
	m.debt[into] += m.debt[from]
	m.debt[from] = 0
	m.payDebt(into, at)
}

// expireLot expires what is left of a lot past its expiry when points come
// back to it (a refund or a released hold): the ledger records the whole
// lot's expiry then, as Expire would.
func (m *refModel) expireLot(lot string, at time.Time) {
	for _, u := range m.units {
		if u.lot == lot && (u.state == uPending || u.state == uFree) && u.expiredAt(at) {
			u.state = uGone
		}
	}
}

// expireAll expires every unheld point (inactivity).
func (m *refModel) expireAll(owner string) {
	for _, u := range m.units {
		if u.owner == owner && (u.state == uPending || u.state == uFree) {
			u.state = uGone
		}
	}
}
