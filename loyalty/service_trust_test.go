package loyalty_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireNothingWritten requires the member to have no account, or the
// account it had.
func requireUnchanged(t *testing.T, s *shop, member string, before int64) {
	t.Helper()
	acct, err := s.loyalty.Account(context.Background(), member)
	if before == 0 {
		require.ErrorIs(t, err, loyalty.ErrNotFound)
		return
	}
	require.NoError(t, err)
	assert.Equal(t, before, acct.Version, "the refused request wrote")
}

// A dishonest cashier and a forged queue: the service earns and claws back
// only on facts the customer service recorded, exactly as recorded.
func TestEarnTrustsOnlyRecordedPurchases(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	owner := s.member(t, "Owner", customer.Birthday{})
	cashier := s.member(t, "Cashier", customer.Birthday{})
	p := s.record(t, "p1", owner.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", 1, "10.00"))

	edited := p
	edited.Lines = []customer.Line{line("TEA", "tea", 1, "5000.00")}
	_, err := s.loyalty.Earn(ctx, edited)
	assert.ErrorIs(t, err, loyalty.ErrNotAsRecorded, "a line total edited")
	assert.ErrorIs(t, err, loyalty.ErrUntrusted)
	requireUnchanged(t, s, owner.ID, 0)

	stolen := p
	stolen.CustomerID = cashier.ID
	_, err = s.loyalty.Earn(ctx, stolen)
	assert.ErrorIs(t, err, loyalty.ErrNotAsRecorded, "the cashier's own card")
	requireUnchanged(t, s, cashier.ID, 0)

	forged := p
	forged.ID = "never-recorded"
	_, err = s.loyalty.Earn(ctx, forged)
	assert.ErrorIs(t, err, loyalty.ErrNotRecorded)

	// The owner's own earn is untouched by all of it.
	res, err := s.loyalty.Earn(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, owner.ID, res.MemberID)
	assert.Positive(t, res.Quote.Total)
}

func TestReturnTrustsOnlyRecordedReturns(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "R", customer.Birthday{})
	p, _ := s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", 10, "10.00"))
	before, err := s.loyalty.Account(ctx, m.ID)
	require.NoError(t, err)

	unrecorded := customer.Return{ID: "r-forged", PurchaseID: p.ID, Store: "SH-02", Time: at(2026, 3, 3, 10, 0),
		Currency: "CNY", Refund: dec("100"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("10")}}}
	_, err = s.loyalty.Return(ctx, unrecorded)
	assert.ErrorIs(t, err, loyalty.ErrNotRecorded)

	over := unrecorded
	over.ID, over.Lines = "r-over", []customer.ReturnLine{{Line: 1, Quantity: dec("50")}}
	_, err = s.customers.RecordReturn(ctx, over)
	require.ErrorIs(t, err, customer.ErrOverReturn)
	_, err = s.loyalty.Return(ctx, over)
	assert.ErrorIs(t, err, loyalty.ErrNotRecorded, "a return the customer service refused")

	real := unrecorded
	real.ID, real.Lines, real.Refund = "r1", []customer.ReturnLine{{Line: 1, Quantity: dec("2")}}, dec("20")
	_, err = s.customers.RecordReturn(ctx, real)
	require.NoError(t, err)
	inflated := real
	inflated.Lines = []customer.ReturnLine{{Line: 1, Quantity: dec("9")}}
	_, err = s.loyalty.Return(ctx, inflated)
	assert.ErrorIs(t, err, loyalty.ErrNotAsRecorded)
	requireUnchanged(t, s, m.ID, before.Version)

	res, err := s.loyalty.Return(ctx, real)
	require.NoError(t, err)
	assert.Positive(t, res.Taken)
}

