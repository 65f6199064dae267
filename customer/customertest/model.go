package customertest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// ModelOptions size a run of Model. The zero value is a short run.
type ModelOptions struct {
	// Sequences is how many random sequences run. Default 20.
	Sequences int
	// Seed is the seed of the first sequence; sequence i uses Seed+i, so
	// one failing sequence replays alone with its own seed and
	// Sequences 1. Zero picks a seed at random. The seed is logged.
	Seed uint64
	// Lanes is how many goroutines run each round's steps at once.
	// Default 3.
	Lanes int
	// Rounds is how many rounds a sequence has; every lane takes two steps
	// a round. Default 6.
	Rounds int
}

func (o ModelOptions) withDefaults() ModelOptions {
	if o.Sequences <= 0 {
		o.Sequences = 20
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64() >> 1 // fits an int64 flag
	}
	if o.Lanes <= 0 {
		o.Lanes = 3
	}
	if o.Rounds <= 0 {
		o.Rounds = 6
	}
	return o
}

// Model drives customer.Service over stores from newStore with random
// sequences of registrations, identity adds and removals, merges in both
// directions (each round has a pair that lanes merge both ways at once),
// merges cut short by a crash and resumed (sometimes after their survivor
// was merged on), erasures, registrations that reuse an identity, and
// replays of registrations made with a request ID, from several goroutines
// at once. Each replay must return the customer its registration created
// (or ErrErased once that customer is erased) and create nobody. After
// every round, once its steps have returned, it checks that:
//
//   - every identity given to a customer, and not removed since, is found
//     by FindByIdentity at exactly the live customer its owner's merges end
//     at, which lists it, or, if that customer was erased, is found
//     nowhere;
//   - no live customer lists an identity another live customer lists, and
//     each identity a live customer lists is indexed to it;
//   - no customer keeps identities parked by a merge, and a merged
//     customer lists none of its own;
//   - every merge that succeeded left both customers resolving to one,
//     and every erasure that succeeded left its customer erased.
//
// The steps of a round run concurrently, so a seed fixes the plan, not the
// interleaving; a failure names the sequence's seed. Each sequence may use
// its own store or share one: customer IDs and identities are unique to
// the sequence. A step's caller behaves as a POS should: a merge that
// fails with ErrConflict is tried again, a few times.
func Model(t *testing.T, newStore func(t *testing.T) customer.Store, opts ModelOptions) {
	t.Helper()
	opts = opts.withDefaults()
	t.Logf("customer model: %d sequences, seeds %d to %d, %d lanes, %d rounds",
		opts.Sequences, opts.Seed, opts.Seed+uint64(opts.Sequences)-1, opts.Lanes, opts.Rounds)
	for i := range opts.Sequences {
		seed := opts.Seed + uint64(i)
		m := newModel(t, newStore(t), seed)
		m.run(opts.Lanes, opts.Rounds)
		if t.Failed() {
			t.Fatalf("customer model: sequence %d failed: replay with seed %d", i, seed)
		}
	}
}

// errCrash is what a store returns once the process it serves has died.
var errCrash = errors.New("customertest: the process crashed")

// crashStore serves one call of the service and dies at its crashAt-th
// write: before the write (after false) or just after it (after true).
// Every write after that fails too. One goroutine uses it.
type crashStore struct {
	customer.Store
	crashAt, writes int
	after           bool
}

func (s *crashStore) write(do func() error) error {
	s.writes++
	switch {
	case s.writes < s.crashAt:
		return do()
	case s.writes == s.crashAt && s.after:
		_ = do() // the write lands; the reply is lost
	}
	return errCrash
}

func (s *crashStore) CreateCustomer(ctx context.Context, c customer.Customer) error {
	return s.write(func() error { return s.Store.CreateCustomer(ctx, c) })
}

func (s *crashStore) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	return s.write(func() error { return s.Store.UpdateCustomer(ctx, c) })
}

func (s *crashStore) AddMerge(ctx context.Context, m customer.MergeRecord) error {
	return s.write(func() error { return s.Store.AddMerge(ctx, m) })
}

func (s *crashStore) AbandonMerge(ctx context.Context, duplicate string, attempt int, at time.Time) error {
	return s.write(func() error { return s.Store.AbandonMerge(ctx, duplicate, attempt, at) })
}

func (s *crashStore) Reassign(ctx context.Context, from, to string) error {
	return s.write(func() error { return s.Store.Reassign(ctx, from, to) })
}

func (s *crashStore) ReassignInteractions(ctx context.Context, from, to string) error {
	return s.write(func() error { return s.Store.ReassignInteractions(ctx, from, to) })
}

