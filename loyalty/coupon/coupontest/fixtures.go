package coupontest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// t0 is the kit's clock: a microsecond-exact instant in Shanghai.
var t0 = time.Date(2026, 3, 8, 10, 0, 0, 123456000, time.FixedZone("CST", 8*3600))

// definition is a "20 off 100" coupon with the given limits.
func definition(id string, uses, perCustomer int64) coupon.Definition {
	return coupon.Definition{ID: id, Currency: "CNY", UsesPerCode: uses, PerCustomer: perCustomer,
		Offer: pricing.Offer{ID: id, Name: "20 off 100", Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(20),
			MinSpend: decimal.NewFromInt(100), Scope: pricing.Scope{Categories: []string{"tea"}}}}
}

// code is a header as the service makes one.
func code(c, def string, limit int64) coupon.Code {
	return coupon.Code{Code: c, Definition: def, Source: coupon.SourceImported, Limit: limit, IssuedAt: t0, Batch: "B-" + c}
}

func op(key string) coupon.Operation {
	return coupon.Operation{Key: key, Hash: "h-" + key, Result: []byte(`{"key":"` + key + `"}`)}
}

// seed stores a definition and codes (each its own batch) and returns them.
func seed(t *testing.T, s coupon.Store, def string, limit int64, codes ...string) []coupon.Code {
	t.Helper()
	ctx := t.Context()
	if _, err := s.GetDefinition(ctx, def); err != nil {
		require.NoError(t, s.AddDefinition(ctx, definition(def, limit, 0)))
	}
	out := make([]coupon.Code, len(codes))
	for i, c := range codes {
		out[i] = code(c, def, limit)
		require.NoError(t, s.AddCodes(ctx, coupon.Batch{Codes: []coupon.Code{out[i]}, Operation: op("add:" + c)}))
		out[i].Version = 1
	}
	return out
}

// hold is the write of one hold of c by customer under id.
func hold(c coupon.Code, id string) coupon.Write {
	c.Held++
	c.Version++
	return coupon.Write{Code: &c, Redemption: &coupon.Redemption{ID: id, Code: c.Code, State: coupon.StateHeld,
		Definition: c.Definition, HeldAt: t0, Version: 1}, Operation: op("hold:" + id)}
}

func getCode(t *testing.T, s coupon.Store, c string) coupon.Code {
	t.Helper()
	got, err := s.GetCode(t.Context(), c)
	require.NoError(t, err)
	return got
}

func requireNoOperation(t *testing.T, s coupon.Store, key string) {
	t.Helper()
	_, err := s.GetOperation(t.Context(), key)
	require.ErrorIs(t, err, coupon.ErrNotFound, "operation %s was recorded", key)
}

// service returns a coupon service over s with a seeded code source.
func service(s coupon.Store) *coupon.Service {
	return coupon.NewService(s, &coupon.Options{Random: &counter{}})
}

// counter is a deterministic stand-in for crypto/rand: distinct bytes on
// every read, so codes differ.
type counter struct{ n uint64 }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		c.n++
		p[i] = byte(c.n*2654435761>>13) ^ byte(c.n>>5)
	}
	return len(p), nil
}

func name(i int) string { return fmt.Sprintf("%03d", i) }