// After a merge the customer store holds the purchase under the survivor;
// earning that copy, or the lane's queued copy, is the same request.
func TestEarnAfterMergeWithEitherCopy(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	dup := s.member(t, "Dup", customer.Birthday{})
	survivor := s.member(t, "Survivor", customer.Birthday{})
	lane := s.record(t, "p1", dup.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", 1, "100.00"))
	_, err := s.customers.Merge(ctx, survivor.ID, dup.ID, customer.MergeRequest{Actor: "t"})
	require.NoError(t, err)
	held, err := s.customers.Purchase(ctx, "p1")
	require.NoError(t, err)
	require.Equal(t, survivor.ID, held.CustomerID)

	first, err := s.loyalty.Earn(ctx, held)
	require.NoError(t, err)
	assert.Equal(t, survivor.ID, first.MemberID)
	again, err := s.loyalty.Earn(ctx, lane)
	require.NoError(t, err, "the lane's copy from before the merge is a replay")
	assert.Equal(t, first.Quote.Total, again.Quote.Total)
	assert.Equal(t, first.Quote.Total, s.balance(t, survivor.ID).Available)
}

func TestLoyaltyIDsAreValidated(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	m := s.member(t, "I", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "800"))
	for name, id := range map[string]string{
		"invalid UTF-8": "r\xff1",
		"NUL":           "r\x001",
		"1 MiB":         strings.Repeat("r", 1<<20),
		"129 bytes":     strings.Repeat("r", 129),
		"empty":         "",
	} {
		_, err := s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: id, MemberID: m.ID, Points: 500})
		assert.ErrorIs(t, err, loyalty.ErrInvalid, name)
		_, err = s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: id, MemberID: m.ID, Points: 5, Reason: "x", Actor: "y"})
		assert.ErrorIs(t, err, loyalty.ErrInvalid, name)
		_, err = s.loyalty.Earn(ctx, customer.Purchase{ID: id, CustomerID: m.ID})
		assert.ErrorIs(t, err, loyalty.ErrInvalid, name)
	}
	_, err := s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: strings.Repeat("é", 64), MemberID: m.ID, Points: 500})
	assert.NoError(t, err, "128 bytes of UTF-8 are an ID")

	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: "far", MemberID: m.ID, Points: 5, Reason: "x", Actor: "y", ExpiresAt: far})
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "an expiry JSON cannot encode")
	_, err = s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "far", MemberID: m.ID, Points: 500, At: far})
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
}

// Every validation failure matches loyalty.ErrInvalid, whichever layer
// found it.
func TestLedgerValidationIsLoyaltyErrInvalid(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.Redemption.MinPoints, p.Redemption.Step, p.Redemption.MaxPoints = 0, 0, 0
	})
	m := s.member(t, "V", customer.Birthday{})
	s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "800"))
	_, err := s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: "a0", MemberID: m.ID, Points: 0, Reason: "x", Actor: "y"})
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "zero points")
	_, err = s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "big", MemberID: m.ID, Points: ledger.MaxPoints + 1})
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "above the ledger's maximum")
	err = s.loyalty.GrantGoodwill(ctx, m.ID, 1<<50, "k1", "goodwill")
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "goodwill past the maximum")
	assert.Equal(t, 1, strings.Count(err.Error(), "loyalty: adjust"), "wrapped once: %v", err)
}

// A member who joined on a legacy placeholder date earns under monthly
// reviews like anyone else.
func TestLegacyJoinDateDoesNotBreakEarning(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.Tiers.Review.Schedule = loyalty.ReviewMonthly
	})
	c, err := s.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Legacy"}, Force: true,
		JoinedAt: time.Date(1900, 1, 1, 0, 0, 0, 0, shanghai)})
	require.NoError(t, err)
	_, res := s.buy(t, "p1", c.ID, at(2026, 3, 2, 10, 0), line("RICE", "grocery", 1, "800"))
	assert.Positive(t, res.Quote.Total)
	_, err = s.loyalty.ReviewTiers(ctx, at(2026, 6, 1, 0, 0), "")
	require.NoError(t, err)
}

// orderRun is one purchase with its returns, fed to loyalty in some order
// with replays; the final account is the same for every order.
type accountState struct {
	Available, Pending, Debt int64
	Lots                     map[string]int64
	Tier                     string
}

