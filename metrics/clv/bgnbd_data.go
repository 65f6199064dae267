package clv

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
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

// bgData is the BG/NBD likelihood input after aggregation: the distinct T
// and t_x values are tabulated (their logarithms are computed once per
// evaluation, not once per row), identical (x, t_x, T) rows are merged
// with weights when that pays (mergeRows), and rows are grouped by x so the
// x-only terms (log-gamma, digamma) are computed once per distinct x.
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

func newBGData(cs []Summary, modified bool) (*bgData, error) {
	return newBGDataOn(cs, modified, 0)
}

// tabChunk customers make a chunk of newBGDataOn's first pass.
const tabChunk = 1 << 16

// tabPart is what the first pass found in one chunk of customers: its T
// and t_x values in order of first appearance, its largest x and its sums.
type tabPart struct {
	ts, txs    floatIndex
	maxX       int
	sumX, sumT float64
	bad        bool
	remapT     []int32 // index in the chunk's ts -> in the whole data's
	remapTx    []int32
}

// newBGDataOn tabulates on workers goroutines (0: GOMAXPROCS). The
// result is the same for any number: the first pass runs over fixed
// chunks of customers, their values are interned into the whole data's
// tables in chunk order (which is the order of first appearance), and
// the sums are added in chunk order.
func newBGDataOn(cs []Summary, modified bool, workers int) (*bgData, error) {
	if len(cs) == 0 {
		if err := validateCustomers(cs); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: no customers to fit", ErrNoData)
	}
	workers = parallel.Workers(workers)
	d := &bgData{modified: modified, n: len(cs), weight: float64(len(cs))}
	// First pass: check each customer (the full report is validateCustomers'
	// when one fails), intern T and t_x (a customer without repeat
	// purchases has no t_x in BG/NBD) and keep each customer's pair of
	// indices and x, so the merge need not read the summaries again (at a
	// million customers they are 64 MB, a pass of them 6-10 ms).
	pairs := make([]uint64, len(cs)) // iT<<32 | iTx+1, first within the chunk
	xs := make([]int32, len(cs))
	parts := make([]tabPart, (len(cs)+tabChunk-1)/tabChunk)
	parallel.Chunks(len(parts), workers, func(k int) {
		p := &parts[k]
		for i := k * tabChunk; i < min((k+1)*tabChunk, len(cs)); i++ {
			c := &cs[i]
			x, rec, t := c.Frequency, c.Recency, c.T
			if !(x >= 0 && t >= 0 && t <= math.MaxFloat64 && rec >= 0 && rec <= t && (x > 0 || rec == 0)) {
				p.bad = true
				return
			}
			iTx := int32(-1)
			if x > 0 || modified {
				iTx = p.txs.index(rec)
			}
			pairs[i] = uint64(p.ts.index(t))<<32 | uint64(iTx+1)
			xs[i] = int32(min(x, math.MaxInt32))
			p.maxX = max(p.maxX, x)
			p.sumX += float64(x)
			p.sumT += t
		}
	})
	var ts, txs floatIndex
	maxX := 0
	for k := range parts {
		p := &parts[k]
		if p.bad {
			return nil, validateCustomers(cs)
		}
		p.remapT, p.remapTx = make([]int32, len(p.ts.vals)), make([]int32, len(p.txs.vals))
		for j, v := range p.ts.vals {
			p.remapT[j] = ts.index(v)
		}
		for j, v := range p.txs.vals {
			p.remapTx[j] = txs.index(v)
		}
		maxX = max(maxX, p.maxX)
		d.meanX += p.sumX
		d.meanT += p.sumT
	}
	parallel.Chunks(len(parts), workers, func(k int) {
		p := &parts[k]
		lo := k * tabChunk
		for i, pair := range pairs[lo:min(lo+tabChunk, len(pairs))] {
			g := uint64(p.remapT[pair>>32]) << 32
			if tx := pair & math.MaxUint32; tx > 0 {
				g |= uint64(p.remapTx[tx-1]) + 1
			}
			pairs[lo+i] = g
		}
	})
	d.meanX /= d.weight
	d.meanT /= d.weight
	d.ts, d.txs = ts.vals, txs.vals
	k := rowKeys{tBits: bits.Len(uint(len(d.ts))), txBits: bits.Len(uint(len(d.txs)))}
	k.bits = bits.Len(uint(maxX)) + k.tBits + k.txBits
	if maxX <= math.MaxInt32 && k.bits <= 64 && mergeRows(xs, pairs) {
		d.merge(xs, pairs, k, workers)
	} else {
		d.keepRows(cs, pairs, maxX)
	}
	return d, nil
}

