package storedvaluetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/cputime"
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
	c0 := cputime.Process()
	for i := range b.N {
		op(i)
	}
	b.StopTimer()
	if c := cputime.Process() - c0; c > 0 && b.N > 0 {
		b.ReportMetric(float64(c)/float64(b.N), "cpu-ns/op")
	}
}

// Bench measures the till's operations through the service on stores
// from newStore, at each of HistorySizes prior entries: TopUp, Pay as
// Hold then CommitHold, and Refund of a committed payment; and a gift
// card's balance check by a right code and by a wrong one
// (GiftCardLookup/right and /wrong), which must cost the same.
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
	benchLookup(b, newStore)
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

// benchLookup measures GiftCardByCode by the code of one of 200 cards and
// by a code no card has (a valid check character): a wrong code reads the
// decoy card where a right one reads its card.
func benchLookup(parent *testing.B, newStore func(b *testing.B) storedvalue.Store) {
	prog := &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.PaidFirst}
	var svc *storedvalue.Service
	var right, wrong string
	// setup runs in the first sub-benchmark the filter lets through, on a
	// store of the parent's, so it lives across the sub-benchmarks' runs.
	setup := func(b *testing.B) {
		if svc != nil {
			return
		}
		var err error
		svc, err = storedvalue.NewService(newStore(parent), prog, &storedvalue.Options{CodeSecret: []byte("bench")})
		if err != nil {
			b.Fatal(err)
		}
		src := rand.NewChaCha8([32]byte{9})
		for i := range 200 {
			code, err := storedvalue.GenerateCode(src)
			if err != nil {
				b.Fatal(err)
			}
			_, err = svc.ImportGiftCard(b.Context(), storedvalue.ImportGiftCardRequest{CardID: fmt.Sprint("c", i), Code: code,
				Balance: decimal.NewFromInt(100), At: base})
			if err != nil {
				b.Fatal(err)
			}
			right = code
		}
		if wrong, err = storedvalue.GenerateCode(src); err != nil {
			b.Fatal(err)
		}
	}
	for _, name := range []string{"right", "wrong"} {
		parent.Run("GiftCardLookup/"+name, func(b *testing.B) {
			setup(b)
			code := right
			if name == "wrong" {
				code = wrong
			}
			ReportCPU(b, func(int) {
				_, err := svc.GiftCardByCode(b.Context(), code, base)
				if (err == nil) != (name == "right") {
					b.Fatal(err)
				}
			})
		})
	}
}
