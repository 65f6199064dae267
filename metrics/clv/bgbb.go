package clv

import (
	"errors"
	"fmt"
	"math"
)

// DiscreteSummary is one pattern of a discrete-time history: a customer
// had Periods transaction opportunities after the first (yearly
// fundraising events, annual renewals, weekly market days), transacted at
// Frequency of them, the last time at opportunity Recency. Count customers
// share the pattern, so a data set like the donations one (22 patterns,
// 11,104 donors) is fitted as it is published; give one row per customer
// with Count 1 otherwise.
type DiscreteSummary struct {
	// Frequency is x, the number of opportunities with a transaction.
	Frequency int
	// Recency is t_x, the opportunity (1 to Periods) of the last
	// transaction, 0 when Frequency is 0.
	Recency int
	// Periods is n, the number of opportunities observed, at least 1.
	Periods int
	// Count is the number of customers with this pattern, at least 1.
	Count int
}

// BGBB is a fitted beta-geometric/beta-Bernoulli model (Fader, Hardie &
// Shang 2010, "Customer-Base Analysis in a Discrete-Time Noncontractual
// Setting"). While alive a customer transacts at each opportunity with
// probability p ~ Beta(Alpha, Beta); before each opportunity an alive
// customer dies with probability θ ~ Beta(Gamma, Delta). Time is counted
// in opportunities, so there is no Unit.
type BGBB struct {
	Alpha, Beta, Gamma, Delta float64
}

// BGBBFit is the result of FitBGBB.
type BGBBFit struct {
	Model BGBB
	// FitStats.Intervals are in the order alpha, beta, gamma and delta;
	// FitStats.Customers is the sum of the Counts and DistinctRows the
	// number of distinct (x, t_x, n) patterns.
	FitStats
}

// maxDiscretePeriods bounds n: the likelihood sums n - t_x terms per
// pattern, and no discrete-time data set has a million opportunities.
const maxDiscretePeriods = 1_000_000

func validateDiscrete(rows []DiscreteSummary) error {
	var errs fieldErrors
	report := errs.add
	for i, r := range rows {
		if r.Periods < 1 || r.Periods > maxDiscretePeriods {
			report(fieldErr("DiscreteSummary.Periods", i, "must be between 1 and 1000000"))
		}
		if r.Count < 1 {
			report(fieldErr("DiscreteSummary.Count", i, "must be at least 1"))
		}
		switch {
		case r.Frequency < 0:
			report(fieldErr("DiscreteSummary.Frequency", i, "negative"))
		case r.Recency < 0 || r.Recency > r.Periods:
			report(fieldErr("DiscreteSummary.Recency", i, "must be between 0 and Periods"))
		case r.Frequency > r.Recency: // x transactions need x distinct opportunities up to t_x
			report(fieldErr("DiscreteSummary.Frequency", i, "greater than Recency"))
		case r.Frequency == 0 && r.Recency != 0:
			report(fieldErr("DiscreteSummary.Recency", i, "must be 0 when Frequency is 0"))
		}
	}
	return errs.join()
}

// FitBGBB estimates (α, β, γ, δ) by maximum likelihood, with the
// optimiser and failure modes of FitBGNBD and a central-difference
// gradient. On the donations data it reproduces α = 1.204, β = 0.750,
// γ = 0.657, δ = 2.783 (Fader, Hardie & Shang 2010).
func FitBGBB(rows []DiscreteSummary, opts *FitOptions) (BGBBFit, error) {
	set, err := opts.settings()
	if err != nil {
		return BGBBFit{}, err
	}
	if err := validateDiscrete(rows); err != nil {
		return BGBBFit{}, err
	}
	if len(rows) == 0 {
		return BGBBFit{}, fmt.Errorf("%w: no customers to fit", ErrNoData)
	}
	type key struct{ x, tx, n int }
	ix := make(map[key]int)
	var pats []key
	var w []float64
	total := 0
	for _, r := range rows {
		k := key{r.Frequency, r.Recency, r.Periods}
		j, ok := ix[k]
		if !ok {
			j = len(pats)
			ix[k] = j
			pats = append(pats, k)
			w = append(w, 0)
		}
		w[j] += float64(r.Count)
		total += r.Count
	}
	weight := float64(total)
	f := func(v []float64) float64 {
		m := BGBB{Alpha: math.Exp(v[0]), Beta: math.Exp(v[1]), Gamma: math.Exp(v[2]), Delta: math.Exp(v[3])}
		ll := 0.0
		for i, p := range pats {
			ll += w[i] * m.logLik(p.x, p.tx, p.n)
		}
		return -ll / weight
	}
	prob := &mlProblem{
		model: "BG/BB", names: []string{"alpha", "beta", "gamma", "delta"}, fn: numericGradient(f), weight: weight,
		starts: [][]float64{{1, 1, 1, 1}, {0.5, 0.5, 0.5, 2}, {2, 2, 2, 5}, {0.2, 0.5, 0.2, 1}},
		scales: []float64{1, 1, 1, 1},
	}
	res, err := prob.solve(set)
	p := res.params
	return BGBBFit{
		Model:    BGBB{Alpha: p[0], Beta: p[1], Gamma: p[2], Delta: p[3]},
		FitStats: res.stats(total, len(pats)),
	}, err
}

