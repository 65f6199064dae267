package sqlite_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/coupon/coupontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCouponStore(t *testing.T) {
	coupontest.Run(t, func(t *testing.T) coupon.Store { return open(t).Coupons() })
}

// TestCouponCountersGuard: the table's CHECK is a second guard behind the
// compare-and-set. A write that carries the right versions but would take
// more uses than the code has (a service bug, or a host writing the
// store by hand) fails and leaves the code, the hold and the operation as
// they were, like any refused Save.
func TestCouponCountersGuard(t *testing.T) {
	ctx := t.Context()
	s := open(t).Coupons()
	at := time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC)
	require.NoError(t, s.AddDefinition(ctx, coupon.Definition{ID: "D1", Currency: "CNY", UsesPerCode: 2}))
	require.NoError(t, s.AddCodes(ctx, coupon.Batch{Operation: coupon.Operation{Key: "b1", Hash: "h"},
		Codes: []coupon.Code{{Code: "FLYER2", Definition: "D1", Source: coupon.SourceGeneric, Limit: 2, IssuedAt: at, Batch: "b1", Version: 1}}}))
	c, err := s.GetCode(ctx, "FLYER2")
	require.NoError(t, err)
	over := c
	over.Held, over.Version = 3, 2
	err = s.Save(ctx, coupon.Write{Code: &over, Operation: coupon.Operation{Key: "h1", Hash: "h"},
		Redemption: &coupon.Redemption{ID: "h1", Code: "FLYER2", State: coupon.StateHeld, Definition: "D1", HeldAt: at, Version: 1}})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "FLYER2", "the code stays out of errors")
	got, err := s.GetCode(ctx, "FLYER2")
	require.NoError(t, err)
	assert.Equal(t, c, got)
	_, err = s.GetRedemption(ctx, "h1")
	assert.ErrorIs(t, err, coupon.ErrNotFound)
	_, err = s.GetOperation(ctx, "h1")
	assert.ErrorIs(t, err, coupon.ErrNotFound)
}