func stateOf(t *testing.T, s *shop, member string) accountState {
	t.Helper()
	acct, err := loyalty.LoadWhole(context.Background(), s.loyalty.Store(), member)
	require.NoError(t, err)
	b := s.balance(t, member)
	st := accountState{Available: b.Available, Pending: b.Pending, Debt: b.Debt, Lots: map[string]int64{}, Tier: b.Tier}
	for l := range acct.Points.AllLots() {
		st.Lots[l.ID] = l.Remaining
	}
	return st
}

// TestEarnAndReturnsInAnyOrder is the order-independence property: for a
// purchase and its returns, every arrival order (a return before its
// earn included) and any replays end in the account the in-order run ends
// in. The seed is logged; replay a failure with the seed it prints.
func TestEarnAndReturnsInAnyOrder(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	runs := 60
	if testing.Short() {
		runs = 15
	}
	t.Logf("seed %d", seed)
	for i := range runs {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		policy := []loyalty.ReturnPolicy{loyalty.ReturnPolicy(ledger.OnlyPending), loyalty.ReturnPolicy(ledger.WithinBalance), loyalty.ReturnPolicy(ledger.AllowDebt)}[rng.IntN(3)]
		pending := rng.IntN(2) == 0
		qty := []int64{1 + rng.Int64N(5), 1 + rng.Int64N(5)}
		var returns [][2]int64 // line, quantity
		left := slices2(qty)
		for range rng.IntN(4) {
			line := rng.IntN(2)
			if left[line] == 0 {
				continue
			}
			n := 1 + rng.Int64N(left[line])
			left[line] -= n
			returns = append(returns, [2]int64{int64(line + 1), n})
		}
		order := rng.Perm(len(returns) + 1) // index len(returns) is the earn
		replays := rng.IntN(3)
		inOrder := orderOutcome(t, policy, pending, qty, returns, nil, 0)
		got := orderOutcome(t, policy, pending, qty, returns, order, replays)
		require.Equal(t, inOrder, got, "seed %d run %d: policy %s pending %v qty %v returns %v order %v", seed, i, policy, pending, qty, returns, order)
	}
}

func slices2(q []int64) []int64 { return append([]int64(nil), q...) }

func orderOutcome(t *testing.T, policy loyalty.ReturnPolicy, pending bool, qty []int64, returns [][2]int64, order []int, replays int) accountState {
	t.Helper()
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		if !pending {
			noPending(p)
		}
		p.ReturnPolicy = policy
	})
	m := s.member(t, "O", customer.Birthday{})
	p := s.record(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", qty[0], "37.50"), line("RICE", "grocery", qty[1], "19.90"))
	var recs []customer.Return
	for i, r := range returns {
		rec, err := s.customers.RecordReturn(ctx, customer.Return{ID: fmt.Sprint("r", i), PurchaseID: p.ID, Store: "SH-02",
			Time: at(2026, 3, 3+i, 10, 0), Currency: "CNY", Refund: dec("1"),
			Lines: []customer.ReturnLine{{Line: int(r[0]), Quantity: dec(fmt.Sprint(r[1]))}}})
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	if order == nil {
		order = make([]int, len(returns)+1)
		order[0] = len(returns)
		for i := range returns {
			order[i+1] = i
		}
	}
	s.clock.set(at(2026, 3, 20, 10, 0))
	apply := func(k int) {
		if k == len(returns) {
			_, err := s.loyalty.Earn(ctx, p)
			require.NoError(t, err)
			return
		}
		_, err := s.loyalty.Return(ctx, recs[k])
		require.NoError(t, err)
	}
	for _, k := range order {
		apply(k)
	}
	for i := range replays {
		apply(order[i%len(order)])
	}
	return stateOf(t, s, m.ID)
}

// A return that reached loyalty before its earn survives a merge of the
// member: the earn, for the survivor, still claws it back, exactly once.
func TestEarlyReturnSurvivesMerge(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, noPending)
	dup := s.member(t, "Dup", customer.Birthday{})
	survivor := s.member(t, "Survivor", customer.Birthday{})
	s.buy(t, "p0", survivor.ID, at(2026, 3, 1, 10, 0), line("RICE", "grocery", 1, "300"))
	p := s.record(t, "p1", dup.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", 4, "50.00"))
	ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: "r1", PurchaseID: p.ID, Store: "SH-02",
		Time: at(2026, 3, 3, 10, 0), Currency: "CNY", Refund: dec("50"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}})
	require.NoError(t, err)
	_, err = s.loyalty.Return(ctx, ret)
	require.NoError(t, err)
	_, err = s.customers.Merge(ctx, survivor.ID, dup.ID, customer.MergeRequest{Actor: "t"})
	require.NoError(t, err)
	res, err := s.loyalty.Earn(ctx, p)
	require.NoError(t, err)
	require.Equal(t, survivor.ID, res.MemberID)
	owed := res.Quote.PointsForReturn(ret.Lines, p)
	require.Positive(t, owed)
	st := stateOf(t, s, survivor.ID)
	assert.Equal(t, res.Quote.Total-owed, st.Lots["p:p1"], "clawed back once, at the earn")
	_, err = s.loyalty.Return(ctx, ret) // a replay
	require.NoError(t, err)
	assert.Equal(t, st, stateOf(t, s, survivor.ID))
}

