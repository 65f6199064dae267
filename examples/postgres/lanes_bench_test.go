package postgres_test

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/postgres"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/jackc/pgx/v5"
)

// BenchmarkLanes is a shop floor of checkout lanes earning points at once,
// each lane for its own members, with both services on one database
// through the adapter's default configuration (postgres.Open, its default
// pool). Every member starts with 100 or 10,000 prior lots (the history
// benchmarks' member, built by the service and copied to each). A lane's
// purchases are recorded through the customer service before the clock
// starts; the clock runs while the lanes call loyalty.Earn on them, and
// the benchmark reports earns/s across all lanes, the figure
// scripts/lanes.sh sets beside pgbench's TPC-B tps on the same server.
//
// go test -run '^$' -bench BenchmarkLanes -benchtime 20000x -count 5
//
// scripts/lanes.sh runs it and pgbench on a server of its own and prints
// the medians. -lanes.pool N sizes the pool by hand instead.
//
// With -short only the 100-lot members run.
func BenchmarkLanes(b *testing.B) {
	for _, lots := range []int{100, 10000} {
		b.Run(fmt.Sprintf("lots=%d", lots), func(b *testing.B) {
			if lots > 1000 && testing.Short() {
				b.Skip("long history: skipped with -short")
			}
			f := newFloor(b, lots)
			for _, lanes := range laneCounts {
				b.Run(fmt.Sprintf("lanes=%d", lanes), func(b *testing.B) { f.run(b, lanes) })
			}
		})
	}
}

// lanesPool, when set, sizes the floor's pool by hand (the DSN's
// pool_max_conns) instead of the adapter's default, for comparison.
var lanesPool = flag.Int("lanes.pool", 0, "BenchmarkLanes: pool_max_conns for the floor's database (0: the adapter's default)")

// laneCounts are the floors measured; membersPerLane members earn on each
// lane, in turn.
var laneCounts = []int{1, 8, 32}

const membersPerLane = 2

// fillerMembers is how many other members' headers the floor's account
// table holds.
const fillerMembers = 20000

// floor is a schema whose members all share one history, with the
// services a shop runs over it.
type floor struct {
	customers *customer.Service
	loyalty   *loyalty.Service
	members   []string
	next      atomic.Int64 // purchases recorded so far, for IDs and times
	dsn       string       // the floor's schema, for readUsage
}

// floorClock is the services' clock: the afternoon of the histories' day,
// after every purchase the benchmark records (they come a millisecond
// apart from the morning on, so all of them fall on the same local day
// and the members' qualifying activity stays one event per day).
var floorClock = historyStart.Add(20 * time.Hour)

// newFloor builds the floor: the history's account saved once under its
// own member, then copied in SQL to a registered customer for every
// member a floor of the most lanes needs. Earn-entry IDs carry the
// member's ID and are rewritten (an entry's own comes from its row's
// key); lots, records and state do not.
func newFloor(b *testing.B, lots int) *floor {
	ctx := context.Background()
	h := buildHistory(b, lots, 0, time.Second)
	db, dsn := freshSchema(b)
	if *lanesPool > 0 {
		var err error
		if db, err = postgres.Open(ctx, fmt.Sprintf("%s%spool_max_conns=%d", dsn, sep(dsn), *lanesPool)); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(db.Close)
	}
	clock := func() time.Time { return floorClock }
	f := &floor{customers: customer.NewService(db.Customers(), &customer.Options{Clock: clock}), dsn: dsn}
	var err error
	f.loyalty, err = loyalty.NewService(historyProgram(b), db.Loyalty(), f.customers, &loyalty.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	for i := range laneCounts[len(laneCounts)-1] * membersPerLane {
		c, err := f.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: fmt.Sprint("Lane member ", i)}, Force: true})
		if err != nil {
			b.Fatal(err)
		}
		f.members = append(f.members, c.ID)
	}
	whole := h.whole(b)
	if err := db.Loyalty().Save(ctx, whole); err != nil {
		b.Fatal(err)
	}
	// Each member's header is the history's under the member's ID,
	// written by the store (its documents name the member).
	for _, m := range f.members {
		acct := whole.Account
		hdr := acct.Points.Header()
		hdr.ID, acct.MemberID = m, m
		if acct.Points, err = ledger.FromHeader(hdr); err != nil {
			b.Fatal(err)
		}
		if err := db.Loyalty().Save(ctx, loyalty.Write{Account: acct}); err != nil {
			b.Fatal(err)
		}
	}
	cloneAccount(b, dsn, h.member, f.members)
	return f
}

