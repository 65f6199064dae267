package postgres_test

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// The history benchmarks measure one member's operations on PostgreSQL
// after a long history: 100, 1,000, 10,000 and 50,000 prior lots, and
// 5,000 purchases each partly returned. A history is built once per
// process by the loyalty service on the memory store (so it is a state the
// service produces) and copied into a fresh schema for every operation
// measured: the header, lots, records and entries in one Save, the
// idempotency records with COPY. The programme's points never expire, so
// every prior lot stays open, the worst case for a spend.
//
// go test -run '^$' -bench BenchmarkHistory -benchtime 200x -count 5
//
// Beside wall time each reports the CPU per operation of this process
// (cpu-ns/op, the work done with the timer stopped included: recording
// the purchases and returns measured on the memory customer store) and of
// the server's backends (srv-cpu-ns/op), which a loaded machine disturbs
// far less than the wall time.
//
// With -short only the 100- and 1,000-lot histories run.

// clock is a service clock the benchmarks move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// historyProgram is the sample programme with points that are available
// at once and never expire, no earn caps (a history of thousands of
// purchases would hit them) and redemptions of any number of points.
func historyProgram(tb testing.TB) *loyalty.Program {
	p := program(tb)
	p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireNever}
	p.Caps = loyalty.Caps{}
	p.Redemption.MinPoints, p.Redemption.Step, p.Redemption.MaxShare = 0, 0, decimal.Zero
	return p
}

// historyLines is the benchmarks' basket: one lot of the same points per
// purchase, and forty units of its first line to return one at a time.
func historyLines() []customer.Line {
	return []customer.Line{line("RICE", "grocery", 40, "4.50"), line("TEA-500", "tea", 1, "88.00"), line("OIL", "grocery", 1, "59.00")}
}

// history is a member's history built on the memory store, with the
// customer service that recorded its purchases.
type history struct {
	customers *customer.Service
	mem       *loyalty.Service
	clock     *clock
	member    string
	purchases []customer.Purchase
	returns   []string // IDs of the returns in the history
	next      int      // purchases and returns recorded so far, for new IDs
	returned  int      // units returned by the return benchmark so far
	step      time.Duration
	lotPoints int64
}

var (
	historiesMu sync.Mutex
	histories   = map[string]*history{}
)

// historyStart is when the member's first purchase happens: five past
// midnight in the programme's zone (Asia/Shanghai). Purchases and returns
// of a history follow each other a second apart, so that every history
// lies in one local day and holds the same qualifying activity: the
// account header holds an event per active day (and per return), which
// the benchmarks would otherwise measure instead of the store's lots and
// records. The requests measured come ten minutes apart.
var historyStart = time.Date(2020, 1, 2, 16, 5, 0, 0, time.UTC)

