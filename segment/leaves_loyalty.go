package segment

import (
	"fmt"
	"strings"
)

// Points matches loyalty members whose balance is at least Min and, if
// Max is set, at most Max.
type Points struct {
	Min int64  `json:"min"`
	Max *int64 `json:"max,omitempty"`
}

// PointsExpiring matches customers with at least Min points expiring
// after asOf and within Days days of it.
type PointsExpiring struct {
	Min  int64 `json:"min"`
	Days int   `json:"days"`
}

// RFMSegment matches customers whose RFM segment (Facts.RFM, set by
// ScoreFacts) is one of In.
type RFMSegment struct {
	In []string `json:"in"`
}

// Lifecycle matches customers whose lifecycle stage at asOf (under
// EvalOptions.Lifecycle) is one of In.
type Lifecycle struct {
	In []Stage `json:"in"`
}

// NPS matches customers whose latest NPS answer falls in one of the
// groups In.
type NPS struct {
	In []NPSGroup `json:"in"`
}

func (Points) key() string         { return "points" }
func (PointsExpiring) key() string { return "pointsExpiring" }
func (RFMSegment) key() string     { return "rfmSegment" }
func (Lifecycle) key() string      { return "lifecycle" }
func (NPS) key() string            { return "nps" }

func (n Points) check(path string, _ int, p *problems) {
	if n.Max != nil && *n.Max < n.Min {
		p.add(path+".max", "below min")
	}
}

func (n Points) compile(*env) (cnode, error) {
	cond := fmt.Sprintf("points >= %d", n.Min)
	if n.Max != nil {
		cond += fmt.Sprintf(" and <= %d", *n.Max)
	}
	return leaf{
		cond: cond,
		test: func(f *Facts) bool {
			v := f.Loyalty.Points
			return f.Loyalty.Member && v >= n.Min && (n.Max == nil || v <= *n.Max)
		},
		observe: func(f *Facts) string {
			if !f.Loyalty.Member {
				return "not a member"
			}
			return fmt.Sprintf("%d points", f.Loyalty.Points)
		},
	}, nil
}

func (n PointsExpiring) check(path string, _ int, p *problems) {
	if n.Min < 1 {
		p.add(path+".min", "is %d, want at least 1", n.Min)
	}
	checkDays(path+".days", n.Days, true, p)
}

func (n PointsExpiring) compile(e *env) (cnode, error) {
	sum := func(f *Facts) int64 { return f.Loyalty.PointsExpiringWithin(e.asOf, n.Days) }
	return leaf{
		cond:    fmt.Sprintf("points expiring within %d days >= %d", n.Days, n.Min),
		test:    func(f *Facts) bool { return sum(f) >= n.Min },
		observe: func(f *Facts) string { return fmt.Sprintf("%d points expiring", sum(f)) },
	}, nil
}

func (n RFMSegment) check(path string, _ int, p *problems) { checkList(path+".in", n.In, p) }

func (n RFMSegment) compile(*env) (cnode, error) {
	return leaf{
		cond:    "RFM segment in [" + strings.Join(n.In, ", ") + "]",
		test:    func(f *Facts) bool { return f.RFM.Scored() && inList(n.In, f.RFM.Segment) },
		observe: func(f *Facts) string { return "RFM " + orNone(f.RFM.Code()) + " " + orNone(f.RFM.Segment) },
	}, nil
}

func (n Lifecycle) check(path string, _ int, p *problems) {
	checkList(path+".in", n.In, p)
	for i, s := range n.In {
		if s != "" && !s.valid() {
			p.add(fmt.Sprintf("%s.in[%d]", path, i), "unknown stage %q", s)
		}
	}
}

func (n Lifecycle) compile(e *env) (cnode, error) {
	return leaf{
		cond:    "lifecycle stage in [" + quoteList(n.In) + "]",
		test:    func(f *Facts) bool { return inList(n.In, e.life.StageOf(f, e.asOf)) },
		observe: func(f *Facts) string { return "stage " + string(e.life.StageOf(f, e.asOf)) },
	}, nil
}

func (n NPS) check(path string, _ int, p *problems) {
	checkList(path+".in", n.In, p)
	for i, g := range n.In {
		if g != "" && g != NPSDetractor && g != NPSPassive && g != NPSPromoter {
			p.add(fmt.Sprintf("%s.in[%d]", path, i), "unknown NPS group %q", g)
		}
	}
}

func (n NPS) compile(*env) (cnode, error) {
	return leaf{
		cond:    "last NPS group in [" + quoteList(n.In) + "]",
		test:    func(f *Facts) bool { g := f.Feedback.Group(); return g != NPSNone && inList(n.In, g) },
		observe: func(f *Facts) string { return "last NPS " + orNone(string(f.Feedback.Group())) },
	}, nil
}
