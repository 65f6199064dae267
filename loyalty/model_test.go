package loyalty_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var (
	modelSequences = flag.Int("loyalty.sequences", 60, "random operation sequences the service model test runs (10000 for the full run)")
	modelSeed      = flag.Uint64("loyalty.seed", 0, "seed of the service model test (0: derived from the time, and logged)")
)

const (
	modelRounds  = 15 // rounds per sequence
	modelWorkers = 4  // goroutines per round, sharing the accounts
	modelMembers = 3
)

// TestServiceModel drives random operation sequences through the service,
// four goroutines at a time on shared accounts, and checks every DESIGN §3
// invariant after every round. A failure names its sequence seed: rerun
// with -loyalty.seed=<seed> -loyalty.sequences=1.
func TestServiceModel(t *testing.T) {
	seed := *modelSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("service model: %d sequences from seed %d", *modelSequences, seed)
	for i := range *modelSequences {
		seqSeed := seed + uint64(i)
		if !t.Run(fmt.Sprint("seed=", seqSeed), func(t *testing.T) { runModel(t, seqSeed) }) {
			t.Fatalf("sequence failed; replay with -loyalty.seed=%d -loyalty.sequences=1", seqSeed)
		}
	}
}

// model is one sequence's world and what it expects.
type model struct {
	t       *testing.T
	s       *shop
	rng     *rand.Rand
	mu      sync.Mutex
	members []string
	seen    map[string][]ledger.Entry

	earned    int64                     // points of successful earns, re-quotes' further lots included
	earnedBy  map[string]int64          // purchase -> points its lots were given
	purchases map[string]purchaseRecord // purchases earned on
	clawed    map[string]int64          // purchase -> points clawed back
	holds     []holdRecord
	nextID    int
}

type purchaseRecord struct {
	p     customer.Purchase
	quote loyalty.Quote
}

type holdRecord struct{ member, id string }

func runModel(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	policies := []loyalty.ReturnPolicy{loyalty.ReturnOnlyPending, loyalty.ReturnWithinBalance, loyalty.ReturnAllowDebt}
	policy := policies[rng.IntN(len(policies))]
	pendingDays := rng.IntN(3) * 3
	m := &model{t: t, rng: rng, seen: map[string][]ledger.Entry{},
		purchases: map[string]purchaseRecord{}, clawed: map[string]int64{}, earnedBy: map[string]int64{}}
	m.s = newShop(t, func(p *loyalty.Program) {
		p.ReturnPolicy = policy
		p.Pending = loyalty.PendingPolicy{Days: pendingDays}
		p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireRolling, Days: 20 + rng.IntN(40)}
		p.Redemption.MinPoints, p.Redemption.Step = 0, 0
	})
	for i := range modelMembers {
		m.members = append(m.members, m.s.member(t, fmt.Sprint("member ", i), customer.Birthday{Month: time.March, Day: 1 + i}).ID)
	}
	for round := range modelRounds {
		ops := make([]func(), modelWorkers)
		for w := range ops {
			ops[w] = m.randomOp()
		}
		var wg sync.WaitGroup
		for _, op := range ops {
			wg.Add(1)
			go func() { defer wg.Done(); op() }()
		}
		wg.Wait()
		m.check(round)
		m.s.clock.set(m.s.clock.Now().Add(time.Duration(1+rng.IntN(72)) * time.Hour))
	}
	m.checkTiersArePure()
}

