package clv

import "math"

// Interval is a parameter estimate with its standard error and a 95%
// confidence interval from the observed information (the inverse Hessian
// of the log-likelihood at the maximum). The interval is computed on the
// log scale the optimiser works in, so it is asymmetric and never crosses
// zero: [θ e^(-1.96 s), θ e^(1.96 s)] with s the standard error of ln θ.
// StdErr is the delta-method standard error of θ itself (θ s). All fields
// are NaN when the Hessian is not positive definite (a flat or boundary
// optimum), which the fit's Diagnostics.Message then mentions.
type Interval struct {
	Name         string
	Estimate     float64
	StdErr       float64
	Lower, Upper float64
}

const z95 = 1.959963984540054

// intervals differentiates the analytic gradient of the mean objective fn
// (in log-parameters) numerically at x, inverts the Hessian and scales by
// the total weight w. It reports false if the Hessian is not positive
// definite.
func intervals(fn objective, x []float64, w float64, names []string) ([]Interval, bool) {
	n := len(x)
	h := make([][]float64, n)
	xp, xm := make([]float64, n), make([]float64, n)
	gp, gm := make([]float64, n), make([]float64, n)
	for i := range n {
		h[i] = make([]float64, n)
		step := 1e-5 * math.Max(1, math.Abs(x[i]))
		copy(xp, x)
		copy(xm, x)
		xp[i] += step
		xm[i] -= step
		fn(xp, gp)
		fn(xm, gm)
		for j := range n {
			h[i][j] = (gp[j] - gm[j]) / (2 * step)
		}
	}
	for i := range n { // symmetrise
		for j := i + 1; j < n; j++ {
			v := (h[i][j] + h[j][i]) / 2
			h[i][j], h[j][i] = v, v
		}
	}
	cov, ok := invertSPD(h)
	out := make([]Interval, n)
	for i := range n {
		est := math.Exp(x[i])
		out[i] = Interval{Name: names[i], Estimate: est, StdErr: math.NaN(), Lower: math.NaN(), Upper: math.NaN()}
		if ok && cov[i][i] > 0 {
			s := math.Sqrt(cov[i][i] / w)
			out[i].StdErr = est * s
			out[i].Lower = est * math.Exp(-z95*s)
			out[i].Upper = est * math.Exp(z95*s)
		}
	}
	return out, ok
}

// invertSPD inverts a symmetric positive-definite matrix by Cholesky
// factorisation, reporting false if it is not positive definite.
func invertSPD(a [][]float64) ([][]float64, bool) {
	n := len(a)
	l := make([][]float64, n)
	for i := range l {
		l[i] = make([]float64, n)
	}
	for i := range n {
		for j := 0; j <= i; j++ {
			s := a[i][j]
			for k := range j {
				s -= l[i][k] * l[j][k]
			}
			if i == j {
				if !(s > 0) || !finite(s) {
					return nil, false
				}
				l[i][i] = math.Sqrt(s)
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	// inverse = L^-T L^-1; solve column by column.
	inv := make([][]float64, n)
	for i := range inv {
		inv[i] = make([]float64, n)
	}
	for c := range n {
		y := make([]float64, n) // L y = e_c
		for i := range n {
			s := 0.0
			if i == c {
				s = 1
			}
			for k := range i {
				s -= l[i][k] * y[k]
			}
			y[i] = s / l[i][i]
		}
		for i := n - 1; i >= 0; i-- { // L^T x = y
			s := y[i]
			for k := i + 1; k < n; k++ {
				s -= l[k][i] * inv[k][c]
			}
			inv[i][c] = s / l[i][i]
		}
	}
	return inv, true
}
