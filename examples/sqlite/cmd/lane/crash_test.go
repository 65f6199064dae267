package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/examples/sqlite/internal/pgschema"
	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	kills     = flag.Int("crash.kills", 0, "SIGKILLs in TestCrashDay (default 4, or 1 with -short); the long form is 200")
	crashSeed = flag.Uint64("crash.seed", 0, "seed of TestCrashDay (0: from the clock, logged)")
)

// childDir, when set, makes the test binary the lane process: it runs
// the day in that directory and exits.
const childDir = "CLIENTELE_LANE_DAY_DIR"

// centralEnv passes the lane process the DSN of its central services'
// schema; empty means central.db beside the lane.
const centralEnv = "CLIENTELE_LANE_DAY_CENTRAL"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childDir); dir != "" {
		seed, _ := strconv.ParseUint(os.Getenv("CLIENTELE_LANE_DAY_SEED"), 10, 64)
		facts, _ := strconv.Atoi(os.Getenv("CLIENTELE_LANE_DAY_FACTS"))
		d := testDay(dir, seed, facts)
		d.central = os.Getenv(centralEnv)
		d.progress = func(i int) { fmt.Println("fact", i) }
		if _, err := run(context.Background(), d); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func testDay(dir string, seed uint64, facts int) day {
	return day{dir: dir, program: "../../../../loyalty/testdata/program.json",
		wallets: "../../../../loyalty/storedvalue/testdata/programme.json", facts: facts, members: 5, every: 7, seed: seed}
}

// lanes is a lane process of the test's day.
type laneProcess struct {
	cmd   *exec.Cmd
	facts *bufio.Scanner // the indexes of the facts it starts, one a line
}

// place is where a day runs: the lane's directory and the central
// services' PostgreSQL schema ("" for central.db in the directory).
type place struct{ dir, central string }

// newPlace returns a place for a day: on PostgreSQL when a server is
// configured (CLIENTELE_PG_DSN), else all in SQLite files.
func newPlace(t *testing.T) place {
	p := place{dir: t.TempDir()}
	if pgschema.Available() {
		p.central = pgschema.Fresh(t)
	}
	return p
}

// child starts the lane process on the place.
func child(t *testing.T, at place, seed uint64, facts int) laneProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childDir+"="+at.dir, centralEnv+"="+at.central,
		"CLIENTELE_LANE_DAY_SEED="+strconv.FormatUint(seed, 10), "CLIENTELE_LANE_DAY_FACTS="+strconv.Itoa(facts))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	return laneProcess{cmd, bufio.NewScanner(out)}
}

// finish reads the process's output to its end and waits for it.
func (p laneProcess) finish() error {
	for p.facts.Scan() {
	}
	return p.cmd.Wait()
}

// killAt kills the process a random moment (up to 20ms) after it starts
// fact target, or once it ends before; it returns the last fact started.
func (p laneProcess) killAt(target int, rng *rand.Rand) int {
	last := -1
	for p.facts.Scan() {
		fmt.Sscanf(p.facts.Text(), "fact %d", &last)
		if last >= target {
			time.Sleep(time.Duration(rng.IntN(20_000)) * time.Microsecond)
			break
		}
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL) // it may have finished
	_ = p.finish()
	return last
}

// TestCrashDay kills the lane process with SIGKILL at random points of a
// scripted day, checks the invariants of its files after every kill, then
// lets the day finish: the central state must equal that of a day run
// without a crash. The seed is logged; the long form is
//
//	go test -run TestCrashDay -v ./cmd/lane/ -crash.kills=200
func TestCrashDay(t *testing.T) {
	n := *kills
	if n == 0 {
		n = 4
		if testing.Short() {
			n = 1
		}
	}
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	// About two kills a fact, the day long enough for every kill to land
	// in new work: each run replays the facts done before (writing
	// nothing), then is killed during the fact at or after its target.
	facts := max(40, n/2)
	ref, dir := newPlace(t), newPlace(t)
	centralOn := "SQLite (set CLIENTELE_PG_DSN for PostgreSQL)"
	if dir.central != "" {
		centralOn = "PostgreSQL"
	}
	t.Logf("seed %d (-crash.seed), %d kills, %d facts, central services on %s", seed, n, facts, centralOn)
	rng := rand.New(rand.NewPCG(seed, 1))
	dayOf := uint64(rng.IntN(1000))

	require.NoError(t, child(t, ref, dayOf, facts).finish(), "the day without crashes")

	reached := 0
	for k := range n {
		// Spread the kills over the day: the next target is a little
		// past the furthest fact reached so far.
		target := reached + rng.IntN(max(1, 2*facts/n)+1)
		if last := child(t, dir, dayOf, facts).killAt(target, rng); last > reached {
			reached = last
		}
		t.Run(fmt.Sprintf("after kill %d at fact %d", k+1, reached), func(t *testing.T) { checkInvariants(t, dir) })
	}
	require.NoError(t, child(t, dir, dayOf, facts).finish(), "the day finishes after the crashes")
	checkInvariants(t, dir)
	assertSameDay(t, ref, dir, dayOf, facts)

	// The day's central changes happened, and the lane learnt of them.
	l, hq := open(t, dir)
	for side, s := range map[string]lane.Services{"central": hq, "lane": l.Local()} {
		c, err := s.Customers.Store().GetCustomer(t.Context(), "c-M-005")
		require.NoError(t, err)
		assert.Equal(t, "c-M-004", c.MergedInto, "the fifth member merged into the fourth, on the %s", side)
	}
	_, err := hq.Points.Store().GetOperation(t.Context(), "redeem:S9/R-0001")
	assert.NoError(t, err, "the second member spent points at another store")
	_, err = hq.Wallets.Store().GetOperation(t.Context(), "pay:S9/SV-0001")
	assert.NoError(t, err, "the second member spent the wallet at another store")
	_, err = hq.Wallets.Store().GetOperation(t.Context(), "pay:S9/GC-0001")
	assert.NoError(t, err, "the gift card was spent at another store")

	// The day without crashes took the second member's wallet payment and
	// the flyer after the centre's changes, and the centre refused both.
	rl, _ := open(t, ref)
	refused := map[string]bool{}
	for it, err := range rl.Outbox().All(t.Context()) {
		require.NoError(t, err)
		if strings.Contains(it.Outcome, "refused centrally") {
			refused[it.Kind] = true
		}
	}
	assert.True(t, refused[lane.KindHold], "a wallet hold refused centrally and reported")
	assert.True(t, refused[lane.KindCouponHold], "a coupon use refused centrally and reported")
	assert.True(t, refused[lane.KindPay], "a gift-card payment refused centrally and reported")
}