// randomOp picks an operation and its arguments now (the random source is
// not shared with the goroutines) and returns it to run concurrently.
func (m *model) randomOp() func() {
	ctx := context.Background()
	member := m.members[m.rng.IntN(len(m.members))]
	m.nextID++
	id := fmt.Sprint("op", m.nextID)
	now := m.s.clock.Now()
	switch k := m.rng.IntN(100); {
	case k < 30:
		lines := make([]customer.Line, 1+m.rng.IntN(3))
		for i := range lines {
			lines[i] = line(fmt.Sprint("SKU", i), []string{"dairy", "grocery", "tea"}[m.rng.IntN(3)],
				int64(1+m.rng.IntN(3)), decimal.New(int64(100+m.rng.IntN(20000)), -2).String())
		}
		f := earnFaults{forge: m.rng.IntN(4) == 0, early: m.rng.IntN(5) == 0,
			other: m.members[m.rng.IntN(len(m.members))]}
		return func() { m.earn(ctx, id, member, now, lines, f) }
	case k < 45:
		return m.returnOp(ctx, id, now)
	case k < 55:
		pts := int64(1 + m.rng.IntN(400))
		return func() {
			_, err := m.s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: id, MemberID: member, Points: pts, At: now})
			m.expect(err, loyalty.ErrInsufficientPoints, loyalty.ErrMerged, loyalty.ErrNotFound)
			if err == nil {
				m.mu.Lock()
				m.holds = append(m.holds, holdRecord{member, id})
				m.mu.Unlock()
			}
		}
	case k < 65:
		if len(m.holds) == 0 {
			return func() {}
		}
		h := m.holds[m.rng.IntN(len(m.holds))]
		commit := m.rng.IntN(2) == 0
		return func() {
			var err error
			if commit {
				_, err = m.s.loyalty.CommitHold(ctx, h.member, h.id, "")
			} else {
				_, err = m.s.loyalty.ReleaseHold(ctx, h.member, h.id)
			}
			m.expect(err, ledger.ErrHoldClosed, loyalty.ErrMerged)
		}
	case k < 75:
		pts := int64(1 + m.rng.IntN(300))
		return func() {
			_, err := m.s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: id, MemberID: member, Points: pts, At: now})
			m.expect(err, loyalty.ErrInsufficientPoints, loyalty.ErrMerged, loyalty.ErrNotFound)
		}
	case k < 82:
		return func() {
			_, err := m.s.loyalty.Expire(ctx, now, "")
			m.expect(err)
		}
	case k < 90:
		pts := int64(m.rng.IntN(400) - 150)
		if pts == 0 {
			pts = 1
		}
		return func() {
			_, err := m.s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: id, MemberID: member, Points: pts, Reason: "model", Actor: "test", At: now})
			m.expect(err, loyalty.ErrInsufficientPoints, loyalty.ErrMerged)
		}
	case k < 93:
		other := m.members[m.rng.IntN(len(m.members))]
		return func() {
			// A host retries a merge that failed part way, as the
			// customer service documents.
			var err error
			for range 5 {
				_, err = m.s.customers.Merge(ctx, member, other, customer.MergeRequest{Actor: "model", At: now})
				if err == nil || errors.Is(err, customer.ErrInvalid) || errors.Is(err, customer.ErrMerged) || errors.Is(err, customer.ErrIdempotencyMismatch) {
					break
				}
			}
			m.expect(err, customer.ErrInvalid, customer.ErrMerged, customer.ErrIdempotencyMismatch)
		}
	case k < 97:
		return func() {
			_, err := m.s.loyalty.ReviewTiers(ctx, now, "")
			m.expect(err)
		}
	default:
		return func() {
			_, err := m.s.loyalty.Expire(ctx, now, "")
			m.expect(err)
		}
	}
}

// earnFaults are what a dishonest till or a late lane adds to an earn: a
// forged copy sent first (edited amount or another member's card, and an
// unrecorded return), and a return of the purchase reaching loyalty
// before its earn.
type earnFaults struct {
	forge, early bool
	other        string
}

