package pricing

import (
	"testing"

	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/shopspring/decimal"
)

// scaled, amountOf and quantityOf give factlimit's answers, value and verdict,
// for every coefficient and exponent.
func FuzzUnits(f *testing.F) {
	for _, c := range []int64{0, 1, -1, 123456789, 1_000_000_000_000, -1_000_000_000_001, 1 << 62, -1 << 63} {
		for _, e := range []int32{-8, -6, -2, 0, 1, 6, 12, 19} {
			f.Add(c, e, "")
		}
	}
	f.Add(int64(0), int32(0), "123456789012345678901234567890")
	f.Add(int64(0), int32(0), "1e400")
	f.Add(int64(0), int32(0), "-0.0000001")
	f.Fuzz(func(t *testing.T, c int64, e int32, s string) {
		d := decimal.New(c, e)
		if s != "" {
			var err error
			if d, err = decimal.NewFromString(s); err != nil {
				return
			}
		}
		for _, scale := range []int32{0, 2, 3, 4} {
			v, ok := amountOf(d, scale)
			wv, wok := factlimit.Amount(d, scale)
			if ok != wok || (ok && v != wv) {
				t.Fatalf("amountOf(%s, %d) = %d, %v; factlimit says %d, %v", d, scale, v, ok, wv, wok)
			}
		}
		for _, scale := range []int32{0, 2, 6} {
			v, ok := scaled(d, scale)
			wv, wok := factlimit.Scaled(d, scale)
			if ok != wok || (ok && v != wv) {
				t.Fatalf("scaled(%s, %d) = %d, %v; factlimit says %d, %v", d, scale, v, ok, wv, wok)
			}
		}
		v, ok := quantityOf(d)
		wv, wok := factlimit.Quantity(d)
		if ok != wok || (ok && v != wv) {
			t.Fatalf("quantityOf(%s) = %d, %v; factlimit says %d, %v", d, v, ok, wv, wok)
		}
	})
}
