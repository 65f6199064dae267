package metrics

import (
	"errors"
	"iter"
	"math"
)

// SatisfactionOptions set the CSAT definition. The zero value (or nil) is
// a 1–5 scale with 4 and 5 counted as satisfied.
type SatisfactionOptions struct {
	// CSATScale is the top of the CSAT scale (2..10); 0 means 5.
	CSATScale int `json:"csatScale,omitempty"`
	// CSATTopBox is the lowest answer counted as satisfied; 0 means
	// CSATScale−1 (the "top two boxes").
	CSATTopBox int `json:"csatTopBox,omitempty"`
}

// resolve fills defaults and reports every problem at once.
func (o *SatisfactionOptions) resolve() (SatisfactionOptions, error) {
	var r SatisfactionOptions
	if o != nil {
		r = *o
	}
	var errs []error
	if r.CSATScale == 0 {
		r.CSATScale = 5
	}
	if r.CSATScale < 2 || r.CSATScale > 10 {
		errs = append(errs, fieldErr(ErrInvalidArgument, "options", "CSATScale", "%d is outside 2..10", r.CSATScale))
	}
	if r.CSATTopBox == 0 {
		r.CSATTopBox = r.CSATScale - 1
	}
	if r.CSATTopBox < 1 || r.CSATTopBox > r.CSATScale {
		errs = append(errs, fieldErr(ErrInvalidArgument, "options", "CSATTopBox", "%d is outside 1..CSATScale", r.CSATTopBox))
	}
	return r, errors.Join(errs...)
}

// NPSResult is a Net Promoter Score: the percentage of promoters (9–10)
// minus the percentage of detractors (0–6), from −100 to 100.
type NPSResult struct {
	N          int      `json:"n"`
	Promoters  int      `json:"promoters"`
	Passives   int      `json:"passives"`
	Detractors int      `json:"detractors"`
	Score      float64  `json:"score"` // 0 when N is 0
	CI         Interval `json:"ci"`    // adjusted Wald, in NPS points
}

// NPSFromCounts computes the score and its interval from the three counts.
// A negative count is ErrInvalidArgument naming it: no score exists for it.
func NPSFromCounts(promoters, passives, detractors int) (NPSResult, error) {
	var errs []error
	for _, c := range []struct {
		name string
		n    int
	}{{"promoters", promoters}, {"passives", passives}, {"detractors", detractors}} {
		if c.n < 0 {
			errs = append(errs, fieldErr(ErrInvalidArgument, "counts", c.name, "must not be negative"))
		}
	}
	if len(errs) > 0 {
		return NPSResult{}, errors.Join(errs...)
	}
	r := NPSResult{Promoters: promoters, Passives: passives, Detractors: detractors}
	r.N = promoters + passives + detractors
	if r.N > 0 {
		r.Score = 100 * float64(promoters-detractors) / float64(r.N)
		r.CI = AdjustedWaldNPS(promoters, passives, detractors)
	}
	return r, nil
}

// CSATResult is a customer satisfaction score: the share of answers at or
// above TopBox on a 1..Scale question.
type CSATResult struct {
	N         int      `json:"n"`
	Satisfied int      `json:"satisfied"`
	Share     float64  `json:"share"` // 0..1; 0 when N is 0
	CI        Interval `json:"ci"`    // Wilson score
	Scale     int      `json:"scale"`
	TopBox    int      `json:"topBox"`
}

// CESResult is a customer effort score: the mean answer on the 1–7 scale
// with its Student-t interval (t with N−1 degrees of freedom and the
// sample standard deviation; none when N < 2).
type CESResult struct {
	N    int      `json:"n"`
	Mean float64  `json:"mean"` // 0 when N is 0
	SD   float64  `json:"sd"`   // sample standard deviation (n−1); 0 when N < 2
	CI   Interval `json:"ci"`
}

// SatisfactionSummary holds all three scores of one set of answers, each
// from the answers of its own kind.
type SatisfactionSummary struct {
	NPS  NPSResult  `json:"nps"`
	CSAT CSATResult `json:"csat"`
	CES  CESResult  `json:"ces"`
}

// tally counts answers by value; every satisfaction figure is a function
// of these counts, so groups cost eleven integers each.
type tally struct {
	nps  [11]int
	csat [11]int
	ces  [cesMax + 1]int
}

func (t *tally) add(s Score) {
	switch s.Kind {
	case KindNPS:
		t.nps[s.Value]++
	case KindCSAT:
		t.csat[s.Value]++
	case KindCES:
		t.ces[s.Value]++
	}
}

func (t *tally) summary(o SatisfactionOptions) SatisfactionSummary {
	return SatisfactionSummary{NPS: t.npsResult(), CSAT: t.csatResult(o), CES: t.cesResult()}
}

func (t *tally) npsResult() NPSResult {
	var pro, pas, det int
	for v, c := range t.nps {
		switch {
		case v >= 9:
			pro += c
		case v >= 7:
			pas += c
		default:
			det += c
		}
	}
	r, _ := NPSFromCounts(pro, pas, det) // tallies of answers are never negative
	return r
}

func (t *tally) csatResult(o SatisfactionOptions) CSATResult {
	r := CSATResult{Scale: o.CSATScale, TopBox: o.CSATTopBox}
	for v, c := range t.csat {
		r.N += c
		if v >= o.CSATTopBox {
			r.Satisfied += c
		}
	}
	if r.N > 0 {
		r.Share = float64(r.Satisfied) / float64(r.N)
		r.CI = WilsonInterval(r.Satisfied, r.N)
	}
	return r
}

func (t *tally) cesResult() CESResult {
	var r CESResult
	var sum float64
	for v, c := range t.ces {
		r.N += c
		sum += float64(v * c)
	}
	if r.N == 0 {
		return r
	}
	r.Mean = sum / float64(r.N)
	if r.N < 2 {
		return r
	}
	var ss float64 // squares about the mean, exact from the counts
	for v, c := range t.ces {
		dv := float64(v) - r.Mean
		ss += float64(c) * dv * dv
	}
	r.SD = math.Sqrt(ss / float64(r.N-1))
	r.CI = meanInterval(r.Mean, r.SD, r.N, 1, cesMax)
	return r
}

// Satisfaction computes NPS, CSAT and CES over a stream of scores of any
// mix of kinds. A score off its scale stops the computation with an
// ErrInvalidScore error; an error from the stream is returned wrapped.
func Satisfaction(scores iter.Seq2[Score, error], opts *SatisfactionOptions) (SatisfactionSummary, error) {
	o, err := opts.resolve()
	if err != nil {
		return SatisfactionSummary{}, err
	}
	var t tally
	for s, err := range scores {
		if err != nil {
			return SatisfactionSummary{}, readErr("scores", err)
		}
		if err := s.validate(o.CSATScale); err != nil {
			return SatisfactionSummary{}, err
		}
		t.add(s)
	}
	return t.summary(o), nil
}
