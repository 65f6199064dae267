package metrics

import "math"

// tQuantile975 returns the 0.975 quantile of Student's t distribution with
// df degrees of freedom (df ≥ 1), so that ±t holds 95%. It inverts the
// distribution function by bisection; the CDF comes from the regularised
// incomplete beta function: for t > 0, P(T ≤ t) = 1 − ½·I_x(df/2, ½) with
// x = df/(df + t²).
func tQuantile975(df int) float64 {
	if df > 1_000_000 {
		return z975 // the difference is below 1e-6
	}
	v := float64(df)
	upperTail := func(t float64) float64 { return 0.5 * regIncBeta(v/(v+t*t), v/2, 0.5) }
	lo, hi := 0.0, 1.0
	for upperTail(hi) > 1-(1+Level)/2 { // widen until the tail is small enough
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if upperTail(mid) > 1-(1+Level)/2 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-12 {
			break
		}
	}
	return (lo + hi) / 2
}

// regIncBeta is the regularised incomplete beta function I_x(a, b), by the
// continued fraction (modified Lentz), using the symmetry
// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
func regIncBeta(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	lga, _ := math.Lgamma(a)
	lgb, _ := math.Lgamma(b)
	lgab, _ := math.Lgamma(a + b)
	front := math.Exp(lgab - lga - lgb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(x, a, b) / a
	}
	return 1 - front*betaFraction(1-x, b, a)/b
}

func betaFraction(x, a, b float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	f := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		// even step
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d, c = lentz(d, c, num)
		f *= d * c
		// odd step
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d, c = lentz(d, c, num)
		delta := d * c
		f *= delta
		if math.Abs(delta-1) < 1e-15 {
			break
		}
	}
	return f
}

func lentz(d, c, num float64) (float64, float64) {
	const tiny = 1e-300
	d = 1 + num*d
	if math.Abs(d) < tiny {
		d = tiny
	}
	c = 1 + num/c
	if math.Abs(c) < tiny {
		c = tiny
	}
	return 1 / d, c
}
