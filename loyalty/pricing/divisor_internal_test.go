package pricing

import (
	"math/big"
	"testing"
)

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

// divideBy agrees with the division instruction, by the small divisors'
// table and past it.
func FuzzDivideBy(f *testing.F) {
	for _, d := range []int64{1, 2, 3, 5, 63, 64, 65, 1000} {
		for _, x := range []uint64{0, 1, uint64(d) - 1, uint64(d), 1<<40 - 1, ^uint64(0)} {
			f.Add(d, x)
		}
	}
	f.Fuzz(func(t *testing.T, d int64, x uint64) {
		if d < 1 {
			return
		}
		if q := divideBy(d, x); q != x/uint64(d) {
			t.Fatalf("%d / %d: divideBy says %d, want %d", x, d, q, x/uint64(d))
		}
	})
}

// discounted counts the units k in [0, x) with k%size >= buy, as a walk
// over the units does.
func TestDiscountedCountsTheUnits(t *testing.T) {
	for size := int64(2); size <= 9; size++ {
		for buy := int64(1); buy < size; buy++ {
			var want int64
			for x := int64(0); x <= 60; x++ {
				if got := discounted(x, newDivisor(uint64(size)), buy); got != want {
					t.Fatalf("size %d buy %d x %d: %d, want %d", size, buy, x, got, want)
				}
				if x%size >= buy {
					want++
				}
			}
		}
	}
}

// ofUnits gives mulDivRound's answer, value and verdict.
func FuzzOfUnits(f *testing.F) {
	for _, v := range []int64{0, 1, 2, 1<<40 - 1, 1 << 62, -1} {
		for _, u := range []int64{0, 1, 2, 3, 63, 64, 1000, -1} {
			f.Add(v, u/2, u)
		}
	}
	f.Fuzz(func(t *testing.T, v, part, units int64) {
		got, ok := ofUnits(v, part, units)
		want, wok := mulDivRound(v, part, units)
		if ok != wok || (ok && got != want) {
			t.Fatalf("ofUnits(%d, %d, %d) = %d, %v; mulDivRound says %d, %v", v, part, units, got, ok, want, wok)
		}
	})
}

// mulDivRound is a × b / c rounded half up, as math/big computes it, and
// false exactly when the inputs are out of its domain or the result is
// above 2^62.
func FuzzMulDivRound(f *testing.F) {
	for _, a := range []int64{0, 1, 3, 1 << 40, 1 << 62, -1} {
		for _, c := range []int64{1, 2, 3, 10_000, 1 << 40, 0, -1} {
			f.Add(a, a+1, c)
		}
	}
	f.Fuzz(func(t *testing.T, a, b, c int64) {
		got, ok := mulDivRound(a, b, c)
		if a < 0 || b < 0 || c <= 0 {
			if ok {
				t.Fatalf("mulDivRound(%d, %d, %d) accepted", a, b, c)
			}
			return
		}
		x := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
		q, r := new(big.Int).QuoRem(x, big.NewInt(c), new(big.Int))
		if r.Lsh(r, 1).Cmp(big.NewInt(c)) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		want := q.IsInt64() && q.Int64() <= 1<<62
		if ok != want || (ok && got != q.Int64()) {
			t.Fatalf("mulDivRound(%d, %d, %d) = %d, %v; want %s", a, b, c, got, ok, q)
		}
	})
}