// Validate reports parameters that are not positive finite numbers.
func (m BGBB) Validate() error {
	var errs []error
	for i, v := range []float64{m.Alpha, m.Beta, m.Gamma, m.Delta} {
		if !finite(v) || v <= 0 {
			errs = append(errs, fieldErr("BGBB."+[]string{"Alpha", "Beta", "Gamma", "Delta"}[i], -1, "must be positive and finite"))
		}
	}
	return errors.Join(errs...)
}

func (m BGBB) check(x, tx, n int) error {
	return joinFlat(m.Validate(), validateDiscrete([]DiscreteSummary{{Frequency: x, Recency: tx, Periods: n, Count: 1}}))
}

func lnBeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// logLik is one pattern's log-likelihood (Fader, Hardie & Shang 2010,
// eq. 5): alive through all n opportunities, or died just after
// opportunity t_x + i for some i = 0 .. n-t_x-1,
//
//	L = B(α+x, β+n-x)/B(α,β) B(γ, δ+n)/B(γ,δ)
//	    + Σ_i B(α+x, β+t_x-x+i)/B(α,β) B(γ+1, δ+t_x+i)/B(γ,δ),
//
// summed in log space (log-sum-exp), so nothing underflows for long
// histories.
func (m BGBB) logLik(x, tx, n int) float64 {
	a, b, g, d := m.Alpha, m.Beta, m.Gamma, m.Delta
	fx, ftx, fn := float64(x), float64(tx), float64(n)
	base := -lnBeta(a, b) - lnBeta(g, d)
	// Online log-sum-exp: m is the largest term so far, s the sum of
	// e^(term-m).
	m0 := base + lnBeta(a+fx, b+fn-fx) + lnBeta(g, d+fn)
	s := 1.0
	for i := 0; i < n-tx; i++ {
		fi := float64(i)
		t := base + lnBeta(a+fx, b+ftx-fx+fi) + lnBeta(g+1, d+ftx+fi)
		if t > m0 {
			s = s*math.Exp(m0-t) + 1
			m0 = t
		} else {
			s += math.Exp(t - m0)
		}
	}
	return m0 + math.Log(s)
}

// LogLikelihood returns the log-likelihood of one customer with x
// transactions in n opportunities, the last at opportunity t_x.
func (m BGBB) LogLikelihood(x, tx, n int) (float64, error) {
	if err := m.check(x, tx, n); err != nil {
		return math.NaN(), err
	}
	return m.logLik(x, tx, n), nil
}

// ProbabilityAlive returns P(alive at opportunity n+1 | x, t_x, n)
// = B(α+x, β+n-x)/B(α,β) B(γ, δ+n+1)/B(γ,δ) / L (Fader, Hardie & Shang
// 2010, eq. 11), in log space.
func (m BGBB) ProbabilityAlive(x, tx, n int) (float64, error) {
	if err := m.check(x, tx, n); err != nil {
		return math.NaN(), err
	}
	fx, fn := float64(x), float64(n)
	num := lnBeta(m.Alpha+fx, m.Beta+fn-fx) - lnBeta(m.Alpha, m.Beta) + lnBeta(m.Gamma, m.Delta+fn+1) - lnBeta(m.Gamma, m.Delta)
	return math.Min(1, math.Exp(num-m.logLik(x, tx, n))), nil
}

