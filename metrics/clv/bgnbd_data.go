package clv

import (
	"fmt"
	"math"
	"slices"

	"github.com/clientele-go/clientele/internal/parallel"
)

// maxFieldErrors caps the field errors reported for one data set so a
// badly broken file does not produce a million-line error; the last entry
// says how many were left out.
const maxFieldErrors = 20

// validateCustomers checks every summary and reports the problems found.
func validateCustomers(cs []Summary) error {
	var errs fieldErrors
	report := errs.add
	for i := range cs {
		c := &cs[i]
		if c.Frequency < 0 {
			report(fieldErr("Summary.Frequency", i, "negative"))
		}
		if !finite(c.T) || c.T < 0 {
			report(fieldErr("Summary.T", i, "must be finite and >= 0"))
		}
		switch {
		case !finite(c.Recency) || c.Recency < 0:
			report(fieldErr("Summary.Recency", i, "must be finite and >= 0"))
		case c.Recency > c.T:
			report(fieldErr("Summary.Recency", i, "greater than T"))
		case c.Frequency == 0 && c.Recency != 0:
			report(fieldErr("Summary.Recency", i, "must be 0 when Frequency is 0"))
		}
	}
	return errs.join()
}

// bgData is the BG/NBD likelihood input after aggregation: identical
// (x, t_x, T) rows are merged with weights, the distinct T and t_x values are
// tabulated (their logarithms are computed once per evaluation, not once per
// row) and rows are grouped by x so the x-only terms (log-gamma, digamma)
// are computed once per distinct x.
type bgData struct {
	// modified selects the MBG/NBD likelihood (Batislam et al. 2007):
	// customers may also drop out at time 0, so customers without repeat
	// purchases get the dropout term too (and their t_x = 0 is tabulated).
	modified bool
	workers  int     // goroutines of the likelihood's row pass (0: GOMAXPROCS)
	n        int     // customers
	weight   float64 // total weight (= n)
	ts       []float64
	txs      []float64
	groups   []bgGroup
	rows     []bgRow
	meanX    float64
	meanT    float64
}

type bgGroup struct {
	x      float64
	w      float64 // total weight of the group
	lo, hi int     // rows[lo:hi]
}

type bgRow struct {
	iT, iTx int32
	w       float64
}

type bgKey struct {
	x       int
	iT, iTx int32
}

func newBGData(cs []Summary, modified bool) (*bgData, error) {
	if err := validateCustomers(cs); err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("%w: no customers to fit", ErrNoData)
	}
	d := &bgData{modified: modified, n: len(cs), weight: float64(len(cs))}
	// One map operation per customer: rows are keyed by the raw values;
	// the distinct T and t_x tables are built from the (far fewer) rows.
	type rawKey struct {
		x     int
		T, tx float64
	}
	rowIx := make(map[rawKey]int32)
	var raw []rawKey
	var weights []float64
	for i := range cs {
		c := &cs[i]
		k := rawKey{x: c.Frequency, T: c.T, tx: c.Recency}
		ix, ok := rowIx[k]
		if !ok {
			ix = int32(len(raw))
			rowIx[k] = ix
			raw = append(raw, k)
			weights = append(weights, 0)
		}
		weights[ix]++
		d.meanX += float64(c.Frequency)
		d.meanT += c.T
	}
	d.meanX /= d.weight
	d.meanT /= d.weight
	tIx := make(map[float64]int32)
	txIx := make(map[float64]int32)
	intern := func(m map[float64]int32, vals *[]float64, v float64) int32 {
		ix, ok := m[v]
		if !ok {
			ix = int32(len(*vals))
			m[v] = ix
			*vals = append(*vals, v)
		}
		return ix
	}
	keys := make([]bgKey, len(raw))
	for i, k := range raw {
		keys[i] = bgKey{x: k.x, iT: intern(tIx, &d.ts, k.T), iTx: -1}
		if k.x > 0 || modified {
			keys[i].iTx = intern(txIx, &d.txs, k.tx)
		}
	}
	d.group(keys, weights)
	return d, nil
}

