package storedvalue_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The model test drives random rounds of concurrent requests (top-ups,
// payments, holds, commits, releases, refunds, cash-outs, adjustments and
// replays of earlier requests) against a few wallets, and after every
// round checks the ledger invariants (Audit) and the balances against a
// reference kept from the results alone. The seed is logged; rerun one
// with -storedvalue.seed. -storedvalue.long runs 10,000 rounds.

var (
	modelLong = flag.Bool("storedvalue.long", false, "run the long model-based test (10,000 rounds)")
	modelSeed = flag.Uint64("storedvalue.seed", 0, "seed of the model-based test (0: from the clock)")
)

func TestModelConcurrentLedger(t *testing.T) {
	rounds := 150
	if *modelLong {
		rounds = 10_000
	} else if testing.Short() {
		rounds = 40
	}
	seed := *modelSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -storedvalue.seed=%d)", seed, seed)
	for _, order := range []storedvalue.SpendOrder{storedvalue.PaidFirst, storedvalue.BonusFirst, storedvalue.Proportional} {
		t.Run(string(order), func(t *testing.T) {
			p := programme(order)
			p.BonusValidDays = 3650 // expiry has its own tests; here every cent is accounted for
			s, st := newService(t, p, nil)
			m := newModel(s, rand.New(rand.NewPCG(seed, uint64(len(order)))))
			for round := range rounds {
				m.round(t, round, 4)
				for _, member := range members {
					m.check(t, st, member, round)
				}
				if t.Failed() {
					t.Fatalf("failed in round %d, seed %d", round, seed)
				}
			}
		})
	}
}

var members = []string{"m1", "m2", "m3"}

type model struct {
	s   *storedvalue.Service
	rng *rand.Rand
	at  time.Time

	mu       sync.Mutex
	n        int
	paid     map[string]decimal.Decimal // spendable, by member
	bonus    map[string]decimal.Decimal
	held     map[string]decimal.Decimal
	holds    map[string]*holdState
	payments map[string]*payState
	replays  []func(context.Context) (any, error)
	results  []any
}

type holdState struct {
	member string
	spent  storedvalue.Money
	state  storedvalue.HoldState
}

type payState struct {
	member string
	left   decimal.Decimal // refundable
}

func newModel(s *storedvalue.Service, rng *rand.Rand) *model {
	m := &model{s: s, rng: rng, at: t0, paid: map[string]decimal.Decimal{}, bonus: map[string]decimal.Decimal{},
		held: map[string]decimal.Decimal{}, holds: map[string]*holdState{}, payments: map[string]*payState{}}
	return m
}

// step is one request a goroutine sends and what its result does to the
// reference, applied under the model's lock.
type step struct {
	name  string
	run   func(ctx context.Context) (any, error)
	apply func(res any, err error) error
}

func (m *model) amount(max int64) decimal.Decimal {
	return decimal.New(1+m.rng.Int64N(max*100), -2)
}

