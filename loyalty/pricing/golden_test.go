package pricing_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden.txt from the current engine")

// render writes everything a Result says, in order: the totals, every
// line with its shares, and every decision with its reason, amounts and
// the offer that excluded it.
func render(r pricing.Result) string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s %s %s %s|%s|%s|%s\n", r.Currency, r.Store, r.Channel, r.MemberID, r.Gross, r.Discount, r.Total)
	for i, l := range r.Lines {
		fmt.Fprintf(&s, "L%d %s %s %s %s %v:", i, l.Item.SKU, l.Gross(), l.Discount(), l.Total(), l.Item.Tags)
		for _, sh := range r.Shares(i) {
			fmt.Fprintf(&s, " %s=%s", sh.Offer, sh.Amount)
		}
		s.WriteByte('\n')
	}
	for _, d := range r.Decisions {
		fmt.Fprintf(&s, "D %q %q %s %s %q %v %s %q %s %s\n", d.Offer, d.Name, d.Kind, d.Source, d.Coupon, d.Applied, d.Reason, d.By, d.Amount(), d.Missing())
	}
	p := r.Purchase("P", "S")
	fmt.Fprintf(&s, "P %s %s %d\n", p.Total(), p.OrderDiscount, len(p.Lines))
	return s.String()
}

// goldenCase draws case i: rules and a basket from a seed of its own, of
// every size up to the benchmark's (50 lines, 20 promotions, 3 coupons).
func goldenCase(i int) (pricing.Rules, pricing.Basket) {
	r := rand.New(rand.NewPCG(uint64(i), 1515))
	var promos []pricing.Offer
	n := r.IntN(8)
	if i%5 == 0 {
		n = 20
	}
	for j := range n {
		o := randomOffer(r, fmt.Sprint("p", j))
		if i%3 == 0 {
			o.Stacking = ""
		}
		promos = append(promos, o)
	}
	lines := 1 + r.IntN(12)
	if i%5 == 0 {
		lines = 30 + r.IntN(40)
	}
	b := randomBasket(r, lines, r.IntN(5))
	if i%7 == 0 && len(b.Coupons) > 1 {
		b.Coupons[1] = b.Coupons[0] // presented twice
	}
	if i%11 == 0 && len(b.Coupons) > 0 {
		b.Coupons[0].Refused = pricing.ReasonUsedUp
	}
	return pricing.Rules{Currency: "CNY", Promotions: promos}, b
}

// TestGolden prices 3,000 drawn baskets and compares a digest of each
// complete result with testdata/golden.txt, written by the engine as it
// was before its speed work (commit a8f6248): the faster engine must give
// every result exactly as the first one did. On a mismatch the case's
// full rendering is printed.
func TestGolden(t *testing.T) {
	const cases = 3000
	var got []string
	for i := range cases {
		rules, b := goldenCase(i)
		e, err := pricing.NewEngine(rules, shanghai)
		require.NoError(t, err)
		res, err := e.Price(b)
		require.NoError(t, err, "case %d", i)
		sum := sha256.Sum256([]byte(render(res)))
		got = append(got, hex.EncodeToString(sum[:12]))
	}
	const path = "testdata/golden.txt"
	if *updateGolden {
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644))
		return
	}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 0; sc.Scan(); i++ {
		require.Less(t, i, cases)
		if sc.Text() != got[i] {
			rules, b := goldenCase(i)
			e, _ := pricing.NewEngine(rules, shanghai)
			res, _ := e.Price(b)
			t.Fatalf("case %d differs from the golden digest; now:\n%s", i, render(res))
		}
	}
	require.NoError(t, sc.Err())
}
