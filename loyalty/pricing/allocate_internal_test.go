package pricing

import (
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// allocate is the largest-remainder method as a function of its own,
// the reference spread is held to: it splits off over weights w:
// each share is floor(off × w[i] / Σw), and the minor units those floors
// leave over go one each to the lines with the largest remainders, the
// earlier line first among equal remainders. The shares sum to off
// exactly and none exceeds its weight. total must be Σw and at most
// factlimit.MaxAmountMinor (< 2^40), and off at most total. out and keys
// are scratch space of len(w).
func allocate(off, total int64, w, out []int64, keys *[]uint64) {
	clear(out)
	if off <= 0 || total <= 0 {
		return
	}
	var given int64
	ks := (*keys)[:0]
	div := newDivisor(uint64(total))
	for i, v := range w {
		if v <= 0 {
			continue
		}
		var q, r uint64
		if hi, lo := bits.Mul64(uint64(off), uint64(v)); hi == 0 {
			q, r = div.divmod(lo)
		} else {
			q, r = bits.Div64(hi, lo, uint64(total)) // hi < total: off ≤ total
		}
		out[i] = int64(q)
		given += int64(q)
		// Sort key: the largest remainder first, then the earlier line.
		// r < total < 2^40 and i < 2^11, so the key fits 51 bits and one
		// integer sort replaces a comparison closure (a third of pricing's
		// time before).
		ks = append(ks, (uint64(1<<40)-1-r)<<11|uint64(i))
	}
	*keys = ks
	left := off - given
	if left == 0 {
		return
	}
	smallest(ks, int(left))
	for _, k := range ks[:left] {
		out[k&(1<<11-1)]++
	}
}

// spread books exactly what allocate gives each line, whatever lines it
// is given and in whatever order it books them.
func TestSpreadAgreesWithTheDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 3000 {
		n := 1 + r.IntN(70)
		p := &pricer{lines: make([]line, n), decs: make([]Decision, 1), amount: make([]int64, 1), out: make([]int64, n), keys: make([]uint64, n)}
		var total int64
		for i := range p.lines {
			if r.IntN(3) > 0 {
				w := r.Int64N(1 + r.Int64N(10_000_000_000)) // Σw within factlimit.MaxAmountMinor
				p.in, p.w = append(p.in, int32(i)), append(p.w, w)
				total += w
			}
			p.lines[i].rem = 1 << 41
		}
		p.sel = len(p.in)
		off := r.Int64N(total + 2)
		if r.IntN(5) == 0 {
			off = total // every weight given in full: spread's own path
		}
		want, keys := make([]int64, len(p.w)), []uint64(nil)
		allocate(min(off, total), total, p.w, want, &keys)
		p.spread(0, off, total)
		got := make([]int64, n)
		for _, s := range p.shares {
			require.Equal(t, 0, s.decision())
			require.Zero(t, got[s.line()], "one share per line")
			require.Positive(t, s.amount())
			got[s.line()] = s.amount()
		}
		var sum int64
		for k, i := range p.in {
			require.Equal(t, want[k], got[i], "line %d", i)
			require.Equal(t, int64(1<<41)-want[k], p.lines[i].rem)
			sum += want[k]
		}
		require.Equal(t, sum, p.amount[0])
		require.Equal(t, sum > 0, p.decs[0].Applied)
	}
}

// smallest must put exactly the k smallest keys first, for every k.
func TestSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := 1 + r.IntN(60)
		keys := make([]uint64, n)
		for i := range keys {
			keys[i] = uint64(r.IntN(40))<<11 | uint64(i) // many equal remainders, distinct keys
		}
		if r.IntN(4) == 0 {
			slices.Sort(keys)
		}
		want := slices.Sorted(slices.Values(keys))
		k := r.IntN(n + 1)
		smallest(keys, k)
		got := slices.Clone(keys[:k])
		slices.Sort(got)
		require.Equal(t, want[:k], got, "n %d k %d", n, k)
	}
}

// allocate against the definition: floors, then one more unit to the
// largest remainders, earlier lines first among equals.
func TestAllocateAgainstTheDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		n := 1 + r.IntN(30)
		w := make([]int64, n)
		var total int64
		for i := range w {
			if r.IntN(5) > 0 {
				w[i] = r.Int64N(30_000_000_000) // Σw within factlimit.MaxAmountMinor, as allocate requires
			}
			total += w[i]
		}
		if total == 0 {
			continue
		}
		off := r.Int64N(total + 1)
		out, keys := make([]int64, n), make([]uint64, 0, n)
		allocate(off, total, w, out, &keys)
		// The definition, with big-enough arithmetic via float-free long division.
		want := make([]int64, n)
		type rem struct {
			r uint64
			i int
		}
		var rems []rem
		var given int64
		for i, v := range w {
			if v == 0 {
				continue
			}
			q, rr := mulDivRem(off, v, total)
			want[i], given = q, given+q
			rems = append(rems, rem{rr, i})
		}
		slices.SortStableFunc(rems, func(a, b rem) int {
			if a.r != b.r {
				if a.r > b.r {
					return -1
				}
				return 1
			}
			return a.i - b.i
		})
		for _, x := range rems[:off-given] {
			want[x.i]++
		}
		require.Equal(t, want, out)
		var sum int64
		for i, v := range out {
			require.LessOrEqual(t, v, w[i])
			sum += v
		}
		require.Equal(t, off, sum)
	}
}

// mulDivRem is a × b = q × c + r, by math/big.
func mulDivRem(a, b, c int64) (int64, uint64) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q, r := new(big.Int).QuoRem(p, big.NewInt(c), new(big.Int))
	return q.Int64(), r.Uint64()
}

// The scope index agrees with testing each scope directly.
func TestScopeIndexAgreesWithScopes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	one := func(prefix string) string {
		if r.IntN(4) == 0 {
			prefix = "x" // the same string as a SKU, a category, a brand and a tag
		}
		return prefix + string(rune('a'+r.IntN(4)))
	}
	pick := func(prefix string, n int) []string {
		var out []string
		for range r.IntN(n) {
			out = append(out, one(prefix))
		}
		return out
	}
	for range 150 {
		var promos []cOffer
		for i := range 1 + r.IntN(140) {
			o := &Offer{ID: "p", Scope: Scope{SKUs: pick("s", 3), Categories: pick("c", 2), Brands: pick("b", 2),
				ExcludeSKUs: pick("s", 2), ExcludeTags: pick("t", 2)}}
			promos = append(promos, compile(o, 2, SourcePromotion, i))
		}
		x := newScopeIndex(promos)
		items := make([]Item, 1+r.IntN(130)) // line sets of several words
		for i := range items {
			items[i] = Item{SKU: one("s"), Category: one("c"), Brand: one("b"), Tags: pick("t", 3)}
		}
		masks := x.masks(items, nil)
		sets, lw := x.lineSets(masks, len(items), nil)
		for i := range items {
			for _, c := range promos {
				want := inScopeOf(&c.o.Scope, &items[i])
				got := c.everyLine || masks[i*x.words+c.bit/64]&(1<<(c.bit%64)) != 0
				require.Equal(t, want, c.everyLine || sets[c.bit*lw+i/64]&(1<<(i%64)) != 0, "line set")
				require.Equal(t, want, got)
			}
		}
	}
}
