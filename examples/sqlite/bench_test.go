package sqlite_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/internal/cputime"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// The history benchmarks measure one member's earn, redemption and
// purchase record on a SQLite file in WAL mode with synchronous=FULL (every
// commit waits for the disk), after 100, 1,000, 10,000 and 50,000 prior
// purchases, each of which earned a lot. A history is built once per
// process through the services (with synchronous=OFF, which only the build
// may use) into a template file; every benchmark works on a copy of it.
// The programme's points never expire, so every prior lot stays open, the
// worst case for a spend.
//
// go test -run '^$' -bench BenchmarkHistory -benchtime 200x -count 5
//
// With -short only the 100- and 1,000-purchase histories run;
// -sqlite.sync=NORMAL measures the same without the disk wait per commit.
// Beside wall time each reports cpu-ns/op, the process's CPU time per
// operation: a FULL commit's disk wait is wall time only, and the shared
// machine's load inflates wall time far more than CPU time.

var benchSync = flag.String("sqlite.sync", "FULL", "synchronous setting of the history benchmarks' copies")

// benchClock is a service clock the benchmarks move.
type benchClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *benchClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// tick moves the clock a second on and returns it.
func (c *benchClock) tick() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// historyStart is the first purchase's time: five past midnight in the
// programme's zone, so a history of a second per purchase lies in few
// local days.
var historyStart = time.Date(2020, 1, 2, 16, 5, 0, 0, time.UTC)

// historyProgram is the sample programme with points that are available
// at once and never expire,
// no earn caps and redemptions of any number of points.
func historyProgram(tb testing.TB) *loyalty.Program {
	data, err := os.ReadFile("../../loyalty/testdata/program.json")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := loyalty.ParseProgram(data)
	if err != nil {
		tb.Fatal(err)
	}
	p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireNever}
	p.Caps = loyalty.Caps{}
	p.Pending = loyalty.PendingPolicy{}
	p.Redemption.MinPoints, p.Redemption.Step, p.Redemption.MaxShare = 0, 0, decimal.Zero
	return p
}

// bench is the services over one copy of a history.
type bench struct {
	db        *sqlite.DB
	customers *customer.Service
	points    *loyalty.Service
	clock     *benchClock
	member    string
	next      int // purchases recorded so far, for new IDs
}

func openBench(tb testing.TB, path, sync string, clock *benchClock) *bench {
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Synchronous: sync})
	if err != nil {
		tb.Fatal(err)
	}
	cs := customer.NewService(db.Customers(), &customer.Options{Clock: clock.now, NewID: func() string { return "H-1" }})
	ps, err := loyalty.NewService(historyProgram(tb), db.Loyalty(), cs, &loyalty.Options{Clock: clock.now})
	if err != nil {
		tb.Fatal(err)
	}
	return &bench{db: db, customers: cs, points: ps, clock: clock, member: "H-1"}
}

// purchase records the member's next purchase.
func (h *bench) purchase(tb testing.TB) customer.Purchase {
	p, err := h.customers.RecordPurchase(context.Background(), customer.Purchase{ID: fmt.Sprint("h", h.next), CustomerID: h.member,
		Store: "SH-02", Channel: customer.ChannelInStore, Time: h.clock.tick(), Currency: "CNY",
		Lines: []customer.Line{line("RICE", "grocery", 4, "4.50"), line("TEA-500", "tea", 1, "88.00")}})
	if err != nil {
		tb.Fatal(err)
	}
	h.next++
	return p
}

// TestMain removes the history templates when the benchmarks end.
func TestMain(m *testing.M) {
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.Exit(code)
}

var (
	templatesMu sync.Mutex
	templates   = map[int]string{} // purchases: template file
	templateDir string
)

// template returns the file of a history of n earning purchases, built
// once per process.
func template(b *testing.B, n int) string {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if path, ok := templates[n]; ok {
		return path
	}
	if templateDir == "" {
		dir, err := os.MkdirTemp("", "clientele-sqlite-bench")
		if err != nil {
			b.Fatal(err)
		}
		templateDir = dir
	}
	path := filepath.Join(templateDir, fmt.Sprintf("history-%d.db", n))
	h := openBench(b, path, "OFF", &benchClock{t: historyStart})
	if _, err := h.customers.Register(context.Background(), customer.Registration{Profile: customer.Profile{Name: "Regular"}, MemberNumber: "H-1"}); err != nil {
		b.Fatal(err)
	}
	for range n {
		if _, err := h.points.Earn(context.Background(), h.purchase(b)); err != nil {
			b.Fatal(err)
		}
	}
	if err := h.db.Close(); err != nil { // checkpoints the WAL into the file
		b.Fatal(err)
	}
	templates[n] = path
	return path
}

