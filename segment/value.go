package segment

import (
	"fmt"
	"math/bits"

	"github.com/shopspring/decimal"
)

// ValueClass is a customer's value class.
type ValueClass string

// Value classes.
const (
	ValueHigh   ValueClass = "high"
	ValueMedium ValueClass = "medium"
	ValueLow    ValueClass = "low"
)

// ValueConfig assigns value classes either by cumulative share of revenue
// (Pareto, the default: the customers who make the first HighPercent of
// revenue are high, the next MediumPercent medium, the rest low) or, when
// Thresholds is set, by monetary value (>= High is high, >= Medium is
// medium).
type ValueConfig struct {
	HighPercent   int              `json:"highPercent,omitempty"`   // default 80
	MediumPercent int              `json:"mediumPercent,omitempty"` // default 15
	Thresholds    *ValueThresholds `json:"thresholds,omitempty"`
	Currency      string           `json:"currency,omitempty"` // minor unit of Thresholds (ScaleOf); empty means two decimals
}

// ValueThresholds are monetary cut-offs for value classes.
type ValueThresholds struct {
	High   decimal.Decimal `json:"high"`
	Medium decimal.Decimal `json:"medium"`
}

// ValueResult is the class of one customer.
type ValueResult struct {
	CustomerID string
	Monetary   int64 // net minor units
	Class      ValueClass
}

// ValueClasses classes each summary. With the Pareto method customers are
// ranked by monetary value, largest first; a customer is high if the
// customers strictly ahead of them made less than HighPercent of total
// positive revenue, medium if less than HighPercent+MediumPercent, else
// low. Equal monetary values therefore get the same class (ties take the
// class of the first of the group), and customers with zero or negative
// net value are always low. Shares are compared in exact integers.
func ValueClasses(sums []Summary, cfg *ValueConfig) ([]ValueResult, error) {
	c := ValueConfig{HighPercent: 80, MediumPercent: 15}
	if cfg != nil {
		c = *cfg
		if c.Thresholds == nil && c.HighPercent == 0 && c.MediumPercent == 0 {
			c.HighPercent, c.MediumPercent = 80, 15
		}
	}
	out := make([]ValueResult, len(sums))
	for i, s := range sums {
		out[i] = ValueResult{CustomerID: s.CustomerID, Monetary: s.Monetary, Class: ValueLow}
	}
	if c.Thresholds != nil {
		return out, c.byThresholds(out)
	}
	if err := c.checkShares(); err != nil {
		return nil, err
	}
	if err := c.byShare(out); err != nil {
		return nil, err
	}
	return out, nil
}

func (c ValueConfig) checkShares() error {
	var p problems
	highOK := c.HighPercent > 0 && c.HighPercent < 100
	if !highOK {
		p.add("value.highPercent", "is %d, want 1 to 99", c.HighPercent)
	}
	// MediumPercent is measured against a sound HighPercent only: with
	// HighPercent wrong, only its own range is checked.
	switch {
	case c.MediumPercent < 0 || c.MediumPercent > 99:
		p.add("value.mediumPercent", "is %d, want 0 to 99", c.MediumPercent)
	case highOK && c.HighPercent+c.MediumPercent > 100:
		p.add("value.mediumPercent", "is %d, want 0 to %d", c.MediumPercent, 100-c.HighPercent)
	}
	return p.err()
}

func (c ValueConfig) byThresholds(out []ValueResult) error {
	var p problems
	hi, err := ToMinor(c.Thresholds.High, ScaleOf(c.Currency))
	if err != nil {
		p.add("value.thresholds.high", "%v", err)
	}
	mid, err := ToMinor(c.Thresholds.Medium, ScaleOf(c.Currency))
	if err != nil {
		p.add("value.thresholds.medium", "%v", err)
	}
	if len(p) == 0 && mid > hi {
		p.add("value.thresholds.medium", "above high")
	}
	if err := p.err(); err != nil {
		return err
	}
	for i := range out {
		switch m := out[i].Monetary; {
		case m >= hi:
			out[i].Class = ValueHigh
		case m >= mid:
			out[i].Class = ValueMedium
		}
	}
	return nil
}

// byShare ranks by monetary value with the radix sort of quantile
// scoring and compares shares exactly in 128-bit integers:
// 100·ahead < percent·total.
func (c ValueConfig) byShare(out []ValueResult) error {
	vals := make([]int64, len(out))
	var total uint64
	for i, r := range out {
		vals[i] = -r.Monetary // ascending keys = descending money
		if r.Monetary > 0 {
			var carry uint64
			total, carry = bits.Add64(total, uint64(r.Monetary), 0)
			if carry != 0 {
				return fmt.Errorf("%w: total revenue", ErrOverflow)
			}
		}
	}
	if len(out) == 0 || total == 0 {
		return nil
	}
	keys, idx := new(sortScratch).sortedIndex(vals)
	below := func(ahead uint64, pct int) bool {
		ah, al := bits.Mul64(ahead, 100)
		th, tl := bits.Mul64(total, uint64(pct))
		return ah < th || (ah == th && al < tl)
	}
	var ahead uint64 // revenue of the customers strictly ahead
	for start := 0; start < len(keys); {
		end := start + 1
		for end < len(keys) && keys[end] == keys[start] {
			end++
		}
		m := out[idx[start]].Monetary
		if m <= 0 {
			break // the rest are low
		}
		class := ValueLow
		switch {
		case below(ahead, c.HighPercent):
			class = ValueHigh
		case below(ahead, c.HighPercent+c.MediumPercent):
			class = ValueMedium
		}
		for _, j := range idx[start:end] {
			out[j].Class = class
		}
		ahead += uint64(m) * uint64(end-start) // at most total: no overflow
		start = end
	}
	return nil
}