// floatIndex interns float64 values in order of first appearance through
// an open-addressing table keyed by their bits (a Go map keyed by a float
// cost most of the tabulation at a million customers). Values are finite
// (validated); -0 is folded into +0 so equal values share an index.
type floatIndex struct {
	vals  []float64
	slots []int32 // index+1 into vals; 0 is empty
	shift uint
}

func (f *floatIndex) index(v float64) int32 {
	v += 0 // -0 + 0 = +0
	if 2*(len(f.vals)+1) > len(f.slots) {
		f.grow()
	}
	b := math.Float64bits(v)
	mask := len(f.slots) - 1
	for h := int(hashBits(b) >> f.shift); ; h = (h + 1) & mask {
		s := f.slots[h]
		if s == 0 {
			f.vals = append(f.vals, v)
			f.slots[h] = int32(len(f.vals))
			return int32(len(f.vals) - 1)
		}
		if math.Float64bits(f.vals[s-1]) == b {
			return s - 1
		}
	}
}

func (f *floatIndex) grow() {
	n := max(64, 2*len(f.slots))
	f.slots = make([]int32, n)
	f.shift = uint(64 - bits.Len(uint(n-1)))
	mask := n - 1
	for i, v := range f.vals {
		h := int(hashBits(math.Float64bits(v)) >> f.shift)
		for f.slots[h] != 0 {
			h = (h + 1) & mask
		}
		f.slots[h] = int32(i + 1)
	}
}

// hashBits mixes all 64 bits into the top ones (Fibonacci hashing after a
// fold, so values that differ only in low mantissa bits spread too).
func hashBits(b uint64) uint64 {
	b ^= b >> 32
	return b * 0x9e3779b97f4a7c15
}

// rowKeys packs a customer's (x, iT, iTx+1) into one uint64 whose order is
// the order of the rows by x, then T, then t_x.
type rowKeys struct {
	tBits, txBits, bits int
}

func (k rowKeys) key(x int, pair uint64) uint64 {
	return uint64(x)<<(k.tBits+k.txBits) | pair>>32<<k.txBits | pair&math.MaxUint32
}

// Merging identical rows pays when the likelihood's passes over the
// rows it saves cost more than the merge. A fit evaluates the likelihood
// about 40 times (32 in the search and 8 for the intervals on the
// 1M-customer benchmark) at 20-45 ns a row, so a row merged away saves
// about 1-2 us; the merge (packing, a radix sort, runs) costs 20-40 ns a
// customer more than keeping the rows (a counting sort by x): 1M
// customers, thread CPU, whole days 81 ms against 59 ms, all distinct
// 373 ms against 273 ms. Merging therefore pays once about one row in 50
// would merge; mergeMinShare rounds that to 1/64.
// mergeSample customers, taken at an even stride, estimate that share:
// the share of distinct rows in a sample is at least the whole data's (a
// sample sees fewer repeats), so the rule keeps rows apart only when even
// the sample shows almost no repeats. bgMerge overrides the rule in tests.
const (
	mergeSample   = 1 << 14
	mergeMinShare = 1.0 / 64
)

var bgMerge = 0 // 0: by the sampled rule; 1: always merge; -1: never