// buildHistory returns the member with lots prior purchases, each of the
// first returned of them partly returned, built once per process.
func buildHistory(b *testing.B, lots, returned int, step time.Duration) *history {
	name := fmt.Sprint(lots, "/", returned, "/", step)
	historiesMu.Lock()
	defer historiesMu.Unlock()
	if h, ok := histories[name]; ok {
		return h
	}
	ctx := context.Background()
	clk := &clock{t: historyStart}
	cs := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: clk.now})
	mem, err := loyalty.NewService(historyProgram(b), loyalty.NewMemoryStore(), cs, &loyalty.Options{Clock: clk.now})
	if err != nil {
		b.Fatal(err)
	}
	c, err := cs.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Regular"}, MemberNumber: "H-1"})
	if err != nil {
		b.Fatal(err)
	}
	h := &history{customers: cs, mem: mem, clock: clk, member: c.ID, step: step}
	for range lots {
		p := h.purchase(b)
		h.purchases = append(h.purchases, p)
		res, err := mem.Earn(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		h.lotPoints = res.Quote.Total
	}
	for i := range returned {
		r := h.returnUnit(b, h.purchases[i])
		h.returns = append(h.returns, r.ID)
		if _, err := mem.Return(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	h.step = 10 * time.Minute
	histories[name] = h
	return h
}

// tick moves the clock a step on and returns it: every request of the
// benchmarks comes later than the one before.
func (h *history) tick() time.Time {
	at := h.clock.now().Add(h.step)
	h.clock.set(at)
	return at
}

// purchase records the member's next purchase.
func (h *history) purchase(b *testing.B) customer.Purchase {
	at := h.tick()
	p, err := h.customers.RecordPurchase(context.Background(), customer.Purchase{ID: fmt.Sprint("h", h.next), CustomerID: h.member,
		Store: "SH-02", Channel: customer.ChannelInStore, Time: at, Currency: "CNY", Lines: historyLines()})
	if err != nil {
		b.Fatal(err)
	}
	h.next++
	return p
}

// returnUnit records the return of one unit of a purchase's first line.
func (h *history) returnUnit(b *testing.B, p customer.Purchase) customer.Return {
	at := h.tick()
	r, err := h.customers.RecordReturn(context.Background(), customer.Return{ID: fmt.Sprint("r", h.next), PurchaseID: p.ID,
		Store: "SH-02", Time: at, Currency: "CNY", Refund: decimal.RequireFromString("4.50"),
		Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
	if err != nil {
		b.Fatal(err)
	}
	h.next++
	return r
}

var historyJournal = flag.Bool("history.journal", false, "BenchmarkHistory: run the operations on DB.JournaledLoyalty's store, which journals every save")

// copyTo writes the member's account from the memory store into a fresh
// schema and returns a service on it, over the history's customer
// service, and the schema's DSN. The idempotency records of the earns and returns go along:
// a return reads its purchase's earn record.
func (h *history) copyTo(b *testing.B) (*loyalty.Service, string) {
	ctx := context.Background()
	db, dsn := freshSchema(b)
	if err := db.Loyalty().Save(ctx, h.whole(b)); err != nil {
		b.Fatal(err)
	}
	src := h.mem.Store()
	var ops [][]any
	keys := make([]string, 0, len(h.purchases)+len(h.returns))
	for _, p := range h.purchases {
		keys = append(keys, "earn:"+p.ID)
	}
	for _, r := range h.returns {
		keys = append(keys, "return:"+r)
	}
	for _, k := range keys {
		op, err := src.GetOperation(ctx, k)
		if err != nil {
			b.Fatal(k, err)
		}
		ops = append(ops, []any{op.Key, op.MemberID, op.Hash, []byte(op.Result)})
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"loyalty_operations"}, []string{"key", "member_id", "hash", "result"}, pgx.CopyFromRows(ops)); err != nil {
		b.Fatal(err)
	}
	// Other members' headers, as the lanes floor has (fillerMembers): an
	// account table of one row is read by a scan, which a shop's never is.
	if _, err := conn.Exec(ctx, `INSERT INTO loyalty_accounts (member_id, version, header, state)
		SELECT $3 || g, version, header, state FROM loyalty_accounts, generate_series(1, $2::int) AS g
		WHERE member_id = $1`, h.member, fillerMembers, historyFiller); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	store := db.Loyalty()
	if *historyJournal {
		store = db.JournaledLoyalty()
	}
	s, err := loyalty.NewService(historyProgram(b), store, h.customers, &loyalty.Options{Clock: h.clock.now})
	if err != nil {
		b.Fatal(err)
	}
	return s, dsn
}

// whole returns the member's account on the memory store as one Write
// at version 1: the header, every lot, record and entry, for a store
// that starts from the history.
func (h *history) whole(b *testing.B) loyalty.Write {
	ctx := context.Background()
	src := h.mem.Store()
	acct, err := src.GetAccount(ctx, h.member)
	if err != nil {
		b.Fatal(err)
	}
	acct.Version = 1
	w := loyalty.Write{Account: acct}
	for l, err := range src.AllLots(ctx, h.member) {
		if err != nil {
			b.Fatal(err)
		}
		w.Lots = append(w.Lots, l)
	}
	for _, kind := range []loyalty.RecordKind{loyalty.RecordOperation, loyalty.RecordPurchase, loyalty.RecordCoupon, loyalty.RecordRewardCount} {
		for r, err := range src.Records(ctx, h.member, kind) {
			if err != nil {
				b.Fatal(err)
			}
			w.Records = append(w.Records, r)
		}
	}
	for e, err := range src.Entries(ctx, h.member, 0) {
		if err != nil {
			b.Fatal(err)
		}
		w.Entries = append(w.Entries, e)
	}
	return w
}

// historyOps are the operations measured, each given the service on a
// fresh copy of the history. An operation records what it needs (new
// purchases, returns) with the timer stopped.
var historyOps = []struct {
	name string
	run  func(b *testing.B, h *history, s *loyalty.Service)
}{
	{"earn", func(b *testing.B, h *history, s *loyalty.Service) {
		ctx := context.Background()
		for b.Loop() {
			b.StopTimer()
			p := h.purchase(b)
			b.StartTimer()
			if _, err := s.Earn(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	}},
	{"redeem-1-lot", func(b *testing.B, h *history, s *loyalty.Service) {
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			_, err := s.Redeem(ctx, loyalty.RedeemRequest{ID: fmt.Sprint("r1-", i), MemberID: h.member, Points: 1, At: h.clock.now()})
			if err != nil {
				b.Fatal(err)
			}
		}
	}},
	{"redeem-20-lots", func(b *testing.B, h *history, s *loyalty.Service) {
		ctx := context.Background()
		spend := 19*h.lotPoints + 1 // 20 lots when the first is whole, else 20 or 21
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			bal, err := s.Balance(ctx, h.member)
			if err != nil {
				b.Fatal(err)
			}
			for range max(0, (spend-bal.Available)/h.lotPoints+1) {
				if _, err := s.Earn(ctx, h.purchase(b)); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			_, err = s.Redeem(ctx, loyalty.RedeemRequest{ID: fmt.Sprint("r20-", i), MemberID: h.member, Points: spend, At: h.clock.now()})
			if err != nil {
				b.Fatal(err)
			}
		}
	}},
	{"return", func(b *testing.B, h *history, s *loyalty.Service) {
		ctx := context.Background()
		for b.Loop() {
			b.StopTimer()
			// The oldest purchases first, one unit each round: a
			// purchase with a record of earlier returns when the history
			// has them.
			r := h.returnUnit(b, h.purchases[h.returned%len(h.purchases)])
			h.returned++
			b.StartTimer()
			if _, err := s.Return(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	}},
	{"hold-commit", func(b *testing.B, h *history, s *loyalty.Service) {
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			id := fmt.Sprint("hold-", i)
			if _, err := s.Hold(ctx, loyalty.RedeemRequest{ID: id, MemberID: h.member, Points: 1, At: h.clock.now()}); err != nil {
				b.Fatal(err)
			}
			if _, err := s.CommitHold(ctx, h.member, id, ""); err != nil {
				b.Fatal(err)
			}
		}
	}},
	{"expire-1-lot", func(b *testing.B, h *history, s *loyalty.Service) {
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			at := h.tick()
			_, err := s.Adjust(ctx, loyalty.AdjustRequest{ID: fmt.Sprint("due-", i), MemberID: h.member, Points: 5,
				ExpiresAt: at.Add(time.Second), Reason: "goodwill", Actor: "bench", At: at})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			rep, err := s.Expire(ctx, h.tick(), "") // the due index finds the member among the fillers
			if err != nil {
				b.Fatal(err)
			}
			if rep.Points != 5 {
				b.Fatalf("expired %d points, want 5", rep.Points)
			}
		}
	}},
}

// historyFiller prefixes the history's filler members' IDs. They hold no
// lots: the expiry run (a DueFinder's) never reads their headers.
const historyFiller = "!filler-"

func BenchmarkHistory(b *testing.B) {
	for _, size := range []struct {
		name           string
		lots, returned int
		step           time.Duration // between the history's purchases
		skippedIfShort bool
	}{
		{"lots=100", 100, 0, time.Second, false},
		{"lots=1000", 1000, 0, time.Second, false},
		{"lots=10000", 10000, 0, time.Second, true},
		{"lots=50000", 50000, 0, time.Second, true},
		{"returned=5000", 5000, 5000, time.Second, true},
		// A purchase a day for two years: the activity's day summaries
		// fill the account header (see BENCHMARKS.md, issue 11).
		{"daily=730", 730, 0, 24 * time.Hour, true},
	} {
		b.Run(size.name, func(b *testing.B) {
			if size.skippedIfShort && testing.Short() {
				b.Skip("long history: skipped with -short")
			}
			h := buildHistory(b, size.lots, size.returned, size.step)
			for _, op := range historyOps {
				b.Run(op.name, func(b *testing.B) {
					s, dsn := h.copyTo(b)
					ctx := context.Background()
					conn, err := pgx.Connect(ctx, dsn)
					if err != nil {
						b.Fatal(err)
					}
					defer conn.Close(ctx)
					before := readUsage(ctx, conn)
					b.ResetTimer()
					op.run(b, h, s)
					b.StopTimer()
					reportUsage(b, readUsage(ctx, conn).sub(before), b.N)
				})
			}
		})
	}
}
