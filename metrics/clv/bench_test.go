package clv

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/cputime"
	"github.com/clientele-go/clientele/segment/txnfile"
	"github.com/shopspring/decimal"
)

// txStream is a compact synthetic transaction log: the iterator builds each
// Transaction on the fly from packed columns and shared amounts, so 10
// million transactions fit in about 200 MB and building a value costs no
// allocation.
type txStream struct {
	idBytes string // the transactions' customer IDs, 9 bytes each, in order
	amounts []decimal.Decimal
	sec     []int64
	amt     []uint16
}

// newTxStream draws n transactions of nCust customers over 1997 (one
// calendar year), sorted by time like a POS export, or shuffled.
func newTxStream(n, nCust int, shuffled bool) *txStream {
	rng := rand.New(rand.NewPCG(7, 11))
	s := &txStream{amounts: make([]decimal.Decimal, 1000)}
	for i := range s.amounts {
		s.amounts[i] = decimal.New(int64(99+i*37), -2)
	}
	start := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	secs := make([]int64, n)
	for i := range secs {
		secs[i] = start + rng.Int64N(365*86400)
	}
	if !shuffled {
		slices.Sort(secs)
	}
	s.sec, s.amt = secs, make([]uint16, n)
	// The IDs are laid out in transaction order, as a decoder reading a
	// file or a database cursor sequentially would hand them over; a pool
	// indexed at random would add a cache miss per transaction that no
	// real stream has.
	ids := make([]byte, 0, 9*n)
	for i := range s.amt {
		ids = fmt.Appendf(ids, "C%08d", rng.IntN(nCust))
		s.amt[i] = uint16(rng.IntN(len(s.amounts)))
	}
	s.idBytes = string(ids)
	return s
}

func (s *txStream) seq() iter.Seq2[Transaction, error] {
	return func(yield func(Transaction, error) bool) {
		for i := range s.sec {
			tx := Transaction{CustomerID: s.idBytes[9*i : 9*i+9], Time: time.Unix(s.sec[i], 0), Amount: s.amounts[s.amt[i]]}
			if !yield(tx, nil) {
				return
			}
		}
	}
}

// cpuLoop runs b.Loop and reports the process CPU time per operation as
// cpu-ns/op (see cputime.Process).
func cpuLoop(b *testing.B, body func()) {
	b.ReportAllocs()
	b.ResetTimer()
	c0, n := cputime.Process(), 0
	for b.Loop() {
		body()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cputime.Process()-c0)/float64(n), "cpu-ns/op")
	}
}

var benchParams = SummaryParams{CalibrationEnd: time.Date(1997, 12, 31, 0, 0, 0, 0, time.UTC), Unit: Week, Location: time.UTC}

func benchSummarize(b *testing.B, n, nCust int, shuffled bool, hint int) {
	if testing.Short() && n > 100_000 {
		b.Skip("large benchmark skipped in -short mode")
	}
	s := newTxStream(n, nCust, shuffled)
	p := benchParams
	p.CustomersHint = hint
	cpuLoop(b, func() {
		out, err := Summarize(s.seq(), p)
		if err != nil || len(out.Customers) == 0 {
			b.Fatal(err)
		}
	})
}

// The lifetimes reference: summary_data_from_transaction_data on 10M
// transactions took 18.7 s.
func BenchmarkSummarize10MSorted(b *testing.B)   { benchSummarize(b, 10_000_000, 1_000_000, false, 0) }
func BenchmarkSummarize10MShuffled(b *testing.B) { benchSummarize(b, 10_000_000, 1_000_000, true, 0) }

// With CustomersHint the table never grows.
func BenchmarkSummarize10MSortedHint(b *testing.B) {
	benchSummarize(b, 10_000_000, 1_000_000, false, 1_000_000)
}
func BenchmarkSummarize100K(b *testing.B) { benchSummarize(b, 100_000, 10_000, false, 0) }

var synthTruth = BGNBD{R: 0.25, Alpha: 30, A: 0.8, B: 2.5, Unit: Day}