// mergeRows reports whether the rows should be merged.
func mergeRows(xs []int32, pairs []uint64) bool {
	switch bgMerge {
	case 1:
		return true
	case -1:
		return false
	}
	m := min(len(xs), mergeSample)
	type row struct {
		x    int32
		pair uint64
	}
	sample := make([]row, m)
	for j := range sample {
		i := int(int64(j) * int64(len(xs)) / int64(m))
		sample[j] = row{xs[i], pairs[i]}
	}
	slices.SortFunc(sample, func(a, b row) int {
		if c := cmp.Compare(a.x, b.x); c != 0 {
			return c
		}
		return cmp.Compare(a.pair, b.pair)
	})
	repeats := 0
	for j := 1; j < m; j++ {
		if sample[j] == sample[j-1] {
			repeats++
		}
	}
	return float64(repeats) >= mergeMinShare*float64(m)
}

// merge sorts the customers' packed keys (a least-significant-digit radix
// sort, linear in the customers) and turns each run of equal keys into a
// row weighted by its length; rows come out grouped by x. The rows and
// groups are counted first and made once.
func (d *bgData) merge(xs []int32, pairs []uint64, k rowKeys, workers int) {
	keys := pairs // packed in place: each pair is read before it is overwritten
	parallel.Ranges(len(keys), workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			keys[i] = k.key(int(xs[i]), pairs[i])
		}
	})
	keys = radixSort(keys, k.bits, workers)
	low := uint(k.tBits + k.txBits)
	rows, groups := 1, 1
	for i := 1; i < len(keys); i++ {
		if keys[i] != keys[i-1] {
			rows++
			if keys[i]>>low != keys[i-1]>>low {
				groups++
			}
		}
	}
	d.rows = make([]bgRow, 0, rows)
	d.groups = make([]bgGroup, 0, groups)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		key := keys[i]
		d.addRow(int(key>>low), bgRow{
			iT:  int32(key >> k.txBits & (1<<k.tBits - 1)),
			iTx: int32(key&(1<<k.txBits-1)) - 1,
			w:   float64(j - i),
		})
		i = j
	}
}

// keepRows makes one row per customer, in order of x.
func (d *bgData) keepRows(cs []Summary, pairs []uint64, maxX int) {
	var runs []xRun
	d.rows, runs = byFrequency(cs, 0, maxX, func(i int) bgRow {
		p := pairs[i]
		return bgRow{iT: int32(p >> 32), iTx: int32(p&math.MaxUint32) - 1, w: 1}
	})
	for _, r := range runs {
		d.groups = append(d.groups, bgGroup{x: float64(r.x), w: float64(r.hi - r.lo), lo: r.lo, hi: r.hi})
	}
}

// xRun is the run of positions [lo, hi) of the items with frequency x.
type xRun struct{ x, lo, hi int }

// byFrequency returns val(i) for the customers with Frequency >= minX, in
// order of Frequency (stably), and the runs of equal Frequency: a counting
// sort that writes each value in place when the frequencies are dense
// enough for a count per value (maxX is the largest), else a sort.
func byFrequency[T any](cs []Summary, minX, maxX int, val func(i int) T) ([]T, []xRun) {
	var out []T
	var runs []xRun
	if maxX > 4*len(cs)+1024 {
		var order []int32
		for i := range cs {
			if cs[i].Frequency >= minX {
				order = append(order, int32(i))
			}
		}
		slices.SortStableFunc(order, func(i, j int32) int { return cs[i].Frequency - cs[j].Frequency })
		out = make([]T, len(order))
		for k, i := range order {
			out[k] = val(int(i))
			if x := cs[i].Frequency; len(runs) == 0 || runs[len(runs)-1].x != x {
				runs = append(runs, xRun{x: x, lo: k})
			}
			runs[len(runs)-1].hi = k + 1
		}
		return out, runs
	}
	start := make([]int, maxX+2) // start[x]: first position of x
	for i := range cs {
		if x := cs[i].Frequency; x >= minX {
			start[x+1]++
		}
	}
	for x := 1; x < len(start); x++ {
		start[x] += start[x-1]
	}
	for x := range maxX + 1 {
		if start[x+1] > start[x] {
			runs = append(runs, xRun{x: x, lo: start[x], hi: start[x+1]})
		}
	}
	out = make([]T, start[maxX+1])
	for i := range cs {
		if x := cs[i].Frequency; x >= minX {
			out[start[x]] = val(i)
			start[x]++
		}
	}
	return out, runs
}

