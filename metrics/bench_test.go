package metrics

import (
	"sync"
	"testing"
	"time"
)

// The big benchmarks run over one million synthetic purchases by 100,000
// customers (a fifth of sales anonymous, ~33,000 returns). They build
// ~200 MB of purchases once and are skipped under -short.
var (
	bigOnce sync.Once
	big     *synthetic
)

func bigShop(b *testing.B) *synthetic {
	if testing.Short() {
		b.Skip("one million purchases: skipped under -short")
	}
	bigOnce.Do(func() { big = newSynthetic(1_000_000, 100_000, 42) })
	return big
}

// BenchmarkStream1M is the floor: reading the stream and nothing else.
func BenchmarkStream1M(b *testing.B) {
	s := bigShop(b)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for range s.purchaseSeq() {
			n++
		}
		if n != len(s.purchases) {
			b.Fatal(n)
		}
	}
}

func BenchmarkCohortTable1M(b *testing.B) {
	s := bigShop(b)
	asOf := s.span.To
	b.ReportAllocs()
	for b.Loop() {
		t, err := Cohorts(s.purchaseSeq(), s.returnSeq(), asOf, Month, shanghai)
		if err != nil || len(t.Cohorts) == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkRepeatRate1M(b *testing.B) {
	s := bigShop(b)
	b.ReportAllocs()
	for b.Loop() {
		a, err := CustomerActivity(s.purchaseSeq(), s.span)
		if err != nil || a.Repeat.Denominator == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkSales1M(b *testing.B) {
	s := bigShop(b)
	b.ReportAllocs()
	for b.Loop() {
		r, err := SalesIn(s.purchaseSeq(), s.returnSeq(), s.span)
		if err != nil || r.Orders != len(s.purchases) {
			b.Fatal(err)
		}
	}
}

func BenchmarkRetentionInactivity1M(b *testing.B) {
	s := bigShop(b)
	w := Window{From: s.span.To.Add(-90 * 24 * time.Hour), To: s.span.To}
	rule := ChurnRule{Kind: Inactivity, InactiveDays: 90}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RetentionIn(s.purchaseSeq(), w, rule); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistoricValue1M(b *testing.B) {
	s := bigShop(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HistoricValue(s.purchaseSeq(), s.returnSeq(), s.span.To, Month, shanghai); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSatisfactionByWeek1M groups a million scores by ISO week.
func BenchmarkSatisfactionByWeek1M(b *testing.B) {
	if testing.Short() {
		b.Skip("one million scores: skipped under -short")
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	scores := make([]Score, 1_000_000)
	for i := range scores {
		scores[i] = Score{Kind: []Kind{KindNPS, KindCSAT, KindCES}[i%3], Value: 1 + i%5, Time: start.Add(time.Duration(i) * time.Minute)}
	}
	by := ByPeriod(Week, shanghai)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SatisfactionBy(seq(scores...), by, nil); err != nil {
			b.Fatal(err)
		}
	}
}
