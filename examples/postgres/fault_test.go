package postgres_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/postgres"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	faultRestarts = flag.Int("fault.restarts", 2, "TestServerCrashes: how often the server is stopped in immediate mode and restarted (the long form is 20 or more)")
	faultSeed     = flag.Uint64("fault.seed", 0, "TestServerCrashes: the lanes' seed (0: from the clock, logged)")
)

// faultLanes is how many lanes work through the crashes, and
// faultMembersPerLane how many members each serves.
const (
	faultLanes          = 8
	faultMembersPerLane = 3
	// faultTail is how many operations every lane runs after the last
	// restart, before it ends its open holds.
	faultTail = 10
	// faultPatience is how long a lane retries one operation before the
	// test gives up on it.
	faultPatience = 90 * time.Second
)

// TestServerCrashes runs 8 lanes earning, redeeming, holding and
// committing or releasing holds, and returning, against a cluster of the
// test's own, which is stopped in immediate mode (every backend killed,
// no checkpoint) and started again while they work. A lane retries a
// failed request with the same ID until it gets an answer, as a till
// replays its queue when the back office comes back: the customer
// service's recording and the loyalty service's operations are idempotent
// by ID, so a request whose commit landed before the crash is answered
// from its record, and one that did not runs again.
//
// Afterwards, through the Store: every account passes
// loyaltytest.CheckInvariants; every answered request has its operation
// record; every purchase earned once, every return clawed back once,
// every hold was placed once and ended once, as the lane ended it; and the
// entries the answers hold are exactly the entries the store keeps, none
// twice, none missing.
//
// It needs CLIENTELE_PG_BIN (see cluster_test.go). -fault.restarts sets
// the number of crashes (2 by default; run the long form with 20 or more),
// -fault.seed replays a run.
func TestServerCrashes(t *testing.T) {
	c := newCluster(t)
	ctx := t.Context()
	db, err := postgres.Open(ctx, c.dsn())
	require.NoError(t, err)
	t.Cleanup(db.Close)
	require.NoError(t, db.Migrate(ctx))

	seed := *faultSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -fault.seed %d), %d restarts", seed, seed, *faultRestarts)

	clock := func() time.Time { return t0.Add(365 * 24 * time.Hour) }
	customers := customer.NewService(db.Customers(), &customer.Options{Clock: clock})
	points, err := loyalty.NewService(historyProgram(t), db.Loyalty(), customers, &loyalty.Options{Clock: clock})
	require.NoError(t, err)

	var (
		ops, retries atomic.Int64
		restarted    atomic.Bool
	)
	lanes := make([]*faultLane, faultLanes)
	for i := range lanes {
		l := &faultLane{id: i, customers: customers, points: points, rng: rand.New(rand.NewPCG(seed, uint64(i))),
			ops: &ops, retries: &retries, earned: map[string]int{}, results: map[string][]ledger.Entry{},
			returns: map[string]string{}, holdEnds: map[string]string{}}
		for m := range faultMembersPerLane {
			cust, err := customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: fmt.Sprintf("Lane %d member %d", i, m)}, Force: true})
			require.NoError(t, err)
			l.members = append(l.members, cust.ID)
		}
		lanes[i] = l
	}

	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, faultLanes)
	for i, l := range lanes {
		wg.Go(func() {
			for tail := 0; tail < faultTail; {
				if err := l.step(ctx); err != nil {
					errs[i] = err
					return
				}
				if restarted.Load() {
					tail++
				}
			}
			errs[i] = l.endHolds(ctx)
		})
	}
	lanesDone := make(chan struct{})
	go func() { wg.Wait(); close(lanesDone) }()
	defer restarted.Store(true) // a failed restart lets the lanes finish
	// The crashes: each after every lane has had time to work (a few
	// operations each on average), at a random moment.
	crashRng := rand.New(rand.NewPCG(seed, 1<<32))
	var downtime time.Duration
	for r := range *faultRestarts {
		for before := ops.Load(); ops.Load() < before+3*faultLanes; {
			select {
			case <-lanesDone:
				require.NoError(t, errors.Join(errs...))
				t.Fatal("the lanes stopped before the crashes ended")
			case <-time.After(10 * time.Millisecond):
			}
		}
		time.Sleep(time.Duration(crashRng.IntN(300)) * time.Millisecond)
		down := time.Now()
		require.NoError(t, c.crash(), "crash %d", r+1)
		time.Sleep(time.Duration(crashRng.IntN(500)) * time.Millisecond)
		require.NoError(t, c.start(), "restart %d", r+1)
		downtime += time.Since(down)
	}
	restarted.Store(true)
	<-lanesDone
	elapsed := time.Since(start)
	for _, err := range errs {
		require.NoError(t, err)
	}

	counts := map[string]int{}
	for _, l := range lanes {
		for k, n := range l.counts {
			counts[k] += n
		}
	}
	t.Logf("%d restarts in %v (server down or recovering %v in all): %d requests answered (%v), %d retried attempts",
		*faultRestarts, elapsed.Round(time.Millisecond), downtime.Round(time.Millisecond), ops.Load(), counts, retries.Load())
	assert.Positive(t, retries.Load(), "no request met a crash: the test did not test anything")

	store := points.Store()
	for _, l := range lanes {
		l.check(t, store)
	}
}

