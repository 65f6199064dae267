package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestToMinor(t *testing.T) {
	tests := []struct {
		in    string
		scale int32
		want  int64
		ok    bool
	}{
		{"12.34", 2, 1234, true},
		{"12.3", 2, 1230, true},
		{"12", 2, 1200, true},
		{"-0.01", 2, -1, true},
		{"0", 0, 0, true},
		{"1.005", 2, 0, false},                // finer than the minor unit
		{"1E+3", 2, 0, false},                 // positive exponent: left to decimal
		{"92233720368547758.07", 2, 0, false}, // 19 digits
		{"922337203685477580", 2, 0, false},   // fits as a coefficient, not ×100
		{"9223372036854775.81", 3, 0, false},  // 18 digits, overflows ×10
		{"9223372036854775.80", 3, 9223372036854775800, true},
		{"123456789012345678", 0, 123456789012345678, true},
	}
	for _, tc := range tests {
		got, ok := toMinor(dec(tc.in), tc.scale)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	got, ok := toMinor(decimal.Decimal{}, 2)
	assert.True(t, ok, "the zero Decimal")
	assert.Zero(t, got)
}

// minorSum must give exactly what decimal addition gives, whatever mix of
// exact, too-precise and huge amounts it meets.
func TestMinorSumIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for round := range 200 {
		var s minorSum
		want := decimal.Zero
		for range 50 {
			var d decimal.Decimal
			switch r.IntN(4) {
			case 0:
				d = decimal.New(r.Int64N(1_000_000)-500_000, -2)
			case 1:
				d = decimal.New(r.Int64N(1_000_000), -4) // sub-minor precision
			case 2:
				d = decimal.New(math.MaxInt64/3-r.Int64N(10), -2) // overflows quickly
			default:
				d = decimal.New(-r.Int64N(1000), 0)
			}
			s.addDecimal(d, 2)
			want = want.Add(d)
		}
		require.True(t, want.Equal(s.value(2)), "round %d: want %s got %s", round, want, s.value(2))
	}
}

func TestAmountsOfMatchesPurchaseTotal(t *testing.T) {
	p := customer.Purchase{
		Lines: []customer.Line{
			{Total: dec("10.50")},
			{Total: dec("3.333")}, // too precise for CNY: decimal path
		},
		OrderDiscount: dec("1.00"),
	}
	a := amountsOf(&p, dec("2.00"), 2)
	assert.False(t, a.exact)
	var net minorSum
	a.addNet(&net, 2)
	assert.True(t, dec("10.833").Equal(net.value(2)), net.value(2).String())

	p.Lines = p.Lines[:1]
	a = amountsOf(&p, dec("2.00"), 2)
	assert.True(t, a.exact)
	assert.Equal(t, int64(950), a.grossUnits, "10.50 − 1.00 order discount")
	assert.Equal(t, int64(200), a.refundUnits)
}