// addRow appends a row; rows arrive in order of x.
func (d *bgData) addRow(x int, r bgRow) {
	pos := len(d.rows)
	d.rows = append(d.rows, r)
	if len(d.groups) == 0 || d.groups[len(d.groups)-1].x != float64(x) {
		d.groups = append(d.groups, bgGroup{x: float64(x), lo: pos})
	}
	g := &d.groups[len(d.groups)-1]
	g.hi = pos + 1
	g.w += r.w
}

// radixSort sorts keys whose values fit in the low width bits, in as few
// passes of at most radixBits bits as the width needs (a count table of
// 2^radixBits stays in the first-level cache), on workers goroutines
// (each counts and places a fixed range of the keys; the sorted keys are
// the same whatever the split); it returns the sorted slice, which is
// keys or a new one.
func radixSort(keys []uint64, width, workers int) []uint64 {
	if width <= 0 || len(keys) < 2 {
		return keys
	}
	workers = max(1, min(workers, len(keys)/radixMinKeys))
	passes := (width + radixBits - 1) / radixBits
	digit := (width + passes - 1) / passes
	mask := uint64(1)<<digit - 1
	tmp := make([]uint64, len(keys))
	counts := make([][]int, workers) // counts[w][b]: then where w's next b goes
	for w := range counts {
		counts[w] = make([]int, 1<<digit)
	}
	for shift := 0; shift < width; shift += digit {
		parallel.Ranges(len(keys), workers, func(w, lo, hi int) {
			c := counts[w]
			clear(c)
			for _, k := range keys[lo:hi] {
				c[k>>shift&mask]++
			}
		})
		at := 0
		for b := range 1 << digit {
			for _, c := range counts {
				c[b], at = at, at+c[b]
			}
		}
		parallel.Ranges(len(keys), workers, func(w, lo, hi int) {
			c := counts[w]
			for _, k := range keys[lo:hi] {
				b := k >> shift & mask
				tmp[c[b]] = k
				c[b]++
			}
		})
		keys, tmp = tmp, keys
	}
	return keys
}

// radixMinKeys keys at least go to each of radixSort's goroutines.
const radixMinKeys = 1 << 16

// radixBits is the widest digit of radixSort.
const radixBits = 11

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
	tabbed     []int        // groups whose rows are many enough for powTables
	pows       []powEntry   // per tabbed group: its powTables, nT then nTx
	e, f       []float64    // per T e^(ln(α+T) - m), per t_x e^-(ln(α+t_x) - m)
	chains     [][2]int     // runs of the tabled groups that powChain fills
}

// bgGroupTerms are the per-evaluation constants of one group.
type bgGroupTerms struct {
	rx, c, invB float64 // r+x, ln a - ln(b+x-1), 1/(b+x-1)
	// pow is the group's first entry in bgWork.pows when its tables are
	// filled in this evaluation, else -1.
	pow int
}

// bgChunk rows make a chunk of the likelihood's row pass. Chunks are the
// unit of parallel work and their sums are added in chunk order, so the
// likelihood is the same to the last bit for any number of workers.
// Tests lower it to cut small data into many chunks.
var bgChunk = 4096

// A group gets power tables when it has at least one row per powShare
// table entries: most tables are filled from the one before in their
// chain at a multiplication or two an entry, and each row then saves an
// exponential (the first table of a chain costs an exponential an entry,
// one table in chainLen). On two years of days (1,459 entries a group),
// tables every group with 365 rows or more.
const powShare = 4

// chainLen is the longest chain of tables filled one from another: each
// link adds a few roundings (under 4 ulps), so a chain starts afresh from
// exponentials after chainLen tables. A group joins the chain of the one
// before when their x differ by at most maxChainStep (a multiplication
// an entry each).
const (
	chainLen     = 16
	maxChainStep = 4
)

