package clv

import (
	"fmt"
	"math"
)

// ParetoNBD is a fitted Pareto/NBD model (Schmittlein, Morrison & Colombo
// 1987; likelihood as in Fader, Hardie & Lee 2005, "A Note on Deriving the
// Pareto/NBD Model and Related Expressions"). While alive a customer buys
// as a Poisson process with rate λ ~ Gamma(R, Alpha); the lifetime is
// exponential with rate μ ~ Gamma(S, Beta), so a customer can die at any
// time, not only just after a purchase as in BG/NBD. Alpha, Beta and every
// time argument are in Unit.
type ParetoNBD struct {
	R, Alpha, S, Beta float64
	Unit              Unit
}

// ParetoNBDFit is the result of FitParetoNBD.
type ParetoNBDFit struct {
	Model ParetoNBD
	// FitStats.Intervals are in the order r, alpha, s and beta.
	FitStats
}

var paretoNames = []string{"r", "alpha", "s", "beta"}

// FitParetoNBD estimates (r, α, s, β) by maximum likelihood on the
// customers' (Frequency, Recency, T), with the same optimiser, starting
// rule and failure modes as FitBGNBD: *NotConvergedError when no start
// passes the gradient test, *NotIdentifiedError when the result lies on
// the boundary of the space or the observed information is singular. The
// gradient is taken by central differences (the derivatives of the
// hypergeometric term in r and s have no closed form), so a fit costs
// about nine likelihood evaluations per step. On the CDNOW sample it
// reproduces r = 0.553, α = 10.578, s = 0.606, β = 11.669,
// LL = -9595.0 (Fader, Hardie & Lee 2005).
func FitParetoNBD(s Summaries, opts *FitOptions) (ParetoNBDFit, error) {
	set, d, err := prepareFit(s, opts, false)
	if err != nil {
		return ParetoNBDFit{}, err
	}
	cache := newParetoCache(d)
	f := func(x []float64) float64 {
		p := [4]float64{math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2]), math.Exp(x[3])}
		ll, err := paretoLogLik(d, p, cache)
		if err != nil {
			return math.NaN() // the line search backs off
		}
		return -ll / d.weight
	}
	scale := d.timeScale()
	life := math.Max(d.meanT, 1e-3)
	prob := &mlProblem{
		model: "Pareto/NBD", names: paretoNames, fn: numericGradient(f), weight: d.weight,
		starts: [][]float64{
			{1, scale, 1, life},
			{0.5, 0.5 * scale, 0.5, life},
			{2, 2 * scale, 2, 4 * life},
			{0.1, 0.1 * scale, 0.2, 0.5 * life},
		},
		scales: []float64{1, scale, 1, life},
	}
	res, err := prob.solve(set)
	p := res.params
	return ParetoNBDFit{
		Model:    ParetoNBD{R: p[0], Alpha: p[1], S: p[2], Beta: p[3], Unit: s.Unit},
		FitStats: res.stats(d.n, len(d.rows)),
	}, err
}

// numericGradient turns f into an objective whose gradient is taken by
// central differences with a step of 1e-6 per log-parameter: truncation
// (step² times the third derivative) and rounding (ε |f| / step) errors
// are then both near 1e-10 for a mean log-likelihood of order 1, well
// inside the stalled-line-search tolerance the optimiser accepts.
func numericGradient(f func(x []float64) float64) objective {
	return func(x, grad []float64) float64 {
		v := f(x)
		xs := make([]float64, len(x))
		for i := range x {
			copy(xs, x)
			h := 1e-6 * math.Max(1, math.Abs(x[i]))
			xs[i] = x[i] + h
			up := f(xs)
			xs[i] = x[i] - h
			grad[i] = (up - f(xs)) / (2 * h)
		}
		return v
	}
}

// paretoLogLik is the Pareto/NBD log-likelihood summed over d's rows.
// Rows are grouped by x, and within a group the H terms of
// paretoLogIntegral depend only on T or t_x, so they are computed once per
// distinct value (CDNOW has 2,357 customers but 84 distinct T): c holds
// those per-group tables and may be nil.
func paretoLogLik(d *bgData, p [4]float64, c *paretoCache) (float64, error) {
	if c == nil {
		c = newParetoCache(d)
	}
	m := ParetoNBD{R: p[0], Alpha: p[1], S: p[2], Beta: p[3]}
	lgR, _ := math.Lgamma(m.R)
	head := m.R*math.Log(m.Alpha) + m.S*math.Log(m.Beta) - lgR
	ll := 0.0
	for _, g := range d.groups {
		lgRX, _ := math.Lgamma(m.R + g.x)
		ll += g.w * (head + lgRX)
		c.gen++ // a new group or a new evaluation: every cached H is stale
		stamp := c.gen
		for _, row := range d.rows[g.lo:g.hi] {
			h1, err := c.lookup(c.hT, c.sT, row.iT, stamp, func() (float64, error) { return m.lnH(g.x, d.ts[row.iT]) })
			if err != nil {
				return math.NaN(), err
			}
			h0, err := c.lookup(c.hTx, c.sTx, row.iTx+1, stamp, func() (float64, error) {
				if row.iTx < 0 {
					return m.lnH(g.x, 0)
				}
				return m.lnH(g.x, d.txs[row.iTx])
			})
			if err != nil {
				return math.NaN(), err
			}
			ll += row.w * m.rowTail(g.x, d.ts[row.iT], logIntegral(h0, h1, m.R+m.S+g.x))
		}
	}
	return ll, nil
}

