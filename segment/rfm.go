package segment

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/parallel"
	"github.com/shopspring/decimal"
)

// Method is how RFM scores are assigned.
type Method string

// Scoring methods.
const (
	// ByQuantiles ranks customers against each other (the default); see
	// the tie policy in the package documentation and quantileScores.
	ByQuantiles Method = "quantiles"
	// ByThresholds compares each value with fixed business thresholds, so
	// scores do not move when the rest of the customer base does.
	ByThresholds Method = "thresholds"
)

// Thresholds are fixed business cut-offs, Bins-1 per dimension, ascending.
//
//   - Recency: a customer whose last purchase was at most RecencyDays[0]
//     days ago scores Bins, at most RecencyDays[1] days ago Bins-1, ...,
//     and older than the last cut-off scores 1.
//   - Frequency and Monetary: score is 1 plus the number of cut-offs the
//     value reaches (value >= cut-off).
type Thresholds struct {
	RecencyDays []int64           `json:"recencyDays"`
	Frequency   []int64           `json:"frequency"`
	Monetary    []decimal.Decimal `json:"monetary"`
}

// RFMConfig configures RFM scoring. The zero value (or nil) means quantile
// scoring into 5 bins, the RFM11 map and minor units with 2 decimals.
type RFMConfig struct {
	Bins       int         `json:"bins,omitempty"`   // 2..9, default 5 (or the map's Bins)
	Method     Method      `json:"method,omitempty"` // default ByQuantiles
	Thresholds *Thresholds `json:"thresholds,omitempty"`
	// Map assigns segments; nil means RFM11. Its Bins must equal Bins.
	Map *SegmentMap `json:"map,omitempty"`
	// Currency (ISO 4217) fixes the minor unit of Monetary values and of
	// Thresholds.Monetary (ScaleOf); empty means two decimals.
	Currency string `json:"currency,omitempty"`
	// Workers bounds the goroutines that score the three dimensions at
	// once; 0 means runtime.GOMAXPROCS(0). Scores do not depend on it.
	// It is a property of the run, not of the analysis, so it is not
	// part of the JSON form.
	Workers int `json:"-"`
}

func (c *RFMConfig) withDefaults() RFMConfig {
	var out RFMConfig
	if c != nil {
		out = *c
	}
	if out.Map == nil {
		m := RFM11()
		out.Map = &m
	}
	if out.Bins == 0 {
		out.Bins = out.Map.Bins
	}
	if out.Method == "" {
		out.Method = ByQuantiles
	}
	return out
}

// Validate reports every problem of the configuration at once.
func (c *RFMConfig) Validate() error {
	cfg := c.withDefaults()
	_, _, err := cfg.compile()
	return err
}

// compiled thresholds in minor units, and the segment table.
type rfmPlan struct {
	cfg   RFMConfig
	table *segmentTable
	mcuts []int64
}

func (c RFMConfig) compile() (*rfmPlan, *segmentTable, error) {
	var p problems
	if c.Bins < 2 || c.Bins > MaxBins {
		p.add("rfm.bins", "is %d, want 2 to %d", c.Bins, MaxBins)
	}
	table, err := c.Map.compile()
	if err != nil {
		p = append(p, err)
	} else if c.Map.Bins != c.Bins {
		p.add("rfm.map.bins", "map %q has %d bins, scoring uses %d", c.Map.Name, c.Map.Bins, c.Bins)
	}
	plan := &rfmPlan{cfg: c, table: table}
	switch c.Method {
	case ByQuantiles:
		if c.Thresholds != nil {
			p.add("rfm.thresholds", "set but method is %s", ByQuantiles)
		}
	case ByThresholds:
		plan.mcuts = c.checkThresholds(&p)
	default:
		p.add("rfm.method", "unknown method %q", c.Method)
	}
	if err := p.err(); err != nil {
		return nil, nil, err
	}
	return plan, table, nil
}

func (c RFMConfig) checkThresholds(p *problems) []int64 {
	t := c.Thresholds
	if t == nil {
		p.add("rfm.thresholds", "missing for method %s", ByThresholds)
		return nil
	}
	want := c.Bins - 1
	checkAsc := func(field string, vals []int64) {
		if len(vals) != want {
			p.add(field, "has %d cut-offs, want %d (bins-1)", len(vals), want)
		}
		for i := 1; i < len(vals); i++ {
			if vals[i] <= vals[i-1] {
				p.add(fmt.Sprintf("%s[%d]", field, i), "not greater than the one before")
			}
		}
	}
	checkAsc("rfm.thresholds.recencyDays", t.RecencyDays)
	checkAsc("rfm.thresholds.frequency", t.Frequency)
	for i, d := range t.RecencyDays {
		if d < 0 {
			p.add(fmt.Sprintf("rfm.thresholds.recencyDays[%d]", i), "negative")
		}
	}
	mcuts := make([]int64, 0, len(t.Monetary))
	for i, d := range t.Monetary {
		v, err := ToMinor(d, ScaleOf(c.Currency))
		if err != nil {
			p.add(fmt.Sprintf("rfm.thresholds.monetary[%d]", i), "%v", err)
			continue
		}
		mcuts = append(mcuts, v)
	}
	if len(mcuts) == len(t.Monetary) {
		checkAsc("rfm.thresholds.monetary", mcuts)
	}
	return mcuts
}

