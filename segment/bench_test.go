package segment_test

import (
	"fmt"
	"iter"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/synth"
	"github.com/clientele-go/clientele/segment"
	"github.com/clientele-go/clientele/segment/txnfile"
)

// bigTxns is the lean stream of a synthetic shop with 1,000,000 customers
// and 10,000,000 purchases (plus about 4% returns), generated once per
// process and held in memory so the benchmark times segmentation only.
// Each Txn's customer ID is its own copy, laid out in stream order, as a
// decoder reading a file or a database cursor hands them over; see
// internedTxns for IDs shared from a pool.
var bigTxns = sync.OnceValues(func() ([]segment.Txn, time.Time) {
	txns, end := shopTxns()
	var buf []byte
	for _, t := range txns {
		buf = append(buf, t.CustomerID...)
	}
	all := string(buf)
	out := make([]segment.Txn, len(txns))
	at := 0
	for i, t := range txns {
		out[i] = t
		out[i].CustomerID = all[at : at+len(t.CustomerID)]
		at += len(t.CustomerID)
	}
	return out, end
})

// internedTxns is bigTxns with every Txn of a customer sharing one ID
// string, as a host that interns IDs would pass them: reading an ID's
// bytes is then a random access per Txn of its own.
var internedTxns = sync.OnceValues(shopTxns)

// shopTxns generates the synthetic shop's stream.
func shopTxns() ([]segment.Txn, time.Time) {
	cfg := synth.DefaultConfig()
	cfg.Customers, cfg.Purchases = 1_000_000, 10_000_000
	shop := synth.New(cfg)
	ids := shop.CustomerIDs()
	txns := make([]segment.Txn, 0, cfg.Purchases+cfg.Purchases/20)
	for s := range shop.Sales() {
		txns = append(txns, segment.Txn{CustomerID: ids[s.Customer], Unix: s.Unix, Net: s.Minor, Refund: s.Refund})
	}
	return txns, cfg.End
}

// collect gathers a generated stream into memory, so a benchmark times
// the code under test rather than the generator.
func collect[T any](b *testing.B, seq iter.Seq2[T, error]) []T {
	var out []T
	for x, err := range seq {
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, x)
	}
	return out
}

