package pricing

import "testing"

// divmod agrees with the division instruction for every dividend and
// non-zero divisor.
func FuzzDivisor(f *testing.F) {
	for _, d := range []uint64{1, 2, 3, 7, 10, 100, 1 << 32, 1<<40 - 1, 1<<63 + 1, ^uint64(0)} {
		for _, x := range []uint64{0, 1, d - 1, d, d + 1, 1 << 40, ^uint64(0) - 1, ^uint64(0)} {
			f.Add(x, d)
		}
	}
	f.Fuzz(func(t *testing.T, x, d uint64) {
		if d == 0 {
			return
		}
		q, r := newDivisor(d).divmod(x)
		if q != x/d || r != x%d {
			t.Fatalf("%d / %d: divmod says %d r %d, want %d r %d", x, d, q, r, x/d, x%d)
		}
	})
}

// percentOf gives mulDivRound's answer, value and verdict.
func FuzzPercentOf(f *testing.F) {
	for _, v := range []int64{0, 1, 4999, 5000, 1 << 40, 1<<62 + 1, -1} {
		for _, p := range []int64{0, 1, 5000, 10000, 1 << 30, -1} {
			f.Add(v, p)
		}
	}
	f.Fuzz(func(t *testing.T, v, pct int64) {
		got, ok := percentOf(v, pct)
		want, wok := mulDivRound(v, pct, 100*100)
		if ok != wok || (ok && got != want) {
			t.Fatalf("percentOf(%d, %d) = %d, %v; mulDivRound says %d, %v", v, pct, got, ok, want, wok)
		}
	})
}

// ofQuantity gives mulDivRound's and mulDivFloor's answers.
func FuzzOfQuantity(f *testing.F) {
	for _, q := range []int64{0, 1, 499_999, 500_000, 1_000_000, 1 << 50, -1} {
		for _, p := range []int64{0, 1, 99, 1 << 40, -1} {
			f.Add(q, p)
		}
	}
	f.Fuzz(func(t *testing.T, qty, price int64) {
		round, floor, ok := ofQuantity(qty, price)
		wr, wok := mulDivRound(qty, price, 1_000_000)
		wf, fok := mulDivFloor(qty, price, 1_000_000)
		if ok != wok || (ok && round != wr) || (fok && floor != wf) {
			t.Fatalf("ofQuantity(%d, %d) = %d, %d, %v; want %d, %d (%v), %v", qty, price, round, floor, ok, wr, wf, fok, wok)
		}
	})
}