// copyOf opens a copy of the history of n purchases with the
// -sqlite.sync setting (FULL unless told).
func copyOf(b *testing.B, n int) *bench {
	from := template(b, n)
	to := filepath.Join(b.TempDir(), "lane.db")
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	// The copy (about 90 MB at 50,000 purchases) reaches the disk before
	// the timer starts, so its writeback is not charged to the first
	// commits' fsyncs.
	if err := out.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	h := openBench(b, to, *benchSync, &benchClock{t: historyStart.Add(time.Duration(n+1) * time.Second)})
	h.next = n
	b.Cleanup(func() { h.db.Close() })
	return h
}

func BenchmarkHistory(b *testing.B) {
	sizes := []int{100, 1_000, 10_000, 50_000}
	if testing.Short() {
		sizes = sizes[:2]
	}
	ctx := context.Background()
	ops := []struct {
		name    string
		prepare func(b *testing.B, h *bench) customer.Purchase // outside the timer; nil for none
		run     func(b *testing.B, h *bench, i int, p customer.Purchase)
	}{
		{"earn", func(b *testing.B, h *bench) customer.Purchase { return h.purchase(b) },
			func(b *testing.B, h *bench, _ int, p customer.Purchase) {
				if _, err := h.points.Earn(ctx, p); err != nil {
					b.Fatal(err)
				}
			}},
		{"redeem-1-lot", nil, func(b *testing.B, h *bench, i int, _ customer.Purchase) {
			if _, err := h.points.Redeem(ctx, loyalty.RedeemRequest{ID: fmt.Sprint("r", i), MemberID: h.member, Points: 1,
				At: h.clock.tick()}); err != nil {
				b.Fatal(err)
			}
		}},
		{"record-purchase", nil, func(b *testing.B, h *bench, _ int, _ customer.Purchase) { h.purchase(b) }},
	}
	for _, op := range ops {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/purchases=%d", op.name, n), func(b *testing.B) {
				h := copyOf(b, n)
				var cpu time.Duration
				i := 0
				for b.Loop() {
					var p customer.Purchase
					if op.prepare != nil {
						b.StopTimer()
						p = op.prepare(b, h)
						b.StartTimer()
					}
					c0 := cputime.Process()
					op.run(b, h, i, p)
					cpu += cputime.Process() - c0
					i++
				}
				b.ReportMetric(float64(cpu)/float64(max(i, 1)), "cpu-ns/op")
				if st, err := os.Stat(template(b, n)); err == nil { // the history's file, checkpointed
					b.ReportMetric(float64(st.Size())/float64(n), "file-B/purchase")
				}
			})
		}
	}
}

// BenchmarkDiskSync is the floor under a synchronous=FULL commit that
// grows the WAL on the disk the benchmarks run on: append one WAL frame (a
// 24-byte header and a 4 KiB page) to a file in the test's temporary
// directory and fsync it, as SQLite does once per commit in WAL mode. Since
// Open reserves the WAL's room, commits overwrite it instead
// (BenchmarkDiskSyncInPlace is that floor) unless the WAL outgrows it.
//
// go test -run '^$' -bench BenchmarkDiskSync -count 5
func BenchmarkDiskSync(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "sync.dat"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	frame := make([]byte, 24+4096)
	var off int64
	for b.Loop() {
		if _, err := f.WriteAt(frame, off); err != nil {
			b.Fatal(err)
		}
		off += int64(len(frame))
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiskSyncInPlace is BenchmarkDiskSync on a file that already
// holds the bytes written, as the WAL does once Open reserved its room
// (or a checkpoint started it over): one frame overwritten in place and
// fsynced. The file is grown first as a WAL grows, a frame and an fsync
// at a time; the difference from BenchmarkDiskSync is what an append's
// change of the file's size costs a commit.
//
// go test -run '^$' -bench 'BenchmarkDiskSync' -count 5
func BenchmarkDiskSyncInPlace(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "sync.dat"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	frame := make([]byte, 24+4096)
	const frames = 256
	for i := range frames {
		if _, err := f.WriteAt(frame, int64(i*len(frame))); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		if _, err := f.WriteAt(frame, int64(i%frames*len(frame))); err != nil {
			b.Fatal(err)
		}
		i++
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}
