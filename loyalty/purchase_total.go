package loyalty

import (
	"math"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// purchaseTotal is p.Total(), the spend an earn adds to the qualifying
// activity, computed in int64 when every amount fits: the decimal sum
// allocates two big integers per line, this one decimal. The result is
// the same decimal, exponent included (the smallest of the operands' and
// 0, as decimal's Add and Sub give).
func purchaseTotal(p customer.Purchase) decimal.Decimal {
	exp := min(0, p.OrderDiscount.Exponent())
	for i := range p.Lines {
		exp = min(exp, p.Lines[i].Total.Exponent())
	}
	sum, ok := int64(0), true
	add := func(d decimal.Decimal, sign int64) {
		c, fits := scaledTo(d, exp)
		if !fits || c > maxTotal-abs(sum) || c < -maxTotal+abs(sum) {
			ok = false
			return
		}
		sum += sign * c
	}
	for i := range p.Lines {
		add(p.Lines[i].Total, 1)
	}
	add(p.OrderDiscount, -1)
	if !ok {
		return p.Total()
	}
	return decimal.New(sum, exp)
}

// maxTotal bounds the partial sums, far from overflow.
const maxTotal = math.MaxInt64 / 4

// scaledTo returns d's coefficient at exponent exp (at most d's own), and
// false when it does not fit comfortably in an int64.
func scaledTo(d decimal.Decimal, exp int32) (int64, bool) {
	shift := d.Exponent() - exp
	if shift > 18 || d.NumDigits()+int(shift) > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	for range shift {
		c *= 10
	}
	return c, true
}

func abs(c int64) int64 {
	if c < 0 {
		return -c
	}
	return c
}

// addDecimals is a.Add(b), exponent included, in int64 when both fit: a
// day's purchases merge their spends on every earn.
func addDecimals(a, b decimal.Decimal) decimal.Decimal {
	exp := min(a.Exponent(), b.Exponent())
	x, okA := scaledTo(a, exp)
	y, okB := scaledTo(b, exp)
	if !okA || !okB {
		return a.Add(b)
	}
	return decimal.New(x+y, exp) // each under 10^18: no overflow
}
