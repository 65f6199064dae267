package segment

import (
	"math/rand/v2"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestToMinorFastMatchesSlow compares the allocation-free path with the
// big-number one on random amounts and scales.
func TestToMinorFastMatchesSlow(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	slow := func(d decimal.Decimal, scale int32) (int64, bool) {
		s := d.Shift(scale)
		if !s.Equal(s.Truncate(0)) || !s.BigInt().IsInt64() {
			return 0, false
		}
		return s.BigInt().Int64(), true
	}
	for range 20000 {
		d := decimal.New(r.Int64N(1<<62)-(1<<61), -int32(r.IntN(8)))
		if r.IntN(4) == 0 {
			d = decimal.New(r.Int64N(100000), int32(r.IntN(20)))
		}
		scale := int32(r.IntN(4))
		got, err := ToMinor(d, scale)
		want, ok := slow(d, scale)
		require.Equal(t, ok, err == nil, "%s at %d: %v", d, scale, err)
		if ok {
			require.Equal(t, want, got, "%s at %d", d, scale)
		}
	}
}

func TestPurchaseMinorEqualsTotal(t *testing.T) {
	p := customer.Purchase{Lines: []customer.Line{{Total: decimal.RequireFromString("10.005")}, {Total: decimal.RequireFromString("0.005")}},
		OrderDiscount: decimal.RequireFromString("1.00")}
	v, err := purchaseMinor(p, 2)
	require.NoError(t, err, "falls back to the exact total 9.01")
	assert.Equal(t, int64(901), v)
	p.Lines[1].Total = decimal.RequireFromString("0.004")
	_, err = purchaseMinor(p, 2)
	assert.ErrorIs(t, err, ErrCurrency)
}
