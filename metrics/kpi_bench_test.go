package metrics

import (
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// bigLedger is one million entries over 100,000 accounts in 2025: per
// account earns, a release each, some redemptions and expiries.
var (
	ledgerOnce sync.Once
	bigEntries []ledger.Entry
)

func bigLedger(b *testing.B) []ledger.Entry {
	if testing.Short() {
		b.Skip("one million ledger entries: skipped under -short")
	}
	ledgerOnce.Do(func() {
		r := rand.New(rand.NewPCG(5, 9))
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		bigEntries = make([]ledger.Entry, 0, 1_000_000)
		for a := 0; len(bigEntries) < 1_000_000; a++ {
			id := fmt.Sprintf("m%06d", a%100_000)
			at := start.Add(time.Duration(r.IntN(360*24)) * time.Hour)
			pts := int64(50 + r.IntN(500))
			kinds := []ledger.Entry{
				{Kind: ledger.KindEarn, Points: pts, Pending: pts},
				{Kind: ledger.KindRelease, Pending: -pts},
			}
			switch r.IntN(5) {
			case 0:
				kinds = append(kinds, ledger.Entry{Kind: ledger.KindRedeem, Points: -pts / 2})
			case 1:
				kinds = append(kinds, ledger.Entry{Kind: ledger.KindExpire, Points: -pts})
			}
			for i, e := range kinds {
				e.Account, e.ID, e.Time = id, fmt.Sprintf("%s#%d", id, len(bigEntries)), at.Add(time.Duration(i)*24*time.Hour)
				bigEntries = append(bigEntries, e)
			}
		}
	})
	return bigEntries
}

func BenchmarkPointsIn1M(b *testing.B) {
	es := bigLedger(b)
	w := Window{From: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	for b.Loop() {
		if f, err := PointsIn(sliceSeq(es), w); err != nil || f.Issued == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkLiabilityAt1M(b *testing.B) {
	es := bigLedger(b)
	opts := LiabilityOptions{Currency: "CNY", ValuePerPoint: decimal.New(1, -2)}
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if l, err := LiabilityAt(sliceSeq(es), asOf, opts); err != nil || l.Outstanding == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkComplaintsIn100k(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cs := make([]feedback.Complaint, 100_000)
	for i := range cs {
		at := start.Add(time.Duration(r.IntN(300*24*60)) * time.Minute)
		cs[i] = feedback.Complaint{
			ID: fmt.Sprintf("c%d", i), Category: feedback.Category(fmt.Sprint("cat", i%7)), Policy: "std",
			Status: feedback.StatusClosed, ReceivedAt: at,
			FirstResponseAt: at.Add(time.Duration(r.IntN(600)) * time.Minute),
			ResolvedAt:      at.Add(time.Duration(600+r.IntN(6000)) * time.Minute),
			Satisfaction:    1 + r.IntN(5),
			Remedies:        []feedback.Remedy{{Kind: feedback.RemedyCoupon, Cost: decimal.NewFromInt(20), Currency: "CNY"}},
		}
	}
	w := Window{From: start, To: start.AddDate(1, 0, 0)}
	for _, tc := range []struct {
		name string
		opts *ComplaintOptions
	}{{"wall", nil}, {"business", &ComplaintOptions{Policies: map[string]feedback.SLAPolicy{"std": officeHours()}}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if k, err := ComplaintsIn(sliceSeq(cs), w, tc.opts); err != nil || k.Complaints != len(cs) {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuildReport is the whole report over the package's synthetic
// shop (100,000 purchases by 10,000 customers): a month against the one
// before, every store and staff member, then both renderings.
func BenchmarkBuildReport(b *testing.B) {
	s := newSynthetic(100_000, 10_000, 11)
	cur := Window{From: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	opts := ReportOptions{Current: cur, Previous: Window{From: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), To: cur.From}}
	b.ReportAllocs()
	for b.Loop() {
		r, err := BuildReport(ReportInput{Purchases: s.purchaseSeq(), Returns: s.returnSeq()}, opts)
		if err != nil || r.Shop.Current.Sales.Orders == 0 {
			b.Fatal(err)
		}
		if err := WriteText(io.Discard, r, nil); err != nil {
			b.Fatal(err)
		}
		if err := WriteHTML(io.Discard, r, nil); err != nil {
			b.Fatal(err)
		}
	}
}
