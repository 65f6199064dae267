package storedvaluetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
)

// HistorySizes are the prior entries Bench measures at: the bounded-cost
// contract says an operation costs the same at both.
var HistorySizes = []int{100, 50_000}

// SeedWallet gives a member's wallet a history of n entries in one write:
// n/2 top-ups of 10,000,000.00 CNY, each its own paid part, and n/2
// payments of half that which spent the oldest half of them, so a quarter
// of the parts are open (and hold enough for any benchmark's run). It returns the time after the history.
func SeedWallet(ctx context.Context, s storedvalue.Store, memberID string, n int) (time.Time, error) {
	id := storedvalue.WalletID(memberID)
	a := storedvalue.Account{ID: id, Type: storedvalue.WalletAccount, State: storedvalue.Active, Holder: memberID,
		Currency: "CNY", Version: 1, CreatedAt: base}
	var w storedvalue.Write
	tops := n / 2
	for i := range tops {
		p := paid(fmt.Sprintf("seed-%06d", i), 1_000_000_000, at(time.Duration(i)*time.Second))
		if i < tops/2 {
			p.Remaining = 0
		}
		a.Paid += p.Remaining
		w.Parts = append(w.Parts, p)
		a.Seq++
		w.Entries = append(w.Entries, storedvalue.Entry{Seq: a.Seq, Kind: storedvalue.EntryTopUp, Op: "seed", At: p.CreatedAt, Paid: p.Amount})
	}
	for range n - tops {
		a.Seq++
		w.Entries = append(w.Entries, storedvalue.Entry{Seq: a.Seq, Kind: storedvalue.EntryPay, Op: "seed", At: at(time.Duration(tops) * time.Second), Paid: -500_000_000})
	}
	// The payments spent tops/2 parts in halves: n-tops payments spend
	// exactly that when n/2 is even, as for every size benchmarked.
	w.Account = a
	return at(time.Duration(n) * time.Second), s.Save(ctx, w)
}

// ReportCPU runs op b.N times, timed, and reports the process CPU time
// per operation as cpu-ns/op beside the wall time: on a shared machine
// that is oversubscribed, wall time swells with waiting and CPU time
// (which includes the collector's work on other threads) much less.
func ReportCPU(b *testing.B, op func(i int)) {
	b.ReportAllocs()
	b.ResetTimer()
	c0 := processCPU()
	for i := range b.N {
		op(i)
	}
	b.StopTimer()
	if c := processCPU() - c0; c > 0 && b.N > 0 {
		b.ReportMetric(float64(c)/float64(b.N), "cpu-ns/op")
	}
}

// Bench measures the till's operations through the service on stores
// from newStore, at each of HistorySizes prior entries: TopUp, Pay as
// Hold then CommitHold, and Refund of a committed payment.
func Bench(b *testing.B, newStore func(b *testing.B) storedvalue.Store) {
	prog := &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.Proportional,
		TopUps: []storedvalue.TopUpRule{{ID: "500", Pay: decimal.NewFromInt(500), Bonus: decimal.NewFromInt(30)}}}
	setup := func(b *testing.B, n int) (*storedvalue.Service, time.Time) {
		s := newStore(b)
		when, err := SeedWallet(b.Context(), s, "bench", n)
		if err != nil {
			b.Fatal(err)
		}
		svc, err := storedvalue.NewService(s, prog, nil)
		if err != nil {
			b.Fatal(err)
		}
		return svc, when
	}
	hundred := decimal.NewFromInt(100)
	for _, n := range HistorySizes {
		b.Run(fmt.Sprintf("TopUp/prior=%d", n), func(b *testing.B) {
			svc, when := setup(b, n)
			ReportCPU(b, func(i int) {
				_, err := svc.TopUp(b.Context(), storedvalue.TopUpRequest{ID: fmt.Sprint("t", i), MemberID: "bench", Amount: hundred, At: when})
				if err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(fmt.Sprintf("HoldCommit/prior=%d", n), func(b *testing.B) {
			svc, when := setup(b, n)
			ReportCPU(b, func(i int) {
				id := fmt.Sprint("h", i)
				if _, err := svc.Hold(b.Context(), storedvalue.PayRequest{ID: id, MemberID: "bench", Amount: hundred, At: when}); err != nil {
					b.Fatal(err)
				}
				if _, err := svc.CommitHold(b.Context(), storedvalue.SettleRequest{HoldID: id, At: when}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(fmt.Sprintf("Refund/prior=%d", n), func(b *testing.B) {
			svc, when := setup(b, n)
			for i := range b.N {
				if _, err := svc.Pay(b.Context(), storedvalue.PayRequest{ID: fmt.Sprint("p", i), MemberID: "bench", Amount: hundred, At: when}); err != nil {
					b.Fatal(err)
				}
			}
			ReportCPU(b, func(i int) {
				_, err := svc.Refund(b.Context(), storedvalue.RefundRequest{ID: fmt.Sprint("r", i), PaymentID: fmt.Sprint("p", i), Amount: hundred, At: when})
				if err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
