package lunar

import (
	"testing"
	"time"
)

func BenchmarkFromGregorian(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		day := time.Date(2000, 1, 1+i%36500, 0, 0, 0, 0, time.UTC)
		if _, err := FromGregorian(day.Year(), day.Month(), day.Day()); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkAnniversary(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, _, _, err := Anniversary(1950+i%150, 1+i%12, false, 1+i%30); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