// ExpectedTransactions returns E[X(n)], the expected number of
// transactions of a new customer in the first n opportunities
// (Fader, Hardie & Shang 2010, eq. 7):
//
//	α/(α+β) δ/(γ-1) [1 - Γ(γ+δ)Γ(1+δ+n) / (Γ(γ+δ+n)Γ(1+δ))],
//
// evaluated so that γ = 1 gives its limit (see survivalSum).
func (m BGBB) ExpectedTransactions(n int) (float64, error) {
	if err := m.Validate(); err != nil {
		return math.NaN(), err
	}
	if n < 0 || n > maxDiscretePeriods {
		return math.NaN(), fieldErr("n", -1, "must be between 0 and 1000000")
	}
	return m.Alpha / (m.Alpha + m.Beta) * m.Delta * survivalSum(m.Gamma, m.Delta, 0, n), nil
}

// ConditionalExpectedTransactions returns E[X(n, n+k) | x, t_x, n], the
// expected number of transactions in the next k opportunities of a
// customer with history (x, t_x, n) (Fader, Hardie & Shang 2010, eq. 13):
//
//	1/L B(α+x+1, β+n-x)/B(α,β) δ/(γ-1) Γ(γ+δ)/Γ(1+δ)
//	    [Γ(1+δ+n)/Γ(γ+δ+n) - Γ(1+δ+n+k)/Γ(γ+δ+n+k)].
func (m BGBB) ConditionalExpectedTransactions(k, x, tx, n int) (float64, error) {
	if err := m.check(x, tx, n); err != nil {
		return math.NaN(), err
	}
	if k < 0 || k > maxDiscretePeriods {
		return math.NaN(), fieldErr("k", -1, "must be between 0 and 1000000")
	}
	a, b, g, d := m.Alpha, m.Beta, m.Gamma, m.Delta
	fx, fn := float64(x), float64(n)
	lg1d, _ := math.Lgamma(1 + d)
	lggd, _ := math.Lgamma(g + d)
	lgn1, _ := math.Lgamma(1 + d + fn)
	lgng, _ := math.Lgamma(g + d + fn)
	lead := lnBeta(a+fx+1, b+fn-fx) - lnBeta(a, b) + math.Log(d) + lggd - lg1d + lgn1 - lgng - m.logLik(x, tx, n)
	e := math.Exp(lead) * survivalSum(g, d, n, k)
	if !finite(e) {
		return math.NaN(), fmt.Errorf("%w: BG/BB expected transactions not finite", ErrNumerical)
	}
	return e, nil
}

// survivalSum returns (1 - e^Δ)/(γ-1) with
// Δ = ln[Γ(1+δ+n+k)Γ(γ+δ+n) / (Γ(γ+δ+n+k)Γ(1+δ+n))] = -Σ_{j=n}^{n+k-1} log1p((γ-1)/(1+δ+j))
// (the recurrence Γ(z+1) = zΓ(z) term by term). Writing Δ = (γ-1) D, each term of D is
// log1p(εu)/ε with ε = γ-1, u = 1/(1+δ+j), which tends to u as ε -> 0, and
// (1 - e^(εD))/ε is -expm1Over(ε, D): no 0/0 at γ = 1 and no cancellation
// near it. Horizons beyond 10,000 opportunities use log-gamma differences
// for Δ instead of the sum.
func survivalSum(g, d float64, n, k int) float64 {
	eps := g - 1
	var dsum float64
	if k <= 10_000 {
		for j := n; j < n+k; j++ {
			u := 1 / (1 + d + float64(j))
			if v := eps * u; math.Abs(v) < 1e-8 {
				dsum -= u * (1 - v/2)
			} else {
				dsum -= math.Log1p(v) / eps
			}
		}
	} else {
		l1, _ := math.Lgamma(1 + d + float64(n+k))
		l2, _ := math.Lgamma(g + d + float64(n))
		l3, _ := math.Lgamma(g + d + float64(n+k))
		l4, _ := math.Lgamma(1 + d + float64(n))
		delta := l1 + l2 - l3 - l4
		if eps == 0 {
			return digamma(1+d+float64(n+k)) - digamma(1+d+float64(n))
		}
		return -math.Expm1(delta) / eps
	}
	return -expm1Over(eps, dsum)
}
