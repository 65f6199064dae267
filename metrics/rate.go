package metrics

// Rate is a proportion of a counted population: Numerator of Denominator
// customers, with its 95% Wilson interval (treating the population as a
// sample of the shop's customer process; the interval says how much the
// rate could move by chance alone).
type Rate struct {
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Value       float64  `json:"value"` // 0..1; 0 when Denominator is 0
	CI          Interval `json:"ci"`
}

func newRate(k, n int) Rate {
	r := Rate{Numerator: k, Denominator: n}
	if n > 0 {
		r.Value = float64(k) / float64(n)
		r.CI = WilsonInterval(k, n)
	}
	return r
}