// cloneAccount copies the lots, records and entries of member from to
// every member of to, in SQL, and vacuums and analyzes the tables it
// wrote.
func cloneAccount(b *testing.B, dsn, from string, to []string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`INSERT INTO loyalty_lots (member_id, lot_id, earn_entry, origin, source, amount, remaining, held,
			earned_at, pending_until, released, expires_at)
		SELECT m, lot_id, m || substr(earn_entry, length($1) + 1), origin, source, amount, remaining, held,
			earned_at, pending_until, released, expires_at
		FROM loyalty_lots, unnest($2::text[]) AS m WHERE member_id = $1`,
		`INSERT INTO loyalty_records (member_id, kind, key, data)
		SELECT m, kind, key, data FROM loyalty_records, unnest($2::text[]) AS m WHERE member_id = $1`,
		`INSERT INTO loyalty_entries (member_id, seq, doc)
		SELECT m, seq, CASE WHEN get_byte(doc, 0) = 0 THEN doc -- binary: the row's key names the member
			ELSE convert_to(jsonb_set(jsonb_set(convert_from(doc, 'UTF8')::jsonb, '{Account}', to_jsonb(m)), '{ID}', to_jsonb(m || '#' || seq))::text, 'UTF8') END
		FROM loyalty_entries, unnest($2::text[]) AS m WHERE member_id = $1`,
	} {
		if _, err := conn.Exec(ctx, q, from, to); err != nil {
			b.Fatal(err)
		}
	}
	// A shop's store holds many members besides those on the lanes: with
	// the floor's 65 accounts alone the server plans the save's account
	// update as a scan of the whole table, which it never is in a shop
	// (it was a tenth of the server's time per earn). Filler members,
	// headers only, make the table a member table's size.
	if _, err := conn.Exec(ctx, `INSERT INTO loyalty_accounts (member_id, version, header, state)
		SELECT 'filler-' || g, version, header, state FROM loyalty_accounts, generate_series(1, $2::int) AS g
		WHERE member_id = $1`, to[0], fillerMembers); err != nil {
		b.Fatal(err)
	}
	// The copied tables only, and of those only the ones the copy left
	// rows in: statistics (or a vacuum's row count) taken of an empty
	// table plan its look-ups as scans, which prepared statements keep
	// while the table grows. A short history has no records, and its
	// records' look-ups measured as scans of every record the floor
	// wrote until autovacuum analysed the table.
	for _, table := range []string{"loyalty_accounts", "loyalty_lots", "loyalty_records", "loyalty_entries"} {
		var rows bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+")").Scan(&rows); err != nil {
			b.Fatal(err)
		}
		if !rows {
			continue
		}
		if _, err := conn.Exec(ctx, "VACUUM ANALYZE "+table); err != nil {
			b.Fatal(err)
		}
	}
}

// run measures b.N earns spread over lanes lanes, each earning for its
// own membersPerLane members in turn.
func (f *floor) run(b *testing.B, lanes int) {
	ctx := context.Background()
	queues := make([][]customer.Purchase, lanes)
	f.onLanes(b, lanes, func(lane int) error {
		n := b.N / lanes
		if lane < b.N%lanes {
			n++
		}
		for i := range n {
			p, err := f.purchase(ctx, f.members[lane*membersPerLane+i%membersPerLane])
			if err != nil {
				return err
			}
			queues[lane] = append(queues[lane], p)
		}
		return nil
	})
	conn, err := pgx.Connect(ctx, f.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	before := readUsage(ctx, conn)
	b.ResetTimer()
	start := time.Now()
	f.onLanes(b, lanes, func(lane int) error {
		for _, p := range queues[lane] {
			if _, err := f.loyalty.Earn(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	elapsed := time.Since(start)
	b.StopTimer()
	used := readUsage(ctx, conn).sub(before)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "earns/s")
	reportUsage(b, used, b.N)
}

// reportUsage reports the CPU per operation of n operations: the
// client's (cpu-ns/op), the server backends' (srv-cpu-ns/op) and the
// statements' planning and execution time (srv-exec-ns/op), the last two
// when they could be read.
func reportUsage(b *testing.B, u usage, n int) {
	b.ReportMetric(float64(u.client)/float64(n), "cpu-ns/op")
	if u.server > 0 {
		b.ReportMetric(float64(u.server)/float64(n), "srv-cpu-ns/op")
	}
	if u.exec > 0 {
		b.ReportMetric(float64(u.exec)/float64(n), "srv-exec-ns/op")
	}
}

// onLanes runs lane(i) for i in [0, lanes) at once and fails b on the
// first error.
func (f *floor) onLanes(b *testing.B, lanes int, lane func(int) error) {
	var wg sync.WaitGroup
	errs := make([]error, lanes)
	for i := range lanes {
		wg.Go(func() { errs[i] = lane(i) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
}

// purchase records the floor's next purchase, for member.
func (f *floor) purchase(ctx context.Context, member string) (customer.Purchase, error) {
	n := f.next.Add(1)
	return f.customers.RecordPurchase(ctx, customer.Purchase{ID: fmt.Sprint("lane-", n), CustomerID: member,
		Store: "SH-02", Channel: customer.ChannelInStore, Time: historyStart.Add(4*time.Hour + time.Duration(n)*time.Millisecond),
		Currency: "CNY", Lines: historyLines()})
}
