package segment

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// ClusterConfig configures KMeans. nil means K 4, Seed 1, 100 iterations.
type ClusterConfig struct {
	K       int    `json:"k,omitempty"`       // 2..20, default 4
	Seed    uint64 `json:"seed,omitempty"`    // default 1
	MaxIter int    `json:"maxIter,omitempty"` // default 100
	// Currency fixes the minor unit of Monetary (ScaleOf); empty means two
	// decimals.
	Currency string `json:"currency,omitempty"`
}

// Cluster is one group found by KMeans, described in the original units
// (member means) and in words relative to the whole customer base.
type Cluster struct {
	ID          int // 0-based, clusters sorted by mean monetary value, highest first
	Size        int
	RecencyDays float64         // mean
	Frequency   float64         // mean purchases
	Monetary    decimal.Decimal // mean net spend, rounded half-even to the scale
	Description string          // e.g. "recent (12 days), frequent (8.1 purchases), high spend (1,234.50)"
}

// ClusterReport is the result of KMeans with its parameters.
type ClusterReport struct {
	K, Iterations int
	Seed          uint64
	Converged     bool
	Inertia       float64 // sum of squared distances in scaled space
	Clusters      []Cluster
	// Assign[i] is the cluster of results[i], or -1 for an unscored
	// customer.
	Assign []int
}

// KMeans groups scored customers by k-means on scaled RFM: recency in
// days, log(1+frequency) and log(1+max(monetary, 0)), each standardised
// to mean 0 and standard deviation 1 (money converts to float64 here, for
// statistics only). Initialisation is greedy k-means++ drawn from a PCG
// generator seeded with Seed, and every loop runs in input order, so equal input and
// seed give equal clusters. An empty cluster is re-seeded with the point
// farthest from its centre.
func KMeans(results []RFMResult, cfg *ClusterConfig) (ClusterReport, error) {
	c := ClusterConfig{K: 4, Seed: 1, MaxIter: 100}
	if cfg != nil {
		c = *cfg
		c.K = cmp.Or(c.K, 4)
		c.Seed = cmp.Or(c.Seed, 1)
		c.MaxIter = cmp.Or(c.MaxIter, 100)
	}
	var p problems
	if c.K < 2 || c.K > 20 {
		p.add("cluster.k", "is %d, want 2 to 20", c.K)
	}
	if c.MaxIter < 1 {
		p.add("cluster.maxIter", "is %d, want at least 1", c.MaxIter)
	}
	pts, rows := features(results)
	if len(rows) < c.K && len(p) == 0 {
		p.add("cluster.k", "is %d, but only %d customers are scored", c.K, len(rows))
	}
	if err := p.err(); err != nil {
		return ClusterReport{}, err
	}
	km := kmeans{pts: pts, k: c.K, rng: rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))}
	km.init()
	rep := ClusterReport{K: c.K, Seed: c.Seed}
	for rep.Iterations < c.MaxIter {
		rep.Iterations++
		changed := km.assign()
		km.update()
		if !changed && rep.Iterations > 1 {
			rep.Converged = true
			break
		}
	}
	rep.Inertia = km.inertia()
	clusters, order, err := describe(results, rows, km, ScaleOf(c.Currency))
	if err != nil {
		return ClusterReport{}, err
	}
	rep.Clusters = clusters
	rep.Assign = make([]int, len(results))
	for i := range rep.Assign {
		rep.Assign[i] = -1
	}
	for k, i := range rows {
		rep.Assign[i] = order[km.label[k]]
	}
	return rep, nil
}

type vec [3]float64

// features returns the standardised points of the scored results and the
// index of each in results.
func features(results []RFMResult) ([]vec, []int) {
	var pts []vec
	var rows []int
	for i, r := range results {
		if !r.Score.Scored() {
			continue
		}
		pts = append(pts, vec{float64(r.RecencyDays), math.Log1p(float64(r.Frequency)), math.Log1p(math.Max(float64(r.Monetary), 0))})
		rows = append(rows, i)
	}
	for d := range 3 {
		var sum, sq float64
		for _, v := range pts {
			sum += v[d]
		}
		mean := sum / float64(max(len(pts), 1))
		for _, v := range pts {
			sq += (v[d] - mean) * (v[d] - mean)
		}
		sd := math.Sqrt(sq / float64(max(len(pts), 1)))
		if sd == 0 {
			sd = 1
		}
		for i := range pts {
			pts[i][d] = (pts[i][d] - mean) / sd
		}
	}
	return pts, rows
}

type kmeans struct {
	pts   []vec
	k     int
	cent  []vec
	label []int
	rng   *rand.Rand
}

func dist2(a, b vec) float64 {
	x, y, z := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return x*x + y*y + z*z
}

