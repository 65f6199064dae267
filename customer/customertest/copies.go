package customertest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func copyRules() []rule {
	return []rule{
		{"Copies", "CustomerInputIsNotKept", copiesCustomerInput},
		{"Copies", "ReturnedCustomersAreCopies", copiesCustomerOutput},
		{"Copies", "PurchaseInputIsNotKept", copiesPurchaseInput},
		{"Copies", "ReturnedPurchasesAreCopies", copiesPurchaseOutput},
		{"Copies", "ReturnInputIsNotKept", copiesReturnInput},
		{"Copies", "ReturnedReturnsAreCopies", copiesReturnOutput},
	}
}

// read is one way of reading a record back, named after the method.
type read[T any] struct {
	name string
	fn   func(t *testing.T) T
}

// only requires exactly one value and returns it.
func only[T any](t *testing.T, vs []T) T {
	t.Helper()
	require.Len(t, vs, 1)
	return vs[0]
}

// scribble changes every slice and map element a customer holds, in place.
func scribble(c *customer.Customer) {
	c.Identities[0].Value = "+860000000000"
	c.Tags[0] = "scribbled"
	c.MergedFrom[0] = "scribbled"
	c.Attributes["shoe-size"] = "scribbled"
	c.Attributes["new-key"] = "scribbled"
	c.Preferences.Categories[0] = "scribbled"
	c.Preferences.Brands[0] = "scribbled"
	c.Consents[0].History[0].Source = "scribbled"
	c.Consents[0].History[0].Granted = !c.Consents[0].History[0].Granted
	c.Consents[1].Purpose = "scribbled"
}

func copiesCustomerInput(t *testing.T, s customer.Store) {
	ctx := t.Context()
	in := fullCustomer("c-1")
	require.NoError(t, s.CreateCustomer(ctx, in))
	scribble(&in)
	got, err := s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	assertCustomer(t, fullCustomer("c-1"), got)

	update := fullCustomer("c-1")
	update.Version = 2
	require.NoError(t, s.UpdateCustomer(ctx, update))
	scribble(&update)
	got, err = s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	want := fullCustomer("c-1")
	want.Version = 2
	assertCustomer(t, want, got)
}

func copiesCustomerOutput(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := fullCustomer("c-1")
	require.NoError(t, s.CreateCustomer(ctx, want))
	reads := []read[customer.Customer]{
		{"GetCustomer", func(t *testing.T) customer.Customer {
			c, err := s.GetCustomer(ctx, "c-1")
			require.NoError(t, err)
			return c
		}},
		{"CustomerByIdentity", func(t *testing.T) customer.Customer {
			c, err := s.CustomerByIdentity(ctx, want.Identities[1])
			require.NoError(t, err)
			return c
		}},
		{"Customers", func(t *testing.T) customer.Customer { return only(t, kit.Collect(t, s.Customers(ctx))) }},
		{"CustomersByNameKey", func(t *testing.T) customer.Customer {
			return only(t, kit.Collect(t, s.CustomersByNameKey(ctx, want.NameKey)))
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			c := r.fn(t)
			scribble(&c)
			got, err := s.GetCustomer(ctx, "c-1")
			require.NoError(t, err)
			assertCustomer(t, want, got)
		})
	}
}

// scribblePurchase changes every line of a purchase in place.
func scribblePurchase(p *customer.Purchase) {
	for i := range p.Lines {
		p.Lines[i].Quantity = decimal.NewFromInt(99)
		p.Lines[i].SKU = "scribbled"
		if len(p.Lines[i].Tags) > 0 {
			p.Lines[i].Tags[0] = "scribbled"
		}
	}
}

func copiesPurchaseInput(t *testing.T, s customer.Store) {
	ctx := t.Context()
	in := newPurchase("p-1", "c-1", at(0))
	require.NoError(t, s.AddPurchase(ctx, in))
	scribblePurchase(&in.Purchase)
	got, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assertPurchase(t, newPurchase("p-1", "c-1", at(0)).Purchase, got.Purchase)
}

func copiesPurchaseOutput(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := newPurchase("p-1", "c-1", at(0)).Purchase
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	reads := []read[customer.Purchase]{
		{"GetPurchase", func(t *testing.T) customer.Purchase {
			r, err := s.GetPurchase(ctx, "p-1")
			require.NoError(t, err)
			return r.Purchase
		}},
		{"PurchasesOf", func(t *testing.T) customer.Purchase { return only(t, kit.Collect(t, s.PurchasesOf(ctx, "c-1"))) }},
		{"PurchasesBetween", func(t *testing.T) customer.Purchase { return only(t, allPurchases(t, s)) }},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			p := r.fn(t)
			scribblePurchase(&p)
			got, err := s.GetPurchase(ctx, "p-1")
			require.NoError(t, err)
			assertPurchase(t, want, got.Purchase)
		})
	}
}

func scribbleReturn(r *customer.Return) {
	for i := range r.Lines {
		r.Lines[i].Line = 99
		r.Lines[i].Quantity = decimal.NewFromInt(99)
	}
}

func copiesReturnInput(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	in := newReturn("r-1", "p-1", "c-1", at(time.Hour))
	require.NoError(t, s.AddReturn(ctx, in, 1))
	scribbleReturn(&in.Return)
	got, err := s.GetReturn(ctx, "r-1")
	require.NoError(t, err)
	assertReturn(t, newReturn("r-1", "p-1", "c-1", at(time.Hour)).Return, got.Return)
}

func copiesReturnOutput(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	want := newReturn("r-1", "p-1", "c-1", at(time.Hour))
	require.NoError(t, s.AddReturn(ctx, want, 1))
	reads := []read[customer.Return]{
		{"GetReturn", func(t *testing.T) customer.Return {
			r, err := s.GetReturn(ctx, "r-1")
			require.NoError(t, err)
			return r.Return
		}},
		{"ReturnsOfPurchase", func(t *testing.T) customer.Return { return only(t, kit.Collect(t, s.ReturnsOfPurchase(ctx, "p-1"))) }},
		{"ReturnsOf", func(t *testing.T) customer.Return { return only(t, kit.Collect(t, s.ReturnsOf(ctx, "c-1"))) }},
		{"ReturnsBetween", func(t *testing.T) customer.Return { return only(t, allReturns(t, s)) }},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			ret := r.fn(t)
			scribbleReturn(&ret)
			got, err := s.GetReturn(ctx, "r-1")
			require.NoError(t, err)
			assertReturn(t, want.Return, got.Return)
		})
	}
}
