package synth

import "math"

// mix is splitmix64's finaliser: a fast, well-distributed hash that makes
// every random draw a pure function of (seed, what, index), so a purchase
// can be regenerated alone and both the full and the lean stream agree.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// draw returns a uniform uint64 for a purpose tag and two indices.
func (s *Shop) draw(tag, a, b uint64) uint64 {
	return mix(s.cfg.Seed ^ mix(tag<<56^a) ^ mix(b+0x632be59bd9b4e019))
}

// unit returns a uniform float64 in [0, 1).
func (s *Shop) unit(tag, a, b uint64) float64 {
	return float64(s.draw(tag, a, b)>>11) / (1 << 53)
}

// below returns a uniform int in [0, n).
func (s *Shop) below(tag, a, b uint64, n int) int {
	return int(s.draw(tag, a, b) % uint64(n))
}

// skewed returns an int in [0, n) biased towards 0 (density ∝ x^(1/k-1)).
func (s *Shop) skewed(tag, a, b uint64, n int, k float64) int {
	i := int(float64(n) * math.Pow(s.unit(tag, a, b), k))
	return min(i, n-1)
}

// Draw tags, so that different attributes never share a random stream.
const (
	tagCustomer uint64 = iota + 1
	tagBirthday
	tagGender
	tagCity
	tagTag
	tagConsent
	tagJoin
	tagSecond
	tagLines
	tagSKU
	tagQty
	tagStore
	tagChannel
	tagReturn
	tagReturnDelay
	tagDiscount
)