func (s *crashStore) RedactInteractions(ctx context.Context, id string) error {
	return s.write(func() error { return s.Store.RedactInteractions(ctx, id) })
}

// identity is an identity as the model gives it: raw, as typed, and as
// stored.
type identity struct {
	kind customer.IdentityKind
	raw  string
	id   customer.Identity
}

// model is one sequence: the service under test and what the model knows
// the steps did.
type model struct {
	t     *testing.T
	seed  uint64
	rng   *rand.Rand
	store customer.Store
	opts  customer.Options
	shop  *customer.Service

	ids        []string            // customers registered, oldest first
	identities []identity          // every identity given out, oldest first
	owner      map[string]string   // identity key -> customer it was last given to
	removed    map[string]bool     // identity key -> removed since
	merged     [][2]string         // merges that succeeded: survivor, duplicate
	erased     []string            // customers whose erasure succeeded
	gone       map[string]bool     // customers whose chain ended erased at the last check
	live       map[string][]string // live customer -> identity keys, at the last check
	fresh      int                 // identities given out so far
	requests   []request           // registrations made with a request ID
}

// request is a registration made with a request ID and the customer it
// created, for replays.
type request struct {
	r  customer.Registration
	id string
}

// phones numbers the phones of every sequence in the process, so that
// sequences sharing a store never share a phone.
var phones atomic.Int64

// maxCustomers keeps merge chains well inside the service's bound.
const maxCustomers = 12

func newModel(t *testing.T, s customer.Store, seed uint64) *model {
	m := &model{
		t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 0x636c69656e74656c)), store: s,
		owner: map[string]string{}, removed: map[string]bool{}, gone: map[string]bool{},
	}
	var n atomic.Int64
	m.opts = customer.Options{
		NewID:        func() string { return fmt.Sprintf("m%d-c%02d", seed, n.Add(1)) },
		Clock:        func() time.Time { return base },
		TombstoneKey: []byte("customertest model"),
	}
	m.shop = customer.NewService(s, &m.opts)
	return m
}

// newIdentity returns an identity of kind no sequence has used.
func (m *model) newIdentity(kind customer.IdentityKind) identity {
	m.fresh++
	var raw, value string
	switch kind {
	case customer.IdentityPhone:
		raw = fmt.Sprintf("139%08d", phones.Add(1)%100_000_000)
		value = "+86" + raw
	case customer.IdentityEmail:
		raw = fmt.Sprintf("m%d.%d@example.com", m.seed, m.fresh)
		value = raw
	case customer.IdentityMember:
		raw = fmt.Sprintf("M%d-%d", m.seed, m.fresh)
		value = raw
	default:
		raw = fmt.Sprintf("wechat:m%d-%d", m.seed, m.fresh)
		kind, value = customer.IdentityExternal, raw
	}
	return identity{kind: kind, raw: raw, id: customer.Identity{Kind: kind, Value: value}}
}

// step is one planned operation: do runs it (concurrently with the other
// lanes) and returns what the model records once the round is over.
type step struct {
	what string
	do   func(ctx context.Context) func()
}

func (m *model) run(lanes, rounds int) {
	ctx := m.t.Context()
	for range 4 {
		m.apply(m.register(m.rng.IntN(3))(ctx))
	}
	m.check("setup")
	if len(m.ids) < 2 {
		m.t.Errorf("seed %d: %d of 4 setup registrations succeeded", m.seed, len(m.ids))
		return
	}
	for round := range rounds {
		if m.t.Failed() {
			return
		}
		hot := m.pair()
		plans := make([][]step, lanes)
		for lane := range plans {
			for range 2 {
				plans[lane] = append(plans[lane], m.plan(hot))
			}
		}
		m.round(fmt.Sprintf("round %d", round), plans)
	}
}

// round runs each lane's steps in a goroutine of its own, records what
// they did, and checks the invariants.
func (m *model) round(name string, plans [][]step) {
	ctx := m.t.Context()
	records := make([][]func(), len(plans))
	var wg sync.WaitGroup
	for lane, plan := range plans {
		wg.Go(func() {
			for _, st := range plan {
				records[lane] = append(records[lane], st.do(ctx))
			}
		})
	}
	wg.Wait()
	for _, rs := range records {
		for _, r := range rs {
			m.apply(r)
		}
	}
	if !m.t.Failed() {
		m.check(name)
	}
	if m.t.Failed() {
		m.t.Logf("seed %d, %s, steps by lane: %v", m.seed, name, whats(plans))
	}
}

