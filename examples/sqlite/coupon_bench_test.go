package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
)

var couponsAt = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

// BenchmarkCoupons presents a code (an index probe for the code's header;
// the service caches the definition) and holds then commits one (two
// write transactions), among 100 and 100,000 generated codes, on a file in
// WAL mode with the -sqlite.sync setting (FULL unless told). Each op takes
// the next code of a stride through them, so successive lookups land on
// different pages of the index. The codes are generated with
// synchronous=OFF, then the file is reopened with the setting measured.
//
// go test -run '^$' -bench BenchmarkCoupons -benchtime 500x -count 5
// go test -run '^$' -bench BenchmarkCoupons -benchtime 500x -count 5 -sqlite.sync=NORMAL
func BenchmarkCoupons(b *testing.B) {
	sizes := []int{100, 100_000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	ctx := context.Background()
	for _, n := range sizes {
		path := filepath.Join(b.TempDir(), "lane.db")
		codes := loadCoupons(b, path, n)
		db, err := sqlite.Open(ctx, path, sqlite.Options{Synchronous: *benchSync})
		if err != nil {
			b.Fatal(err)
		}
		svc := coupon.NewService(db.Coupons(), nil)
		holds := 0 // hold IDs stay new however often the loop below runs
		b.Run(fmt.Sprintf("Present/codes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c, err := svc.Present(ctx, codes[i*7919%n], "", couponsAt)
				if err != nil || c.Refused != "" {
					b.Fatal(err, c.Refused)
				}
			}
		})
		b.Run(fmt.Sprintf("HoldCommit/codes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				holds++
				id := fmt.Sprint("H", holds)
				if _, err := svc.Hold(ctx, coupon.HoldRequest{ID: id, Code: codes[i*7919%n], At: couponsAt}); err != nil {
					b.Fatal(err)
				}
				if _, err := svc.Commit(ctx, id, "P", couponsAt); err != nil {
					b.Fatal(err)
				}
			}
		})
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// loadCoupons generates n codes of a definition good for a billion uses
// into the file at path, in batches of coupon.MaxBatch, and returns them.
func loadCoupons(b *testing.B, path string, n int) []string {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{Synchronous: "OFF"})
	if err != nil {
		b.Fatal(err)
	}
	svc := coupon.NewService(db.Coupons(), nil)
	def := coupon.Definition{ID: "D1", Currency: "CNY", UsesPerCode: 1_000_000_000,
		Offer: pricing.Offer{ID: "D1", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(100)}}
	if err := svc.Define(ctx, def); err != nil {
		b.Fatal(err)
	}
	codes := make([]string, 0, n)
	for i := 0; i < n; i += coupon.MaxBatch {
		got, err := svc.Generate(ctx, coupon.GenerateRequest{ID: fmt.Sprint("G", i), Definition: "D1", Count: min(coupon.MaxBatch, n-i), At: couponsAt})
		if err != nil {
			b.Fatal(err)
		}
		codes = append(codes, got...)
	}
	if err := db.Close(); err != nil { // checkpoints the WAL into the file
		b.Fatal(err)
	}
	if fi, err := os.Stat(path); err == nil {
		b.Logf("%d codes: a file of %.1f MB", n, float64(fi.Size())/1e6)
	}
	return codes
}
