package pricing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/stretchr/testify/require"
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

// A Result's packed shares read back as the plain list does, line by
// line and in decision order; amounts past 21 bits or decisions out of
// order keep the plain list.
func TestPackSharesRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 11))
	for n := range 2000 {
		decisions, lines := 1+r.IntN(30), 1+r.IntN(80)
		var shares []share
		for d := range decisions {
			for l := range lines {
				if r.IntN(3) == 0 {
					amount := 1 + r.Int64N(1<<packedAmountBits-1)
					if n%7 == 0 && r.IntN(50) == 0 {
						amount = 1<<packedAmountBits + r.Int64N(factlimit.MaxAmountMinor-1<<packedAmountBits)
					}
					shares = append(shares, newShare(l, d, amount))
				}
			}
		}
		if n%11 == 0 && len(shares) > 1 {
			shares[0], shares[len(shares)-1] = shares[len(shares)-1], shares[0] // out of decision order
		}
		res := Result{Decisions: make([]Decision, decisions), runs: decisions, scale: 2}
		for d := range res.Decisions {
			res.Decisions[d] = Decision{Offer: fmt.Sprint("o", d), Coupon: fmt.Sprint("c", d%3)}
		}
		plain := res
		plain.wide = shares
		res.packed, res.wide = packShares(shares, decisions)
		big := false
		for j, s := range shares {
			big = big || s.amount() >= 1<<packedAmountBits || (j > 0 && s.decision() < shares[j-1].decision())
		}
		require.Equal(t, big, res.packed == nil, "packed unless it cannot be")
		for l := range lines {
			require.Equal(t, plain.Shares(l), res.Shares(l), "case %d line %d", n, l)
		}
	}
	require.Nil(t, Result{}.Shares(0))
}
