package metrics

import "math"

// Interval methods of uplift estimates.
const (
	// MethodWelch is the Welch interval for a difference of means:
	// d ± t(ν)·√(s₁²/n₁ + s₂²/n₂), ν by Welch–Satterthwaite (rounded down).
	MethodWelch = "welch"
	// MethodNewcombe is Newcombe's hybrid score interval for a difference
	// of proportions (method 10 of Newcombe, Statistics in Medicine 17,
	// 1998), built from the two Wilson intervals: it keeps its coverage
	// for small groups and rates near 0 or 1, where the Wald interval
	// does not.
	MethodNewcombe = "newcombe"
)

// Uplift is the effect of a treatment: the treated group's figure less
// the control group's, with a 95% interval for the difference. Relative
// is Difference over the control figure (0 when that is 0). Means of money
// are statistics here (float64 in currency units); exact totals are kept
// beside them by the callers.
type Uplift struct {
	Treated    float64  `json:"treated"`
	Control    float64  `json:"control"`
	Difference float64  `json:"difference"`
	Relative   float64  `json:"relative"`
	TreatedN   int      `json:"treatedN"`
	ControlN   int      `json:"controlN"`
	CI         Interval `json:"ci"`
}

// Significant reports whether the interval excludes zero.
func (u Uplift) Significant() bool {
	return !u.CI.IsZero() && (u.CI.Lower > 0 || u.CI.Upper < 0)
}

func (u *Uplift) relative() {
	u.Difference = u.Treated - u.Control
	if u.Control != 0 {
		u.Relative = u.Difference / math.Abs(u.Control)
	}
}

// MeanUplift is the difference of the means of two samples (a value per
// member: revenue, margin) with its Welch interval, which does not assume
// equal variances: a campaign's treated group usually spreads wider. With
// fewer than two values in either group there is no interval; with no
// spread in either, the interval is the difference itself.
func MeanUplift(treated, control []float64) Uplift {
	mt, vt := meanVar(treated)
	mc, vc := meanVar(control)
	u := Uplift{Treated: mt, Control: mc, TreatedN: len(treated), ControlN: len(control)}
	u.relative()
	nt, nc := float64(len(treated)), float64(len(control))
	if nt < 2 || nc < 2 {
		return u
	}
	a, b := vt/nt, vc/nc
	se := math.Sqrt(a + b)
	half := 0.0
	if se > 0 {
		df := (a + b) * (a + b) / (a*a/(nt-1) + b*b/(nc-1))
		half = tQuantile975(max(1, int(df))) * se
	}
	u.CI = Interval{Lower: u.Difference - half, Upper: u.Difference + half, Level: Level, Method: MethodWelch}
	return u
}

// meanVar returns the mean and the sample variance (n − 1), computed in
// two passes for accuracy.
func meanVar(xs []float64) (mean, variance float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		d := x - mean
		variance += d * d
	}
	return mean, variance / float64(len(xs)-1)
}

// RateUplift is the difference of two proportions (treated hits of
// treatedN less control hits of controlN) with Newcombe's hybrid score
// interval. Either group empty gives no interval.
func RateUplift(treatedHits, treatedN, controlHits, controlN int) Uplift {
	u := Uplift{TreatedN: treatedN, ControlN: controlN}
	if treatedN > 0 {
		u.Treated = float64(treatedHits) / float64(treatedN)
	}
	if controlN > 0 {
		u.Control = float64(controlHits) / float64(controlN)
	}
	u.relative()
	w1, w2 := WilsonInterval(treatedHits, treatedN), WilsonInterval(controlHits, controlN)
	if w1.IsZero() || w2.IsZero() {
		return u
	}
	p1, p2 := u.Treated, u.Control
	u.CI = Interval{
		Lower:  u.Difference - math.Sqrt((p1-w1.Lower)*(p1-w1.Lower)+(w2.Upper-p2)*(w2.Upper-p2)),
		Upper:  u.Difference + math.Sqrt((w1.Upper-p1)*(w1.Upper-p1)+(p2-w2.Lower)*(p2-w2.Lower)),
		Level:  Level,
		Method: MethodNewcombe,
	}
	return u
}