// RFMScore is one customer's scores, code and segment. The zero value
// means not scored (a customer with no purchase).
type RFMScore struct {
	R, F, M uint8
	Segment string
}

// Code returns the scores as digits, e.g. "543", or "" if not scored.
func (s RFMScore) Code() string {
	if s.R == 0 {
		return ""
	}
	return string([]byte{'0' + s.R, '0' + s.F, '0' + s.M})
}

// Scored reports whether the customer was scored.
func (s RFMScore) Scored() bool { return s.R != 0 }

// RFMResult is the RFM analysis of one customer.
type RFMResult struct {
	CustomerID  string
	RecencyDays int64 // whole days from the last purchase to asOf
	Frequency   int64 // purchases
	Monetary    int64 // net minor units
	Score       RFMScore
}

// RFMReport is the result of ScoreRFM with the parameters it was computed
// with.
type RFMReport struct {
	AsOf    time.Time
	Method  Method
	Bins    int
	Map     string // name of the segment map
	Scale   int32
	Ties    string // the tie policy, in words
	Scored  int    // customers scored
	Skipped int    // customers with no purchase, not scored
	Results []RFMResult
}

// TiePolicy states how quantile scoring treats equal values.
const TiePolicy = "equal values share the score of their group's lowest rank: score = 1 + floor(bins * worse / scored)"

// ScoreRFM scores the summaries at asOf. Recency is counted in whole
// elapsed days (24-hour periods) from the last purchase to asOf, so it
// does not depend on a time zone; a last purchase after asOf counts as 0
// days. Customers with no purchase are returned unscored. Results are in
// the order of sums.
func ScoreRFM(sums []Summary, asOf time.Time, cfg *RFMConfig) (RFMReport, error) {
	c := cfg.withDefaults()
	plan, table, err := c.compile()
	if err != nil {
		return RFMReport{}, err
	}
	rep := RFMReport{AsOf: asOf, Method: c.Method, Bins: c.Bins, Map: c.Map.Name, Scale: ScaleOf(c.Currency), Ties: TiePolicy}
	if c.Method == ByThresholds {
		rep.Ties = "fixed thresholds: equal values always score alike"
	}
	rep.Results = make([]RFMResult, len(sums))
	at := asOf.Unix()
	scored := make([]int32, 0, len(sums))
	for i, s := range sums {
		r := &rep.Results[i]
		r.CustomerID, r.Frequency, r.Monetary = s.CustomerID, s.Purchases, s.Monetary
		if s.Purchases == 0 {
			continue
		}
		r.RecencyDays = max(0, (at-s.Last)/86400)
		scored = append(scored, int32(i))
	}
	rep.Scored, rep.Skipped = len(scored), len(sums)-len(scored)
	plan.score(rep.Results, scored)
	for _, i := range scored {
		s := &rep.Results[i].Score
		s.Segment = table.lookup(s.R, s.F, s.M)
	}
	return rep, nil
}

func (p *rfmPlan) score(res []RFMResult, scored []int32) {
	n := len(scored)
	if n == 0 {
		return
	}
	bins := p.cfg.Bins
	if p.cfg.Method == ByThresholds {
		t := p.cfg.Thresholds
		for _, i := range scored {
			r := &res[i]
			r.Score.R = uint8(bins - countBelow(t.RecencyDays, r.RecencyDays))
			r.Score.F = uint8(1 + countAtMost(t.Frequency, r.Frequency))
			r.Score.M = uint8(1 + countAtMost(p.mcuts, r.Monetary))
		}
		return
	}
	dims := []struct {
		get func(*RFMResult) int64
		set func(*RFMScore, uint8)
	}{
		// Monetary first: its keys are the widest (minor units: two or
		// three radix passes, against one for days and one for counts), so
		// two workers split the dimensions as M | R, F, about evenly.
		{func(r *RFMResult) int64 { return r.Monetary }, func(s *RFMScore, v uint8) { s.M = v }},
		{func(r *RFMResult) int64 { return -r.RecencyDays }, func(s *RFMScore, v uint8) { s.R = v }},
		{func(r *RFMResult) int64 { return r.Frequency }, func(s *RFMScore, v uint8) { s.F = v }},
	}
	// Each worker scores whole dimensions with its own buffers; the
	// dimensions write different fields of the results (distinct memory
	// locations), so the workers share nothing they write.
	workers := min(parallel.Workers(p.cfg.Workers), len(dims))
	parallel.Ranges(len(dims), workers, func(_, lo, hi int) {
		out := make([]uint8, n)
		var sc sortScratch
		for _, d := range dims[lo:hi] {
			// The values go straight into the sort's keys.
			sc.scoreBy(n, bins, func(k int) int64 { return d.get(&res[scored[k]]) }, out)
			for k, i := range scored {
				d.set(&res[i].Score, out[k])
			}
		}
	})
}

// countBelow counts cut-offs strictly below v.
func countBelow(cuts []int64, v int64) int {
	n := 0
	for _, c := range cuts {
		if c < v {
			n++
		}
	}
	return n
}

// countAtMost counts cut-offs at or below v.
func countAtMost(cuts []int64, v int64) int {
	n := 0
	for _, c := range cuts {
		if c <= v {
			n++
		}
	}
	return n
}