// paretoCache memoises H(T) and H(t_x) within one group of equal x in one
// evaluation; a value is valid when its stamp equals the current
// generation. (An int32 generation wraps after 2^31 groups evaluated,
// beyond any fit: the optimiser stops after a few thousand evaluations.)
type paretoCache struct {
	gen     int32
	hT, hTx []float64
	sT, sTx []int32
}

func newParetoCache(d *bgData) *paretoCache {
	return &paretoCache{
		hT: make([]float64, len(d.ts)), sT: make([]int32, len(d.ts)),
		hTx: make([]float64, len(d.txs)+1), sTx: make([]int32, len(d.txs)+1),
	}
}

func (c *paretoCache) lookup(vals []float64, stamps []int32, i, stamp int32, compute func() (float64, error)) (float64, error) {
	if stamps[i] == stamp {
		return vals[i], nil
	}
	v, err := compute()
	if err != nil {
		return math.NaN(), err
	}
	vals[i], stamps[i] = v, stamp
	return v, nil
}

// rowTail returns the data-dependent part of one customer's
// log-likelihood,
//
//	ln[ (α+T)^-(r+x) (β+T)^-s + s I ],  I = ∫_{t_x}^{T} (α+y)^-(r+x) (β+y)^-(s+1) dy,
//
// the first term for a customer still alive at T, the second for one who
// died at some y after the last purchase (the integral is the A0 term of
// Fader, Hardie & Lee's note, eq. 3, times (r+s+x)/s). It is evaluated as
// A1 + softplus(ln s + ln I - A1) with A1 the log of the first term, so
// nothing overflows however large x or T are.
func (m ParetoNBD) rowTail(x, T, lnI float64) float64 {
	a1 := -(m.R+x)*math.Log(m.Alpha+T) - m.S*math.Log(m.Beta+T)
	if math.IsInf(lnI, -1) {
		return a1
	}
	sp, _ := softplus(math.Log(m.S) + lnI - a1)
	return a1 + sp
}

// logIntegral returns ln I (see rowTail) from ln H(t_x) and ln H(T) (see
// lnH): I = (H(t_x) - H(T))/K, taken as
// ln H(t_x) + ln(1 - e^(ln H(T) - ln H(t_x))) - ln K. When t_x = T (or
// within rounding of it) there is no room to die unseen and I = 0.
func logIntegral(h0, h1, k float64) float64 {
	if !(h1 < h0) {
		return math.Inf(-1)
	}
	return h0 + log1mexp(h1-h0) - math.Log(k)
}

// logIntegralAt returns ln I for one customer.
func (m ParetoNBD) logIntegralAt(x, tx, T float64) (float64, error) {
	if tx >= T {
		return math.Inf(-1), nil
	}
	h0, err := m.lnH(x, tx)
	if err != nil {
		return math.NaN(), err
	}
	h1, err := m.lnH(x, T)
	if err != nil {
		return math.NaN(), err
	}
	return logIntegral(h0, h1, m.R+m.S+x), nil
}

// lnH returns ln H(y), where -H(y)/K is an antiderivative of the integrand
// of I with K = r+s+x:
// H(y) = (α+y)^-K 2F1(K, s+1; K+1; (α-β)/(α+y)) (term-by-term integration
// of the binomial series of (β+y)^-(s+1) about α+y; this is the α >= β form
// of the note). Pfaff's transformation (DLMF 15.8.1),
// 2F1(a, b; c; z) = (1-z)^-b 2F1(c-a, b; c; z/(z-1)), with c-a = 1, gives
//
//	H(y) = (α+y)^-(r+x-1) (β+y)^-(s+1) 2F1(1, s+1; K+1; (β-α)/(β+y))   (β >= α)
//	H(y) = (α+y)^-(r+x)   (β+y)^-s     2F1(1, r+x; K+1; (α-β)/(α+y))   (α > β)
//
// (the second by Pfaff once more on the first). Both series have positive
// terms whose ratio is below their argument, which lies in [0, 1): unlike
// the textbook form, whose series in (β-α)/(β+y) with parameter r+x grows
// like (1-z)^-(r+x) and overflows for frequent buyers, nothing here can
// overflow or cancel, and ln H is a sum of logarithms.
func (m ParetoNBD) lnH(x, y float64) (float64, error) {
	r, alpha, s, beta := m.R, m.Alpha, m.S, m.Beta
	k := r + s + x
	if beta >= alpha {
		f, err := hypSeries(1, s+1, k+1, (beta-alpha)/(beta+y), hypMaxTerms)
		return -(r+x-1)*math.Log(alpha+y) - (s+1)*math.Log(beta+y) + math.Log(f), err
	}
	f, err := hypSeries(1, r+x, k+1, (alpha-beta)/(alpha+y), hypMaxTerms)
	return -(r+x)*math.Log(alpha+y) - s*math.Log(beta+y) + math.Log(f), err
}

