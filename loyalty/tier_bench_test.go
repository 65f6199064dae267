package loyalty

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// BenchmarkEvaluateTier: a member with 500 purchases over two years, two
// yearly reviews to replay.
func BenchmarkEvaluateTier500Events(b *testing.B) {
	p := tierProgram(b, func(l *TierLadder) { l.Review.GraceDays = 30 })
	loc := p.Location
	start := time.Date(2024, 1, 3, 10, 0, 0, 0, loc)
	var ev []QualifyingEvent
	for i := range 500 {
		ev = append(ev, QualifyingEvent{Time: start.Add(time.Duration(i) * 35 * time.Hour), Spend: decimal.New(int64(1000+i*7), -2), Purchases: 1})
	}
	act := QualifyingActivity{Events: ev}
	state := TierState{MemberSince: start.Add(-time.Hour)}
	now := time.Date(2026, 1, 15, 0, 0, 0, 0, loc)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := EvaluateTier(p, state, act, now); err != nil {
			b.Fatal(err)
		}
	}
}