// open opens a day's lane (recovering it) and central services.
func open(t *testing.T, at place) (*lane.Lane, lane.Services) {
	ctx := t.Context()
	d := testDay(at.dir, 0, 0)
	d.central = at.central
	program, programme, err := programmes(d)
	require.NoError(t, err)
	hq, closeHQ, err := central(ctx, d, program, programme)
	require.NoError(t, err)
	t.Cleanup(closeHQ)
	l, err := openLane(ctx, d, program, programme)
	require.NoError(t, err, "the lane reopens and recovers")
	t.Cleanup(func() { l.Close() })
	return l, hq
}

// checkInvariants reopens the day's files after a kill: the lane
// recovers; every queued fact is then applied on the lane; the sent ones
// form a prefix of the queue and are all held centrally; every member's
// points, on both sides, pass the ledger invariants.
func checkInvariants(t *testing.T, at place) {
	ctx := t.Context()
	l, hq := open(t, at)
	unsent := false
	for it, err := range l.Outbox().All(ctx) {
		require.NoError(t, err)
		assert.False(t, it.AppliedAt.IsZero(), "item %d (%s) applied after recovery", it.Seq, it.Key)
		assert.False(t, !it.SentAt.IsZero() && it.Secret != nil, "item %d (%s) keeps its secret after it was sent", it.Seq, it.Key)
		if it.SentAt.IsZero() {
			unsent = true
		} else {
			assert.False(t, unsent, "item %d (%s) sent after an unsent one", it.Seq, it.Key)
		}
		for side, s := range map[string]lane.Services{"lane": l.Local(), "central": hq} {
			if side == "central" && it.SentAt.IsZero() {
				continue
			}
			var err error
			switch it.Kind {
			case lane.KindPurchase:
				var p customer.Purchase
				require.NoError(t, json.Unmarshal(it.Payload, &p))
				_, err = s.Customers.Purchase(ctx, p.ID)
			case lane.KindReturn:
				var r customer.Return
				require.NoError(t, json.Unmarshal(it.Payload, &r))
				_, err = s.Customers.Return(ctx, r.ID)
			default:
				if side == "central" && strings.HasPrefix(it.Outcome, "refused") {
					continue // a refusal for lack of a hold is not recorded
				}
				err = recorded(ctx, s, it)
			}
			assert.NoError(t, err, "item %d (%s) held on the %s", it.Seq, it.Key, side)
		}
	}
	for _, side := range []lane.Services{l.Local(), hq} {
		s := side.Points.Store()
		for a, err := range s.Accounts(ctx, "") {
			require.NoError(t, err)
			_, err := loyaltytest.CheckInvariants(ctx, s, a.MemberID, nil)
			assert.NoError(t, err, "ledger invariants of %s", a.MemberID)
		}
		sv := side.Wallets.Store()
		for a, err := range sv.Accounts(ctx, "") {
			require.NoError(t, err)
			assert.NoError(t, storedvalue.Audit(ctx, sv, a.ID), "stored-value ledger of %s", a.ID)
			assert.GreaterOrEqual(t, a.Paid, int64(0), "%s never overdrawn", a.ID)
			assert.GreaterOrEqual(t, a.Bonus, int64(0), "%s never overdrawn", a.ID)
		}
		c, err := side.Coupons.Store().GetCode(ctx, coupon.Normalize(flyerCode))
		if !errors.Is(err, coupon.ErrNotFound) { // not downloaded yet
			require.NoError(t, err)
			assert.LessOrEqual(t, c.Used+c.Held, c.Limit, "the flyer's uses within its limit")
		}
	}
}

