package storedvalue_test

import (
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
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
			storedvaluetest.ReportCPU(b, func(i int) {
				if _, err := s.Pay(b.Context(), storedvalue.PayRequest{ID: fmt.Sprint("p", i), MemberID: "m", Amount: amount, At: t0}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkGiftCardLookup compares a balance check by a right code and by
// a wrong one (a valid check character, no card). Both normalise, HMAC,
// read one header (the card, or on a miss the decoy), compare the code's
// and the PIN's keys in constant time and read the balance parts
// (TestWrongCodeDoesTheWorkOfARightOne checks the store calls are the
// same). The cost never depends on how close a guess is to a real code:
// the store sees only the keyed hash, so there is no prefix to time. What
// remains is the value of the balance: a card holding money decodes two
// non-zero decimals where the empty decoy decodes zeros (2 allocations,
// 16 bytes), as an empty card would.
func BenchmarkGiftCardLookup(b *testing.B) {
	s, _ := newService(b, programme(storedvalue.PaidFirst), &storedvalue.Options{CodeSecret: []byte("secret")})
	src := newSeeded(9)
	var right string
	for i := range 1000 {
		code, err := storedvalue.GenerateCode(src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.ImportGiftCard(b.Context(), storedvalue.ImportGiftCardRequest{CardID: fmt.Sprint("c", i), Code: code, Balance: decimal.NewFromInt(100), At: t0}); err != nil {
			b.Fatal(err)
		}
		right = code
	}
	wrong, err := storedvalue.GenerateCode(src)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, code string }{{"right", right}, {"wrong", wrong}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, err := s.GiftCardByCode(b.Context(), tc.code, t0)
				if (err == nil) != (tc.name == "right") {
					b.Fatal(err)
				}
			}
		})
	}
}