func (m *model) earn(ctx context.Context, id, member string, now time.Time, lines []customer.Line, f earnFaults) {
	p, err := m.s.customers.RecordPurchase(ctx, customer.Purchase{ID: id, CustomerID: member, Store: "SH-02",
		Channel: customer.ChannelInStore, Time: now, Currency: "CNY", Lines: lines})
	if err != nil {
		m.expect(err, customer.ErrErased)
		return
	}
	if f.forge {
		m.forge(ctx, p, member, f.other)
	}
	if f.early {
		ret, err := m.s.customers.RecordReturn(ctx, customer.Return{ID: "early-" + id, PurchaseID: p.ID, Store: "SH-02",
			Time: now.Add(time.Minute), Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
		m.expect(err, customer.ErrConflict)
		if err == nil {
			_, err = m.s.loyalty.Return(ctx, ret) // before the earn: it waits for it
			m.expect(err, loyalty.ErrMerged, loyalty.ErrConflict)
		}
	}
	res, err := m.s.loyalty.Earn(ctx, p)
	m.expect(err, loyalty.ErrMerged, loyalty.ErrConflict)
	if err != nil {
		return
	}
	again, err := m.s.loyalty.Earn(ctx, p) // the lane retries: nothing twice
	m.expect(err)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil && again.Quote.Total != res.Quote.Total {
		m.t.Errorf("replayed earn %s gave %d points, first %d", id, again.Quote.Total, res.Quote.Total)
	}
	m.countEarned(res.Entries)
	m.purchases[p.ID] = purchaseRecord{p: p, quote: res.Quote}
}

func (m *model) returnOp(ctx context.Context, id string, now time.Time) func() {
	m.mu.Lock()
	var pick *purchaseRecord
	n := 0
	for _, pr := range m.purchases {
		n++
		if m.rng.IntN(n) == 0 {
			pr := pr
			pick = &pr
		}
	}
	m.mu.Unlock()
	if pick == nil {
		return func() {}
	}
	l := 1 + m.rng.IntN(len(pick.p.Lines))
	ret := customer.Return{ID: id, PurchaseID: pick.p.ID, Store: "SH-02", Time: now, Currency: "CNY",
		Lines: []customer.ReturnLine{{Line: l, Quantity: decimal.NewFromInt(1)}}}
	return func() {
		if _, err := m.s.customers.RecordReturn(ctx, ret); err != nil {
			m.expect(err, customer.ErrOverReturn, customer.ErrConflict)
			return
		}
		res, err := m.s.loyalty.Return(ctx, ret)
		m.expect(err, loyalty.ErrMerged, loyalty.ErrConflict)
		if err == nil {
			m.mu.Lock()
			m.clawed[pick.p.ID] += res.Owed
			m.countEarned(res.Entries)
			m.mu.Unlock()
		}
	}
}

// countEarned adds the points an operation's earn entries gave: the
// purchase's own, and the further lots of purchases it re-quoted (a
// purchase at the same instant with a greater ID orders after it, so an
// earn that arrives after it re-quotes it). The caller holds m.mu.
func (m *model) countEarned(entries []ledger.Entry) {
	for _, e := range entries {
		if e.Kind == ledger.KindEarn {
			m.earned += e.Points
			m.earnedBy[e.Purchase] += e.Points
		}
	}
}

// expect fails the test on an error other than the allowed ones.
func (m *model) expect(err error, allowed ...error) {
	if err == nil {
		return
	}
	for _, a := range allowed {
		if errors.Is(err, a) {
			return
		}
	}
	m.t.Errorf("unexpected error: %v", err)
}

// check runs after every round, with no operation in flight.
func (m *model) check(round int) {
	ctx := context.Background()
	t := m.t
	var earned int64
	for _, member := range m.members {
		entries, err := loyaltytest.CheckInvariants(ctx, m.s.loyalty.Store(), member, m.seen[member])
		if errors.Is(err, loyalty.ErrNotFound) {
			continue
		}
		require.NoError(t, err, "round %d", round)
		m.seen[member] = entries
		acct, err := m.s.loyalty.Account(ctx, member)
		require.NoError(t, err)
		earned += acct.Points.Totals().Earned
		if acct.MergedInto != "" {
			require.Zero(t, acct.Points.Balance(m.s.clock.Now()).Available+acct.Points.Balance(m.s.clock.Now()).Pending, "a merged account keeps no points")
		}
	}
	// Invariant 1 across accounts: every earn counted exactly once.
	require.Equal(t, m.earned, earned, "round %d: points earned", round)
	// Invariant 3: returns of a purchase never claw back more than it earned.
	for pid, c := range m.clawed {
		require.LessOrEqual(t, c, m.earnedBy[pid], "round %d: purchase %s", round, pid)
	}
}

// checkTiersArePure re-evaluates every account's tier from scratch over
// its qualifying activity and expects what the service holds (invariant 5).
func (m *model) checkTiersArePure() {
	ctx := context.Background()
	now := m.s.clock.Now()
	_, err := m.s.loyalty.ReviewTiers(ctx, now, "")
	require.NoError(m.t, err)
	for _, member := range m.members {
		acct, err := m.s.loyalty.Account(ctx, member)
		if errors.Is(err, loyalty.ErrNotFound) || acct.MergedInto != "" || acct.Tier.MemberSince.IsZero() {
			continue
		}
		require.NoError(m.t, err)
		fresh, _, _, err := loyalty.EvaluateTier(m.s.program, loyalty.TierState{MemberSince: acct.Tier.MemberSince},
			loyalty.QualifyingActivity{Events: acct.Activity}, now)
		require.NoError(m.t, err)
		require.Equal(m.t, fresh.Tier, acct.Tier.Tier, "member %s: tier from scratch", member)
	}
}

// forge sends forged copies of a recorded purchase, and a return never
// recorded: each must be refused as untrusted (and the round's checks
// find no point moved).
func (m *model) forge(ctx context.Context, p customer.Purchase, member, other string) {
	edited := p.Clone()
	edited.Lines[0].Total = edited.Lines[0].Total.Mul(decimal.NewFromInt(100))
	_, err := m.s.loyalty.Earn(ctx, edited)
	m.require(err, loyalty.ErrNotAsRecorded)
	owner, oerr := m.s.customers.Get(ctx, member)
	thief, terr := m.s.customers.Get(ctx, other)
	if oerr == nil && terr == nil && owner.ID != thief.ID {
		stolen := p
		stolen.CustomerID = other
		_, err = m.s.loyalty.Earn(ctx, stolen)
		if err == nil {
			// Only right if a concurrent merge made them one customer.
			owner, _ = m.s.customers.Get(ctx, member)
			thief, _ = m.s.customers.Get(ctx, other)
			if owner.ID != thief.ID {
				m.t.Errorf("purchase %s earned on another member's card", p.ID)
			}
		} else {
			m.require(err, loyalty.ErrNotAsRecorded, loyalty.ErrMerged)
		}
	}
	_, err = m.s.loyalty.Return(ctx, customer.Return{ID: "forged-" + p.ID, PurchaseID: p.ID, Store: "SH-02",
		Time: p.Time, Currency: "CNY", Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
	m.require(err, loyalty.ErrNotRecorded)
}

// require fails the test unless err matches one of want.
func (m *model) require(err error, want ...error) {
	for _, w := range want {
		if errors.Is(err, w) {
			return
		}
	}
	m.t.Errorf("got %v, want one of %v", err, want)
}
