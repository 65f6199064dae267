package clv

import (
	"fmt"
	"math"
)

// Gaussian hypergeometric function 2F1(a, b; c; z) for real parameters and
// real z < 1, the range the BG/NBD predictions need.
//
//   - z < 0 is mapped into (0, 1) by Pfaff's transformation
//     F(a,b;c;z) = (1-z)^-a F(a, c-b; c; z/(z-1)).
//   - 0 <= z <= hypSeriesMax: the power series, summed until the remaining
//     tail (bounded by a geometric series) is below machine precision.
//   - z > hypSeriesMax: the linear transformation to 1-z (Abramowitz &
//     Stegun 15.3.6) when s = c-a-b is not an integer, the logarithmic form
//     (DLMF 15.8.10) when it is one; the series in 1-z converge fast there.
//     When s is within hypNearInt of an integer (but not equal) the two
//     terms of 15.3.6 cancel catastrophically, so the direct series is used
//     with a large term budget instead.
//
// Every path checks convergence and returns ErrNumerical rather than a
// silently wrong number.

const (
	hypSeriesMax = 0.9
	hypNearInt   = 1e-5
	hypEps       = 1e-16
	hypMaxTerms  = 2_000_000
)

func hyp2f1(a, b, c, z float64) (float64, error) {
	if !finite(a) || !finite(b) || !finite(c) || !finite(z) || z >= 1 {
		return math.NaN(), fmt.Errorf("%w: 2F1 arguments out of range (z=%g)", ErrNumerical, z)
	}
	if c <= 0 && c == math.Floor(c) {
		return math.NaN(), fmt.Errorf("%w: 2F1 undefined for c=%g", ErrNumerical, c)
	}
	if z == 0 || a == 0 || b == 0 {
		return 1, nil
	}
	if z < 0 {
		f, err := hyp2f1(a, c-b, c, z/(z-1))
		return math.Pow(1-z, -a) * f, err
	}
	if isNonPosInt(a) || isNonPosInt(b) || z <= hypSeriesMax {
		return hypSeries(a, b, c, z, hypMaxTerms)
	}
	s := c - a - b
	m := math.Round(s)
	switch {
	case s == m:
		return hypNearOne(a, b, c, z, int(m))
	case math.Abs(s-m) < hypNearInt:
		return hypSeries(a, b, c, z, hypMaxTerms)
	}
	return hypConnection(a, b, c, z)
}

func isNonPosInt(x float64) bool { return x <= 0 && x == math.Floor(x) }

// hypSeries sums Σ (a)_n (b)_n / ((c)_n n!) z^n for 0 <= z < 1.
func hypSeries(a, b, c, z float64, maxTerms int) (float64, error) {
	sum, term, big := 1.0, 1.0, 1.0
	for n := 0; n < maxTerms; n++ {
		fn := float64(n)
		ratio := (a + fn) * (b + fn) / ((c + fn) * (fn + 1)) * z
		term *= ratio
		sum += term
		if t := math.Abs(term); t > big {
			big = t
		}
		if term == 0 {
			return sum, nil
		}
		// Once terms shrink, the tail is at most |term| r/(1-r) with r an
		// upper bound on later ratios (they tend to z).
		if r := math.Max(math.Abs(ratio), z); r < 1 {
			if math.Abs(term)*r/(1-r) <= hypEps*math.Abs(sum) {
				if big > 1e8*math.Abs(sum) {
					return math.NaN(), fmt.Errorf("%w: 2F1(%g,%g;%g;%g) series lost precision to cancellation", ErrNumerical, a, b, c, z)
				}
				return sum, nil
			}
		}
		if !finite(sum) {
			break
		}
	}
	return math.NaN(), fmt.Errorf("%w: 2F1(%g,%g;%g;%g) series did not converge", ErrNumerical, a, b, c, z)
}

// gammaRatio returns Γ(p1)Γ(p2)/(Γ(q1)Γ(q2)) computed in log space with
// signs; a pole in the denominator gives 0.
func gammaRatio(p1, p2, q1, q2 float64) float64 {
	l1, s1 := lgammaSign(p1)
	l2, s2 := lgammaSign(p2)
	l3, s3 := lgammaSign(q1)
	l4, s4 := lgammaSign(q2)
	if math.IsInf(l3, 1) || math.IsInf(l4, 1) {
		return 0
	}
	return s1 * s2 * s3 * s4 * math.Exp(l1+l2-l3-l4)
}

