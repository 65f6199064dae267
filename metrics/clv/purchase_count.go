package clv

import (
	"fmt"
	"math"
)

// Distribution of the number of repeat purchases X(t) of a new customer in
// a period of length t: P(X(t) = n), for checking a model against the
// histogram of calibration frequencies and for "how many will buy at least
// twice" questions.

// maxPurchaseCount bounds n in the purchase-count probabilities.
const maxPurchaseCount = 100_000_000

// countEdge validates a purchase-count query and answers the ones that
// need no model: at t = 0 nobody has bought again yet.
func countEdge(model error, t float64, n int) (p float64, done bool, err error) {
	errs := []error{model, checkHorizon(t)}
	if n < 0 || n > maxPurchaseCount {
		errs = append(errs, fieldErr("n", -1, "must be between 0 and 100000000"))
	}
	if err := joinFlat(errs...); err != nil {
		return math.NaN(), true, err
	}
	if t == 0 {
		if n == 0 {
			return 1, true, nil
		}
		return 0, true, nil
	}
	return 0, false, nil
}

// lnNegBinom returns ln P(N = n) for the negative binomial that mixes a
// Poisson(λt) over λ ~ Gamma(r, α): Γ(r+n)/(Γ(r) n!) (α/(α+t))^r (t/(α+t))^n.
func lnNegBinom(r, alpha, t float64, n int) float64 {
	fn := float64(n)
	lgRN, _ := math.Lgamma(r + fn)
	lgR, _ := math.Lgamma(r)
	lgN1, _ := math.Lgamma(fn + 1)
	v := lgRN - lgR - lgN1 - r*math.Log1p(t/alpha)
	if n > 0 {
		v += fn * (math.Log(t) - math.Log(alpha+t))
	}
	return v
}

// ProbabilityOfPurchases returns P(X(t) = n), the probability that a new
// customer makes exactly n repeat purchases in a period of length t
// (Fader, Hardie & Lee 2005, eq. 8):
//
//	B(a, b+n)/B(a, b) NB(n) + [n > 0] B(a+1, b+n-1)/B(a, b) P(NB >= n),
//
// the first term for a customer still alive after the n-th purchase, the
// second for one who dropped out after it. NB is the gamma-Poisson count
// of an immortal customer; its upper tail P(NB >= n) is the regularised
// incomplete beta function I_{t/(α+t)}(n, r), computed directly rather than
// as 1 minus the head, which would cancel to nothing in the far tail.
func (m BGNBD) ProbabilityOfPurchases(t float64, n int) (float64, error) {
	if p, done, err := countEdge(m.Validate(), t, n); done {
		return p, err
	}
	a, b := m.A, m.B
	fn := float64(n)
	p := math.Exp(lnBeta(a, b+fn) - lnBeta(a, b) + lnNegBinom(m.R, m.Alpha, t, n))
	if n > 0 {
		tail, err := betaIncReg(fn, m.R, t/(m.Alpha+t), m.Alpha/(m.Alpha+t))
		if err != nil {
			return math.NaN(), err
		}
		p += math.Exp(lnBeta(a+1, b+fn-1)-lnBeta(a, b)) * tail
	}
	return p, nil
}

