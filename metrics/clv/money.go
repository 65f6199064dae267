package clv

import (
	"math"

	"github.com/shopspring/decimal"
)

// pow10i holds 10^0 .. 10^18, the powers that fit an int64.
var pow10i = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// moneyAcc sums decimal amounts exactly without allocating: the running sums
// are int64 coefficients at a shared exponent that only ever decreases. A sum
// that would overflow (or an amount too large for int64) moves the whole
// accumulator to decimal.Decimal, which is exact but allocates; real
// purchase data never gets there.
type moneyAcc struct {
	total, first int64 // coefficients of all amounts and first-day amounts
	exp          int32 // exponent of total and first
	set          bool  // exp has been fixed by a first amount
	big          *bigMoney
}

type bigMoney struct{ total, first decimal.Decimal }

// mulPow10 returns v*10^k and whether it fits an int64.
func mulPow10(v int64, k int32) (int64, bool) {
	if k == 0 || v == 0 {
		return v, true
	}
	if k < 0 || k > 18 {
		return 0, false
	}
	p := pow10i[k]
	if v > math.MaxInt64/p || v < math.MinInt64/p {
		return 0, false
	}
	return v * p, true
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// toBig moves the accumulator to the exact decimal path.
func (m *moneyAcc) toBig() {
	m.big = &bigMoney{total: decimal.New(m.total, m.exp), first: decimal.New(m.first, m.exp)}
}

// resetFirst starts a new first day with amount a (an earlier day arrived).
func (m *moneyAcc) resetFirst() {
	if m.big != nil {
		m.big.first = decimal.Decimal{}
		return
	}
	m.first = 0
}

// add adds amount a to the total, and to the first-day sum when onFirst.
func (m *moneyAcc) add(a decimal.Decimal, onFirst bool) {
	if m.big == nil && !m.addFast(a, onFirst) {
		m.toBig()
	}
	if m.big != nil {
		m.big.total = m.big.total.Add(a)
		if onFirst {
			m.big.first = m.big.first.Add(a)
		}
	}
}

// addFast is the allocation-free path; it reports false (and changes
// nothing) when the amount does not fit.
func (m *moneyAcc) addFast(a decimal.Decimal, onFirst bool) bool {
	if a.NumDigits() > 18 {
		return false
	}
	c, e := a.CoefficientInt64(), a.Exponent()
	if !m.set {
		m.exp, m.set = e, true
	}
	total, first, exp := m.total, m.first, m.exp
	if e < exp { // finer amount: rescale the sums down to its exponent
		var ok1, ok2 bool
		total, ok1 = mulPow10(total, exp-e)
		first, ok2 = mulPow10(first, exp-e)
		if !ok1 || !ok2 {
			return false
		}
		exp = e
	} else if e > exp {
		var ok bool
		if c, ok = mulPow10(c, e-exp); !ok {
			return false
		}
	}
	total, ok := addInt64(total, c)
	if !ok {
		return false
	}
	if onFirst {
		if first, ok = addInt64(first, c); !ok {
			return false
		}
	}
	m.total, m.first, m.exp = total, first, exp
	return true
}

// repeat returns the exact sum of the amounts after the first purchase day.
func (m *moneyAcc) repeat() decimal.Decimal {
	if m.big != nil {
		return m.big.total.Sub(m.big.first)
	}
	if d, ok := addInt64(m.total, -m.first); ok && m.first != math.MinInt64 {
		return decimal.New(d, m.exp)
	}
	return decimal.New(m.total, m.exp).Sub(decimal.New(m.first, m.exp))
}
