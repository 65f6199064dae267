package clv

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/clientele-go/clientele/internal/parallel"
)

// GammaGamma is a fitted Gamma-Gamma model of spend per transaction
// (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"). A
// customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, V) across
// customers, independent of the purchase process. Spend is in the currency
// of the monetary values it was fitted on (converted to float64 at the
// boundary: these are model estimates, not money).
type GammaGamma struct {
	P, Q, V float64
}

// GammaGammaFit is the result of FitGammaGamma.
type GammaGammaFit struct {
	Model         GammaGamma
	LogLikelihood float64
	// Customers is the number of repeat buyers (Frequency > 0) fitted.
	Customers    int
	DistinctRows int
	// Intervals are the standard errors and 95% confidence intervals of
	// p, q and v, in that order.
	Intervals   []Interval
	Diagnostics Diagnostics
}

// Validate reports parameters that are not positive finite numbers.
func (g GammaGamma) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"GammaGamma.P", g.P}, {"GammaGamma.Q", g.Q}, {"GammaGamma.V", g.V}} {
		if !finite(f.v) || f.v <= 0 {
			errs = append(errs, fieldErr(f.name, -1, "must be positive and finite"))
		}
	}
	return errors.Join(errs...)
}

// Mean returns the population mean spend per transaction p V / (q - 1); it
// fails with ErrMeanUndefined when q <= 1.
func (g GammaGamma) Mean() (float64, error) {
	if err := g.Validate(); err != nil {
		return math.NaN(), err
	}
	if g.Q <= 1 {
		return math.NaN(), fmt.Errorf("%w: q = %g", ErrMeanUndefined, g.Q)
	}
	return g.P * g.V / (g.Q - 1), nil
}

// ConditionalExpectedAverageProfit returns E[M | x, m̄], the expected
// spend per transaction of a customer with x repeat purchases of mean value
// m̄: (p (V + x m̄)) / (p x + q - 1), a weighted mean of the population
// mean and the customer's own mean. For x = 0 it is the population mean.
func (g GammaGamma) ConditionalExpectedAverageProfit(x int, mbar float64) (float64, error) {
	if err := g.Validate(); err != nil {
		return math.NaN(), err
	}
	if x < 0 {
		return math.NaN(), fieldErr("x", -1, "negative frequency")
	}
	if x == 0 {
		return g.Mean()
	}
	if !finite(mbar) {
		return math.NaN(), fieldErr("mbar", -1, "not finite")
	}
	if mbar <= 0 {
		return math.NaN(), fmt.Errorf("%w: mbar = %g", ErrNonPositiveMonetary, mbar)
	}
	den := g.P*float64(x) + g.Q - 1
	if den <= 0 {
		return math.NaN(), fmt.Errorf("%w: p*x + q - 1 = %g", ErrMeanUndefined, den)
	}
	return g.P * (g.V + float64(x)*mbar) / den, nil
}

// ggRow is a distinct (x, m̄) pair with its weight.
type ggRow struct {
	x, m, w  float64
	lnX, lnM float64
}

// ggData is the Gamma-Gamma likelihood input: the repeat buyers' distinct
// (x, m̄) rows, sorted by x.
type ggData struct {
	rows    []ggRow
	n       int     // repeat buyers
	mean    float64 // their mean spend
	workers int     // goroutines of the row pass (0: GOMAXPROCS)
	partial [][4]float64
}

// ggChunk rows make a chunk of the Gamma-Gamma row pass; as with bgChunk,
// chunk sums are added in chunk order, so the likelihood is the same to
// the last bit for any number of workers. Tests lower it.
var ggChunk = 4096

// newGGData keeps the repeat buyers, refuses non-positive means and merges
// identical (x, m̄) rows. Spends are usually all distinct, and a hash map
// of half a million of them cost half a fit; instead the spends are put in
// order of x (byFrequency), each x's spends are sorted, and runs of equal
// spends become one weighted row.
func newGGData(cs []Summary) (*ggData, error) {
	if err := validateCustomers(cs); err != nil {
		return nil, err
	}
	var bad fieldErrors
	nBad, n, maxX := 0, 0, 0
	sum := 0.0
	for i := range cs {
		c := &cs[i]
		if c.Frequency == 0 {
			continue
		}
		if !(c.Monetary > 0) || math.IsInf(c.Monetary, 1) {
			nBad++
			bad.add(fieldErr("Summary.Monetary", i, "repeat buyer with non-positive or non-finite mean spend"))
			continue
		}
		n++
		sum += c.Monetary
		maxX = max(maxX, c.Frequency)
	}
	if nBad > 0 {
		return nil, fmt.Errorf("%w: %d repeat buyers: %w", ErrNonPositiveMonetary, nBad, bad.join())
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: no repeat buyers to fit the Gamma-Gamma model", ErrNoData)
	}
	d := &ggData{n: n, mean: sum / float64(n), rows: make([]ggRow, 0, n)}
	spends, runs := byFrequency(cs, 1, maxX, func(i int) float64 { return cs[i].Monetary })
	for _, r := range runs {
		ms := spends[r.lo:r.hi]
		slices.Sort(ms)
		lnX := math.Log(float64(r.x))
		for j, m := range ms {
			if j > 0 && m == ms[j-1] {
				d.rows[len(d.rows)-1].w++
				continue
			}
			d.rows = append(d.rows, ggRow{x: float64(r.x), m: m, w: 1, lnX: lnX, lnM: math.Log(m)})
		}
	}
	d.partial = make([][4]float64, (len(d.rows)+ggChunk-1)/ggChunk)
	return d, nil
}

