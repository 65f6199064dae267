package ledger

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	seedFlag      = flag.Int64("seed", 0, "ledger model test: first sequence seed (0: from the clock)")
	sequencesFlag = flag.Int("sequences", 0, "ledger model test: number of sequences (0: 10000; 1000 with -short; 2000 with -race)")
)

// TestModel drives random operation sequences through the ledger and the
// per-point reference model, checking the invariants after every step.
// A failure names its seed; replay it with
//
//	go test ./loyalty/ledger -run TestModel -seed=S -sequences=1
func TestModel(t *testing.T) {
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano() % 1_000_000_000
	}
	n := *sequencesFlag
	if n == 0 {
		switch {
		case testing.Short():
			n = 1_000
		case raceEnabled:
			n = 2_000
		default:
			n = 10_000
		}
	}
	t.Logf("seed %d, %d sequences", seed, n)
	for i := range int64(n) {
		s := seed + i
		if err := runSequence(s, 40); err != nil {
			t.Fatalf("seed %d: %v\nreplay: go test ./loyalty/ledger -run TestModel -seed=%d -sequences=1", s, err, s)
		}
	}
}

type modelRun struct {
	rng       *rand.Rand
	now       time.Time
	nextID    int
	accts     map[string]Account
	hist      map[string][]Entry
	ref       *refModel
	lots      map[string]string    // lot -> owner
	pendUntil map[string]time.Time // lot -> PendingUntil
	purchases map[string]string    // purchase -> owner
	spends    map[string]string    // redemption or hold -> owner
	holds     map[string]string    // hold -> owner
	replays   []func() error       // successful operations, to replay
	merged    bool
	log       []fmt.Stringer
}

var modelStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func runSequence(seed int64, steps int) (err error) {
	m := &modelRun{
		rng: rand.New(rand.NewPCG(uint64(seed), 0x1ed6e7)), now: modelStart,
		accts: map[string]Account{}, hist: map[string][]Entry{}, ref: newRefModel(),
		lots: map[string]string{}, pendUntil: map[string]time.Time{}, purchases: map[string]string{},
		spends: map[string]string{}, holds: map[string]string{},
	}
	for _, id := range []string{"A", "B"} {
		if m.accts[id], err = New(id); err != nil {
			return err
		}
	}
	for step := range steps {
		if err := m.step(); err != nil {
			return fmt.Errorf("step %d: %w\nops:\n%s", step, err, joinLines(m.log))
		}
	}
	return nil
}

func joinLines(ls []fmt.Stringer) string {
	s := ""
	for _, l := range ls {
		s += "  " + l.String() + "\n"
	}
	return s
}

// lazyText formats only when a failure prints it: formatting every step
// would dominate the test's run time.
type lazyText struct {
	format string
	args   []any
}

func lazy(format string, args ...any) lazyText { return lazyText{format, args} }

func (l lazyText) String() string {
	args := slices.Clone(l.args)
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			args[i] = t.Format("01-02T15")
		}
	}
	return fmt.Sprintf(l.format, args...)
}

func (m *modelRun) id(prefix string) string {
	m.nextID++
	return fmt.Sprintf("%s%d", prefix, m.nextID)
}

func (m *modelRun) owner() string {
	if m.merged || m.rng.IntN(3) > 0 {
		return "A"
	}
	return "B"
}

