package clv

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// Synthetic data drawn from the BG/NBD and Gamma-Gamma generative models
// with a fixed seed, for the recovery tests and the benchmarks.

// gammaVariate draws Gamma(shape, 1) by Marsaglia & Tsang (2000), boosting
// shapes below 1 with U^(1/shape).
func gammaVariate(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaVariate(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// synthBGNBD draws n customers in days: first purchases spread over a
// 12-week cohort, calibration ending on day 364. With wholeDays the
// recency is cut to whole days, as Summarize produces from real data.
func synthBGNBD(n int, m BGNBD, seed uint64, wholeDays bool) Summaries {
	return synthBGNBDVariant(n, m, seed, false, wholeDays)
}

// synthBGNBDVariant is synthBGNBD with a choice of the MBG/NBD variant
// (modified), where the dropout coin is also tossed at time 0.
func synthBGNBDVariant(n int, m BGNBD, seed uint64, modified, wholeDays bool) Summaries {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	s := Summaries{Unit: Day, Customers: make([]Summary, n)}
	for i := range s.Customers {
		lambda := gammaVariate(rng, m.R) / m.Alpha
		g1 := gammaVariate(rng, m.A)
		p := g1 / (g1 + gammaVariate(rng, m.B))
		T := float64(364 - rng.IntN(84))
		x, tx, t := 0, 0.0, 0.0
		for !modified || rng.Float64() >= p {
			t += rng.ExpFloat64() / lambda
			if t > T {
				break
			}
			x++
			tx = t
			if !modified && rng.Float64() < p {
				break
			}
		}
		if wholeDays {
			tx = math.Floor(tx)
		}
		s.Customers[i] = Summary{CustomerID: strconv.Itoa(i), Frequency: x, Recency: tx, T: T}
	}
	return s
}

// synthSpend adds Gamma-Gamma mean spends to the repeat buyers: ν ~
// Gamma(q, V) per customer, each transaction Gamma(p, ν).
func synthSpend(s Summaries, g GammaGamma, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5bed))
	for i := range s.Customers {
		c := &s.Customers[i]
		if c.Frequency == 0 {
			continue
		}
		nu := gammaVariate(rng, g.Q) / g.V
		sum := 0.0
		for range c.Frequency {
			sum += gammaVariate(rng, g.P) / nu
		}
		c.Monetary = sum / float64(c.Frequency)
	}
}

// synthParetoNBD draws n customers in days from the Pareto/NBD: λ ~
// Gamma(r, α), μ ~ Gamma(s, β), an exponential lifetime, Poisson purchases
// while alive; T as in synthBGNBD, recency cut to whole days as Summarize
// produces it.
func synthParetoNBD(n int, m ParetoNBD, seed uint64) Summaries {
	rng := rand.New(rand.NewPCG(seed, 0x9a7e))
	s := Summaries{Unit: Day, Customers: make([]Summary, n)}
	for i := range s.Customers {
		lambda := gammaVariate(rng, m.R) / m.Alpha
		mu := gammaVariate(rng, m.S) / m.Beta
		T := float64(364 - rng.IntN(84))
		end := math.Min(T, rng.ExpFloat64()/mu)
		x, tx, t := 0, 0.0, 0.0
		for {
			t += rng.ExpFloat64() / lambda
			if t > end {
				break
			}
			x++
			tx = t
		}
		s.Customers[i] = Summary{CustomerID: strconv.Itoa(i), Frequency: x, Recency: math.Floor(tx), T: T}
	}
	return s
}

// synthBGNBDWide draws n customers in days like synthBGNBD, but with first
// purchases spread over two years (T uniform on 0..729 days) and whole-day
// recencies, as the summary of a two-year till export gives: at a million
// customers about 600,000 distinct (x, t_x, T) rows, where synthBGNBD's
// 12-week cohort gives about 150,000.
func synthBGNBDWide(n int, m BGNBD, seed uint64) Summaries {
	rng := rand.New(rand.NewPCG(seed, 0x71de))
	s := Summaries{Unit: Day, Customers: make([]Summary, n)}
	for i := range s.Customers {
		lambda := gammaVariate(rng, m.R) / m.Alpha
		g1 := gammaVariate(rng, m.A)
		p := g1 / (g1 + gammaVariate(rng, m.B))
		T := float64(rng.IntN(730))
		x, tx, t := 0, 0.0, 0.0
		for {
			t += rng.ExpFloat64() / lambda
			if t > T {
				break
			}
			x++
			tx = t
			if rng.Float64() < p {
				break
			}
		}
		s.Customers[i] = Summary{CustomerID: strconv.Itoa(i), Frequency: x, Recency: math.Floor(tx), T: T}
	}
	return s
}
