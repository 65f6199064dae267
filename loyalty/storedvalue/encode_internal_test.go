package storedvalue

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// requireAsJSON requires v's own encoder to write what json.Marshal does.
func requireAsJSON(t *testing.T, v appender) {
	t.Helper()
	want, err := json.Marshal(v)
	require.NoError(t, err)
	got, err := v.appendJSON(nil)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

func TestEncodersMatchJSON(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 4, 5, 123456000, time.FixedZone("CST", 8*3600))
	for _, r := range []PayResult{
		{},
		{AccountID: "w:m1", PaymentID: "pos-1", Spent: Money{Paid: decimal.New(2550, -2), Bonus: decimal.New(5, -1)},
			Balance: Money{Paid: decimal.NewFromInt(1000)}, State: Committed},
		{AccountID: `a"<&>\` + "\u2028é", PaymentID: "\x7f", State: Held, Spent: Money{Paid: decimal.New(-1, 3)}},
	} {
		requireAsJSON(t, r)
	}
	for _, p := range []payment{
		{},
		{State: Held, Draws: []Draw{}},
		{State: Committed, Draws: []Draw{{Part: "t1", Kind: PaidPart, Amount: 2500}, {Part: "t1/bonus", Kind: BonusPart, Amount: 30, ExpiresAt: at}},
			Refunded: []int64{0, 30}, ExpiresAt: at.UTC()},
		{State: Released, Draws: []Draw{{Part: "<x>", Amount: -1}}, Refunded: []int64{}},
	} {
		requireAsJSON(t, p)
	}
}

// TestEncodersMatchJSONRandomly compares random values, the seed logged.
func TestEncodersMatchJSONRandomly(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	str := func() string {
		alphabet := []rune("ab-_:/\"\\<>&é\u2028\x01 ")
		r := make([]rune, rng.IntN(6))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	dec := func() decimal.Decimal { return decimal.New(rng.Int64N(2_000_000)-1_000_000, -int32(rng.IntN(5))) }
	when := func() time.Time {
		if rng.IntN(3) == 0 {
			return time.Time{}
		}
		return time.Unix(rng.Int64N(4_000_000_000), rng.Int64N(1e9)).In(time.FixedZone("", 3600*(rng.IntN(27)-12)))
	}
	for range 2000 {
		requireAsJSON(t, PayResult{AccountID: str(), PaymentID: str(), Spent: Money{Paid: dec(), Bonus: dec()},
			Balance: Money{Paid: dec(), Bonus: dec()}, State: HoldState(str())})
		p := payment{State: HoldState(str()), ExpiresAt: when()}
		if rng.IntN(4) > 0 {
			p.Draws = []Draw{}
			for range rng.IntN(4) {
				p.Draws = append(p.Draws, Draw{Part: str(), Kind: PartKind(str()), Amount: rng.Int64N(1e12) - 5e11, ExpiresAt: when()})
			}
		}
		for range rng.IntN(3) {
			p.Refunded = append(p.Refunded, rng.Int64N(1e9))
		}
		requireAsJSON(t, p)
	}
}

func FuzzEncodersMatchJSON(f *testing.F) {
	f.Add("w:m", "p1", "held", int64(2550), int32(-2), int64(1_700_000_000), "t1")
	f.Fuzz(func(t *testing.T, account, id, state string, coef int64, exp int32, unix int64, part string) {
		d := decimal.New(coef, exp%20)
		requireAsJSON(t, PayResult{AccountID: account, PaymentID: id, Spent: Money{Paid: d, Bonus: d.Neg()}, State: HoldState(state)})
		at := time.Unix(unix%4_000_000_000, 0).UTC()
		requireAsJSON(t, payment{State: HoldState(state), Draws: []Draw{{Part: part, Kind: PartKind(state), Amount: coef, ExpiresAt: at}},
			Refunded: []int64{coef}, ExpiresAt: at})
	})
}