// maxPowExp bounds the exponents the power tables multiply, so neither a
// table entry nor a product overflows (e^709 is the largest finite).
const maxPowExp = 700

func (d *bgData) newWork() *bgWork {
	w := &bgWork{
		lt: make([]float64, len(d.ts)), invT: make([]float64, len(d.ts)),
		ltx: make([]float64, len(d.txs)), invTx: make([]float64, len(d.txs)),
		groups:  make([]bgGroupTerms, len(d.groups)),
		partial: make([][5]float64, (len(d.rows)+bgChunk-1)/bgChunk),
		e:       make([]float64, len(d.ts)), f: make([]float64, len(d.txs)),
	}
	size := len(d.ts) + len(d.txs)
	for gi, g := range d.groups {
		if (g.x > 0 || d.modified) && powShare*(g.hi-g.lo) >= size {
			w.tabbed = append(w.tabbed, gi)
		}
	}
	w.pows = make([]powEntry, len(w.tabbed)*size)
	return w
}

// powEntry is a power table's entry with the logarithm and reciprocal of
// its α+T (or α+t_x) beside it, so a row reads two entries, not six
// separate tables.
type powEntry struct{ l, inv, pow float64 }

// powTables fill, for group gi, the factors of e^z = e^c ((α+T)/(α+t_x))^(r+x):
// A[iT] = e^(c + (r+x)(ln(α+T) - m)) and B[iTx] = e^(-(r+x)(ln(α+t_x) - m)),
// so a row's e^z is the product A[iT] B[iTx] and costs no exponential.
// m is the middle of the logarithms' range, which with the bound checked
// by logLik keeps every factor and product finite and normal.
func (d *bgData) powTables(gi int, m float64, w *bgWork) {
	gt := w.groups[gi]
	a := w.pows[gt.pow : gt.pow+len(d.ts)]
	b := w.pows[gt.pow+len(d.ts) : gt.pow+len(d.ts)+len(d.txs)]
	for i, l := range w.lt {
		a[i] = powEntry{l, w.invT[i], math.Exp(gt.c + gt.rx*(l-m))}
	}
	for i, l := range w.ltx {
		b[i] = powEntry{l, w.invTx[i], math.Exp(-gt.rx * (l - m))}
	}
}

