package pricing

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

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
