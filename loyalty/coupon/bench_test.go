package coupon_test

import (
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/loyalty/coupon"
)

// BenchmarkLookup presents a code (index lookup, definition, no writes)
// and holds and commits one, among 100 and 50,000 codes: the cost must
// not grow with the number of codes.
func BenchmarkLookup(b *testing.B) {
	for _, n := range []int{100, 50_000} {
		ctx := b.Context()
		s := coupon.NewService(coupon.NewMemoryStore(), nil)
		if err := s.Define(ctx, def("D1", 1_000_000_000, 0)); err != nil {
			b.Fatal(err)
		}
		var codes []string
		for i := 0; i < n; i += coupon.MaxBatch {
			got, err := s.Generate(ctx, coupon.GenerateRequest{ID: fmt.Sprint("G", i), Definition: "D1", Count: min(coupon.MaxBatch, n-i), At: at})
			if err != nil {
				b.Fatal(err)
			}
			codes = append(codes, got...)
		}
		b.Run(fmt.Sprintf("Present/codes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Present(ctx, codes[i%len(codes)], "", at); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(fmt.Sprintf("HoldCommit/codes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				id := fmt.Sprint("H", i)
				if _, err := s.Hold(ctx, coupon.HoldRequest{ID: id, Code: codes[0], At: at}); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Commit(ctx, id, "P", at); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