func whats(plans [][]step) [][]string {
	out := make([][]string, len(plans))
	for i, p := range plans {
		for _, st := range p {
			out[i] = append(out[i], st.what)
		}
	}
	return out
}

func (m *model) apply(record func()) {
	if record != nil {
		record()
	}
}

// pair returns two different customers, at random.
func (m *model) pair() [2]string {
	i := m.rng.IntN(len(m.ids))
	j := (i + 1 + m.rng.IntN(len(m.ids)-1)) % len(m.ids)
	return [2]string{m.ids[i], m.ids[j]}
}

func (m *model) anyCustomer() string { return m.ids[m.rng.IntN(len(m.ids))] }

// plan picks the next step at random; half the merges are of the round's
// hot pair, in either direction, so lanes race opposite merges.
func (m *model) plan(hot [2]string) step {
	switch r := m.rng.IntN(100); {
	case r < 12 && len(m.ids) < maxCustomers:
		return step{"register", m.register(m.rng.IntN(3))}
	case r < 27:
		kind := customer.IdentityEmail
		if m.rng.IntN(2) == 0 {
			kind = customer.IdentityExternal
		}
		return m.addIdentity(m.anyCustomer(), m.newIdentity(kind))
	case r < 37:
		return m.removeIdentity()
	case r < 67:
		p := m.pair()
		if m.rng.IntN(2) == 0 {
			p = hot
			if m.rng.IntN(2) == 0 {
				p[0], p[1] = p[1], p[0]
			}
		}
		return m.merge(p[0], p[1])
	case r < 82:
		p := hot
		if m.rng.IntN(2) == 0 {
			p = m.pair()
		}
		onward := ""
		if len(m.ids) > 2 && m.rng.IntN(2) == 0 {
			for onward == "" || onward == p[0] || onward == p[1] {
				onward = m.anyCustomer()
			}
		}
		return m.crashMerge(p[0], p[1], 1+m.rng.IntN(10), m.rng.IntN(2) == 0, onward)
	case r < 86:
		return m.erase(m.anyCustomer())
	case r < 90 && len(m.requests) > 0:
		return m.replay(m.requests[m.rng.IntN(len(m.requests))])
	case len(m.identities) > 0:
		return m.reuse(m.identities[m.rng.IntN(len(m.identities))])
	}
	return m.merge(hot[0], hot[1])
}

// register plans a registration with a phone and extra identities.
func (m *model) register(extra int) func(ctx context.Context) func() {
	ids := []identity{m.newIdentity(customer.IdentityPhone)}
	for k := range extra {
		ids = append(ids, m.newIdentity([]customer.IdentityKind{customer.IdentityEmail, customer.IdentityMember}[k]))
	}
	r := customer.Registration{Profile: customer.Profile{Name: "Shopper"}, Force: true, Phone: ids[0].raw}
	if m.rng.IntN(2) == 0 {
		r.RequestID = fmt.Sprintf("m%d-r%d", m.seed, m.fresh)
	}
	for _, id := range ids[1:] {
		switch id.kind {
		case customer.IdentityEmail:
			r.Email = id.raw
		case customer.IdentityMember:
			r.MemberNumber = id.raw
		}
	}
	return func(ctx context.Context) func() {
		c, err := m.shop.Register(ctx, r)
		if err != nil {
			m.t.Errorf("seed %d: register: %v", m.seed, err)
			return nil
		}
		return func() {
			m.ids = append(m.ids, c.ID)
			for _, id := range ids {
				m.give(id, c.ID)
			}
			if r.RequestID != "" {
				m.requests = append(m.requests, request{r, c.ID})
			}
		}
	}
}

// replay plans a lane's retry of a registration that landed: it must
// return the customer the registration created, whatever merges, identity
// changes and other replays did since, and create nobody; once the
// customer is erased it must be ErrErased.
func (m *model) replay(q request) step {
	return step{"replay registration", func(ctx context.Context) func() {
		c, err := m.shop.Register(ctx, q.r)
		switch {
		case err == nil && c.ID != q.id:
			m.t.Errorf("seed %d: replay of %s returned customer %s, not %s", m.seed, q.r.RequestID, c.ID, q.id)
		case err == nil:
		case errors.Is(err, customer.ErrErased):
			if stored, gerr := m.store.GetCustomer(ctx, q.id); gerr != nil || !stored.Erased() {
				m.t.Errorf("seed %d: replay of %s: ErrErased, but customer %s is not erased (%v)", m.seed, q.r.RequestID, q.id, gerr)
			}
		default:
			m.t.Errorf("seed %d: replay of %s: %v", m.seed, q.r.RequestID, err)
		}
		return nil
	}}
}