// init is greedy k-means++ (Arthur and Vassilvitskii's seeding with the
// refinement scikit-learn uses): the first centre uniformly; then, for
// each next centre, 2+⌊ln k⌋ candidates drawn with probability
// proportional to the squared distance to the nearest centre, keeping the
// candidate that lowers the total squared distance most. The extra
// candidates make an unlucky pick inside an existing group much rarer.
func (m *kmeans) init() {
	n := len(m.pts)
	m.label = make([]int, n)
	for i := range m.label {
		m.label[i] = -1
	}
	m.cent = append(m.cent, m.pts[m.rng.IntN(n)])
	d := make([]float64, n)
	for i, p := range m.pts {
		d[i] = dist2(p, m.cent[0])
	}
	tries := 2 + int(math.Log(float64(m.k)))
	best, trial := make([]float64, n), make([]float64, n)
	for len(m.cent) < m.k {
		total := 0.0
		for _, v := range d {
			total += v
		}
		bestPot := math.Inf(1)
		var bestC vec
		for range tries {
			c := m.pts[m.sample(d, total)]
			pot := 0.0
			for i, p := range m.pts {
				trial[i] = math.Min(d[i], dist2(p, c))
				pot += trial[i]
			}
			if pot < bestPot {
				bestPot, bestC = pot, c
				best, trial = trial, best
			}
		}
		m.cent = append(m.cent, bestC)
		copy(d, best)
	}
}

// sample draws an index with probability proportional to d (uniformly
// when every point sits on a centre).
func (m *kmeans) sample(d []float64, total float64) int {
	if total <= 0 {
		return m.rng.IntN(len(d))
	}
	target := m.rng.Float64() * total
	for i, v := range d {
		target -= v
		if target < 0 {
			return i
		}
	}
	return len(d) - 1
}

func (m *kmeans) nearest(p vec) int {
	best, bd := 0, math.Inf(1)
	for j, c := range m.cent {
		if d := dist2(p, c); d < bd {
			best, bd = j, d
		}
	}
	return best
}

func (m *kmeans) assign() bool {
	changed := false
	for i, p := range m.pts {
		if j := m.nearest(p); j != m.label[i] {
			m.label[i], changed = j, true
		}
	}
	return changed
}

func (m *kmeans) update() {
	sums := make([]vec, m.k)
	counts := make([]int, m.k)
	for i, p := range m.pts {
		j := m.label[i]
		counts[j]++
		for d := range 3 {
			sums[j][d] += p[d]
		}
	}
	for j := range m.cent {
		if counts[j] == 0 {
			m.cent[j] = m.farthest()
			continue
		}
		for d := range 3 {
			m.cent[j][d] = sums[j][d] / float64(counts[j])
		}
	}
}

// farthest returns the point farthest from its assigned centre (the
// first such point on ties).
func (m *kmeans) farthest() vec {
	best, bd := 0, -1.0
	for i, p := range m.pts {
		if d := dist2(p, m.cent[m.label[i]]); d > bd {
			best, bd = i, d
		}
	}
	return m.pts[best]
}

func (m *kmeans) inertia() float64 {
	s := 0.0
	for i, p := range m.pts {
		s += dist2(p, m.cent[m.label[i]])
	}
	return s
}

// describe computes each cluster's member means in original units, sorts
// clusters by mean monetary value (highest first, then size) and words
// them against the population. order maps k-means labels to cluster IDs.
func describe(results []RFMResult, rows []int, km kmeans, scale int32) ([]Cluster, []int, error) {
	type acc struct {
		n         int
		rec, freq int64
		mon       int64
	}
	accs := make([]acc, km.k)
	for k, i := range rows {
		a := &accs[km.label[k]]
		r := results[i]
		a.n++
		a.rec += r.RecencyDays
		a.freq += r.Frequency
		var ok bool
		if a.mon, ok = addMoney(a.mon, r.Monetary); !ok {
			return nil, nil, fmt.Errorf("%w: cluster total", ErrOverflow)
		}
	}
	clusters := make([]Cluster, km.k)
	for j, a := range accs {
		cl := Cluster{Size: a.n, Monetary: decimal.Zero}
		if a.n > 0 {
			n := float64(a.n)
			cl.RecencyDays, cl.Frequency = float64(a.rec)/n, float64(a.freq)/n
			cl.Monetary = Amount(a.mon, scale).DivRound(decimal.NewFromInt(int64(a.n)), scale)
		}
		cl.Description = words(km.cent[j], cl, scale)
		clusters[j] = cl
	}
	labels := make([]int, km.k)
	for j := range labels {
		labels[j] = j
	}
	slices.SortStableFunc(labels, func(a, b int) int {
		if c := clusters[b].Monetary.Cmp(clusters[a].Monetary); c != 0 {
			return c
		}
		return cmp.Compare(clusters[b].Size, clusters[a].Size)
	})
	order := make([]int, km.k)
	out := make([]Cluster, km.k)
	for id, j := range labels {
		order[j] = id
		out[id] = clusters[j]
		out[id].ID = id
	}
	return out, order, nil
}

// words describes a centre: each standardised coordinate below -0.5 is
// low, above 0.5 high, else average.
func words(c vec, cl Cluster, scale int32) string {
	level := func(z float64, low, mid, high string) string {
		switch {
		case z < -0.5:
			return low
		case z > 0.5:
			return high
		}
		return mid
	}
	parts := []string{
		fmt.Sprintf("%s (%.0f days)", level(c[0], "recent", "lapsing", "long inactive"), cl.RecencyDays),
		fmt.Sprintf("%s (%.1f purchases)", level(c[1], "rare", "occasional", "frequent"), cl.Frequency),
		fmt.Sprintf("%s (%s)", level(c[2], "low spend", "average spend", "high spend"), cl.Monetary.StringFixed(scale)),
	}
	return strings.Join(parts, ", ")
}
