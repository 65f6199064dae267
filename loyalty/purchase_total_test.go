package loyalty

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// purchaseTotal is Purchase.Total, and addDecimals decimal's Add, to the
// digit and the exponent, on amounts that fit their integers and on
// amounts that do not.
func TestPurchaseTotalIsPurchaseTotal(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 5))
	amount := func() decimal.Decimal {
		switch rng.IntN(8) {
		case 0:
			return decimal.Zero
		case 1:
			return decimal.New(0, -int32(rng.IntN(4))) // a zero written "0.00"
		case 2:
			return decimal.RequireFromString("123456789012345678901234567890.5") // too big for int64
		case 3:
			return decimal.New(rng.Int64N(1e17), -int32(rng.IntN(3))) // near the limit
		}
		return decimal.New(rng.Int64N(2_000_000)-100_000, int32(rng.IntN(6))-4)
	}
	for range 5000 {
		p := customer.Purchase{OrderDiscount: amount()}
		for range rng.IntN(6) {
			p.Lines = append(p.Lines, customer.Line{Total: amount()})
		}
		want, got := p.Total(), purchaseTotal(p)
		if !assert.True(t, want.Equal(got), "%s != %s", got, want) || !assert.Equal(t, want.Exponent(), got.Exponent(), "%s", want) {
			return
		}
		a, b := amount(), amount()
		want, got = a.Add(b), addDecimals(a, b)
		if !assert.True(t, want.Equal(got), "%s + %s: %s != %s", a, b, got, want) || !assert.Equal(t, want.Exponent(), got.Exponent()) {
			return
		}
	}
}