func values[T any](xs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

// cpuTime returns the process's user plus system CPU time. The machine
// is shared, so wall time per op overstates the work under load;
// cpu-ms/op is reported beside it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// heapWatch samples the heap in use (objects plus the unused parts of
// their spans, as MemStats.HeapInuse) every millisecond until stopped and
// keeps the highest reading: the benchmark's peak, its input included.
type heapWatch struct {
	stop chan struct{}
	done chan uint64
}

func watchHeap() *heapWatch {
	w := &heapWatch{stop: make(chan struct{}), done: make(chan uint64)}
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64()+s[1].Value.Uint64())
			select {
			case <-w.stop:
				w.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// measurePeak runs op once under a heapWatch, outside the timed loop (the
// sampling would disturb the timing), and returns a function that reports
// the peak and the input's share of it (ResetTimer drops metrics reported
// before it).
func measurePeak(b *testing.B, op func()) (report func()) {
	input := heapInUse()
	w := watchHeap()
	op()
	close(w.stop)
	peak := <-w.done
	return func() {
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(input)/(1<<20), "input-MiB")
	}
}

// heapInUse returns the live heap after a collection: the input's size
// when called before the benchmark loop.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkRFM10M: from the raw lean purchase stream (10M purchases, 1M
// customers) to scored segments.
func BenchmarkRFM10M(b *testing.B) { benchRFM(b, bigTxns, 0) }

// BenchmarkRFM10MSized is BenchmarkRFM10M with the customer count known
// up front (the host has it from its customer table), so the map never
// grows.
func BenchmarkRFM10MSized(b *testing.B) { benchRFM(b, bigTxns, 1_000_000) }

// BenchmarkRFM10MSizedInterned is BenchmarkRFM10MSized over interned IDs.
func BenchmarkRFM10MSizedInterned(b *testing.B) { benchRFM(b, internedTxns, 1_000_000) }

func benchRFM(b *testing.B, data func() ([]segment.Txn, time.Time), hint int) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	txns, asOf := data()
	var rep segment.RFMReport
	op := func() {
		sums, err := segment.Summarize(values(txns), asOf, hint)
		if err != nil {
			b.Fatal(err)
		}
		if rep, err = segment.ScoreRFM(sums, asOf, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportPeak := measurePeak(b, op)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		op()
	}
	b.StopTimer()
	reportCPU(b, cpu)
	reportPeak()
	b.ReportMetric(float64(len(txns)), "txns")
	b.ReportMetric(float64(rep.Scored), "customers")
}

// BenchmarkScoreRFM1M: scoring and segment lookup alone for 1M customers.
func BenchmarkScoreRFM1M(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	txns, asOf := bigTxns()
	sums, err := segment.Summarize(values(txns), asOf, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := segment.ScoreRFM(sums, asOf, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkRFMFromPurchases: the customer.Purchase adapter over a 1M
// purchase stream of 100k customers (records built by the generator
// inside the loop, as a store would stream them).
func BenchmarkRFMFromPurchases(b *testing.B) {
	cfg := synth.DefaultConfig()
	cfg.Customers, cfg.Purchases = 100_000, 1_000_000
	if testing.Short() {
		cfg.Customers, cfg.Purchases = 1000, 10_000
	}
	shop := synth.New(cfg)
	ps, rs := collect(b, shop.Purchases()), collect(b, shop.Returns())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sums, err := segment.SummarizePurchases(values(ps), values(rs), "CNY", cfg.End, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := segment.ScoreRFM(sums, cfg.End, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// bigFacts: facts of 1,000,000 customers with 3,000,000 purchases, built
// once per process.
var bigFacts = sync.OnceValues(func() ([]segment.Facts, time.Time) {
	cfg := synth.DefaultConfig()
	cfg.Customers, cfg.Purchases = 1_000_000, 3_000_000
	shop := synth.New(cfg)
	asOf := cfg.End
	fs, _, err := segment.BuildFacts(shop.Customers(), shop.Purchases(), shop.Returns(), asOf, &segment.FactsOptions{
		SkipSKUs: true, ExpectedCustomers: cfg.Customers, Loyalty: synthLoyalty(asOf)})
	if err != nil {
		panic(err)
	}
	if _, err := segment.ScoreFacts(fs, asOf, nil); err != nil {
		panic(err)
	}
	return fs, asOf
})

// synthLoyalty invents loyalty facts from the ID, as a loyalty service
// would supply them.
func synthLoyalty(asOf time.Time) func(string) segment.LoyaltyFacts {
	tiers := []string{"", "silver", "gold", "platinum"}
	return func(id string) segment.LoyaltyFacts {
		h := 0
		for _, c := range id {
			h = h*31 + int(c)
		}
		h &= 0x7fffffff
		return segment.LoyaltyFacts{Member: h%4 != 0, Tier: tiers[h%4], Points: int64(h % 5000),
			Expiring: []segment.ExpiringPoints{{At: asOf.AddDate(0, 0, h%60), Points: int64(h % 700)}}}
	}
}

// tenLeafRule is a realistic campaign rule with ten leaves.
var tenLeafRule = segment.Rule{Version: 1, Name: "ten leaves", Root: segment.AllOf(
	segment.Gender{In: []customer.Gender{customer.GenderFemale, customer.GenderUnstated}},
	segment.Age{Min: 20, Max: 60},
	segment.City{In: []string{"Shanghai", "Hangzhou", "Nanjing"}},
	segment.NotOf(segment.Tags{Any: []string{"staff"}}),
	segment.AnyOf(
		segment.Spent{Min: dec("50.00"), Days: 365},
		segment.Purchases{Min: 2, Days: 180},
	),
	segment.Bought{Category: "grocery", Days: 365},
	segment.LastPurchase{WithinDays: 300},
	segment.ChannelShare{Channel: "in-store", MinPercent: 50},
	segment.Tier{In: []string{"silver", "gold", "platinum"}},
)}

// BenchmarkRule1M: a 10-leaf rule over 1,000,000 customers' facts.
func BenchmarkRule1M(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	fs, asOf := bigFacts()
	m, err := tenLeafRule.Compile(asOf, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	var n int
	for b.Loop() {
		n = 0
		for f, err := range m.Filter(segment.All(fs)) {
			if err != nil {
				b.Fatal(err)
			}
			_ = f
			n++
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "matched")
	b.ReportMetric(float64(len(fs)), "customers")
}

// BenchmarkBuildFacts: one streaming pass over 100k customers and 1M
// purchases with returns, SKUs tracked.
func BenchmarkBuildFacts(b *testing.B) { benchBuildFacts(b, nil) }

// BenchmarkBuildFactsNoSKUs: the same with FactsOptions.SkipSKUs.
func BenchmarkBuildFactsNoSKUs(b *testing.B) {
	benchBuildFacts(b, &segment.FactsOptions{SkipSKUs: true})
}

func benchBuildFacts(b *testing.B, opts *segment.FactsOptions) {
	cfg := synth.DefaultConfig()
	cfg.Customers, cfg.Purchases = 100_000, 1_000_000
	if testing.Short() {
		cfg.Customers, cfg.Purchases = 1000, 10_000
	}
	shop := synth.New(cfg)
	cs := collect(b, shop.Customers())
	ps, rs := collect(b, shop.Purchases()), collect(b, shop.Returns())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := segment.BuildFacts(values(cs), values(ps), values(rs), cfg.End, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKMeans100k: k = 5 on 100k scored customers.
func BenchmarkKMeans100k(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 1000
	}
	res := make([]segment.RFMResult, n)
	for i := range res {
		res[i] = segment.RFMResult{CustomerID: fmt.Sprint(i), RecencyDays: int64(i*7919) % 700, Frequency: 1 + int64(i*31)%20,
			Monetary: int64(i*104729) % 500000, Score: segment.RFMScore{R: 1, F: 1, M: 1}}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := segment.KMeans(res, &segment.ClusterConfig{K: 5}); err != nil {
			b.Fatal(err)
		}
	}
}

// uniformTxns: 10M purchases of 1M customers drawn uniformly (the worst
// case for caches: no customer is hot), generated quickly for iterating
// on the fold itself.
var uniformTxns = sync.OnceValue(func() []segment.Txn {
	ids := make([]string, 1_000_000)
	for i := range ids {
		ids[i] = fmt.Sprintf("C%08d", i)
	}
	txns := make([]segment.Txn, 10_000_000)
	x := uint64(88172645463325252)
	for i := range txns {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		txns[i] = segment.Txn{CustomerID: ids[x%uint64(len(ids))], Unix: 1_700_000_000 + int64(i)*3, Net: int64(x>>40) % 100000}
	}
	return txns
})

// BenchmarkSummarizeUniform10M: the fold alone over uniform customers.
func BenchmarkSummarizeUniform10M(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	txns := uniformTxns()
	asOf := time.Unix(1_800_000_000, 0)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := segment.Summarize(values(txns), asOf, 0); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkSummarizerAddUniform10M: the same fold one Add at a time
// (no batching), for comparison with BenchmarkSummarizeUniform10M.
func BenchmarkSummarizerAddUniform10M(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	txns := uniformTxns()
	asOf := time.Unix(1_800_000_000, 0)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		s := segment.NewSummarizer(asOf, 0)
		for _, t := range txns {
			if err := s.Add(t); err != nil {
				b.Fatal(err)
			}
		}
		_ = s.Summaries()
	}
	reportCPU(b, cpu)
}

// BenchmarkRFM10MStream: RFM straight from the generator's stream, with
// nothing held in memory but the customer table, so the process's peak
// RSS (/usr/bin/time -v) is the peak of RFM itself. The time includes
// generating the 10M purchases.
func BenchmarkRFM10MStream(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	cfg := synth.DefaultConfig()
	cfg.Customers, cfg.Purchases = 1_000_000, 10_000_000
	shop := synth.New(cfg)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		sums, err := segment.Summarize(synthTxns(shop), cfg.End, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := segment.ScoreRFM(sums, cfg.End, nil); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// BenchmarkRule1MEveryLeaf: ten leaves under "or" that almost never
// match, so nearly every customer evaluates all ten (the worst case for
// short-circuiting, unlike BenchmarkRule1M's "and").
func BenchmarkRule1MEveryLeaf(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	fs, asOf := bigFacts()
	rule := segment.Rule{Version: 1, Root: segment.AnyOf(
		segment.Gender{In: []customer.Gender{customer.GenderOther}},
		segment.Age{Min: 120},
		segment.City{In: []string{"Lhasa"}},
		segment.Tags{All: []string{"vip", "staff", "wholesale"}},
		segment.Spent{Min: dec("100000.00"), Days: 365},
		segment.Purchases{Min: 500, Days: 180},
		segment.Bought{Category: "no-such-category", Days: 365},
		segment.ChannelShare{Channel: "kiosk", MinPercent: 50},
		segment.PointsExpiring{Min: 100000, Days: 30},
		segment.RFMSegment{In: []string{"no-such-segment"}},
	)}
	m, err := rule.Compile(asOf, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	var n int
	for b.Loop() {
		n = 0
		for range m.Filter(segment.All(fs)) {
			n++
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(n), "matched")
}

// bigTable is the synthetic shop's stream as a compact txnfile.Table (a
// refund as a negative amount, the time cut to its UTC day), the form
// SummarizeTable reads.
var bigTable = sync.OnceValues(func() (*txnfile.Table, time.Time) {
	txns, asOf := internedTxns()
	tab := txnfile.NewTable(len(txns), 1_000_000)
	for _, t := range txns {
		amt := t.Net
		if t.Refund {
			amt = -amt
		}
		if err := tab.Add([]byte(t.CustomerID), int32(t.Unix/86400), amt); err != nil {
			panic(err)
		}
	}
	return tab, asOf
})

// BenchmarkRFM10MTable: from the compact table (10M purchases, 1M
// customers) to scored segments, with one worker and with every core.
func BenchmarkRFM10MTable(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark; run without -short")
	}
	tab, asOf := bigTable()
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				sums, err := segment.SummarizeTable(tab, asOf, workers)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := segment.ScoreRFM(sums, asOf, &segment.RFMConfig{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
