package clv

import "math"

// digamma returns ψ(x), the derivative of ln Γ(x), for real x that is not a
// non-positive integer (those are poles and give NaN). It uses the
// reflection formula for x < 0, the recurrence ψ(x) = ψ(x+1) - 1/x up to
// x >= 10 and then the asymptotic series, accurate to about 1e-15.
func digamma(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, -1) {
		return math.NaN()
	}
	if x <= 0 {
		if x == math.Floor(x) {
			return math.NaN()
		}
		// ψ(x) = ψ(1-x) - π/tan(πx)
		return digamma(1-x) - math.Pi/math.Tan(math.Pi*x)
	}
	acc := 0.0
	for x < 10 {
		acc -= 1 / x
		x++
	}
	inv := 1 / x
	inv2 := inv * inv
	// Bernoulli-number series: -1/(2x) - Σ B_2k / (2k x^2k)
	series := inv2 * (1.0/12 - inv2*(1.0/120-inv2*(1.0/252-inv2*(1.0/240-inv2*(1.0/132)))))
	return acc + math.Log(x) - 0.5*inv - series
}

// lgammaSign returns ln|Γ(x)| and the sign of Γ(x); at the poles it returns
// +Inf, so exp(-lgamma) (the reciprocal gamma) is correctly zero.
func lgammaSign(x float64) (float64, float64) {
	lg, s := math.Lgamma(x)
	return lg, float64(s)
}

// softplus returns ln(1+e^z) without overflow, and the logistic sigmoid
// 1/(1+e^-z), sharing one exponential.
func softplus(z float64) (sp, sig float64) {
	if z >= 0 {
		e := math.Exp(-z)
		return z + log1p(e), 1 / (1 + e)
	}
	e := math.Exp(z)
	return log1p(e), e / (1 + e)
}

// expm1Over returns (e^(y*l) - 1)/y, which tends to l as y -> 0, without
// the cancellation of the naive quotient.
func expm1Over(y, l float64) float64 {
	u := y * l
	if math.Abs(u) < 1e-5 {
		return l * (1 + u/2 + u*u/6)
	}
	return math.Expm1(u) / y
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