// hypConnection is A&S 15.3.6 for non-integer s = c-a-b.
func hypConnection(a, b, c, z float64) (float64, error) {
	w := 1 - z
	s := c - a - b
	f1, err := hypSeries(a, b, 1-s, w, hypMaxTerms)
	if err != nil {
		return math.NaN(), err
	}
	f2, err := hypSeries(c-a, c-b, 1+s, w, hypMaxTerms)
	if err != nil {
		return math.NaN(), err
	}
	t1 := gammaRatio(c, s, c-a, c-b) * f1
	t2 := math.Pow(w, s) * gammaRatio(c, -s, a, b) * f2
	r := t1 + t2
	if !finite(r) {
		return math.NaN(), fmt.Errorf("%w: 2F1(%g,%g;%g;%g) overflow near z=1", ErrNumerical, a, b, c, z)
	}
	return r, nil
}

// hypNearOne is DLMF 15.8.10 for c = a+b+m with integer m (negative m is
// first turned positive by Euler's transformation).
func hypNearOne(a, b, c, z float64, m int) (float64, error) {
	if m < 0 {
		f, err := hypNearOne(c-a, c-b, c, z, -m)
		return math.Pow(1-z, float64(m)) * f, err
	}
	w := 1 - z
	fm := float64(m)
	lc, sc := lgammaSign(c)
	// Finite part: Σ_{k<m} (a)_k (b)_k (m-k-1)! / k! (z-1)^k / (Γ(a+m)Γ(b+m)).
	finitePart := 0.0
	if m > 0 {
		la, sa := lgammaSign(a + fm)
		lb, sb := lgammaSign(b + fm)
		if !math.IsInf(la, 1) && !math.IsInf(lb, 1) {
			term := 1.0 // (a)_k (b)_k (z-1)^k / k!
			for k := 0; k < m; k++ {
				lf, _ := math.Lgamma(float64(m - k))
				finitePart += term * math.Exp(lf)
				term *= (a + float64(k)) * (b + float64(k)) / float64(k+1) * (z - 1)
			}
			finitePart *= sa * sb * sc * math.Exp(lc-la-lb)
		}
	}
	// Logarithmic series.
	la, sa := lgammaSign(a)
	lb, sb := lgammaSign(b)
	if math.IsInf(la, 1) || math.IsInf(lb, 1) {
		return finitePart, nil
	}
	lw := math.Log(w)
	lmf, _ := math.Lgamma(fm + 1)
	term := math.Exp(-lmf) // (a+m)_k (b+m)_k / (k! (k+m)!) w^k at k = 0
	psi1, psi2 := digamma(1), digamma(fm+1)
	psiA, psiB := digamma(a+fm), digamma(b+fm)
	sum := 0.0
	for k := 0; k < hypMaxTerms; k++ {
		fk := float64(k)
		inc := term * (lw - psi1 - psi2 + psiA + psiB)
		sum += inc
		// Both the increment and the bare term must be negligible: the
		// bracket can pass near zero at one k while later terms still count.
		if k > 0 && math.Abs(inc) <= hypEps*math.Abs(sum) && math.Abs(term)*(1+math.Abs(lw)) <= hypEps*math.Abs(sum) {
			pre := sc * sa * sb * math.Exp(lc-la-lb) * math.Pow(z-1, fm)
			r := finitePart - pre*sum
			if !finite(r) {
				break
			}
			return r, nil
		}
		// Advance the digamma values by their recurrences.
		psi1 += 1 / (fk + 1)
		psi2 += 1 / (fk + fm + 1)
		psiA += 1 / (a + fk + fm)
		psiB += 1 / (b + fk + fm)
		term *= (a + fm + fk) * (b + fm + fk) / ((fk + 1) * (fk + fm + 1)) * w
	}
	return math.NaN(), fmt.Errorf("%w: 2F1(%g,%g;%g;%g) logarithmic series did not converge", ErrNumerical, a, b, c, z)
}