func (m *modelRun) pick(from map[string]string, owner string) (string, bool) {
	var ids []string
	for id, o := range from {
		if o == owner {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "", false
	}
	slices.Sort(ids)
	return ids[m.rng.IntN(len(ids))], true
}

func (m *modelRun) days(lo, hi int) time.Time {
	return m.now.Add(time.Duration(lo+m.rng.IntN(hi-lo+1)) * 24 * time.Hour)
}

func (m *modelRun) step() error {
	m.now = m.now.Add(time.Duration(m.rng.IntN(72)) * time.Hour)
	owner := m.owner()
	n := int64(1 + m.rng.IntN(30))
	switch r := m.rng.IntN(100); {
	case r < 25:
		return m.earn(owner, n)
	case r < 32:
		return m.release(owner)
	case r < 45:
		return m.spend(owner, n, false)
	case r < 55:
		return m.spend(owner, n, true)
	case r < 62:
		return m.endHold(owner)
	case r < 72:
		return m.clawback(owner, n)
	case r < 80:
		return m.refund(owner, n)
	case r < 84:
		return m.expire(owner)
	case r < 86:
		return m.expireInactive(owner)
	case r < 92:
		return m.adjust(owner, n)
	case r < 93 && !m.merged:
		return m.merge()
	case len(m.replays) > 0:
		return m.replays[m.rng.IntN(len(m.replays))]()
	}
	return m.expire(owner)
}

// apply runs one ledger operation on an account and checks it: the error
// matches want (nil: success), a failure changes nothing, and the
// invariants and the reference model agree afterwards.
func (m *modelRun) apply(owner string, desc fmt.Stringer, want error, op func(Account) (Account, []Entry, error)) error {
	m.log = append(m.log, lazy("%s %s @%s", owner, desc, m.now))
	before := m.accts[owner]
	// Rendering every lot is the test's main cost: do it on every failure
	// and on one success in eight.
	full := want != nil || m.rng.IntN(8) == 0
	fingerprint := describe(before, full)
	next, entries, err := op(before)
	if describe(before, full) != fingerprint {
		return fmt.Errorf("%s changed its receiver", desc)
	}
	if d := fmt.Sprint(desc); before.part == nil && !strings.HasPrefix(d, "merge") {
		byID := strings.HasPrefix(d, "release ") && d != "release due"
		if perr := checkPartial(m.rng, before, next, entries, err, byID, op); perr != nil {
			return fmt.Errorf("%s: %w", desc, perr)
		}
	}
	switch {
	case want == nil && err != nil:
		return fmt.Errorf("%s: unexpected error %w", desc, err)
	case want != nil && !errors.Is(err, want):
		return fmt.Errorf("%s: error %v, want %v", desc, err, want)
	case err != nil:
		if len(entries) != 0 {
			return fmt.Errorf("%s failed with entries", desc)
		}
		return m.check(owner)
	}
	m.accts[owner] = next
	return m.record(owner, entries)
}

func (m *modelRun) record(owner string, entries []Entry) error {
	if m.rng.IntN(10) == 0 {
		if err := m.restore(owner); err != nil {
			return err
		}
	}
	seen := m.hist[owner]
	m.hist[owner] = append(seen[:len(seen):len(seen)], entries...)
	if err := CheckAppendOnly(seen, m.hist[owner]); err != nil {
		return err
	}
	return m.check(owner)
}

// check compares an account with its history and with the reference.
func (m *modelRun) check(owner string) error {
	a := m.accts[owner]
	if err := CheckInvariants(a, m.hist[owner]); err != nil {
		return err
	}
	ref := m.ref
	got := [4]int64{a.Available(m.now), a.Pending(m.now), a.Held(), a.Debt()}
	want := [4]int64{ref.available(owner, m.now), ref.pending(owner, m.now), ref.held(owner), ref.debt[owner]}
	if got != want {
		return fmt.Errorf("account %s: available/pending/held/debt %v, reference %v", owner, got, want)
	}
	if a.Debt() > 0 && a.Available(m.now) > 0 {
		return fmt.Errorf("account %s owes %d with %d available", owner, a.Debt(), a.Available(m.now))
	}
	for lot, o := range m.lots {
		if o != owner {
			continue
		}
		l, ok := a.Lot(lot)
		if !ok || l.Remaining != ref.lotRemaining(lot) {
			return fmt.Errorf("lot %s: remaining %d (found %v), reference %d", lot, l.Remaining, ok, ref.lotRemaining(lot))
		}
	}
	return nil
}

// replayable remembers a successful operation: running it again must
// append nothing and change nothing.
func (m *modelRun) replayable(owner string, desc fmt.Stringer, op func(Account) (Account, []Entry, error)) {
	m.replays = append(m.replays, func() error {
		if m.merged && owner == "B" {
			return nil // B is empty: a replay on it is a different request
		}
		m.log = append(m.log, lazy("replay %s", desc))
		before := m.accts[owner]
		next, entries, err := op(before)
		if err != nil || len(entries) != 0 || next.Version() != before.Version() {
			return fmt.Errorf("replay of %s: err %v, %d entries", desc, err, len(entries))
		}
		return nil
	})
}

func (m *modelRun) earn(owner string, n int64) error {
	lot, purchase := m.id("L"), m.id("P")
	if p, ok := m.pick(m.purchases, owner); ok && m.rng.IntN(4) == 0 {
		purchase = p // a second lot for the same purchase (e.g. a bonus)
	}
	var pendingUntil, expires time.Time
	if m.rng.IntN(2) == 0 {
		pendingUntil = m.days(0, 20)
	}
	if m.rng.IntN(5) > 0 {
		expires = m.days(1, 60)
	}
	desc := lazy("earn %s %d for %s pending %s expires %s", lot, n, purchase, pendingUntil, expires)
	at := m.now
	op := func(a Account) (Account, []Entry, error) { return a.Earn(lot, n, at, pendingUntil, expires, purchase) }
	m.ref.earn(owner, lot, purchase, n, at, pendingUntil, expires)
	m.lots[lot], m.purchases[purchase], m.pendUntil[lot] = owner, owner, pendingUntil
	m.replayable(owner, desc, op)
	return m.apply(owner, desc, nil, op)
}

func (m *modelRun) release(owner string) error {
	at := m.now
	if lot, ok := m.pick(m.lots, owner); ok && m.rng.IntN(2) == 0 {
		m.ref.release(owner, lot, at)
		return m.apply(owner, lazy("release %s", lot), nil, func(a Account) (Account, []Entry, error) { return a.Release(lot, at) })
	}
	m.ref.releaseDue(owner, at, m.pendUntil)
	return m.apply(owner, lazy("release due"), nil, func(a Account) (Account, []Entry, error) { return a.ReleaseDue(at) })
}

func (m *modelRun) spend(owner string, n int64, hold bool) error {
	id, at := m.id("R"), m.now
	var want error
	if !m.ref.spend(owner, id, n, at, hold) {
		want = ErrInsufficientPoints
	}
	op := func(a Account) (Account, []Entry, error) { return a.Redeem(id, n, at) }
	desc := lazy("redeem %s %d", id, n)
	if hold {
		op = func(a Account) (Account, []Entry, error) { return a.Hold(id, n, at) }
		desc = lazy("hold %s %d", id, n)
	}
	if want == nil {
		m.spends[id] = owner
		if hold {
			m.holds[id] = owner
		}
		m.replayable(owner, desc, op)
	}
	return m.apply(owner, desc, want, op)
}

func (m *modelRun) endHold(owner string) error {
	id, ok := m.pick(m.holds, owner)
	if !ok {
		return m.expire(owner)
	}
	at, commit := m.now, m.rng.IntN(2) == 0
	s := m.ref.spends[id]
	if s.state != HoldOpen {
		// Ending it the same way again is a no-op; the other way fails.
		again := s.state == HoldCommitted
		if m.rng.IntN(2) == 0 {
			again = !again
		}
		var want error
		if again != (s.state == HoldCommitted) {
			want = ErrHoldClosed
		}
		return m.apply(owner, lazy("end %s commit=%v again", id, again), want, func(a Account) (Account, []Entry, error) {
			if again {
				return a.CommitHold(id, at)
			}
			return a.ReleaseHold(id, at)
		})
	}
	m.ref.endHold(owner, id, at, commit)
	if !commit {
		delete(m.spends, id) // a released hold cannot be refunded
	}
	return m.apply(owner, lazy("end %s commit=%v", id, commit), nil, func(a Account) (Account, []Entry, error) {
		if commit {
			return a.CommitHold(id, at)
		}
		return a.ReleaseHold(id, at)
	})
}

func (m *modelRun) clawback(owner string, n int64) error {
	purchase, ok := m.pick(m.purchases, owner)
	if !ok {
		return m.expire(owner)
	}
	policy := []ClawbackPolicy{OnlyPending, WithinBalance, AllowDebt}[m.rng.IntN(3)]
	id, at := m.id("T"), m.now
	var want error
	if left := m.ref.earned[purchase] - m.ref.returned[purchase]; n > left {
		if want = ErrOverRefund; m.rng.IntN(2) == 0 && left > 0 {
			n, want = left, nil
		}
	}
	if want == nil {
		m.ref.clawback(owner, purchase, n, at, policy)
	}
	desc := lazy("clawback %s %d of %s %s", id, n, purchase, policy)
	op := func(a Account) (Account, []Entry, error) { return a.ClawBack(id, purchase, n, at, policy) }
	if want == nil {
		m.replayable(owner, desc, op)
	}
	return m.apply(owner, desc, want, op)
}

func (m *modelRun) refund(owner string, n int64) error {
	red, ok := m.pick(m.spends, owner)
	if !ok {
		return m.expire(owner)
	}
	s := m.ref.spends[red]
	id, at := m.id("F"), m.now
	var want error
	left := int64(len(s.units) - s.refunded)
	switch {
	case s.hold && s.state != HoldCommitted:
		want = ErrNotFound
	case n > left && left > 0 && m.rng.IntN(2) == 0:
		n = left
	case n > left:
		want = ErrOverRefund
	}
	if want == nil {
		m.ref.refund(owner, red, n, at)
	}
	desc := lazy("refund %s %d of %s", id, n, red)
	op := func(a Account) (Account, []Entry, error) { return a.RefundRedemption(id, red, n, at) }
	if want == nil {
		m.replayable(owner, desc, op)
	}
	return m.apply(owner, desc, want, op)
}

func (m *modelRun) expire(owner string) error {
	at := m.now
	m.ref.expire(owner, at)
	return m.apply(owner, lazy("expire"), nil, func(a Account) (Account, []Entry, error) { return a.Expire(at) })
}

func (m *modelRun) adjust(owner string, n int64) error {
	id, at := m.id("J"), m.now
	var expires time.Time
	if m.rng.IntN(2) == 0 {
		expires = m.days(1, 30)
	}
	var want error
	if m.rng.IntN(2) == 0 {
		n = -n
		if !m.ref.spend(owner, id, -n, at, false) {
			want = ErrInsufficientPoints
		}
		delete(m.ref.spends, id) // an adjustment is not refundable
	} else {
		m.ref.earn(owner, id, "", n, at, time.Time{}, expires)
		m.lots[id] = owner
	}
	desc := lazy("adjust %s %+d expires %s", id, n, expires)
	op := func(a Account) (Account, []Entry, error) { return a.Adjust(id, n, at, expires, "test", "clerk-1") }
	if want == nil {
		m.replayable(owner, desc, op)
	}
	return m.apply(owner, desc, want, op)
}

func (m *modelRun) merge() error {
	at := m.now
	m.log = append(m.log, lazy("merge B into A"))
	m.ref.merge("A", "B", at)
	res, err := m.accts["A"].MergeFrom(m.accts["B"], at)
	if err != nil {
		return err
	}
	m.merged = true
	for _, ids := range []map[string]string{m.lots, m.purchases, m.spends, m.holds} {
		for id := range ids {
			ids[id] = "A"
		}
	}
	m.accts["A"], m.accts["B"] = res.Survivor, res.Merged
	if err := m.record("A", res.SurvivorEntries); err != nil {
		return err
	}
	if err := m.record("B", res.MergedEntries); err != nil {
		return err
	}
	again, err := res.Survivor.MergeFrom(res.Merged, at)
	if err != nil || len(again.SurvivorEntries)+len(again.MergedEntries) != 0 {
		return fmt.Errorf("merge replay: %v", err)
	}
	return nil
}

// describe renders everything an account holds, to detect mutation.
func describe(a Account, full bool) string {
	if !full {
		return fmt.Sprintf("%v %+v", a, a.Totals())
	}
	return fmt.Sprintf("%v %+v %+v %+v", a, a.Totals(), a.Lots(), a.Holds())
}

// restore replaces an account by its snapshot's JSON round trip, so the
// rest of the sequence runs on a restored account.
func (m *modelRun) restore(owner string) error {
	a := m.accts[owner]
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	var b Account
	if err := json.Unmarshal(data, &b); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if describe(a, true) != describe(b, true) {
		return fmt.Errorf("restore changed the account:\n%s\n%s", describe(a, true), describe(b, true))
	}
	m.accts[owner] = b
	return nil
}

func (m *modelRun) expireInactive(owner string) error {
	at := m.now
	m.ref.expireAll(owner)
	return m.apply(owner, lazy("expire inactive"), nil, func(a Account) (Account, []Entry, error) { return a.ExpireInactive(at) })
}