// ProbabilityOfPurchases returns P(X(t) = n) under the Pareto/NBD. With
// lifetime τ ~ Exp(μ), the customer either outlives t (a gamma-Poisson
// count times the Pareto survival (β/(β+t))^s) or dies at τ < t having
// bought n times by then:
//
//	P = NB(n) (β/(β+t))^s + s β^s α^r Γ(r+n)/(Γ(r) n!) ∫_0^t τ^n (α+τ)^-(r+n) (β+τ)^-(s+1) dτ.
//
// The substitution u = τ/(α+τ) turns the integral into
// α^(1-r) β^-(s+1) q^(n+1) ∫_0^1 v^n (1-qv)^(r+s-1) (1-cqv)^-(s+1) dv with
// q = t/(α+t) and c = 1-α/β < 1, so the second term is
// (s α/β) Γ(r+n)/(Γ(r) n!) q^(n+1) J. This is the integral that Fader,
// Hardie & Lee's note "Deriving an Expression for P(X(t) = x) under the
// Pareto/NBD Model" (2006) expands into a sum of n+1 hypergeometric
// functions; here J is integrated numerically (tanh-sinh quadrature after
// v = w^(1/(n+1)), which absorbs the peak of v^n at 1), costing the same
// at any n and with nothing that can cancel, since every term is positive.
func (m ParetoNBD) ProbabilityOfPurchases(t float64, n int) (float64, error) {
	if p, done, err := countEdge(m.Validate(), t, n); done {
		return p, err
	}
	r, alpha, s, beta := m.R, m.Alpha, m.S, m.Beta
	fn := float64(n)
	alive := math.Exp(lnNegBinom(r, alpha, t, n) - s*math.Log1p(t/beta))
	q := t / (alpha + t)
	c := 1 - alpha/beta
	inv := 1 / (fn + 1)
	j, err := tanhSinh01(func(w float64) float64 {
		v := math.Exp(math.Log(w) * inv)
		return math.Exp((r+s-1)*math.Log1p(-q*v) - (s+1)*math.Log1p(-c*q*v))
	})
	if err != nil {
		return math.NaN(), err
	}
	lgRN, _ := math.Lgamma(r + fn)
	lgR, _ := math.Lgamma(r)
	lgN1, _ := math.Lgamma(fn + 1)
	dead := math.Exp(math.Log(s*alpha/beta)+lgRN-lgR-lgN1+(fn+1)*math.Log(q)) * j * inv
	p := alive + dead
	if !finite(p) {
		return math.NaN(), fmt.Errorf("%w: Pareto/NBD purchase-count probability not finite", ErrNumerical)
	}
	return p, nil
}

// betaIncReg returns the regularised incomplete beta function I_x(a, b)
// for a, b > 0 and 0 <= x <= 1, given x and 1-x separately so that x near 1
// keeps its precision. It uses the continued fraction of DLMF 8.17.22,
// evaluated by the modified Lentz method, on whichever of I_x(a, b) and
// 1 - I_{1-x}(b, a) converges fast (x below (a+1)/(a+b+2)), the usual
// choice (Press et al., Numerical Recipes, section 6.4).
func betaIncReg(a, b, x, y float64) (float64, error) {
	switch {
	case x <= 0:
		return 0, nil
	case y <= 0:
		return 1, nil
	case x > (a+1)/(a+b+2):
		v, err := betaIncReg(b, a, y, x)
		return 1 - v, err
	}
	lnFront := a*math.Log(x) + b*math.Log(y) - lnBeta(a, b) - math.Log(a)
	const tiny = 1e-300
	f, c, d := 1.0, 1.0, 0.0
	for i := 0; i <= 10_000; i++ {
		m := float64(i / 2)
		var num float64
		switch {
		case i == 0:
			num = 1
		case i%2 == 0:
			num = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		default:
			num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		}
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		d = 1 / d
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		cd := c * d
		f *= cd
		if math.Abs(1-cd) < 1e-15 {
			return math.Exp(lnFront) * (f - 1), nil
		}
	}
	return math.NaN(), fmt.Errorf("%w: incomplete beta I_%g(%g, %g) did not converge", ErrNumerical, x, a, b)
}

// tanhSinh01 integrates f over (0, 1) by tanh-sinh (double exponential)
// quadrature (Takahasi & Mori 1974): w = (1 + tanh(π/2 sinh t))/2 maps the
// real line onto (0, 1) with weights that vanish doubly exponentially at
// both ends, so integrable endpoint singularities cost no accuracy. The
// step is halved until two levels agree to 1e-13; f is never evaluated at
// the end points themselves.
func tanhSinh01(f func(w float64) float64) (float64, error) {
	const tMax = 4.0 // beyond, the weights are below 1e-40
	point := func(t float64) float64 {
		u := math.Pi / 2 * math.Sinh(t)
		w := 1 / (1 + math.Exp(-2*u))
		if w <= 0 || w >= 1 {
			return 0
		}
		ch := math.Cosh(u)
		return f(w) * math.Pi / 4 * math.Cosh(t) / (ch * ch)
	}
	h := 0.5
	sum := point(0)
	for k := 1; float64(k)*h <= tMax; k++ {
		sum += point(float64(k)*h) + point(-float64(k)*h)
	}
	prev := sum * h
	for level := 0; level < 12; level++ {
		h /= 2
		for k := 1; float64(k)*h <= tMax; k += 2 { // the new, odd points
			sum += point(float64(k)*h) + point(-float64(k)*h)
		}
		cur := sum * h
		if !finite(cur) {
			break
		}
		if math.Abs(cur-prev) <= 1e-13*math.Abs(cur) {
			return cur, nil
		}
		prev = cur
	}
	return math.NaN(), fmt.Errorf("%w: quadrature did not converge", ErrNumerical)
}
