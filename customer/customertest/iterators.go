package customertest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/require"
)

func customerID(c customer.Customer) string        { return c.ID }
func purchaseID(p customer.Purchase) string        { return p.ID }
func returnID(r customer.Return) string            { return r.ID }
func interactionID(in customer.Interaction) string { return in.ID }

// listings are every iterator of the Store, each over the three records
// seedListings gives it.
var listings = []kit.Listing[customer.Store]{
	{Name: "Customers", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Customers(ctx), customerID)
	}},
	{Name: "CustomersByNameKey", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.CustomersByNameKey(ctx, "shared name"), customerID)
	}},
	{Name: "PurchasesOf", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.PurchasesOf(ctx, "c-1"), purchaseID)
	}},
	{Name: "PurchasesBetween", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.PurchasesBetween(ctx, at(-time.Hour), at(24*time.Hour)), purchaseID)
	}},
	{Name: "ReturnsOfPurchase", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.ReturnsOfPurchase(ctx, "p-1"), returnID)
	}},
	{Name: "ReturnsOf", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.ReturnsOf(ctx, "c-1"), returnID)
	}},
	{Name: "ReturnsBetween", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.ReturnsBetween(ctx, at(-time.Hour), at(24*time.Hour)), returnID)
	}},
	{Name: "InteractionsOf", Seq: func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.InteractionsOf(ctx, "c-1"), interactionID)
	}},
}

// seedListings gives every listing exactly three records.
func seedListings(t *testing.T, s customer.Store) {
	t.Helper()
	ctx := t.Context()
	for i, id := range []string{"c-1", "c-2", "c-3"} {
		c := newCustomer(id, member(i))
		c.NameKey = "shared name"
		require.NoError(t, s.CreateCustomer(ctx, c))
	}
	for i, id := range []string{"p-1", "p-2", "p-3"} {
		require.NoError(t, s.AddPurchase(ctx, newPurchase(id, "c-1", at(time.Duration(i)*time.Hour))))
	}
	for i, id := range []string{"r-1", "r-2", "r-3"} {
		require.NoError(t, s.AddReturn(ctx, newReturn(id, "p-1", "c-1", at(time.Duration(3+i)*time.Hour)), int64(1+i)))
	}
	for i, id := range []string{"i-1", "i-2", "i-3"} {
		require.NoError(t, s.AddInteraction(ctx, newInteraction(id, "c-1", at(time.Duration(i)*time.Hour))))
	}
}

func iteratorRules() []rule {
	ls := kit.Listings[customer.Store]{
		All:    listings,
		Seed:   seedListings,
		Seeded: 3,
		Write: func(t *testing.T, s customer.Store) {
			require.NoError(t, s.AddInteraction(t.Context(), newInteraction("i-after", "c-2", at(0))))
		},
	}
	var rules []rule
	for _, r := range ls.Rules() {
		rules = append(rules, rule(r))
	}
	return rules
}
