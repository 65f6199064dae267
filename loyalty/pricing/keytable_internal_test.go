package pricing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// keyTable agrees with a Go map on keys of every kind, held or not.
func TestKeyTableAgreesWithAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{0, 1, 7, 8, 9, 100, 3000} {
		type key struct {
			kind keyKind
			s    string
		}
		want := map[key]int{}
		for len(want) < n {
			k := key{keyKind(r.IntN(4)), fmt.Sprint(r.IntN(2 * n))}
			if _, ok := want[k]; !ok {
				want[k] = len(want)
			}
		}
		tb := newKeyTable(len(want))
		for k, v := range want {
			tb.put(k.kind, k.s, v)
		}
		for range 4 * n {
			k := key{keyKind(r.IntN(4)), fmt.Sprint(r.IntN(3 * n))}
			v, ok := want[k]
			if !ok {
				v = -1
			}
			require.Equal(t, v, tb.get(k.kind, k.s), "%v", k)
		}
		for k, v := range want {
			require.Equal(t, v, tb.get(k.kind, k.s))
		}
	}
}
