package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/stretchr/testify/require"
)

// TestEarnAfterAStaleHolderRead: a holder read keeps the loyalty rows an
// earn of the purchase prefetches; writes that land between it and the
// prefetch (an adjustment moves the account on; another lane earns the
// same purchase) must not be lost or doubled by the earn that takes the
// kept, older rows.
func TestEarnAfterAStaleHolderRead(t *testing.T) {
	ctx := t.Context()
	db := freshDB(t)
	hooked := &hookedHolders{Store: db.Customers()}
	s := newShop(t, hooked, db.Loyalty())
	other := newShop(t, db.Customers(), db.Loyalty())
	c, err := s.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Lin Wei"}, MemberNumber: "M-1001"})
	require.NoError(t, err)
	buy := func(id string, at time.Time) customer.Purchase {
		p, err := s.customers.RecordPurchase(ctx, customer.Purchase{ID: id, CustomerID: c.ID, Store: "SH-02",
			Channel: customer.ChannelInStore, Time: at, Currency: "CNY", Lines: []customer.Line{line("TEA-500", "tea", 1, "88.00")}})
		require.NoError(t, err)
		return p
	}
	first, err := s.loyalty.Earn(ctx, buy("p1", t0))
	require.NoError(t, err)
	require.Positive(t, first.Quote.Total)

	p2 := buy("p2", t0.Add(time.Hour))
	hooked.then = func() {
		_, err := other.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: "a1", MemberID: c.ID, Points: 7, Reason: "goodwill",
			Actor: "test", At: t0.Add(2 * time.Hour)})
		require.NoError(t, err)
	}
	second, err := s.loyalty.Earn(ctx, p2)
	require.NoError(t, err)

	p3 := buy("p3", t0.Add(3*time.Hour))
	var third loyalty.EarnResult
	hooked.then = func() {
		third, err = other.loyalty.Earn(ctx, p3)
		require.NoError(t, err)
	}
	again, err := s.loyalty.Earn(ctx, p3)
	require.NoError(t, err)
	require.Equal(t, third.Entries, again.Entries, "the earn replays the one recorded meanwhile")

	bal, err := s.loyalty.Balance(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, first.Quote.Total+7+second.Quote.Total+third.Quote.Total, bal.Available)
	_, err = loyaltytest.CheckInvariants(ctx, db.Loyalty(), c.ID, nil)
	require.NoError(t, err)
}

// hookedHolders is a customer store whose GetPurchaseHolder runs then
// (once) after reading, before the caller goes on.
type hookedHolders struct {
	customer.Store
	then func()
}

func (h *hookedHolders) GetPurchaseHolder(ctx context.Context, id string) (customer.PurchaseRecord, customer.Customer, bool, error) {
	r, c, ok, err := h.Store.(customer.PurchaseHolderStore).GetPurchaseHolder(ctx, id)
	if f := h.then; f != nil {
		h.then = nil
		f()
	}
	return r, c, ok, err
}
