package customertest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func customerIDs(cs []customer.Customer) []string {
	return mapIDs(cs, func(c customer.Customer) string { return c.ID })
}

func purchaseIDs(ps []customer.Purchase) []string {
	return mapIDs(ps, func(p customer.Purchase) string { return p.ID })
}

func returnIDs(rs []customer.Return) []string {
	return mapIDs(rs, func(r customer.Return) string { return r.ID })
}

func interactionIDs(ins []customer.Interaction) []string {
	return mapIDs(ins, func(in customer.Interaction) string { return in.ID })
}

func mapIDs[T any](vs []T, id func(T) string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, id(v))
	}
	return out
}

// allPurchases lists every purchase a store holds, over a range wide enough
// for every fixture.
func allPurchases(t *testing.T, s customer.Store) []customer.Purchase {
	t.Helper()
	return kit.Collect(t, s.PurchasesBetween(t.Context(), at(-24*365*time.Hour), at(24*365*time.Hour)))
}

func allReturns(t *testing.T, s customer.Store) []customer.Return {
	t.Helper()
	return kit.Collect(t, s.ReturnsBetween(t.Context(), at(-24*365*time.Hour), at(24*365*time.Hour)))
}

// mustNotFind requires err to match customer.ErrNotFound.
func mustNotFind(t *testing.T, err error, what string) {
	t.Helper()
	require.ErrorIsf(t, err, customer.ErrNotFound, "%s: want ErrNotFound", what)
}

func assertTime(t *testing.T, want, got time.Time, field string) {
	t.Helper()
	assert.Truef(t, want.Equal(got), "%s: want %s, got %s", field, want.Format(time.RFC3339Nano), got.Format(time.RFC3339Nano))
}

func assertDecimal(t *testing.T, want, got decimal.Decimal, field string) {
	t.Helper()
	assert.Truef(t, want.Equal(got), "%s: want %s, got %s", field, want, got)
}

// assertSame compares slices, treating nil and empty as equal.
func assertSame[E any](t *testing.T, want, got []E, field string) {
	t.Helper()
	if len(want) == 0 {
		assert.Emptyf(t, got, "%s", field)
		return
	}
	assert.Equalf(t, want, got, "%s", field)
}

// assertSameMap compares maps, treating nil and empty as equal.
func assertSameMap(t *testing.T, want, got map[string]string, field string) {
	t.Helper()
	if len(want) == 0 {
		assert.Emptyf(t, got, "%s", field)
		return
	}
	assert.Equalf(t, want, got, "%s", field)
}

func assertCustomer(t *testing.T, want, got customer.Customer) {
	t.Helper()
	assert.Equal(t, want.ID, got.ID, "ID")
	assert.Equal(t, want.Version, got.Version, "Version")
	assert.Equal(t, want.Name, got.Name, "Name")
	assert.Equal(t, want.Gender, got.Gender, "Gender")
	assert.Equal(t, want.Birthday, got.Birthday, "Birthday")
	assert.Equal(t, want.Address, got.Address, "Address")
	assert.Equal(t, want.SortName, got.SortName, "SortName")
	assertSameMap(t, want.Attributes, got.Attributes, "Attributes")
	assertSame(t, want.Preferences.Categories, got.Preferences.Categories, "Preferences.Categories")
	assertSame(t, want.Preferences.Brands, got.Preferences.Brands, "Preferences.Brands")
	assert.Equal(t, want.Preferences.ContactChannel, got.Preferences.ContactChannel, "Preferences.ContactChannel")
	assert.Equal(t, want.Preferences.Language, got.Preferences.Language, "Preferences.Language")
	assertSame(t, want.Identities, got.Identities, "Identities")
	assertSame(t, want.Tags, got.Tags, "Tags")
	assertConsents(t, want.Consents, got.Consents)
	assert.Equal(t, want.RegisteredStore, got.RegisteredStore, "RegisteredStore")
	assert.Equal(t, want.RegisteredChannel, got.RegisteredChannel, "RegisteredChannel")
	assertTime(t, want.JoinedAt, got.JoinedAt, "JoinedAt")
	assert.Equal(t, want.NameKey, got.NameKey, "NameKey")
	assert.Equal(t, want.MergedInto, got.MergedInto, "MergedInto")
	assert.Equal(t, want.AbandonedMerge, got.AbandonedMerge, "AbandonedMerge")
	assert.Equal(t, want.CommittedMerge, got.CommittedMerge, "CommittedMerge")
	assertSame(t, want.MovedIdentities, got.MovedIdentities, "MovedIdentities")
	assertSame(t, want.MergedFrom, got.MergedFrom, "MergedFrom")
	assertTime(t, want.ErasedAt, got.ErasedAt, "ErasedAt")
	assert.Equal(t, want.RegistrationHash, got.RegistrationHash, "RegistrationHash (registration replays compare it)")
}