// group orders the distinct rows by x (a counting sort over distinct x).
func (d *bgData) group(keys []bgKey, weights []float64) {
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int { return keys[i].x - keys[j].x })
	d.rows = make([]bgRow, len(keys))
	for pos, i := range order {
		k := keys[i]
		d.rows[pos] = bgRow{iT: k.iT, iTx: k.iTx, w: weights[i]}
		if len(d.groups) == 0 || d.groups[len(d.groups)-1].x != float64(k.x) {
			d.groups = append(d.groups, bgGroup{x: float64(k.x), lo: pos})
		}
		g := &d.groups[len(d.groups)-1]
		g.hi = pos + 1
		g.w += weights[i]
	}
}

// timeScale is the data's mean age per repeat purchase, the natural size
// of α (and of Pareto/NBD's β): it sets the starting points and the
// boundary test without reference to the unit.
func (d *bgData) timeScale() float64 {
	return math.Max(d.meanT, 1e-3) / math.Max(d.meanX, 0.05)
}

var bgNames = []string{"r", "alpha", "a", "b"}

// problem is the maximum-likelihood fit of (r, α, a, b) on d.
func (d *bgData) problem(model string) *mlProblem {
	work := d.newWork()
	fn := func(x, grad []float64) float64 {
		var p [4]float64
		for i := range p {
			p[i] = math.Exp(x[i])
		}
		var g [4]float64
		ll := d.logLik(p, &g, work)
		for i := range grad { // chain rule to log space, scaled per customer
			grad[i] = -g[i] * p[i] / d.weight
		}
		return -ll / d.weight
	}
	scale := d.timeScale()
	return &mlProblem{model: model, names: bgNames, fn: fn, weight: d.weight, starts: bgStarts(d), scales: []float64{1, scale, 1, 1}}
}

// bgWork holds per-evaluation tables so evaluations do not allocate.
type bgWork struct {
	lt, invT   []float64
	ltx, invTx []float64
	groups     []bgGroupTerms
	partial    [][5]float64 // per chunk of rows: ll and the four gradient sums
}

// bgGroupTerms are the per-evaluation constants of one group.
type bgGroupTerms struct {
	rx, c, invB float64 // r+x, ln a - ln(b+x-1), 1/(b+x-1)
}

// bgChunk rows make a chunk of the likelihood's row pass. Chunks are the
// unit of parallel work and their sums are added in chunk order, so the
// likelihood is the same to the last bit for any number of workers.
// Tests lower it to cut small data into many chunks.
var bgChunk = 4096

func (d *bgData) newWork() *bgWork {
	return &bgWork{
		lt: make([]float64, len(d.ts)), invT: make([]float64, len(d.ts)),
		ltx: make([]float64, len(d.txs)), invTx: make([]float64, len(d.txs)),
		groups:  make([]bgGroupTerms, len(d.groups)),
		partial: make([][5]float64, (len(d.rows)+bgChunk-1)/bgChunk),
	}
}

