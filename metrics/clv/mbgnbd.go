package clv

import (
	"math"
)

// MBGNBD is a fitted modified BG/NBD model (Batislam, Denizel &
// Filiztekin 2007, "Empirical validation and comparison of models for
// customer base analysis"). It is BG/NBD with one change: a customer may
// also drop out at time 0, right after the first purchase, with the same
// probability p ~ Beta(A, B) as after every repeat purchase. So a customer
// with no repeat purchase is no longer certainly alive, which removes
// BG/NBD's best-known artefact (P(alive) = 1 for every one-time buyer).
// Alpha and every time argument are in Unit.
type MBGNBD struct {
	R, Alpha, A, B float64
	Unit           Unit
}

// MBGNBDFit is the result of FitMBGNBD.
type MBGNBDFit struct {
	Model MBGNBD
	// FitStats.Intervals are in the order r, alpha, a and b.
	FitStats
}

// FitMBGNBD estimates (r, α, a, b) by maximum likelihood, with the
// analytic gradient, the optimiser and the failure modes of FitBGNBD.
func FitMBGNBD(s Summaries, opts *FitOptions) (MBGNBDFit, error) {
	set, d, err := prepareFit(s, opts, true)
	if err != nil {
		return MBGNBDFit{}, err
	}
	res, err := d.problem("MBG/NBD").solve(set)
	p := res.params
	return MBGNBDFit{
		Model:    MBGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3], Unit: s.Unit},
		FitStats: res.stats(d.n, len(d.rows)),
	}, err
}

// Validate reports parameters that are not positive finite numbers or a
// missing unit.
func (m MBGNBD) Validate() error {
	return validateParams("MBGNBD", m.Unit, []string{"R", "Alpha", "A", "B"}, m.R, m.Alpha, m.A, m.B)
}

// shifted is the BG/NBD with b+1 in place of b: every MBG/NBD prediction
// is a BG/NBD expression in it (integrating (1-p) against Beta(a, b) is
// b/(a+b) times integrating against Beta(a, b+1)).
func (m MBGNBD) shifted() BGNBD {
	return BGNBD{R: m.R, Alpha: m.Alpha, A: m.A, B: m.B + 1, Unit: m.Unit}
}

// LogLikelihood returns one customer's log-likelihood under the model
// (Batislam et al. 2007, eq. 5).
func (m MBGNBD) LogLikelihood(x int, tx, T float64) (float64, error) {
	if err := checkCustomer(m.Validate(), x, tx, T); err != nil {
		return math.NaN(), err
	}
	d, err := newBGData([]Summary{{Frequency: x, Recency: tx, T: T}}, true)
	if err != nil {
		return math.NaN(), err
	}
	return d.logLik([4]float64{m.R, m.Alpha, m.A, m.B}, nil, d.newWork()), nil
}

// ProbabilityAlive returns P(alive at T | x, t_x, T) =
// 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)), for x = 0 too, as a logistic of
// a log-space argument.
func (m MBGNBD) ProbabilityAlive(x int, tx, T float64) (float64, error) {
	if err := checkCustomer(m.Validate(), x, tx, T); err != nil {
		return math.NaN(), err
	}
	return m.pAlive(float64(x), tx, T), nil
}

func (m MBGNBD) pAlive(x, tx, T float64) float64 {
	z := math.Log(m.A) - math.Log(m.B+x) + (m.R+x)*(math.Log(m.Alpha+T)-math.Log(m.Alpha+tx))
	_, sig := softplus(-z)
	return sig
}

// ExpectedPurchases returns E[X(t)] =
// b/(a-1) [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))], the BG/NBD
// expectation with b+1 for b scaled by b/(a+b), computed with the BG/NBD's
// overflow-free series (so a = 1 is no singularity).
func (m MBGNBD) ExpectedPurchases(t float64) (float64, error) {
	if err := joinFlat(m.Validate(), checkHorizon(t)); err != nil {
		return math.NaN(), err
	}
	core, err := m.shifted().expectedCore(t, 0, 0)
	return m.B / (m.A + m.B) * core, err
}

// ConditionalExpectedPurchases returns E[Y(t) | x, t_x, T] =
// P(alive) (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))].
func (m MBGNBD) ConditionalExpectedPurchases(t float64, x int, tx, T float64) (float64, error) {
	if err := joinFlat(checkCustomer(m.Validate(), x, tx, T), checkHorizon(t)); err != nil {
		return math.NaN(), err
	}
	core, err := m.shifted().expectedCore(t, float64(x), T)
	if err != nil {
		return math.NaN(), err
	}
	return m.pAlive(float64(x), tx, T) * core, nil
}