// faultLane is one till: its members, what it asked for and what it was
// answered.
type faultLane struct {
	id        int
	customers *customer.Service
	points    *loyalty.Service
	members   []string
	rng       *rand.Rand
	ops       *atomic.Int64 // requests answered, all lanes
	retries   *atomic.Int64 // attempts that failed and were retried, all lanes

	n         int                       // requests made, for IDs
	purchases []customer.Purchase       // earned purchases
	earned    map[string]int            // units of a purchase's first line not yet returned
	results   map[string][]ledger.Entry // the entries of every answered request, by operation key
	returns   map[string]string         // return ID: its purchase
	holds     []faultHold               // open holds
	holdEnds  map[string]string         // hold ID: "commit" or "release"
	counts    map[string]int            // answered requests by kind
}

type faultHold struct{ member, id string }

// faultLines is a lane's basket: four units of rice to return one at a
// time, and tea.
func faultLines() []customer.Line {
	return []customer.Line{line("RICE", "grocery", 4, "4.50"), line("TEA-500", "tea", 1, "88.00")}
}

// step makes the lane's next request, retrying it through crashes.
func (l *faultLane) step(ctx context.Context) error {
	l.n++
	id := fmt.Sprintf("l%d-%d", l.id, l.n)
	member := l.members[l.rng.IntN(len(l.members))]
	at := t0.Add(time.Duration(l.n) * time.Minute)
	switch k := l.rng.IntN(100); {
	case k < 40 || len(l.purchases) == 0:
		return l.buy(ctx, id, member, at)
	case k < 55:
		return l.giveBack(ctx, id, at)
	case k < 70:
		req := loyalty.RedeemRequest{ID: id, MemberID: l.customer(), Points: 1 + l.rng.Int64N(60), At: at}
		if l.rng.IntN(2) == 0 { // paying for the lane's last purchase, for a return to refund
			last := l.purchases[len(l.purchases)-1]
			req.MemberID, req.PurchaseID = last.CustomerID, last.ID
		}
		var res loyalty.RedeemResult
		err := l.retry(ctx, "redeem", func() (err error) { res, err = l.points.Redeem(ctx, req); return err })
		return l.answered("redeem:"+id, "redeem", res.Entries, err)
	case k < 85:
		holder := l.customer()
		req := loyalty.RedeemRequest{ID: id, MemberID: holder, Points: 1 + l.rng.Int64N(40), At: at}
		var res loyalty.RedeemResult
		err := l.retry(ctx, "hold", func() (err error) { res, err = l.points.Hold(ctx, req); return err })
		if err == nil {
			l.holds = append(l.holds, faultHold{holder, id})
		}
		return l.answered("hold:"+id, "hold", res.Entries, err)
	default:
		if len(l.holds) == 0 {
			return l.buy(ctx, id, member, at)
		}
		i := l.rng.IntN(len(l.holds))
		h := l.holds[i]
		l.holds = append(l.holds[:i], l.holds[i+1:]...)
		return l.endHold(ctx, h, l.rng.IntN(2) == 0)
	}
}

// customer returns a member who has bought on the lane, so has an
// account to spend from.
func (l *faultLane) customer() string { return l.purchases[l.rng.IntN(len(l.purchases))].CustomerID }

