package clv

import "math"

// log1p is ln(1+u) for u >= 0, within a few units in the last place of
// math.Log1p and about three times faster on amd64 (where math.Log1p is
// plain Go and math.Log's assembly is slower still). The BG/NBD
// likelihood takes one a distinct row and evaluation, 20 million a fit at
// a million customers, and math.Log1p was half the fit's CPU time.
//
// y = 1+u is rounded and its rounding error e kept (y + e = 1+u exactly,
// Fast2Sum), so ln(1+u) = ln y + e/y to first order. y = 2^k m with m in
// [1, 2), and m is read against the nearest c = 1 + j/256 of a table of
// ln c and 1/c: ln m = ln c + ln(1+r) with r = (m-c)/c, |r| <= 1/512,
// where six terms of the series of ln(1+r) are exact to 2^-56 of r. At
// j = 0 (u below 1/512) c is 1, so small results keep their relative
// precision. NaN, infinities and negative u go to math.Log1p.
func log1p(u float64) float64 {
	if !(u >= 0 && u < math.MaxFloat64) {
		return math.Log1p(u)
	}
	y := 1 + u
	var e float64
	if u < 1 {
		e = u - (y - 1)
	} else {
		e = 1 - (y - u)
	}
	b := math.Float64bits(y)
	k := int(b>>52) - 1023
	frac := b & (1<<52 - 1)
	j := (frac>>43 + 1) >> 1 // the nearest 1/256 step: 0..256
	t := &log1pTable[j]
	m := math.Float64frombits(frac | 1023<<52) // in [1, 2)
	r := (m - t.c) * t.inv
	r2 := r * r
	// ln(1+r) = r - r²/2 + r³/3 - r⁴/4 + r⁵/5 - r⁶/6, in Estrin's order.
	p := r + r2*((-1.0/2+r*(1.0/3))+r2*((-1.0/4+r*(1.0/5))+r2*(-1.0/6)))
	scale := math.Float64frombits(uint64(1023-k) << 52) // 2^-k (0 past 2^1022: e/y is then nothing)
	kf := float64(k)
	return (kf*ln2Hi + t.log) + (p + (kf*ln2Lo + e*t.inv*scale))
}

// ln 2 split so that k*ln2Hi is exact for any exponent k (fdlibm's).
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// log1pTable holds, for c = 1 + j/256, ln c and 1/c.
var log1pTable = func() (t [257]struct{ c, log, inv float64 }) {
	for j := range t {
		c := 1 + float64(j)/256
		t[j].c, t[j].log, t[j].inv = c, math.Log(c), 1/c
	}
	return t
}()
