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

func purchaseRules() []rule {
	return []rule{
		{"AddPurchase", "RoundTripsAtVersionOne", purchaseRoundTrips},
		{"AddPurchase", "AnonymousSaleIsKept", purchaseAnonymous},
		{"AddPurchase", "ReusedIDIsAlreadyExists", purchaseReusedID},
		{"GetPurchase", "MissingIsNotFound", purchaseMissing},
		{"GetPurchaseHolder", "AgreesWithTwoReads", purchaseHolderAgrees},
	}
}

// purchaseHolderAgrees: a store offering customer.PurchaseHolderStore
// returns what GetPurchase and GetCustomer return, for a purchase of a
// stored customer, an anonymous one, one naming a customer the store does
// not hold, and one never stored. Stores without it skip the rule.
func purchaseHolderAgrees(t *testing.T, s customer.Store) {
	hs, ok := s.(customer.PurchaseHolderStore)
	if !ok {
		t.Skip("the store does not implement customer.PurchaseHolderStore")
	}
	ctx := t.Context()
	c := newCustomer("c-1")
	require.NoError(t, s.CreateCustomer(ctx, c))
	for _, p := range []customer.PurchaseRecord{newPurchase("p-1", "c-1", at(0)), newPurchase("p-2", "", at(time.Minute)),
		newPurchase("p-3", "c-9", at(2*time.Minute))} {
		require.NoError(t, s.AddPurchase(ctx, p))
	}
	require.NoError(t, s.AddReturn(ctx, newReturn("r-1", "p-1", "c-1", at(time.Hour)), 1))
	for _, tc := range []struct {
		id    string
		found bool
	}{{"p-1", true}, {"p-2", false}, {"p-3", false}} {
		rec, got, found, err := hs.GetPurchaseHolder(ctx, tc.id)
		require.NoError(t, err, tc.id)
		want, err := s.GetPurchase(ctx, tc.id)
		require.NoError(t, err, tc.id)
		assertPurchase(t, want.Purchase, rec.Purchase)
		assert.Equal(t, want.Hash, rec.Hash, "%s: Hash", tc.id)
		assert.Equal(t, want.Version, rec.Version, "%s: Version", tc.id)
		require.Equal(t, tc.found, found, "%s: found", tc.id)
		if found {
			stored, err := s.GetCustomer(ctx, rec.Purchase.CustomerID)
			require.NoError(t, err)
			assertCustomer(t, stored, got)
		}
	}
	_, _, _, err := hs.GetPurchaseHolder(ctx, "p-missing")
	require.ErrorIs(t, err, customer.ErrNotFound, "a purchase never stored")
}

func purchaseRoundTrips(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := newPurchase("p-1", "c-1", at(0))
	require.NoError(t, s.AddPurchase(ctx, want))

	got, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assertPurchase(t, want.Purchase, got.Purchase)
	assert.Equal(t, want.Hash, got.Hash, "Hash")
	assert.Equal(t, int64(1), got.Version, "a new purchase is at Version 1")
	assertDecimal(t, decimal.New(2790, -2), got.Purchase.Subtotal(), "Subtotal of the stored lines")
}

func purchaseAnonymous(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := newPurchase("p-1", "", at(0))
	require.NoError(t, s.AddPurchase(ctx, want))
	got, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assertPurchase(t, want.Purchase, got.Purchase)
	assert.Equal(t, []string{"p-1"}, purchaseIDs(allPurchases(t, s)))
}

func purchaseReusedID(t *testing.T, s customer.Store) {
	ctx := t.Context()
	first := newPurchase("p-1", "c-1", at(0))
	require.NoError(t, s.AddPurchase(ctx, first))
	// A return moves the version on, so a re-add that resets it shows.
	require.NoError(t, s.AddReturn(ctx, newReturn("r-1", "p-1", "c-1", at(time.Hour)), 1))

	other := newPurchase("p-1", "c-2", at(-time.Hour))
	other.Hash = "sha256:other"
	other.Purchase.Lines = other.Purchase.Lines[:1]
	// The replay goes first: were it last, it could hide an overwrite.
	require.ErrorIs(t, s.AddPurchase(ctx, first), customer.ErrAlreadyExists, "same ID, same payload")
	require.ErrorIs(t, s.AddPurchase(ctx, other), customer.ErrAlreadyExists, "same ID, different payload")

	got, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assertPurchase(t, first.Purchase, got.Purchase)
	assert.Equal(t, first.Hash, got.Hash, "Hash")
	assert.Equal(t, int64(2), got.Version, "the rejected add reset the version")
	assert.Empty(t, kit.Collect(t, s.PurchasesOf(ctx, "c-2")), "the rejected add was indexed under its customer")
	assert.Equal(t, []string{"p-1"}, purchaseIDs(kit.Collect(t, s.PurchasesOf(ctx, "c-1"))))
	between := allPurchases(t, s)
	require.Len(t, between, 1, "the rejected add was indexed by time")
	assertTime(t, first.Purchase.Time, between[0].Time, "Time")
}