// plan picks a random step; called with the lock held.
func (m *model) plan() step {
	m.n++
	id := fmt.Sprint("r", m.n)
	member := members[m.rng.IntN(len(members))]
	at := m.at
	s := m.s
	switch k := m.rng.IntN(10); {
	case k < 3:
		req := storedvalue.TopUpRequest{ID: id, MemberID: member, Amount: m.amount(1200), At: at}
		return step{"topup", func(ctx context.Context) (any, error) { return s.TopUp(ctx, req) }, func(res any, err error) error {
			if err != nil {
				return err
			}
			c := res.(storedvalue.TopUpResult).Credited
			m.paid[member], m.bonus[member] = m.paid[member].Add(c.Paid), m.bonus[member].Add(c.Bonus)
			return nil
		}}
	case k < 6:
		hold := k == 5
		req := storedvalue.PayRequest{ID: id, MemberID: member, Amount: m.amount(400), At: at}
		if hold && m.rng.IntN(2) == 0 {
			req.ExpiresAt = at.Add(time.Duration(1+m.rng.IntN(3)) * time.Minute) // swept by a later round
		}
		return step{"pay", func(ctx context.Context) (any, error) {
			if hold {
				return s.Hold(ctx, req)
			}
			return s.Pay(ctx, req)
		}, func(res any, err error) error {
			if errors.Is(err, storedvalue.ErrInsufficientFunds) || errors.Is(err, storedvalue.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			sp := res.(storedvalue.PayResult).Spent
			m.paid[member], m.bonus[member] = m.paid[member].Sub(sp.Paid), m.bonus[member].Sub(sp.Bonus)
			if hold {
				m.held[member] = m.held[member].Add(sp.Total())
				m.holds[id] = &holdState{member: member, spent: sp, state: storedvalue.Held}
			} else {
				m.payments[id] = &payState{member: member, left: sp.Total()}
			}
			return nil
		}}
	case k < 8 && m.rng.IntN(4) == 0:
		// The sweep, racing the round's settlements: what it released
		// goes back to the balance, once however many sweeps saw it.
		return step{"sweep", func(ctx context.Context) (any, error) { return s.ReleaseExpiredHolds(ctx, at, 0) }, func(res any, err error) error {
			if err != nil {
				return err
			}
			for _, hid := range res.([]string) {
				h := m.holds[hid]
				if h == nil {
					return fmt.Errorf("sweep released %s, no hold of the model", hid)
				}
				if h.state == storedvalue.Committed {
					return fmt.Errorf("sweep released %s, which was committed", hid)
				}
				if h.state == storedvalue.Held {
					h.state = storedvalue.Released
					m.held[h.member] = m.held[h.member].Sub(h.spent.Total())
					m.paid[h.member], m.bonus[h.member] = m.paid[h.member].Add(h.spent.Paid), m.bonus[h.member].Add(h.spent.Bonus)
				}
			}
			return nil
		}}
	case k < 8:
		for hid, h := range m.holds { // map order: a random open hold
			commit := m.rng.IntN(2) == 0
			req := storedvalue.SettleRequest{HoldID: hid, At: at}
			return step{"settle", func(ctx context.Context) (any, error) {
				if commit {
					return s.CommitHold(ctx, req)
				}
				return s.ReleaseHold(ctx, req)
			}, func(res any, err error) error {
				if errors.Is(err, storedvalue.ErrHoldSettled) {
					return nil
				}
				if err != nil {
					return err
				}
				to := res.(storedvalue.PayResult).State
				if h.state != storedvalue.Held { // a replay of the settlement: no change
					if to != h.state {
						return fmt.Errorf("hold %s settled %s then %s", hid, h.state, to)
					}
					return nil
				}
				h.state = to
				m.held[h.member] = m.held[h.member].Sub(h.spent.Total())
				if to == storedvalue.Released {
					m.paid[h.member], m.bonus[h.member] = m.paid[h.member].Add(h.spent.Paid), m.bonus[h.member].Add(h.spent.Bonus)
				} else {
					m.payments[hid] = &payState{member: h.member, left: h.spent.Total()}
				}
				return nil
			}}
		}
	case k < 9:
		for pid, p := range m.payments {
			if p.left.IsZero() {
				continue
			}
			amt := decimal.Min(p.left, m.amount(300))
			req := storedvalue.RefundRequest{ID: id, PaymentID: pid, Amount: amt, At: at}
			return step{"refund", func(ctx context.Context) (any, error) { return s.Refund(ctx, req) }, func(res any, err error) error {
				if errors.Is(err, storedvalue.ErrRefused) {
					return nil // a racing refund took what was left
				}
				if err != nil {
					return err
				}
				r := res.(storedvalue.RefundResult).Refunded
				p.left = p.left.Sub(r.Total())
				m.paid[p.member], m.bonus[p.member] = m.paid[p.member].Add(r.Paid), m.bonus[p.member].Add(r.Bonus)
				return nil
			}}
		}
	}
	if len(m.replays) > 0 && m.rng.IntN(2) == 0 {
		i := m.rng.IntN(len(m.replays))
		run, want := m.replays[i], m.results[i]
		return step{"replay", run, func(res any, err error) error {
			if err != nil {
				return nil // the original failed too, or is a later race's loser; the balances tell
			}
			if fmt.Sprint(res) != fmt.Sprint(want) && want != nil {
				return fmt.Errorf("replay returned %v, first %v", res, want)
			}
			return nil
		}}
	}
	cash := m.rng.IntN(2) == 0
	if cash {
		req := storedvalue.CashOutRequest{ID: id, MemberID: member, Amount: m.amount(50), At: at}
		return step{"cashout", func(ctx context.Context) (any, error) { return s.CashOut(ctx, req) }, func(res any, err error) error {
			if errors.Is(err, storedvalue.ErrInsufficientFunds) || errors.Is(err, storedvalue.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			r := res.(storedvalue.CashOutResult)
			m.paid[member], m.bonus[member] = m.paid[member].Sub(r.PaidOut), m.bonus[member].Sub(r.Forfeited)
			return nil
		}}
	}
	adj := m.amount(20)
	if m.rng.IntN(2) == 0 {
		adj = adj.Neg()
	}
	req := storedvalue.AdjustRequest{ID: id, MemberID: member, Bonus: adj, Reason: "model", At: at}
	return step{"adjust", func(ctx context.Context) (any, error) { return s.Adjust(ctx, req) }, func(res any, err error) error {
		if errors.Is(err, storedvalue.ErrInsufficientFunds) {
			return nil
		}
		if err != nil {
			return err
		}
		m.bonus[member] = m.bonus[member].Add(adj)
		return nil
	}}
}

// round runs n steps at once, then applies their results to the
// reference in any order (their effects commute).
func (m *model) round(t *testing.T, round, n int) {
	m.mu.Lock()
	m.at = m.at.Add(time.Minute)
	steps := make([]step, n)
	for i := range steps {
		steps[i] = m.plan()
	}
	m.mu.Unlock()
	type outcome struct {
		res any
		err error
	}
	outs := make([]outcome, n)
	var wg sync.WaitGroup
	for i, st := range steps {
		wg.Go(func() {
			res, err := st.run(t.Context())
			outs[i] = outcome{res, err}
		})
	}
	wg.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, st := range steps {
		t.Logf("round %d %s %+v %v", round, st.name, outs[i].res, outs[i].err)
		if err := st.apply(outs[i].res, outs[i].err); err != nil {
			t.Errorf("round %d: %s: %v", round, st.name, err)
		}
		// Requests that failed before touching an account (a payment from
		// a wallet not yet opened) are not recorded and may succeed later;
		// every other outcome must replay.
		// A sweep is a batch, not a request: a rerun finds what is due then.
		if st.name != "replay" && st.name != "sweep" && !errors.Is(outs[i].err, storedvalue.ErrNotFound) {
			m.replays = append(m.replays, st.run)
			m.results = append(m.results, outs[i].res)
			if outs[i].err != nil {
				m.results[len(m.results)-1] = nil
			}
		}
	}
}

func (m *model) check(t *testing.T, st storedvalue.Store, member string, round int) {
	t.Helper()
	b, err := m.s.WalletBalance(t.Context(), member, m.at)
	if errors.Is(err, storedvalue.ErrNotFound) {
		return
	}
	require.NoError(t, err)
	m.mu.Lock()
	defer m.mu.Unlock()
	require.Truef(t, b.Spendable.Paid.Equal(m.paid[member]), "round %d %s: paid %s, reference %s", round, member, b.Spendable.Paid, m.paid[member])
	require.Truef(t, b.Spendable.Bonus.Equal(m.bonus[member]), "round %d %s: bonus %s, reference %s", round, member, b.Spendable.Bonus, m.bonus[member])
	require.Truef(t, b.Held.Total().Equal(m.held[member]), "round %d %s: held %s, reference %s", round, member, b.Held.Total(), m.held[member])
	require.NoError(t, storedvalue.Audit(t.Context(), st, "w:"+member), "round %d", round)
}