// logLik is the Gamma-Gamma log-likelihood (Fader & Hardie 2013, eq. 4)
// summed over the rows, with its gradient in (p, q, v):
//
//	lnΓ(px+q) - lnΓ(px) - lnΓ(q) + q ln v + (px-1) ln m̄ + px ln x - (px+q) ln(x m̄ + v)
//
// The terms in q and v alone are added once for all customers; the rows
// run in chunks of ggChunk on d.workers goroutines.
func (d *ggData) logLik(p, q, v float64, grad *[3]float64) float64 {
	parallel.Chunks(len(d.partial), parallel.Workers(d.workers), func(k int) {
		d.partial[k] = d.rowTerms(k, p, q, v)
	})
	var ll float64
	*grad = [3]float64{}
	for _, s := range d.partial {
		ll += s[0]
		grad[0] += s[1]
		grad[1] += s[2]
		grad[2] += s[3]
	}
	lgQ, _ := math.Lgamma(q)
	lnV := math.Log(v)
	w := float64(d.n)
	ll += w * (q*lnV - lgQ)
	grad[1] += w * (lnV - digamma(q))
	grad[2] += w * q / v
	return ll
}

// rowTerms returns chunk k's sums of the row terms: the log-likelihood,
// then the gradient in p, q and v, without the terms in q and v alone.
func (d *ggData) rowTerms(k int, p, q, v float64) [4]float64 {
	var out [4]float64
	lastX := -1.0
	var lgPX, lgPXQ, psiPX, psiPXQ float64
	for _, r := range d.rows[k*ggChunk : min((k+1)*ggChunk, len(d.rows))] {
		px := p * r.x
		if r.x != lastX { // rows are sorted by x: gamma terms once per x
			lgPX, _ = math.Lgamma(px)
			lgPXQ, _ = math.Lgamma(px + q)
			psiPX, psiPXQ = digamma(px), digamma(px+q)
			lastX = r.x
		}
		xmv := r.x*r.m + v
		lnXMV := math.Log(xmv)
		out[0] += r.w * (lgPXQ - lgPX + (px-1)*r.lnM + px*r.lnX - (px+q)*lnXMV)
		out[1] += r.w * r.x * (psiPXQ - psiPX + r.lnM + r.lnX - lnXMV)
		out[2] += r.w * (psiPXQ - lnXMV)
		out[3] -= r.w * (px + q) / xmv
	}
	return out
}

// FitGammaGamma estimates (p, q, v) by maximum likelihood on the repeat
// buyers (Frequency > 0) using Summary.Monetary, the mean repeat-purchase
// spend. Customers without repeat purchases are skipped, as in the paper.
// A repeat buyer with a mean spend <= 0 makes the fit fail with
// ErrNonPositiveMonetary naming each offending index. If the optimiser does
// not converge the error is a *NotConvergedError. If it converges to
// q <= 1 the fit is returned together with an error wrapping
// ErrMeanUndefined: conditional expectations for repeat buyers remain
// usable, the population mean (and so any value for x = 0) does not exist.
func FitGammaGamma(s Summaries, opts *FitOptions) (GammaGammaFit, error) {
	set, err := opts.settings()
	if err != nil {
		return GammaGammaFit{}, err
	}
	d, err := newGGData(s.Customers)
	if err != nil {
		return GammaGammaFit{}, err
	}
	d.workers = set.workers
	w, mean := float64(d.n), d.mean
	fn := func(x, grad []float64) float64 {
		p, q, v := math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2])
		var g [3]float64
		ll := d.logLik(p, q, v, &g)
		grad[0], grad[1], grad[2] = -g[0]*p/w, -g[1]*q/w, -g[2]*v/w
		return -ll / w
	}
	// Starts put the implied mean p v/(q-1) at the sample mean, which is
	// also v's natural scale for the boundary test.
	prob := &mlProblem{
		model: "Gamma-Gamma", names: []string{"p", "q", "v"}, fn: fn, weight: w,
		starts: [][]float64{{1, 2, mean}, {5, 3, 0.4 * mean}, {0.5, 1.5, mean}, {10, 5, 0.4 * mean}},
		scales: []float64{1, 1, mean},
	}
	res, err := prob.solve(set)
	fit := GammaGammaFit{
		Model:         GammaGamma{P: res.params[0], Q: res.params[1], V: res.params[2]},
		LogLikelihood: res.ll,
		Customers:     d.n,
		DistinctRows:  len(d.rows),
		Intervals:     res.intervals,
		Diagnostics:   res.diag,
	}
	if err != nil {
		return fit, err
	}
	if fit.Model.Q <= 1 {
		return fit, fmt.Errorf("%w: fitted q = %g", ErrMeanUndefined, fit.Model.Q)
	}
	return fit, nil
}