// powChain fills the tables of the groups gis (in order of x, each within
// maxChainStep of the one before): the first by powTables, each later one
// from the one before, since A_x'/A_x = e^(c'-c) e^((x'-x)(ln(α+T)-m)) and
// B_x'/B_x = e^(-(x'-x)(ln(α+t_x)-m)). Every intermediate product lies
// between two tables' entries, so the bound logLik checks for each table
// keeps them finite and normal.
func (d *bgData) powChain(gis []int, m float64, w *bgWork) {
	d.powTables(gis[0], m, w)
	nT, nTx := len(d.ts), len(d.txs)
	for k := 1; k < len(gis); k++ {
		prev, cur := w.groups[gis[k-1]], w.groups[gis[k]]
		dx := int(d.groups[gis[k]].x - d.groups[gis[k-1]].x)
		s := math.Exp(cur.c - prev.c)
		pa, ca := w.pows[prev.pow:prev.pow+nT], w.pows[cur.pow:cur.pow+nT]
		for i := range ca {
			v := pa[i].pow * s
			for range dx {
				v *= w.e[i]
			}
			ca[i] = powEntry{w.lt[i], w.invT[i], v}
		}
		pb, cb := w.pows[prev.pow+nT:prev.pow+nT+nTx], w.pows[cur.pow+nT:cur.pow+nT+nTx]
		for i := range cb {
			v := pb[i].pow
			for range dx {
				v *= w.f[i]
			}
			cb[i] = powEntry{w.ltx[i], w.invTx[i], v}
		}
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
	lo, hi := math.Inf(1), math.Inf(-1) // range of the logarithms
	for i, t := range d.txs {
		w.ltx[i] = math.Log(alpha + t)
		w.invTx[i] = 1 / (alpha + t)
		lo = min(lo, w.ltx[i])
	}
	for _, l := range w.lt {
		hi = max(hi, l)
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
		w.groups[gi] = bgGroupTerms{rx: rx, c: lnA - math.Log(b+x-1), invB: 1 / (b + x - 1), pow: -1}
	}
	// A row's z = c + (r+x)(ln(α+T) - ln(α+t_x)) lies in [c, c + (r+x)(hi-lo)]
	// (t_x <= T), and each factor's exponent within (r+x)(hi-lo)/2 of c or 0.
	tabs := w.tabbed[:0:0]
	for k, gi := range w.tabbed {
		if gt := &w.groups[gi]; math.Abs(gt.c)+gt.rx*(hi-lo) <= maxPowExp {
			gt.pow = k * (len(d.ts) + len(d.txs))
			tabs = append(tabs, gi)
		}
	}
	m := (lo + hi) / 2
	if len(tabs) > 0 {
		for i, l := range w.lt {
			w.e[i] = math.Exp(l - m)
		}
		for i, l := range w.ltx {
			w.f[i] = math.Exp(-(l - m))
		}
	}
	chains := w.chains[:0]
	for k := 0; k < len(tabs); {
		j := k + 1
		for j < len(tabs) && j-k < chainLen && d.groups[tabs[j]].x-d.groups[tabs[j-1]].x <= maxChainStep {
			j++
		}
		chains = append(chains, [2]int{k, j})
		k = j
	}
	w.chains = chains
	workers := parallel.Workers(d.workers)
	parallel.Chunks(len(chains), workers, func(k int) { d.powChain(tabs[chains[k][0]:chains[k][1]], m, w) })
	parallel.Chunks(len(w.partial), workers, func(k int) {
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

// groupRows sums rowTerms' terms over rows of one group. With power
// tables (tabledRows), e^z is the product of two entries and
// softplus(z) = ln(1 + e^z) with its derivative e^z/(1 + e^z) cost one
// logarithm and one division a row; without, an exponential more.
func (d *bgData) groupRows(rows []bgRow, gt bgGroupTerms, withGrad bool, w *bgWork) (sTerm, sSig, sDr, sDa float64) {
	if gt.pow >= 0 {
		a := w.pows[gt.pow : gt.pow+len(d.ts)]
		b := w.pows[gt.pow+len(d.ts) : gt.pow+len(d.ts)+len(d.txs)]
		if !withGrad {
			return tabledRowsLL(rows, gt.rx, a, b), 0, 0, 0
		}
		return tabledRows(rows, gt.rx, a, b)
	}
	rx, c := gt.rx, gt.c
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
	return
}

// tabledRows is groupRows' loop with power tables a (by T) and b (by t_x).
func tabledRows(rows []bgRow, rx float64, a, b []powEntry) (sTerm, sSig, sDr, sDa float64) {
	for _, row := range rows {
		ea, eb := &a[row.iT], &b[row.iTx]
		u := ea.pow * eb.pow
		sp, sig := log1p(u), u/(1+u)
		lt := ea.l
		sTerm += row.w * (sp - rx*lt)
		ws := row.w * sig
		sSig += ws
		sDr += ws*(lt-eb.l) - row.w*lt
		sDa += ws*(ea.inv-eb.inv) - row.w*ea.inv
	}
	return
}

// tabledRowsLL is tabledRows without the gradient.
func tabledRowsLL(rows []bgRow, rx float64, a, b []powEntry) (sTerm float64) {
	for _, row := range rows {
		ea := &a[row.iT]
		sTerm += row.w * (log1p(ea.pow*b[row.iTx].pow) - rx*ea.l)
	}
	return
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
		rx := gt.rx
		sTerm, sSig, sDr, sDa := d.groupRows(rows, gt, withGrad, w)
		out[0] += sTerm
		out[1] += sDr
		out[2] += rx * sDa
		out[3] += sSig
		out[4] -= sSig * gt.invB
	}
	return out
}
