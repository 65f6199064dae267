package customertest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listing is one of the store's iterators, reduced to the IDs it yields.
type listing struct {
	name string
	seq  func(ctx context.Context, s customer.Store) iter.Seq2[string, error]
}

// idsOf maps an iterator to the IDs of its values, passing a break on.
func idsOf[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if !yield(id(v), err) {
				return
			}
		}
	}
}

func customerID(c customer.Customer) string        { return c.ID }
func purchaseID(p customer.Purchase) string        { return p.ID }
func returnID(r customer.Return) string            { return r.ID }
func interactionID(in customer.Interaction) string { return in.ID }

// listings are every iterator of the Store, each over the three records
// seedListings gives it.
var listings = []listing{
	{"Customers", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.Customers(ctx), customerID)
	}},
	{"CustomersByNameKey", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.CustomersByNameKey(ctx, "shared name"), customerID)
	}},
	{"PurchasesOf", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.PurchasesOf(ctx, "c-1"), purchaseID)
	}},
	{"PurchasesBetween", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.PurchasesBetween(ctx, at(-time.Hour), at(24*time.Hour)), purchaseID)
	}},
	{"ReturnsOfPurchase", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.ReturnsOfPurchase(ctx, "p-1"), returnID)
	}},
	{"ReturnsOf", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.ReturnsOf(ctx, "c-1"), returnID)
	}},
	{"ReturnsBetween", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.ReturnsBetween(ctx, at(-time.Hour), at(24*time.Hour)), returnID)
	}},
	{"InteractionsOf", func(ctx context.Context, s customer.Store) iter.Seq2[string, error] {
		return idsOf(s.InteractionsOf(ctx, "c-1"), interactionID)
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
	var rules []rule
	for _, l := range listings {
		rules = append(rules,
			rule{"Iterators", "EarlyBreakStops/" + l.name, func(t *testing.T, s customer.Store) { earlyBreak(t, s, l) }},
			rule{"Iterators", "CancelledContextIsError/" + l.name, func(t *testing.T, s customer.Store) { cancelledBefore(t, s, l) }},
			rule{"Iterators", "CancelMidwayIsError/" + l.name, func(t *testing.T, s customer.Store) { cancelledMidway(t, s, l) }},
		)
	}
	return rules
}

// earlyBreak breaks out after the first value. An iterator that called
// yield again would make the range statement panic; one that kept a lock
// or a connection would make the full read that follows hang or fail.
func earlyBreak(t *testing.T, s customer.Store, l listing) {
	seedListings(t, s)
	ctx := t.Context()
	kit.RequireEarlyBreak(t, l.seq(ctx, s))
	ids := kit.Collect(t, l.seq(ctx, s))
	assert.Len(t, ids, 3, "the store is usable after an early break")
	// A write after the break must not wait for the abandoned iterator.
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-after", "c-2", at(0))))
}

func cancelledBefore(t *testing.T, s customer.Store, l listing) {
	seedListings(t, s)
	kit.RequireCancelledBefore(t, l.bind(s))
}

func cancelledMidway(t *testing.T, s customer.Store, l listing) {
	seedListings(t, s)
	kit.RequireCancelledMidway(t, l.bind(s))
}

// bind fixes the listing's store, leaving the context to the check.
func (l listing) bind(s customer.Store) func(context.Context) iter.Seq2[string, error] {
	return func(ctx context.Context) iter.Seq2[string, error] { return l.seq(ctx, s) }
}