// buy records a purchase through the customer service, then earns on it.
func (l *faultLane) buy(ctx context.Context, id, member string, at time.Time) error {
	var p customer.Purchase
	err := l.retry(ctx, "record purchase", func() (err error) {
		p, err = l.customers.RecordPurchase(ctx, customer.Purchase{ID: id, CustomerID: member, Store: "SH-02",
			Channel: customer.ChannelInStore, Time: at, Currency: "CNY", Lines: faultLines()})
		return err
	})
	if err != nil {
		return err
	}
	var res loyalty.EarnResult
	if err := l.retry(ctx, "earn", func() (err error) { res, err = l.points.Earn(ctx, p); return err }); err != nil {
		return err
	}
	l.purchases = append(l.purchases, p)
	l.earned[p.ID] = 4
	return l.answered("earn:"+p.ID, "earn", res.Entries, nil)
}

// giveBack returns one unit of rice from an earned purchase that has one
// left: the return is recorded, then its points are clawed back.
func (l *faultLane) giveBack(ctx context.Context, id string, at time.Time) error {
	p := l.purchases[l.rng.IntN(len(l.purchases))]
	if l.earned[p.ID] == 0 {
		return l.buy(ctx, id, p.CustomerID, at)
	}
	var r customer.Return
	err := l.retry(ctx, "record return", func() (err error) {
		r, err = l.customers.RecordReturn(ctx, customer.Return{ID: id, PurchaseID: p.ID, Store: "SH-02", Time: at,
			Currency: "CNY", Refund: decimal.RequireFromString("4.50"), Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
		return err
	})
	if err != nil {
		return err
	}
	var res loyalty.ReturnResult
	if err := l.retry(ctx, "return", func() (err error) { res, err = l.points.Return(ctx, r); return err }); err != nil {
		return err
	}
	l.earned[p.ID]--
	l.returns[id] = p.ID
	return l.answered("return:"+id, "return", res.Entries, nil)
}

// endHold commits or releases a hold.
func (l *faultLane) endHold(ctx context.Context, h faultHold, commit bool) error {
	var res loyalty.RedeemResult
	if commit {
		err := l.retry(ctx, "commit", func() (err error) { res, err = l.points.CommitHold(ctx, h.member, h.id, ""); return err })
		l.holdEnds[h.id] = "commit"
		return l.answered("commit:"+h.id, "commit", res.Entries, err)
	}
	err := l.retry(ctx, "release", func() (err error) { res, err = l.points.ReleaseHold(ctx, h.member, h.id); return err })
	l.holdEnds[h.id] = "release"
	return l.answered("release-hold:"+h.id, "release", res.Entries, err)
}

// endHolds ends the lane's open holds, alternately committing and
// releasing them.
func (l *faultLane) endHolds(ctx context.Context) error {
	for i, h := range l.holds {
		if err := l.endHold(ctx, h, i%2 == 0); err != nil {
			return err
		}
	}
	l.holds = nil
	return nil
}

// answered notes an answered request: its entries under its operation
// key. Too few points is an answer (recorded, with no entries); any other
// error ends the lane.
func (l *faultLane) answered(key, kind string, entries []ledger.Entry, err error) error {
	switch {
	case errors.Is(err, loyalty.ErrInsufficientPoints):
		kind += " refused"
	case err != nil:
		return err
	}
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	l.counts[kind]++
	l.ops.Add(1)
	l.results[key] = entries
	return nil
}

// retry calls f until it answers: nil, or an error that is the request's
// own answer (too few points). Anything else is the crash (a broken
// connection, a refused one, a server starting up) and is tried again
// with the same request, up to faultPatience.
func (l *faultLane) retry(ctx context.Context, what string, f func() error) error {
	start := time.Now()
	for {
		err := f()
		switch {
		case err == nil, errors.Is(err, loyalty.ErrInsufficientPoints):
			return err
		case errors.Is(err, loyalty.ErrIdempotencyMismatch), errors.Is(err, customer.ErrIdempotencyMismatch),
			errors.Is(err, loyalty.ErrNotFound), errors.Is(err, customer.ErrNotFound),
			errors.Is(err, loyalty.ErrInvalid), errors.Is(err, customer.ErrInvalid):
			// A retry taken for another request, or a record lost or
			// refused: no crash explains these.
			return fmt.Errorf("lane %d: %s: %w", l.id, what, err)
		case time.Since(start) > faultPatience:
			return fmt.Errorf("lane %d: %s: still failing after %v: %w", l.id, what, faultPatience, err)
		}
		l.retries.Add(1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(20+rand.IntN(80)) * time.Millisecond): // not l.rng: the seed replays the requests, whatever the retries
		}
	}
}

// check reads the lane's members back through the Store.
func (l *faultLane) check(t *testing.T, store loyalty.Store) {
	ctx := t.Context()
	// Every answered request is on record, for its member.
	for key := range l.results {
		op, err := store.GetOperation(ctx, key)
		if assert.NoError(t, err, "operation %s", key) {
			assert.Contains(t, l.members, op.MemberID, "operation %s", key)
		}
	}
	// A hold ended one way has no record of the other.
	for id, end := range l.holdEnds {
		other := "release-hold:" + id
		if end == "release" {
			other = "commit:" + id
		}
		_, err := store.GetOperation(ctx, other)
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "hold %s was ended by %s and has a record of %s too", id, end, other)
	}
	want := map[string]map[int64]ledger.Entry{} // member: seq: entry, from the answers
	owner := map[string]string{}                // entry ID: the operation that answered with it
	for key, entries := range l.results {
		for _, e := range entries {
			if prev, dup := owner[e.ID]; dup {
				t.Errorf("entry %s is in the answers of %s and %s", e.ID, prev, key)
			}
			owner[e.ID] = key
			if want[e.Account] == nil {
				want[e.Account] = map[int64]ledger.Entry{}
			}
			want[e.Account][e.Seq] = e
		}
	}
	stored := map[string]int{}  // kind and reference (purchase, for an earn): entries in the store
	bought := map[string]bool{} // members with an account: the earn of a purchase opened it
	for _, p := range l.purchases {
		bought[p.CustomerID] = true
	}
	for _, m := range l.members {
		if !bought[m] { // a short run may never pick a member to buy
			_, err := store.GetAccount(ctx, m)
			assert.ErrorIs(t, err, loyalty.ErrNotFound, "member %s bought nothing on the lane but has an account", m)
			assert.Empty(t, want[m], "member %s bought nothing on the lane but has answers", m)
			continue
		}
		_, err := loyaltytest.CheckInvariants(ctx, store, m, nil)
		assert.NoError(t, err, "member %s", m)
		seen := 0
		for e, err := range store.Entries(ctx, m, 0) {
			if !assert.NoError(t, err) {
				break
			}
			seen++
			answered, ok := want[m][e.Seq]
			if !assert.True(t, ok, "entry %s (%s %s) answers no request", e.ID, e.Kind, e.Reference) {
				continue
			}
			assert.True(t, answered.Equal(e), "entry %s differs from the answer that made it", e.ID)
			ref := e.Reference
			if e.Kind == ledger.KindEarn {
				ref = e.Purchase
			}
			stored[string(e.Kind)+" "+ref]++
		}
		assert.Equal(t, len(want[m]), seen, "member %s: entries in answers and in the store", m)
	}
	// Each purchase earned once, each return clawed back once, each
	// redemption spent once, each hold placed and ended once, as the lane
	// ended it and not the other way.
	once := func(kind ledger.EntryKind, ref string) {
		t.Helper()
		assert.Equal(t, 1, stored[string(kind)+" "+ref], "%s entries of %s in the store", kind, ref)
	}
	for _, p := range l.purchases {
		once(ledger.KindEarn, p.ID)
	}
	for r := range l.returns {
		once(ledger.KindClawback, r)
	}
	for key, entries := range l.results {
		if id, ok := strings.CutPrefix(key, "redeem:"); ok && len(entries) > 0 {
			once(ledger.KindRedeem, id)
		}
		if id, ok := strings.CutPrefix(key, "hold:"); ok && len(entries) > 0 {
			assert.Contains(t, l.holdEnds, id, "hold %s never ended", id)
		}
	}
	for id, end := range l.holdEnds {
		kind, other := ledger.KindHoldCommit, ledger.KindHoldRelease
		if end == "release" {
			kind, other = other, kind
		}
		once(ledger.KindHold, id)
		once(kind, id)
		assert.Zero(t, stored[string(other)+" "+id], "hold %s was ended by %s and has %s entries too", id, end, other)
	}
}
