package ledger

import (
	"fmt"
	"testing"
	"time"
)

// benchAccount has open lots of 100 points each, expiring one a day, and a
// history of closed lots (earned, then fully spent) in front of them.
func benchAccount(b *testing.B, open, closed int) Account {
	b.Helper()
	a, err := New("bench")
	if err != nil {
		b.Fatal(err)
	}
	for i := range closed {
		at := t0.Add(time.Duration(i) * time.Minute)
		if a, _, err = a.Earn(fmt.Sprintf("c%d", i), 100, at, time.Time{}, at.Add(24*time.Hour), "p"); err != nil {
			b.Fatal(err)
		}
		if a, _, err = a.Redeem(fmt.Sprintf("r%d", i), 100, at); err != nil {
			b.Fatal(err)
		}
	}
	for i := range open {
		if a, _, err = a.Earn(fmt.Sprintf("o%d", i), 100, t0, time.Time{}, day(2+i), "q"); err != nil {
			b.Fatal(err)
		}
	}
	return a
}

// BenchmarkRedeem measures one redemption; its cost must follow the lots
// it draws (touch), not the lots held or the history.
func BenchmarkRedeem(b *testing.B) {
	for _, c := range []struct{ open, closed, touch int }{
		{100, 0, 1}, {10_000, 0, 1}, {10_000, 0, 100}, {10_000, 100_000, 1},
	} {
		b.Run(fmt.Sprintf("lots=%d/closed=%d/touch=%d", c.open, c.closed, c.touch), func(b *testing.B) {
			a := benchAccount(b, c.open, c.closed)
			points := int64(100*c.touch - 50)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := a.Redeem("R", points, day(1)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEarn(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("lots=%d", n), func(b *testing.B) {
			a := benchAccount(b, n, 0)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := a.Earn("new", 100, day(1), day(15), day(400), "p"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHoldCommit(b *testing.B) {
	a := benchAccount(b, 10_000, 0)
	b.ReportAllocs()
	for b.Loop() {
		h, _, err := a.Hold("H", 150, day(1))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := h.CommitHold("H", day(1)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExpire expires the one lot due among 10,000.
func BenchmarkExpire(b *testing.B) {
	a := benchAccount(b, 10_000, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := a.Expire(day(2)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAvailable(b *testing.B) {
	a := benchAccount(b, 10_000, 0)
	b.ReportAllocs()
	for b.Loop() {
		if a.Available(day(1)) != 1_000_000 {
			b.Fatal("wrong balance")
		}
	}
}
