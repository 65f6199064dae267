package lane_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// BenchmarkRefreshChanged refreshes a lane's copy of a member whose
// account changed centrally by one purchase since the last refresh, after
// 100 and 50,000 earlier purchases (every one a lot, an activity fact and
// an entry): the refresh must cost the purchase, not the history. Central
// services on the memory store, and on PostgreSQL when CLIENTELE_PG_DSN is
// set. The 50,000-purchase history takes a minute or two to build.
//
//	go test -run '^$' -bench BenchmarkRefreshChanged -benchtime 200x -count 5 ./lane/
func BenchmarkRefreshChanged(b *testing.B) {
	kinds := []string{"memory"}
	if os.Getenv("CLIENTELE_PG_DSN") != "" {
		kinds = append(kinds, "postgres")
	}
	for _, kind := range kinds {
		for _, prior := range []int{100, 50000} {
			b.Run(fmt.Sprintf("central=%s/prior=%d", kind, prior), func(b *testing.B) { benchRefresh(b, kind, prior) })
		}
	}
}

func benchRefresh(b *testing.B, kind string, prior int) {
	ctx := b.Context()
	hq := centralOn(b, kind)
	l := openLane(b, filepath.Join(b.TempDir(), "lane.db"))
	defer l.Close()
	m, err := hq.Customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Member R"}, MemberNumber: "R-1"})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Local().Customers.Store().CreateCustomer(ctx, m); err != nil {
		b.Fatal(err)
	}
	n := 0
	earn := func() { // one purchase every 30 minutes, ending before the clock
		p, err := hq.Customers.RecordPurchase(ctx, purchase(fmt.Sprint("HQ/", n), m.ID, clock().Add(-time.Duration(60000-n)*30*time.Minute), "10.00"))
		if err == nil {
			_, err = hq.Points.Earn(ctx, p)
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	for range prior {
		earn()
	}
	if _, err := l.Refresh(ctx, hq); err != nil { // the first copy: whole
		b.Fatal(err)
	}
	whole := 0
	for b.Loop() {
		b.StopTimer()
		earn()
		b.StartTimer()
		rep, err := l.Refresh(ctx, hq)
		if err != nil {
			b.Fatal(err)
		}
		whole += rep.Whole
	}
	b.ReportMetric(float64(whole)/float64(b.N), "whole/op")
}
