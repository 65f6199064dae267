package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The first return of a purchase whose lot lies deep in the spending order
// (behind lots that already cover its points) reads the lot by ID: the
// purchase has no record yet to name it. Both stores give the same answer.
func TestFirstReturnOfAnOldPurchaseFindsItsLot(t *testing.T) {
	s := newTwoShops(t, freshDB(t).Loyalty())
	ctx := t.Context()
	c, err := s.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Regular"}, MemberNumber: "M-7"})
	require.NoError(t, err)
	var purchases []customer.Purchase
	for i := range 5 {
		p, err := s.customers.RecordPurchase(ctx, customer.Purchase{ID: fmt.Sprint("p", i), CustomerID: c.ID, Store: "SH-02",
			Channel: customer.ChannelInStore, Time: t0.Add(time.Duration(i) * time.Hour), Currency: "CNY",
			Lines: []customer.Line{line("RICE", "grocery", 2, "45.00")}})
		require.NoError(t, err)
		purchases = append(purchases, p)
		both(t, s, true, func(l *loyalty.Service) (loyalty.EarnResult, error) { return l.Earn(ctx, p) })
	}
	ret, err := s.customers.RecordReturn(ctx, customer.Return{ID: "r1", PurchaseID: purchases[3].ID, Store: "SH-02",
		Time: t0.Add(6 * time.Hour), Currency: "CNY", Refund: decimal.RequireFromString("45.00"),
		Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
	require.NoError(t, err)
	res := both(t, s, true, func(l *loyalty.Service) (loyalty.ReturnResult, error) { return l.Return(ctx, ret) })
	assert.Positive(t, res.Taken, "the return takes back points from the purchase's lot")
}