// log1mexp returns ln(1 - e^d) for d < 0 accurately (Mächler 2012,
// "Accurately Computing log(1 - exp(-|a|))": expm1 near 0, log1p beyond
// -ln 2).
func log1mexp(d float64) float64 {
	if d > -math.Ln2 {
		return math.Log(-math.Expm1(d))
	}
	return math.Log1p(-math.Exp(d))
}

// Validate reports parameters that are not positive finite numbers or a
// missing unit.
func (m ParetoNBD) Validate() error {
	return validateParams("ParetoNBD", m.Unit, []string{"R", "Alpha", "S", "Beta"}, m.R, m.Alpha, m.S, m.Beta)
}

// LogLikelihood returns one customer's log-likelihood under the model.
func (m ParetoNBD) LogLikelihood(x int, tx, T float64) (float64, error) {
	if err := checkCustomer(m.Validate(), x, tx, T); err != nil {
		return math.NaN(), err
	}
	lgR, _ := math.Lgamma(m.R)
	lgRX, _ := math.Lgamma(m.R + float64(x))
	lnI, err := m.logIntegralAt(float64(x), tx, T)
	if err != nil {
		return math.NaN(), err
	}
	return lgRX - lgR + m.R*math.Log(m.Alpha) + m.S*math.Log(m.Beta) + m.rowTail(float64(x), T, lnI), nil
}

// ProbabilityAlive returns P(alive at T | x, t_x, T) = 1 / (1 + s I / A1)
// in the notation of rowTail (Fader, Hardie & Lee's note, eq. 11),
// as a logistic of a log-space argument.
func (m ParetoNBD) ProbabilityAlive(x int, tx, T float64) (float64, error) {
	if err := checkCustomer(m.Validate(), x, tx, T); err != nil {
		return math.NaN(), err
	}
	return m.pAlive(float64(x), tx, T)
}

func (m ParetoNBD) pAlive(x, tx, T float64) (float64, error) {
	lnI, err := m.logIntegralAt(x, tx, T)
	if err != nil {
		return math.NaN(), err
	}
	if math.IsInf(lnI, -1) {
		return 1, nil
	}
	a1 := -(m.R+x)*math.Log(m.Alpha+T) - m.S*math.Log(m.Beta+T)
	_, sig := softplus(a1 - math.Log(m.S) - lnI)
	return sig, nil
}

// ExpectedPurchases returns E[X(t)] = r β / (α (s-1)) [1 - (β/(β+t))^(s-1)]
// (Schmittlein et al. 1987, eq. 17), the expected purchases of a new
// customer in a period of length t. The factor [..]/(s-1) is evaluated
// with expm1, so s = 1 gives its limit r β/α ln(1+t/β).
func (m ParetoNBD) ExpectedPurchases(t float64) (float64, error) {
	if err := joinFlat(m.Validate(), checkHorizon(t)); err != nil {
		return math.NaN(), err
	}
	return m.R * m.Beta / m.Alpha * -expm1Over(m.S-1, -math.Log1p(t/m.Beta)), nil
}

// ConditionalExpectedPurchases returns E[Y(t) | x, t_x, T] =
// P(alive) (r+x)(β+T) / ((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^(s-1)]
// (Schmittlein et al. 1987, eq. 22), with the same care at s = 1.
func (m ParetoNBD) ConditionalExpectedPurchases(t float64, x int, tx, T float64) (float64, error) {
	if err := joinFlat(checkCustomer(m.Validate(), x, tx, T), checkHorizon(t)); err != nil {
		return math.NaN(), err
	}
	pa, err := m.pAlive(float64(x), tx, T)
	if err != nil {
		return math.NaN(), err
	}
	fx := float64(x)
	e := pa * (m.R + fx) * (m.Beta + T) / (m.Alpha + T) * -expm1Over(m.S-1, -math.Log1p(t/(m.Beta+T)))
	if !finite(e) {
		return math.NaN(), fmt.Errorf("%w: Pareto/NBD expected purchases not finite", ErrNumerical)
	}
	return e, nil
}