func purchaseMissing(t *testing.T, s customer.Store) {
	ctx := t.Context()
	_, err := s.GetPurchase(ctx, "p-1")
	mustNotFind(t, err, "GetPurchase on an empty store")
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	_, err = s.GetPurchase(ctx, "p-2")
	mustNotFind(t, err, "GetPurchase of an ID never added")
}

func returnRules() []rule {
	return []rule{
		{"AddReturn", "RoundTripsAndIncrementsPurchaseVersion", returnRoundTrips},
		{"AddReturn", "StaleVersionIsConflict", returnStale},
		{"AddReturn", "MissingPurchaseIsNotFound", returnMissingPurchase},
		{"AddReturn", "ReusedIDIsAlreadyExists", returnReusedID},
		{"GetReturn", "MissingIsNotFound", returnMissing},
	}
}

func returnRoundTrips(t *testing.T, s customer.Store) {
	ctx := t.Context()
	p := newPurchase("p-1", "c-1", at(0))
	require.NoError(t, s.AddPurchase(ctx, p))

	want := newReturn("r-1", "p-1", "c-1", at(time.Hour))
	require.NoError(t, s.AddReturn(ctx, want, 1))
	got, err := s.GetReturn(ctx, "r-1")
	require.NoError(t, err)
	assertReturn(t, want.Return, got.Return)
	assert.Equal(t, want.Hash, got.Hash, "Hash")

	stored, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), stored.Version, "one return moves the version from 1 to 2")
	assertPurchase(t, p.Purchase, stored.Purchase)

	require.NoError(t, s.AddReturn(ctx, newReturn("r-2", "p-1", "c-1", at(2*time.Hour)), 2))
	stored, err = s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, int64(3), stored.Version, "a second return moves it to 3")
}

func returnStale(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	require.NoError(t, s.AddReturn(ctx, newReturn("r-1", "p-1", "c-1", at(time.Hour)), 1))

	for _, v := range []int64{1, 0, 3, 7} { // stored is 2
		err := s.AddReturn(ctx, newReturn("r-2", "p-1", "c-1", at(2*time.Hour)), v)
		assert.ErrorIsf(t, err, customer.ErrConflict, "return naming version %d over stored version 2", v)
	}
	_, err := s.GetReturn(ctx, "r-2")
	mustNotFind(t, err, "a return whose add conflicted")
	stored, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), stored.Version, "a conflicting return moved the version")
	assert.Equal(t, []string{"r-1"}, returnIDs(kit.Collect(t, s.ReturnsOfPurchase(ctx, "p-1"))))
	assert.Equal(t, []string{"r-1"}, returnIDs(kit.Collect(t, s.ReturnsOf(ctx, "c-1"))))
	assert.Equal(t, []string{"r-1"}, returnIDs(allReturns(t, s)))
}

func returnMissingPurchase(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	err := s.AddReturn(ctx, newReturn("r-1", "p-2", "c-1", at(time.Hour)), 1)
	require.ErrorIs(t, err, customer.ErrNotFound)
	_, err = s.GetReturn(ctx, "r-1")
	mustNotFind(t, err, "a return of a missing purchase")
	assert.Empty(t, allReturns(t, s))
	assert.Empty(t, kit.Collect(t, s.ReturnsOf(ctx, "c-1")))
}

func returnReusedID(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-2", "c-2", at(0))))
	first := newReturn("r-1", "p-1", "c-1", at(time.Hour))
	require.NoError(t, s.AddReturn(ctx, first, 1))

	// Reusing the ID fails even when the version named is current, against
	// the same purchase or another one.
	again := newReturn("r-1", "p-1", "c-1", at(3*time.Hour))
	again.Return.Refund, again.Hash = decimal.New(1, 0), "sha256:other"
	require.ErrorIs(t, s.AddReturn(ctx, newReturn("r-1", "p-2", "c-2", at(time.Hour)), 1), customer.ErrAlreadyExists)
	require.ErrorIs(t, s.AddReturn(ctx, again, 2), customer.ErrAlreadyExists)

	got, err := s.GetReturn(ctx, "r-1")
	require.NoError(t, err)
	assertReturn(t, first.Return, got.Return)
	assert.Equal(t, first.Hash, got.Hash, "Hash")
	for id, version := range map[string]int64{"p-1": 2, "p-2": 1} {
		stored, err := s.GetPurchase(ctx, id)
		require.NoError(t, err)
		assert.Equalf(t, version, stored.Version, "version of %s after rejected returns", id)
	}
	assert.Empty(t, kit.Collect(t, s.ReturnsOfPurchase(ctx, "p-2")))
	assert.Empty(t, kit.Collect(t, s.ReturnsOf(ctx, "c-2")))
	assert.Equal(t, []string{"r-1"}, returnIDs(allReturns(t, s)))
}

func returnMissing(t *testing.T, s customer.Store) {
	ctx := t.Context()
	_, err := s.GetReturn(ctx, "r-1")
	mustNotFind(t, err, "GetReturn on an empty store")
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	require.NoError(t, s.AddReturn(ctx, newReturn("r-1", "p-1", "c-1", at(time.Hour)), 1))
	_, err = s.GetReturn(ctx, "p-1")
	mustNotFind(t, err, "GetReturn with a purchase's ID")
}