func (m *model) give(id identity, to string) {
	k := id.id.Key()
	if _, seen := m.owner[k]; !seen {
		m.identities = append(m.identities, id)
	}
	m.owner[k], m.removed[k] = to, false
}

func (m *model) addIdentity(to string, id identity) step {
	return step{"add " + to, func(ctx context.Context) func() {
		_, err := m.shop.AddIdentity(ctx, to, id.kind, id.raw, false)
		if err != nil {
			m.expect(err, "add identity", customer.ErrMerged, customer.ErrErased, customer.ErrConflict)
			return nil
		}
		return func() { m.give(id, to) }
	}}
}

// removeIdentity removes one identity a live customer held at the last
// check.
func (m *model) removeIdentity() step {
	var holders []string
	for id, keys := range m.live {
		if len(keys) > 0 {
			holders = append(holders, id)
		}
	}
	if len(holders) == 0 {
		return m.addIdentity(m.anyCustomer(), m.newIdentity(customer.IdentityEmail))
	}
	slices.Sort(holders)
	from := holders[m.rng.IntN(len(holders))]
	key := m.live[from][m.rng.IntN(len(m.live[from]))]
	i := slices.IndexFunc(m.identities, func(id identity) bool { return id.id.Key() == key })
	if i < 0 {
		return m.addIdentity(from, m.newIdentity(customer.IdentityEmail))
	}
	id := m.identities[i]
	return step{"remove " + from, func(ctx context.Context) func() {
		_, err := m.shop.RemoveIdentity(ctx, from, id.kind, id.raw)
		if err != nil {
			m.expect(err, "remove identity", customer.ErrMerged, customer.ErrErased, customer.ErrConflict)
			return nil
		}
		return func() { m.removed[key] = true }
	}}
}

// mergeErrors are the failures a merge may end with in a race.
var mergeErrors = []error{customer.ErrConflict, customer.ErrMerged, customer.ErrErased, customer.ErrIdempotencyMismatch}

func (m *model) merge(survivor, duplicate string) step {
	return step{"merge " + duplicate + " into " + survivor, func(ctx context.Context) func() {
		return m.mergeNow(ctx, survivor, duplicate)
	}}
}

// mergeNow merges as a POS does: a conflict is tried again, a few times.
func (m *model) mergeNow(ctx context.Context, survivor, duplicate string) func() {
	var err error
	for range 3 {
		_, err = m.shop.Merge(ctx, survivor, duplicate, customer.MergeRequest{Actor: "model"})
		if !errors.Is(err, customer.ErrConflict) {
			break
		}
	}
	if err != nil {
		m.expect(err, "merge", mergeErrors...)
		return nil
	}
	return func() { m.merged = append(m.merged, [2]string{survivor, duplicate}) }
}

// crashMerge cuts a merge short at its crashAt-th write, merges the
// survivor on into onward (if set) meanwhile, and resumes the merge.
func (m *model) crashMerge(survivor, duplicate string, crashAt int, after bool, onward string) step {
	what := fmt.Sprintf("merge %s into %s, crash at write %d (after %v), onward into %q, resume",
		duplicate, survivor, crashAt, after, onward)
	return step{what, func(ctx context.Context) func() {
		dying := customer.NewService(&crashStore{Store: m.store, crashAt: crashAt, after: after}, &m.opts)
		if _, err := dying.Merge(ctx, survivor, duplicate, customer.MergeRequest{Actor: "model"}); err != nil && !errors.Is(err, errCrash) {
			m.expect(err, "merge cut short", mergeErrors...)
		}
		var records []func()
		if onward != "" {
			records = append(records, m.mergeNow(ctx, onward, survivor))
		}
		records = append(records, m.mergeNow(ctx, survivor, duplicate))
		return func() {
			for _, r := range records {
				m.apply(r)
			}
		}
	}}
}

func (m *model) erase(id string) step {
	return step{"erase " + id, func(ctx context.Context) func() {
		if err := m.shop.Erase(ctx, id, customer.EraseRequest{Actor: "model"}); err != nil {
			m.expect(err, "erase", customer.ErrConflict)
			return nil
		}
		return func() { m.erased = append(m.erased, id) }
	}}
}

