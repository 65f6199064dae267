package referral_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flaky is the loyalty service failing the calls it is told to, as a
// crash between recording a decision and carrying it out would leave.
type flaky struct {
	*loyalty.Service
	failBonus, failAdjust int
}

var errCrash = errors.New("crash")

func (f *flaky) Bonus(ctx context.Context, r loyalty.BonusRequest) (loyalty.PointsResult, error) {
	if f.failBonus > 0 {
		f.failBonus--
		return loyalty.PointsResult{}, errCrash
	}
	return f.Service.Bonus(ctx, r)
}

func (f *flaky) Adjust(ctx context.Context, r loyalty.AdjustRequest) (loyalty.PointsResult, error) {
	if f.failAdjust > 0 {
		f.failAdjust--
		return loyalty.PointsResult{}, errCrash
	}
	return f.Service.Adjust(ctx, r)
}

// A decision interrupted before its points moved is carried out before
// the next decision: a reward decided for a later purchase and then moved
// to a late earlier one is paid once; a takeback interrupted and then
// undone by a late earlier purchase is taken and restored, once each.
func TestInterruptedDecisionsCompleteBeforeTheNext(t *testing.T) {
	for _, c := range []struct {
		name  string
		crash func(*flaky)
	}{
		{"reward interrupted", func(f *flaky) { f.failBonus = 1 }},
		{"takeback interrupted", func(f *flaky) { f.failAdjust = 1 }},
	} {
		s := newShop(t, policy())
		ctx := t.Context()
		pts := &flaky{Service: s.points}
		var err error
		s.refs, err = referral.NewService(referral.NewMemoryStore(), s.customers, pts, policy(), nil)
		require.NoError(t, err)
		s.clock.set(t0.AddDate(0, 1, 0))
		alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
		code, _ := s.refs.Code(ctx, alice.ID)
		bob := s.register(t, "Bob", "9 Huaihai Rd", t0)
		_, err = s.refs.Bind(ctx, referral.BindRequest{FriendID: bob.ID, Code: code, At: t0})
		require.NoError(t, err)
		for _, p := range []struct {
			id string
			at time.Time
		}{{"p-late", t0.AddDate(0, 0, 1)}, {"p-early", t0.Add(2 * time.Hour)}} {
			a := decimal.NewFromInt(80)
			_, err := s.customers.RecordPurchase(ctx, customer.Purchase{ID: p.id, CustomerID: bob.ID, Store: "S1", Channel: customer.ChannelInStore,
				Time: p.at, Currency: "CNY", Lines: []customer.Line{{SKU: "TEA", Quantity: decimal.NewFromInt(1), UnitPrice: a, Total: a}}})
			require.NoError(t, err)
		}
		ret := s.returnAll(t, "r-late", "p-late", t0.AddDate(0, 0, 2))

		if c.name == "reward interrupted" {
			c.crash(pts)
			_, _, err = s.refs.Qualify(ctx, "p-late")
			require.ErrorIs(t, err, errCrash, c.name)
		} else {
			_, _, err = s.refs.Qualify(ctx, "p-late")
			require.NoError(t, err)
			c.crash(pts)
			_, err = s.refs.Return(ctx, ret.ID)
			require.ErrorIs(t, err, errCrash, c.name)
		}
		f, ok, err := s.refs.Qualify(ctx, "p-early")
		require.NoError(t, err, c.name)
		assert.True(t, ok, c.name)
		assert.Equal(t, referral.StatusRewarded, f.Status, c.name)
		assert.Equal(t, "p-early", f.Purchase, c.name)
		// Every call again, as a retrying host would send them.
		_, _, err = s.refs.Qualify(ctx, "p-late")
		require.NoError(t, err)
		_, err = s.refs.Return(ctx, ret.ID)
		require.NoError(t, err)
		_, _, err = s.refs.Qualify(ctx, "p-early")
		require.NoError(t, err)
		assert.Equal(t, int64(300), s.available(t, alice.ID), "%s: paid once, net", c.name)
		assert.Equal(t, int64(150), s.available(t, bob.ID), c.name)
		h, err := s.refs.Store().GetReferrer(ctx, alice.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(1), h.Rewarded, c.name)
	}
}