func assertConsents(t *testing.T, want, got []customer.Consent) {
	t.Helper()
	if !assert.Len(t, got, len(want), "Consents") {
		return
	}
	for i, w := range want {
		g := got[i]
		assert.Equalf(t, w.Purpose, g.Purpose, "Consents[%d].Purpose", i)
		assert.Equalf(t, w.Channel, g.Channel, "Consents[%d].Channel", i)
		if !assert.Lenf(t, g.History, len(w.History), "Consents[%d].History", i) {
			continue
		}
		for j, wc := range w.History {
			gc := g.History[j]
			assert.Equalf(t, wc.Granted, gc.Granted, "Consents[%d].History[%d].Granted", i, j)
			assertTime(t, wc.At, gc.At, "consent change time")
			assert.Equalf(t, wc.Source, gc.Source, "Consents[%d].History[%d].Source", i, j)
			assert.Equalf(t, wc.Note, gc.Note, "Consents[%d].History[%d].Note", i, j)
			assert.Equalf(t, wc.RequestID, gc.RequestID, "Consents[%d].History[%d].RequestID (consent replays find their change by it)", i, j)
		}
	}
}

func assertPurchase(t *testing.T, want, got customer.Purchase) {
	t.Helper()
	assert.Equal(t, want.ID, got.ID, "ID")
	assert.Equal(t, want.CustomerID, got.CustomerID, "CustomerID")
	assert.Equal(t, want.Store, got.Store, "Store")
	assert.Equal(t, want.Channel, got.Channel, "Channel")
	assert.Equal(t, want.Staff, got.Staff, "Staff")
	assertTime(t, want.Time, got.Time, "Time")
	assert.Equal(t, want.Currency, got.Currency, "Currency")
	assertDecimal(t, want.OrderDiscount, got.OrderDiscount, "OrderDiscount")
	assertDecimal(t, want.Tax, got.Tax, "Tax")
	if !assert.Len(t, got.Lines, len(want.Lines), "Lines") {
		return
	}
	for i, w := range want.Lines {
		g := got.Lines[i]
		assert.Equalf(t, w.SKU, g.SKU, "Lines[%d].SKU", i)
		assert.Equalf(t, w.Name, g.Name, "Lines[%d].Name", i)
		assert.Equalf(t, w.Category, g.Category, "Lines[%d].Category", i)
		assert.Equalf(t, w.Brand, g.Brand, "Lines[%d].Brand", i)
		assertSame(t, w.Tags, g.Tags, "line tags")
		assertDecimal(t, w.Quantity, g.Quantity, "line quantity")
		assertDecimal(t, w.UnitPrice, g.UnitPrice, "line unit price")
		assertDecimal(t, w.Discount, g.Discount, "line discount")
		assertDecimal(t, w.Total, g.Total, "line total")
	}
}

func assertReturn(t *testing.T, want, got customer.Return) {
	t.Helper()
	assert.Equal(t, want.ID, got.ID, "ID")
	assert.Equal(t, want.PurchaseID, got.PurchaseID, "PurchaseID")
	assert.Equal(t, want.CustomerID, got.CustomerID, "CustomerID")
	assert.Equal(t, want.Store, got.Store, "Store")
	assert.Equal(t, want.Channel, got.Channel, "Channel")
	assert.Equal(t, want.Staff, got.Staff, "Staff")
	assertTime(t, want.Time, got.Time, "Time")
	assert.Equal(t, want.Currency, got.Currency, "Currency")
	assertDecimal(t, want.Refund, got.Refund, "Refund")
	assert.Equal(t, want.Reason, got.Reason, "Reason")
	if !assert.Len(t, got.Lines, len(want.Lines), "Lines") {
		return
	}
	for i, w := range want.Lines {
		assert.Equalf(t, w.Line, got.Lines[i].Line, "Lines[%d].Line", i)
		assertDecimal(t, w.Quantity, got.Lines[i].Quantity, "return line quantity")
	}
}

func assertInteraction(t *testing.T, want, got customer.Interaction) {
	t.Helper()
	assertTime(t, want.Time, got.Time, "Time")
	want.Time, got.Time = time.Time{}, time.Time{}
	assert.Equal(t, want, got)
}

func assertMerge(t *testing.T, want, got customer.MergeRecord) {
	t.Helper()
	assertTime(t, want.At, got.At, "At")
	assertTime(t, want.AbandonedAt, got.AbandonedAt, "AbandonedAt")
	want.At, got.At = time.Time{}, time.Time{}
	want.AbandonedAt, got.AbandonedAt = time.Time{}, time.Time{}
	assert.Equal(t, want, got)
}
