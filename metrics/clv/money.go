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
	big          int32 // 1 + index into the exact accumulators, 0 if none
	exp          int8  // exponent of total and first (wider ones go exact)
	set          bool  // exp has been fixed by a first amount
}

// bigStore holds the rare exact accumulators; keeping them out of moneyAcc
// leaves the per-customer state free of pointers, so the garbage collector
// never scans it.
type bigStore []bigMoney

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
func (m *moneyAcc) toBig(bs *bigStore) {
	*bs = append(*bs, bigMoney{total: decimal.New(m.total, int32(m.exp)), first: decimal.New(m.first, int32(m.exp))})
	m.big = int32(len(*bs))
}

// resetFirst starts a new first day (an earlier day arrived).
func (m *moneyAcc) resetFirst(bs bigStore) {
	if m.big != 0 {
		bs[m.big-1].first = decimal.Decimal{}
		return
	}
	m.first = 0
}

// amount is a transaction value reduced, when it fits, to an int64
// coefficient and a small exponent; otherwise it keeps the decimal.
type amount struct {
	coef int64
	exp  int32
	fits bool
	dec  decimal.Decimal // only set when !fits
}

// splitAmount reduces a to an amount without allocating.
func splitAmount(a decimal.Decimal) amount {
	if a.NumDigits() <= 18 {
		if e := a.Exponent(); e >= math.MinInt8 && e <= math.MaxInt8 {
			return amount{coef: a.CoefficientInt64(), exp: e, fits: true}
		}
	}
	return amount{dec: a}
}

func (a amount) decimal() decimal.Decimal {
	if a.fits {
		return decimal.New(a.coef, a.exp)
	}
	return a.dec
}

// add adds a to the total, and to the first-day sum when onFirst.
func (m *moneyAcc) add(a amount, onFirst bool, bs *bigStore) {
	if m.big == 0 && !(a.fits && m.addFast(a.coef, a.exp, onFirst)) {
		m.toBig(bs)
	}
	if m.big != 0 {
		d := a.decimal()
		b := &(*bs)[m.big-1]
		b.total = b.total.Add(d)
		if onFirst {
			b.first = b.first.Add(d)
		}
	}
}

// addFast is the allocation-free path for a coefficient c at exponent e; it
// reports false (and changes no sum) when a sum would overflow.
func (m *moneyAcc) addFast(c int64, e int32, onFirst bool) bool {
	if !m.set {
		m.exp, m.set = int8(e), true
	}
	total, first, exp := m.total, m.first, int32(m.exp)
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
	m.total, m.first, m.exp = total, first, int8(exp)
	return true
}

// repeat returns the exact sum of the amounts after the first purchase day.
func (m *moneyAcc) repeat(bs bigStore) decimal.Decimal {
	if m.big != 0 {
		return bs[m.big-1].total.Sub(bs[m.big-1].first)
	}
	if d, ok := addInt64(m.total, -m.first); ok && m.first != math.MinInt64 {
		return decimal.New(d, int32(m.exp))
	}
	return decimal.New(m.total, int32(m.exp)).Sub(decimal.New(m.first, int32(m.exp)))
}

// mean returns the exact repeat sum divided by n (> 0), rounded half away
// from zero to places decimals. The int64 path avoids big-number division,
// which would dominate a summary of a million customers.
func (m *moneyAcc) mean(n int64, places int32, bs bigStore) decimal.Decimal {
	if m.big == 0 {
		if d, ok := addInt64(m.total, -m.first); ok {
			if q, ok := divRoundInt64(d, int32(m.exp), n, places); ok {
				return decimal.New(q, -places)
			}
		}
	}
	return m.repeat(bs).DivRound(decimal.NewFromInt(n), places)
}

// divRoundInt64 computes round(c*10^exp / n, places) as a coefficient at
// exponent -places, reporting false when an intermediate overflows.
func divRoundInt64(c int64, exp int32, n int64, places int32) (int64, bool) {
	num, den := c, n
	if shift := exp + places; shift >= 0 {
		var ok bool
		if num, ok = mulPow10(c, shift); !ok {
			return 0, false
		}
	} else {
		var ok bool
		if den, ok = mulPow10(n, -shift); !ok {
			return 0, false
		}
	}
	if num == math.MinInt64 {
		return 0, false
	}
	q, r := num/den, num%den
	if r < 0 {
		r = -r
	}
	if r >= den-r { // |r| >= den/2: away from zero
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return q, true
}
