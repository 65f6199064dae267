package clv

import (
	"fmt"
	"math"
)

// checkCustomer validates a customer's (x, t_x, T) against the model.
func (m BGNBD) checkCustomer(x int, tx, T float64) error {
	return checkCustomer(m.Validate(), x, tx, T)
}

// checkCustomer joins a model's validation error with the problems of a
// customer's (x, t_x, T).
func checkCustomer(model error, x int, tx, T float64) error {
	errs := []error{model}
	if x < 0 {
		errs = append(errs, fieldErr("x", -1, "negative frequency"))
	}
	if !finite(T) || T < 0 {
		errs = append(errs, fieldErr("T", -1, "must be finite and >= 0"))
	}
	switch {
	case !finite(tx) || tx < 0:
		errs = append(errs, fieldErr("t_x", -1, "must be finite and >= 0"))
	case tx > T:
		errs = append(errs, fieldErr("t_x", -1, "greater than T"))
	case x == 0 && tx != 0:
		errs = append(errs, fieldErr("t_x", -1, "must be 0 when x is 0"))
	}
	return joinFlat(errs...)
}

func checkHorizon(t float64) error {
	if !finite(t) || t < 0 {
		return fieldErr("t", -1, "must be finite and >= 0")
	}
	return nil
}

// LogLikelihood returns one customer's log-likelihood under the model.
func (m BGNBD) LogLikelihood(x int, tx, T float64) (float64, error) {
	if err := m.checkCustomer(x, tx, T); err != nil {
		return math.NaN(), err
	}
	d := &bgData{n: 1, weight: 1, ts: []float64{T}, groups: []bgGroup{{x: float64(x), w: 1, lo: 0, hi: 1}}}
	row := bgRow{iT: 0, iTx: -1, w: 1}
	if x > 0 {
		d.txs = []float64{tx}
		row.iTx = 0
	}
	d.rows = []bgRow{row}
	return d.logLik([4]float64{m.R, m.Alpha, m.A, m.B}, nil, d.newWork()), nil
}

// ProbabilityAlive returns P(alive at T | x, t_x, T): 1 for x = 0, else
// 1 / (1 + a/(b+x-1) ((α+T)/(α+t_x))^(r+x)), evaluated as a logistic of a
// log-space argument so it neither overflows nor underflows to NaN.
func (m BGNBD) ProbabilityAlive(x int, tx, T float64) (float64, error) {
	if err := m.checkCustomer(x, tx, T); err != nil {
		return math.NaN(), err
	}
	return m.pAlive(float64(x), tx, T), nil
}

func (m BGNBD) pAlive(x, tx, T float64) float64 {
	if x == 0 {
		return 1
	}
	z := math.Log(m.A) - math.Log(m.B+x-1) + (m.R+x)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	_, sig := softplus(-z)
	return sig
}

// ExpectedPurchases returns E[X(t)], the expected number of repeat purchases
// of a new customer in a period of length t (in the model's unit).
func (m BGNBD) ExpectedPurchases(t float64) (float64, error) {
	if err := joinFlat(m.Validate(), checkHorizon(t)); err != nil {
		return math.NaN(), err
	}
	return m.expectedCore(t, 0, 0)
}

// ConditionalExpectedPurchases returns E[Y(t) | x, t_x, T], the expected
// number of purchases in the next t units of a customer with history
// (x, t_x, T) (Fader, Hardie & Lee 2005, eq. 10).
func (m BGNBD) ConditionalExpectedPurchases(t float64, x int, tx, T float64) (float64, error) {
	if err := joinFlat(m.checkCustomer(x, tx, T), checkHorizon(t)); err != nil {
		return math.NaN(), err
	}
	core, err := m.expectedCore(t, float64(x), T)
	if err != nil {
		return math.NaN(), err
	}
	return m.pAlive(float64(x), tx, T) * core, nil
}

// expectedCore is the alive-customer part of eq. 10:
//
//	(a+b+x-1)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)],  z = t/(α+T+t).
//
// Euler's transformation turns the hypergeometric term into
// (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters no longer grow
// with x and which cannot overflow. Writing that 2F1 as 1 + (a-1) S removes
// the apparent singularity at a = 1:
//
//	core = (a+b+x-1) [ -expm1((a-1)L)/(a-1) ] - e^((a-1)L) (a+b+x-1) S,  L = ln(1-z).
//
// (a+b+x-1) S is summed as one series, whose leading factor 1/(a+b+x-1)
// cancels, so a customer without repeat purchases under a + b = 1 (where
// the textbook factor is 0/0) gets the finite limit.
//
// S is summed directly for z <= 0.95 (or a near 1); closer to z = 1 the
// general 2F1 with its 1-z transformation is used instead, and at
// a+b+x-1 = 0 exactly its limit lim_{c->0} c 2F1(a', b'; c; z) =
// a' b' z 2F1(a'+1, b'+1; 2; z) (DLMF 15.2.3_5, the regularised function at c = 0).
func (m BGNBD) expectedCore(t, x, T float64) (float64, error) {
	if t == 0 {
		return 0, nil
	}
	a, b, r := m.A, m.B, m.R
	base := m.Alpha + T
	z := t / (base + t)
	l := -math.Log1p(t / base)
	ap, cp := a+b-1-r, a+b+x-1
	var core float64
	switch {
	case z <= 0.95 || math.Abs(a-1) < 1e-3:
		cs, err := hypTailCS(ap, a, cp, z)
		if err != nil {
			return math.NaN(), err
		}
		core = -cp*expm1Over(a-1, l) - math.Exp((a-1)*l)*cs
	case cp == 0:
		f, err := hyp2f1(ap+1, a, 2, z)
		if err != nil {
			return math.NaN(), err
		}
		core = -math.Exp((a-1)*l) * ap * z * f
	default:
		f, err := hyp2f1(ap, a-1, cp, z)
		if err != nil {
			return math.NaN(), err
		}
		core = cp / (a - 1) * (1 - math.Exp((a-1)*l)*f)
	}
	if !finite(core) {
		return math.NaN(), fmt.Errorf("%w: expected purchases not finite", ErrNumerical)
	}
	return core, nil
}

// hypTailCS returns cp S, where S = Σ_{n>=1} (ap)_n (a)_(n-1) / ((cp)_n n!) z^n,
// so that 2F1(ap, a-1; cp; z) = 1 + (a-1) S. The first term's 1/cp cancels
// against cp, so cp = 0 is no singularity; later terms divide by cp+n, n >= 1,
// which is positive for every customer (cp > -1).
func hypTailCS(ap, a, cp, z float64) (float64, error) {
	term := ap * z
	sum := term
	if term == 0 {
		return 0, nil
	}
	for n := 1; n < hypMaxTerms; n++ {
		fn := float64(n)
		ratio := (ap + fn) * (a + fn - 1) / ((cp + fn) * (fn + 1)) * z
		term *= ratio
		sum += term
		if r := math.Max(math.Abs(ratio), z); r < 1 && math.Abs(term)*r/(1-r) <= hypEps*math.Abs(sum) {
			return sum, nil
		}
		if term == 0 {
			return sum, nil
		}
	}
	return math.NaN(), fmt.Errorf("%w: BG/NBD expectation series did not converge (z=%g)", ErrNumerical, z)
}