// recorded finds the idempotency record a stored-value or coupon item
// left in the services' store.
func recorded(ctx context.Context, s lane.Services, it sqlite.Item) error {
	var r struct {
		ID     string `json:"id"` // case folded: a coupon.HoldRequest's too
		HoldID string `json:"holdId"`
	}
	if err := json.Unmarshal(it.Payload, &r); err != nil {
		return err
	}
	key := map[string]string{lane.KindTopUp: "topup:" + r.ID, lane.KindPay: "pay:" + r.ID, lane.KindHold: "pay:" + r.ID,
		lane.KindCommitHold: "settle:" + r.HoldID, lane.KindReleaseHold: "settle:" + r.HoldID, lane.KindRefund: "refund:" + r.ID,
		lane.KindCouponHold: "hold:" + r.ID, lane.KindCouponCommit: "commit:" + r.HoldID, lane.KindCouponRelease: "release:" + r.HoldID}[it.Kind]
	switch it.Kind {
	case "":
		return fmt.Errorf("no kind")
	case lane.KindCouponHold, lane.KindCouponCommit, lane.KindCouponRelease:
		_, err := s.Coupons.Store().GetOperation(ctx, key)
		return err
	}
	if key == "" {
		return fmt.Errorf("unknown kind %q", it.Kind)
	}
	_, err := s.Wallets.Store().GetOperation(ctx, key)
	return err
}

// assertSameDay compares the central services (and the lanes) of two
// finished days: members, balances, statements, purchase statistics.
func assertSameDay(t *testing.T, want, got place, seed uint64, facts int) {
	wl, wc := open(t, want)
	gl, gc := open(t, got)
	ctx := t.Context()
	wantIDs, err := Members(ctx, wc, wl, testDay("", seed, facts).members)
	require.NoError(t, err)
	gotIDs, err := Members(ctx, gc, gl, testDay("", seed, facts).members)
	require.NoError(t, err)
	require.Equal(t, wantIDs, gotIDs)
	for _, pair := range [][2]lane.Services{{wc, gc}, {wl.Local(), gl.Local()}} {
		for _, id := range wantIDs {
			assert.Equal(t, statement(t, pair[0], id), statement(t, pair[1], id), "statement of %s", id)
			// A member who bought nothing has no account on either side.
			wb, werr := pair[0].Points.Balance(ctx, id)
			gb, gerr := pair[1].Points.Balance(ctx, id)
			assert.Equal(t, errors.Is(werr, loyalty.ErrNotFound), errors.Is(gerr, loyalty.ErrNotFound), "account of %s", id)
			if !errors.Is(werr, loyalty.ErrNotFound) {
				require.NoError(t, werr)
				require.NoError(t, gerr)
			}
			assert.Equal(t, wb, gb, "balance of %s", id)
			ws, err := pair[0].Customers.Stats(ctx, id)
			require.NoError(t, err)
			gs, err := pair[1].Customers.Stats(ctx, id)
			require.NoError(t, err)
			assert.JSONEq(t, jsonOf(t, ws), jsonOf(t, gs), "purchase statistics of %s", id)
			assert.Equal(t, wallet(t, pair[0], id), wallet(t, pair[1], id), "wallet of %s", id)
		}
		assert.Equal(t, account(t, pair[0], "g:"+dayCard), account(t, pair[1], "g:"+dayCard), "the day's gift card")
		wc, err := pair[0].Coupons.Store().GetCode(ctx, coupon.Normalize(flyerCode))
		require.NoError(t, err)
		gc, err := pair[1].Coupons.Store().GetCode(ctx, coupon.Normalize(flyerCode))
		require.NoError(t, err)
		assert.Equal(t, [2]int64{wc.Used, wc.Held}, [2]int64{gc.Used, gc.Held}, "the flyer's uses")
	}
}

// walletState is a wallet's balances and ledger, as two days compare them.
type walletState struct {
	Paid, Bonus, HeldPaid, HeldBonus int64
	Entries                          []storedvalue.Entry
}

func wallet(t *testing.T, s lane.Services, member string) walletState {
	return account(t, s, storedvalue.WalletID(member))
}

func account(t *testing.T, s lane.Services, id string) walletState {
	ctx := t.Context()
	a, err := s.Wallets.Store().GetAccount(ctx, id)
	if errors.Is(err, storedvalue.ErrNotFound) {
		return walletState{}
	}
	require.NoError(t, err)
	w := walletState{Paid: a.Paid, Bonus: a.Bonus, HeldPaid: a.HeldPaid, HeldBonus: a.HeldBonus}
	for e, err := range s.Wallets.Store().Entries(ctx, id, 0) {
		require.NoError(t, err)
		w.Entries = append(w.Entries, e)
	}
	return w
}

func statement(t *testing.T, s lane.Services, id string) []ledger.StatementLine {
	lines, err := s.Points.Statement(t.Context(), id)
	require.NoError(t, err)
	return lines
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
