package metrics

import "math"

// Level is the confidence level of every interval the package reports.
const Level = 0.95

// Interval methods, as recorded in Interval.Method.
const (
	MethodWilson       = "wilson"        // Wilson score interval for a proportion
	MethodAdjustedWald = "adjusted-wald" // Rocks (2016) adjusted Wald interval for NPS
	MethodStudentT     = "student-t"     // mean ± t(n−1)·s/√n
)

// Interval is a two-sided confidence interval. The zero Interval means none
// exists (no observations, or too few for the method).
type Interval struct {
	Lower  float64 `json:"lower"`
	Upper  float64 `json:"upper"`
	Level  float64 `json:"level"`  // 0.95
	Method string  `json:"method"` // one of the Method constants
}

// IsZero reports whether no interval exists.
func (iv Interval) IsZero() bool { return iv.Method == "" }

// z975 is the standard normal quantile at 0.975, so ±z975 holds 95%.
var z975 = math.Sqrt2 * math.Erfinv(Level)

// WilsonInterval is the 95% Wilson score interval for successes out of n
// (Wilson 1927; recommended over the Wald interval by Brown, Cai &
// DasGupta 2001 because it keeps its coverage near 0 and 1 and never leaves
// [0, 1]). It is the zero Interval when n is 0 or successes is outside
// [0, n].
func WilsonInterval(successes, n int) Interval {
	if n <= 0 || successes < 0 || successes > n {
		return Interval{}
	}
	z2 := z975 * z975
	fn := float64(n)
	p := float64(successes) / fn
	denom := 1 + z2/fn
	centre := (p + z2/(2*fn)) / denom
	half := z975 / denom * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn))
	return Interval{
		Lower:  clamp(centre-half, 0, 1),
		Upper:  clamp(centre+half, 0, 1),
		Level:  Level,
		Method: MethodWilson,
	}
}

// AdjustedWaldNPS is the 95% interval for a Net Promoter Score, in NPS
// points (−100 to 100), from the counts of promoters, passives and
// detractors. It follows Rocks, "Interval Estimation for the 'Net Promoter
// Score'", The American Statistician 70(4), 2016, the method Lewis & Sauro
// (MeasuringU, "Confidence Intervals for Net Promoter Scores", 2021) also
// recommend: add pseudo-observations (¾ promoter, 1½ passive, ¾ detractor,
// three in all), then take the Wald interval of the difference of the two
// adjusted proportions, whose variance is p + d − (p − d)². The interval
// is centred on the adjusted score, not the raw one, and clipped to
// [−100, 100]. It is the zero Interval when there are no responses.
func AdjustedWaldNPS(promoters, passives, detractors int) Interval {
	n := promoters + passives + detractors
	if n <= 0 || promoters < 0 || passives < 0 || detractors < 0 {
		return Interval{}
	}
	na := float64(n) + 3
	p := (float64(promoters) + 0.75) / na
	d := (float64(detractors) + 0.75) / na
	diff := p - d
	se := math.Sqrt((p + d - diff*diff) / na)
	return Interval{
		Lower:  100 * clamp(diff-z975*se, -1, 1),
		Upper:  100 * clamp(diff+z975*se, -1, 1),
		Level:  Level,
		Method: MethodAdjustedWald,
	}
}

// meanInterval is the 95% Student-t interval for a mean from n values with
// sample standard deviation sd, clipped to [lo, hi]. With fewer than two
// values there is no interval.
func meanInterval(mean, sd float64, n int, lo, hi float64) Interval {
	if n < 2 {
		return Interval{}
	}
	half := tQuantile975(n-1) * sd / math.Sqrt(float64(n))
	return Interval{
		Lower:  clamp(mean-half, lo, hi),
		Upper:  clamp(mean+half, lo, hi),
		Level:  Level,
		Method: MethodStudentT,
	}
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
