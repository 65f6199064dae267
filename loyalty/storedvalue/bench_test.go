package storedvalue_test

import (
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
)

// BenchmarkPayAfterThousandTopUps is the figure: a payment from a
// balance built of 1,000 top-ups (each with its bonus part), on the memory
// store, in each spending order.
func BenchmarkPayAfterThousandTopUps(b *testing.B) {
	for _, order := range []storedvalue.SpendOrder{storedvalue.PaidFirst, storedvalue.Proportional} {
		b.Run(string(order), func(b *testing.B) {
			p := programme(order)
			p.BonusValidDays = 0
			s, _ := newService(b, p, nil)
			for i := range 1000 {
				_, err := s.TopUp(b.Context(), storedvalue.TopUpRequest{ID: fmt.Sprint("t", i), MemberID: "m", Amount: decimal.NewFromInt(100_000), At: t0})
				if err != nil {
					b.Fatal(err)
				}
			}
			amount := decimal.NewFromInt(25)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Pay(b.Context(), storedvalue.PayRequest{ID: fmt.Sprint("p", i), MemberID: "m", Amount: amount, At: t0}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