// logLik returns the total log-likelihood at (r, alpha, a, b) and, when
// grad is not nil, its gradient with respect to (r, alpha, a, b).
//
// Per customer (Fader, Hardie & Lee 2005, eq. 6), in log space:
//
//	ln L = lnΓ(r+x) - lnΓ(r) + r ln α + ln B(a, b+x) - ln B(a, b)
//	       + ln[ e^{-(r+x) ln(α+T)} + δ(x>0) e^{ln a - ln(b+x-1) - (r+x) ln(α+t_x)} ]
//
// The last term is -(r+x) ln(α+T) + softplus(z) with
// z = ln a - ln(b+x-1) + (r+x)(ln(α+T) - ln(α+t_x)), so nothing overflows
// however large x or T are.
//
// The MBG/NBD likelihood (Batislam, Denizel & Filiztekin 2007, eq. 5) is
// the same expression with b+1 in place of b, the dropout term for x = 0
// too (t_x = 0), and ln(b/(a+b)) more per customer:
//
//	L = B(a, b+x+1)/B(a, b) Γ(r+x) α^r / Γ(r) [(α+T)^-(r+x) + a/(b+x) (α+t_x)^-(r+x)]
//
// so p holds the model's own b and the gradient is with respect to it.
//
// The x-only terms are summed per group; the row terms, which are most of
// the work at a million customers, run in chunks of bgChunk rows on
// d.workers goroutines.
func (d *bgData) logLik(p [4]float64, grad *[4]float64, w *bgWork) float64 {
	r, alpha, a, b := p[0], p[1], p[2], p[3]
	var extra float64
	if d.modified {
		extra = d.weight * (math.Log(b) - math.Log(a+b))
		b++
	}
	for i, t := range d.ts {
		w.lt[i] = math.Log(alpha + t)
		w.invT[i] = 1 / (alpha + t)
	}
	for i, t := range d.txs {
		w.ltx[i] = math.Log(alpha + t)
		w.invTx[i] = 1 / (alpha + t)
	}
	lgR, _ := math.Lgamma(r)
	lgB, _ := math.Lgamma(b)
	lgAB, _ := math.Lgamma(a + b)
	lnAlpha, lnA := math.Log(alpha), math.Log(a)
	var psiR, psiB, psiAB float64
	if grad != nil {
		psiR, psiB, psiAB = digamma(r), digamma(b), digamma(a+b)
		*grad = [4]float64{}
	}
	ll := 0.0
	for gi, g := range d.groups {
		x := g.x
		rx := r + x
		lgRX, _ := math.Lgamma(rx)
		lgBX, _ := math.Lgamma(b + x)
		lgABX, _ := math.Lgamma(a + b + x)
		// x-only part: lnΓ(r+x) - lnΓ(r) + r ln α + lnB(a,b+x) - lnB(a,b)
		ll += g.w * (lgRX - lgR + r*lnAlpha + lgBX - lgB - lgABX + lgAB)
		if grad != nil {
			psiABX := digamma(a + b + x)
			grad[0] += g.w * (digamma(rx) - psiR + lnAlpha)
			grad[1] += g.w * r / alpha
			grad[2] += g.w * (psiAB - psiABX)
			grad[3] += g.w * (digamma(b+x) - psiB - psiABX + psiAB)
		}
		w.groups[gi] = bgGroupTerms{rx: rx, c: lnA - math.Log(b+x-1), invB: 1 / (b + x - 1)}
	}
	parallel.Chunks(len(w.partial), parallel.Workers(d.workers), func(k int) {
		w.partial[k] = d.rowTerms(k, r, grad != nil, w)
	})
	for _, s := range w.partial {
		ll += s[0]
		if grad != nil {
			grad[0] += s[1]
			grad[1] += s[2]
			grad[2] += s[3] / a
			grad[3] += s[4]
		}
	}
	if d.modified && grad != nil {
		grad[2] -= d.weight / (a + b - 1)
		grad[3] += d.weight * (1/(b-1) - 1/(a+b-1))
	}
	return ll + extra
}

// rowTerms returns the row terms of chunk k: the log-likelihood, then the
// gradient sums for r, α, a (still to be divided by a) and b.
func (d *bgData) rowTerms(k int, r float64, withGrad bool, w *bgWork) [5]float64 {
	lo, hi := k*bgChunk, min((k+1)*bgChunk, len(d.rows))
	gi, _ := slices.BinarySearchFunc(d.groups, lo, func(g bgGroup, row int) int {
		if g.hi <= row {
			return -1
		}
		if g.lo > row {
			return 1
		}
		return 0
	})
	var out [5]float64
	for ; lo < hi; gi++ {
		g := d.groups[gi]
		end := min(hi, g.hi)
		rows := d.rows[lo:end]
		lo = end
		if g.x == 0 && !d.modified {
			var sLT, sInv float64
			for _, row := range rows {
				sLT += row.w * w.lt[row.iT]
				sInv += row.w * w.invT[row.iT]
			}
			out[0] -= r * sLT
			out[1] -= sLT
			out[2] -= r * sInv
			continue
		}
		gt := w.groups[gi]
		rx, c := gt.rx, gt.c
		var sTerm, sSig, sDr, sDa float64
		for _, row := range rows {
			lt, ltx := w.lt[row.iT], w.ltx[row.iTx]
			sp, sig := softplus(c + rx*(lt-ltx))
			sTerm += row.w * (sp - rx*lt)
			if withGrad {
				ws := row.w * sig
				sSig += ws
				sDr += ws*(lt-ltx) - row.w*lt
				sDa += ws*(w.invT[row.iT]-w.invTx[row.iTx]) - row.w*w.invT[row.iT]
			}
		}
		out[0] += sTerm
		out[1] += sDr
		out[2] += rx * sDa
		out[3] += sSig
		out[4] -= sSig * gt.invB
	}
	return out
}
