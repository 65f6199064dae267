package jsonappend

import (
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestDecimalIsJSONs(t *testing.T) {
	huge, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	for _, d := range []decimal.Decimal{
		decimal.Zero, decimal.New(0, -2), decimal.New(0, 3), decimal.New(5, 3), decimal.New(-5000, -2),
		decimal.New(1, -20), decimal.New(999_999_999_999_999_999, -9), decimal.New(-1_000_000_000_000_000_000, 0),
		decimal.NewFromBigInt(huge, -4), decimal.RequireFromString("0.0001230"), decimal.New(7, 70), decimal.New(7, -70),
	} {
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(Decimal(nil, d)), "%s", d)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	for range 20_000 {
		c := rng.Int64() >> rng.IntN(63)
		if rng.IntN(2) == 0 {
			c = -c
		}
		d := decimal.New(c, int32(rng.IntN(41)-20))
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(Decimal(nil, d)), "%s (seed %d)", d, seed)
	}
}

func FuzzDecimal(f *testing.F) {
	f.Add(int64(2550), int32(-2))
	f.Fuzz(func(t *testing.T, c int64, exp int32) {
		d := decimal.New(c, exp%100)
		want, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, string(want), string(Decimal(nil, d)))
	})
}

func TestStringAndTimeAreJSONs(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\`, "<&>", "é", "\u2028", "\x00\x1f\x7f", "\xff"} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(String(nil, s)), "%q", s)
	}
	for _, tm := range []time.Time{{}, time.Date(2026, 3, 2, 10, 4, 5, 123, time.FixedZone("", 8*3600)), time.Unix(0, 1).UTC()} {
		want, err := json.Marshal(tm)
		require.NoError(t, err)
		got, err := Time(nil, tm)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	}
	_, err := Time(nil, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.Error(t, err, "a year JSON cannot write")
}
