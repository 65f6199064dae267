package pricing

import (
	"testing"

	"github.com/clientele-go/clientele/internal/factlimit"
)

// A share gives back the line, decision and amount it was made of, over
// their whole ranges.
func FuzzShare(f *testing.F) {
	f.Add(uint16(0), uint16(0), int64(1))
	f.Add(uint16(factlimit.MaxLines-1), uint16(maxPromotions+maxCoupons+1), int64(factlimit.MaxAmountMinor))
	f.Fuzz(func(t *testing.T, line, decision uint16, amount int64) {
		l, d := int(line)%factlimit.MaxLines, int(decision)%(maxPromotions+maxCoupons+2)
		if amount < 0 {
			amount = -(amount + 1)
		}
		amount %= factlimit.MaxAmountMinor + 1
		s := newShare(l, d, amount)
		if s.line() != l || s.decision() != d || s.amount() != amount {
			t.Fatalf("share(%d, %d, %d) reads back %d, %d, %d", l, d, amount, s.line(), s.decision(), s.amount())
		}
	})
}