// reuse registers a new customer with an identity given out before: it
// must be refused while a customer holds it, and after an erasure.
func (m *model) reuse(id identity) step {
	k := id.id.Key()
	wasErased := m.gone[m.owner[k]] && !m.removed[k]
	r := customer.Registration{Profile: customer.Profile{Name: "Returning"}, Force: true}
	switch id.kind {
	case customer.IdentityPhone:
		r.Phone = id.raw
	case customer.IdentityEmail:
		r.Email = id.raw
	case customer.IdentityMember:
		r.MemberNumber = id.raw
	default:
		r.ExternalIDs = []string{id.raw}
	}
	if len(m.ids) >= maxCustomers {
		return m.addIdentity(m.anyCustomer(), m.newIdentity(customer.IdentityEmail))
	}
	return step{"reuse an identity", func(ctx context.Context) func() {
		c, err := m.shop.Register(ctx, r)
		if err != nil {
			m.expect(err, "register a used identity", customer.ErrIdentityTaken, customer.ErrErased)
			return nil
		}
		if wasErased {
			m.t.Errorf("seed %d: an identity of an erased customer was registered again", m.seed)
		}
		return func() {
			m.ids = append(m.ids, c.ID)
			m.give(id, c.ID)
		}
	}}
}

func (m *model) expect(err error, op string, allowed ...error) {
	for _, a := range allowed {
		if errors.Is(err, a) {
			return
		}
	}
	m.t.Errorf("seed %d: %s: unexpected error: %v", m.seed, op, err)
}

// check verifies the model's invariants against the store, and notes
// which customers are live for the next round's plan.
func (m *model) check(when string) {
	t, ctx := m.t, m.t.Context()
	fail := func(format string, args ...any) {
		t.Errorf("seed %d, after %s: %s", m.seed, when, fmt.Sprintf(format, args...))
	}
	end := map[string]customer.Customer{}
	resolve := func(id string) (customer.Customer, bool) {
		if c, ok := end[id]; ok {
			return c, true
		}
		c, err := m.shop.Get(ctx, id)
		if err != nil {
			fail("customer %s does not resolve: %v", id, err)
			return c, false
		}
		end[id] = c
		return c, true
	}

	// Records: nothing parked, merged customers hold nothing, live ones
	// hold what the index says and nobody else holds it.
	m.live = map[string][]string{}
	holder := map[string]string{}
	for _, id := range m.ids {
		c, err := m.store.GetCustomer(ctx, id)
		if err != nil {
			fail("customer %s: %v", id, err)
			continue
		}
		if len(c.MovedIdentities) > 0 {
			fail("customer %s keeps %d parked identities", id, len(c.MovedIdentities))
		}
		own := slices.DeleteFunc(slices.Clone(c.Identities), func(x customer.Identity) bool {
			return x.Kind == customer.IdentityTombstone
		})
		if c.MergedInto != "" || c.Erased() {
			if len(own) > 0 {
				fail("customer %s is merged or erased but lists %d identities", id, len(own))
			}
			continue
		}
		keys := []string{}
		for _, x := range own {
			if h, ok := holder[x.Key()]; ok {
				fail("live customers %s and %s both list an identity", h, id)
			}
			holder[x.Key()] = id
			keys = append(keys, x.Key())
			got, err := m.store.CustomerByIdentity(ctx, x)
			if err != nil || got.ID != id {
				fail("customer %s lists an identity the index does not give it (%v)", id, err)
			}
		}
		m.live[id] = keys
	}

	// Identities: found at the end of their owner's merges, or erased.
	for _, id := range m.identities {
		k := id.id.Key()
		if m.removed[k] {
			continue
		}
		want, ok := resolve(m.owner[k])
		if !ok {
			continue
		}
		got, err := m.shop.FindByIdentity(ctx, id.kind, id.raw)
		switch {
		case want.Erased():
			if !errors.Is(err, customer.ErrNotFound) {
				fail("an identity of erased customer %s is still found (%v)", want.ID, err)
			}
		case err != nil:
			fail("an identity of %s (now %s) was lost: %v", m.owner[k], want.ID, err)
		case got.ID != want.ID:
			fail("an identity of %s is found at %s, not at %s where its merges end", m.owner[k], got.ID, want.ID)
		case !slices.Contains(want.Identities, id.id):
			fail("customer %s is found by an identity it does not list", want.ID)
		}
	}

	// Outcomes: merges that succeeded hold, erasures that succeeded too.
	for _, p := range m.merged {
		s, ok1 := resolve(p[0])
		d, ok2 := resolve(p[1])
		if ok1 && ok2 && s.ID != d.ID {
			fail("merge of %s into %s succeeded, but they resolve to %s and %s", p[1], p[0], d.ID, s.ID)
		}
	}
	for _, id := range m.erased {
		if c, ok := resolve(id); ok && !c.Erased() {
			fail("erasure of %s succeeded, but it resolves to %s, not erased", id, c.ID)
		}
	}
	m.gone = map[string]bool{}
	for id, c := range end {
		m.gone[id] = c.Erased()
	}
}