// lifetimes reference: BetaGeoFitter on 1M customers 7.7 s.
func BenchmarkFitBGNBD1M(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark skipped in -short mode")
	}
	s := synthBGNBD(1_000_000, synthTruth, 42, true)
	cpuLoop(b, func() {
		if _, err := FitBGNBD(s, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// lifetimes reference: 58 ms on the CDNOW sample.
func BenchmarkFitBGNBDCDNOW(b *testing.B) {
	s := cdnowSummaries(readCDNOWSummary(b, "cdnow_customers_summary.csv"))
	cpuLoop(b, func() {
		if _, err := FitBGNBD(s, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// lifetimes reference: 23 ms on the 946 repeat buyers.
func BenchmarkFitGammaGammaCDNOW(b *testing.B) {
	s := cdnowSummaries(readCDNOWSummary(b, "cdnow_customers_summary_with_transactions.csv"))
	cpuLoop(b, func() {
		if _, err := FitGammaGamma(s, nil); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkConditionalExpectedPurchases(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lifetimesCDNOW.ConditionalExpectedPurchases(39, 2, 30.43, 38.86); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLifetimeValue12Periods(b *testing.B) {
	c := Summary{CustomerID: "1", Frequency: 2, Recency: 30.43, T: 38.86, Monetary: 22.35}
	h := Horizon{Periods: 12, Period: 30 * 24 * time.Hour, DiscountRate: 0.01, Places: 2}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LifetimeValue(lifetimesCDNOW, publishedGG, c, Week, h); err != nil {
			b.Fatal(err)
		}
	}
}

// Issue 18: the other models on the data their papers fit, and the
// per-customer predictions (no lifetimes timing can be taken here: PyPI
// is unreachable from this machine).
func BenchmarkFitParetoNBDCDNOW(b *testing.B) {
	s := cdnowSummaries(readCDNOWSummary(b, "cdnow_customers_summary.csv"))
	cpuLoop(b, func() {
		if _, err := FitParetoNBD(s, nil); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkFitMBGNBDCDNOW(b *testing.B) {
	s := cdnowSummaries(readCDNOWSummary(b, "cdnow_customers_summary.csv"))
	cpuLoop(b, func() {
		if _, err := FitMBGNBD(s, nil); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkFitBGBBDonations(b *testing.B) {
	rows := readDonations(b)
	cpuLoop(b, func() {
		if _, err := FitBGBB(rows, nil); err != nil {
			b.Fatal(err)
		}
	})
}

var publishedPareto = ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: Week}

func BenchmarkParetoNBDConditionalExpectedPurchases(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := publishedPareto.ConditionalExpectedPurchases(39, 2, 30.43, 38.86); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProbabilityOfPurchasesBGNBD(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lifetimesCDNOW.ProbabilityOfPurchases(39, 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProbabilityOfPurchasesParetoNBD(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := publishedPareto.ProbabilityOfPurchases(39, 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplitHoldoutCDNOW(b *testing.B) {
	recs := readCDNOWFile(b, "CDNOW_master.txt")
	p := HoldoutParams{CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC), HoldoutEnd: time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC), Unit: Week, Location: time.UTC}
	cpuLoop(b, func() {
		if _, err := SplitHoldout(CDNOWTransactions(recs), p); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkSummarizeTable10M: the summary of a compact table of 10M
// transactions of 1M customers, with one worker and with every core.
func BenchmarkSummarizeTable10M(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark skipped in -short mode")
	}
	tab := txnfile.NewTable(10_000_000, 1_000_000)
	tab.Places = 2
	rng := rand.New(rand.NewPCG(7, 11))
	ids := make([][]byte, 1_000_000)
	for i := range ids {
		ids[i] = fmt.Appendf(nil, "c%08d", i)
	}
	for i := range 10_000_000 {
		if err := tab.Add(ids[rng.IntN(len(ids))], 9862+int32(i/27398), 100+rng.Int64N(20000)); err != nil {
			b.Fatal(err)
		}
	}
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			p := benchParams
			p.Workers = workers
			cpuLoop(b, func() {
				if _, err := SummarizeTable(tab, p); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkFitBGNBD1MWorkers is BenchmarkFitBGNBD1M with one worker and
// with every core.
func BenchmarkFitBGNBD1MWorkers(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark skipped in -short mode")
	}
	s := synthBGNBD(1_000_000, synthTruth, 42, true)
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cpuLoop(b, func() {
				if _, err := FitBGNBD(s, &FitOptions{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkFitGammaGamma1MWorkers: the Gamma-Gamma fit on the repeat
// buyers of 1M synthetic customers, with one worker and with every core.
func BenchmarkFitGammaGamma1MWorkers(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark skipped in -short mode")
	}
	s := synthBGNBD(1_000_000, synthTruth, 42, true)
	synthSpend(s, GammaGamma{P: 6, Q: 4, V: 15}, 43)
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cpuLoop(b, func() {
				if _, err := FitGammaGamma(s, &FitOptions{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// wideTruth draws, with synthBGNBDWide, a million customers whose summary
// has about as many distinct (x, t_x, T) rows as the issue-17 data (632,098
// against 634,476; examples/compare's data has 526,749).
var wideTruth = BGNBD{R: 0.8, Alpha: 10, A: 1, B: 5, Unit: Day}

// BenchmarkFitBGNBD1MWide is the BG/NBD fit on 1M customers of two years
// of whole days (632,098 distinct rows), with one worker and with every
// core: the issue-17 target is 0.4 s.
func BenchmarkFitBGNBD1MWide(b *testing.B) {
	if testing.Short() {
		b.Skip("large benchmark skipped in -short mode")
	}
	s := synthBGNBDWide(1_000_000, wideTruth, 42)
	for _, workers := range []int{1, 0} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cpuLoop(b, func() {
				fit, err := FitBGNBD(s, &FitOptions{Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(fit.DistinctRows), "rows")
				b.ReportMetric(float64(fit.Diagnostics.Evaluations), "evals")
			})
		})
	}
}