// A purchase synced after an expiry run that its points would have lapsed
// in ends in the account of the in-order run: the earn expires them at
// once, after clawing back returns that came ahead of it. So does a
// return synced after the run that expired its purchase's lot: it takes
// the points from that lot (the expiry reversed in part), not from the
// member's other lots, whatever the return policy.
func TestLateFactsAcrossAnExpiryRun(t *testing.T) {
	for _, policy := range []loyalty.ReturnPolicy{loyalty.ReturnPolicy(ledger.WithinBalance), loyalty.ReturnPolicy(ledger.AllowDebt)} {
		inOrder := expiryRunOutcome(t, policy, "earn return expiry", true)
		assert.Zero(t, inOrder.Lots["p:p1"], "the lot lapsed")
		for _, order := range []string{"expiry return earn", "earn expiry return", "expiry earn return"} {
			assert.Equal(t, inOrder, expiryRunOutcome(t, policy, order, true), "%s: %s", policy, order)
		}
		assert.Equal(t, expiryRunOutcome(t, policy, "earn expiry", false), expiryRunOutcome(t, policy, "expiry earn", false), "%s: without a return", policy)
	}
}

// expiryRunOutcome runs a purchase's earn, its return and an expiry run
// past the purchase's expiry in the order given ("earn return expiry").
func expiryRunOutcome(t *testing.T, policy loyalty.ReturnPolicy, order string, withReturn bool) accountState {
	t.Helper()
	ctx := context.Background()
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.ReturnPolicy = policy
		p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireRolling, Days: 30}
	})
	m := s.member(t, "L", customer.Birthday{})
	s.buy(t, "p0", m.ID, at(2026, 3, 20, 10, 0), line("RICE", "grocery", 1, "300")) // still valid at the end
	p := s.record(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", 4, "50.00"))
	var ret customer.Return
	if withReturn {
		var err error
		ret, err = s.customers.RecordReturn(ctx, customer.Return{ID: "r1", PurchaseID: p.ID, Store: "SH-02",
			Time: at(2026, 3, 5, 10, 0), Currency: "CNY", Refund: dec("50"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}})
		require.NoError(t, err)
	}
	steps := map[string]func(){
		"expiry": func() {
			s.clock.set(at(2026, 4, 10, 3, 0))
			_, err := s.loyalty.Expire(ctx, at(2026, 4, 10, 3, 0), "")
			require.NoError(t, err)
		},
		"earn": func() {
			_, err := s.loyalty.Earn(ctx, p)
			require.NoError(t, err)
		},
		"return": func() {
			_, err := s.loyalty.Return(ctx, ret)
			require.NoError(t, err)
		},
	}
	for _, step := range strings.Fields(order) {
		steps[step]()
	}
	return stateOf(t, s, m.ID)
}
