package customertest

import (
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func customerRules() []rule {
	return []rule{
		{"CreateCustomer", "RoundTripsEveryField", createRoundTrips},
		{"CreateCustomer", "DuplicateIDIsAlreadyExists", createDuplicateID},
		{"CreateCustomer", "TakenIdentityIsIdentityTaken", createTakenIdentity},
		{"CreateCustomer", "IdentityKeyIncludesKind", createIdentityKeyIncludesKind},
		{"GetCustomer", "MissingIsNotFound", getMissingCustomer},
		{"CustomerByIdentity", "FindsHolder", byIdentityFindsHolder},
		{"CustomerByIdentity", "UnknownIsNotFound", byIdentityUnknown},
	}
}

func createRoundTrips(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := fullCustomer("c-1")
	require.NoError(t, s.CreateCustomer(ctx, want))

	got, err := s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	assertCustomer(t, want, got)
	assert.Equal(t, int64(1), got.Version, "a new customer is at Version 1")
}

func createDuplicateID(t *testing.T, s customer.Store) {
	ctx := t.Context()
	first := newCustomer("c-1", phone(1))
	require.NoError(t, s.CreateCustomer(ctx, first))

	second := newCustomer("c-1", phone(2), email(2))
	second.Name, second.NameKey = "Someone Else", "someone else"
	err := s.CreateCustomer(ctx, second)
	require.ErrorIs(t, err, customer.ErrAlreadyExists)

	got, err := s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	assertCustomer(t, first, got)
	for _, id := range second.Identities {
		_, err := s.CustomerByIdentity(ctx, id)
		assert.ErrorIsf(t, err, customer.ErrNotFound, "the failed create claimed its %s identity", id.Kind)
	}
	assert.Empty(t, kit.Collect(t, s.CustomersByNameKey(ctx, "someone else")), "the failed create indexed its name key")
}

func createTakenIdentity(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1", phone(1))))

	// The taken identity comes last, so a store that claims identities one
	// by one must undo the claims before it.
	late := newCustomer("c-2", email(2), member(2), phone(1))
	err := s.CreateCustomer(ctx, late)
	require.ErrorIs(t, err, customer.ErrIdentityTaken)

	_, err = s.GetCustomer(ctx, "c-2")
	mustNotFind(t, err, "the customer whose create failed")
	for _, id := range late.Identities[:2] {
		_, err := s.CustomerByIdentity(ctx, id)
		assert.ErrorIsf(t, err, customer.ErrNotFound, "the failed create claimed its %s identity", id.Kind)
	}
	holder, err := s.CustomerByIdentity(ctx, phone(1))
	require.NoError(t, err)
	assert.Equal(t, "c-1", holder.ID, "the phone moved to the customer whose create failed")
	assert.Equal(t, []string{"c-1"}, customerIDs(kit.Collect(t, s.Customers(ctx))))
	assert.Empty(t, kit.Collect(t, s.CustomersByNameKey(ctx, late.NameKey)), "the failed create indexed its name key")

	// With the clash removed, the same customer can be created.
	late.Identities = late.Identities[:2]
	require.NoError(t, s.CreateCustomer(ctx, late))
}

func createIdentityKeyIncludesKind(t *testing.T, s customer.Store) {
	ctx := t.Context()
	// The same value under two kinds is two identities (Identity.Key).
	asMember := customer.Identity{Kind: customer.IdentityMember, Value: "13800138000"}
	asExternal := customer.Identity{Kind: customer.IdentityExternal, Value: "13800138000"}
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1", asMember)))
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-2", asExternal)))

	got, err := s.CustomerByIdentity(ctx, asExternal)
	require.NoError(t, err)
	assert.Equal(t, "c-2", got.ID)
	got, err = s.CustomerByIdentity(ctx, asMember)
	require.NoError(t, err)
	assert.Equal(t, "c-1", got.ID)
}

func getMissingCustomer(t *testing.T, s customer.Store) {
	ctx := t.Context()
	_, err := s.GetCustomer(ctx, "c-missing")
	mustNotFind(t, err, "GetCustomer on an empty store")

	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1")))
	_, err = s.GetCustomer(ctx, "c-2")
	mustNotFind(t, err, "GetCustomer of an ID never created")
}

func byIdentityFindsHolder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := fullCustomer("c-1")
	require.NoError(t, s.CreateCustomer(ctx, want))
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-2", phone(2))))

	for _, id := range want.Identities {
		got, err := s.CustomerByIdentity(ctx, id)
		require.NoErrorf(t, err, "by its %s identity", id.Kind)
		assertCustomer(t, want, got)
	}
}

func byIdentityUnknown(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1", phone(1))))
	_, err := s.CustomerByIdentity(ctx, phone(2))
	mustNotFind(t, err, "an identity nobody holds")
	_, err = s.CustomerByIdentity(ctx, customer.Identity{Kind: customer.IdentityEmail, Value: phone(1).Value})
	mustNotFind(t, err, "a held value under another kind")
}

func updateRules() []rule {
	return []rule{
		{"UpdateCustomer", "ReplacesRecordAtNextVersion", updateReplaces},
		{"UpdateCustomer", "StaleVersionIsConflict", updateStale},
		{"UpdateCustomer", "MissingIsNotFound", updateMissing},
		{"UpdateCustomer", "TakenIdentityIsIdentityTaken", updateTakenIdentity},
		{"UpdateCustomer", "KeepingOwnIdentitiesIsAllowed", updateKeepsOwnIdentities},
		{"UpdateCustomer", "DroppedIdentitiesAreReleased", updateReleasesIdentities},
		{"UpdateCustomer", "NameKeyIsReindexed", updateReindexesName},
	}
}

func updateReplaces(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1", phone(1))))

	next := fullCustomer("c-1")
	next.Version = 2
	next.ErasedAt = at(0).In(newYork)
	require.NoError(t, s.UpdateCustomer(ctx, next))
	got, err := s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	assertCustomer(t, next, got)

	// And again from the version just written.
	next.Version = 3
	next.Tags = []string{"lapsed"}
	next.Identities = next.Identities[:1]
	require.NoError(t, s.UpdateCustomer(ctx, next))
	got, err = s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	assertCustomer(t, next, got)
}

func updateStale(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1", phone(1))))
	won := newCustomer("c-1", phone(1))
	won.Version, won.Name = 2, "First Writer"
	require.NoError(t, s.UpdateCustomer(ctx, won))

	for _, v := range []int64{2, 1, 0, 4, 10} { // stored is 2, so only 3 would do
		lost := newCustomer("c-1", phone(1), email(9))
		lost.Version, lost.Name = v, "Late Writer"
		err := s.UpdateCustomer(ctx, lost)
		assert.ErrorIsf(t, err, customer.ErrConflict, "update naming version %d over stored version 2", v)
	}
	got, err := s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	assertCustomer(t, won, got)
	_, err = s.CustomerByIdentity(ctx, email(9))
	mustNotFind(t, err, "an identity only a conflicting update listed")
}

func updateMissing(t *testing.T, s customer.Store) {
	ctx := t.Context()
	c := newCustomer("c-1", phone(1))
	c.Version = 2
	require.ErrorIs(t, s.UpdateCustomer(ctx, c), customer.ErrNotFound)
	_, err := s.GetCustomer(ctx, "c-1")
	mustNotFind(t, err, "a customer whose update failed")
	_, err = s.CustomerByIdentity(ctx, phone(1))
	mustNotFind(t, err, "the identity of a customer whose update failed")
}

func updateTakenIdentity(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1", phone(1))))
	before := newCustomer("c-2", email(2))
	require.NoError(t, s.CreateCustomer(ctx, before))

	grab := newCustomer("c-2", member(2), phone(1)) // drops email(2), takes c-1's phone
	grab.Version, grab.Name, grab.NameKey = 2, "Renamed", "renamed"
	require.ErrorIs(t, s.UpdateCustomer(ctx, grab), customer.ErrIdentityTaken)

	got, err := s.GetCustomer(ctx, "c-2")
	require.NoError(t, err)
	assertCustomer(t, before, got)
	holder, err := s.CustomerByIdentity(ctx, email(2))
	require.NoError(t, err, "the failed update released an identity")
	assert.Equal(t, "c-2", holder.ID)
	holder, err = s.CustomerByIdentity(ctx, phone(1))
	require.NoError(t, err)
	assert.Equal(t, "c-1", holder.ID)
	_, err = s.CustomerByIdentity(ctx, member(2))
	mustNotFind(t, err, "an identity only a failed update listed")
	assert.Empty(t, kit.Collect(t, s.CustomersByNameKey(ctx, "renamed")), "the failed update indexed its name key")
}

func updateKeepsOwnIdentities(t *testing.T, s customer.Store) {
	ctx := t.Context()
	c := newCustomer("c-1", phone(1), email(1))
	require.NoError(t, s.CreateCustomer(ctx, c))
	c.Version = 2
	c.Identities = []customer.Identity{email(1), phone(1), member(1)} // same two, reordered, plus one
	require.NoError(t, s.UpdateCustomer(ctx, c))
	for _, id := range c.Identities {
		holder, err := s.CustomerByIdentity(ctx, id)
		require.NoErrorf(t, err, "by %s", id.Kind)
		assert.Equal(t, "c-1", holder.ID)
	}
}

func updateReleasesIdentities(t *testing.T, s customer.Store) {
	ctx := t.Context()
	a := newCustomer("c-1", phone(1), email(1))
	require.NoError(t, s.CreateCustomer(ctx, a))
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-2", member(2))))

	a.Version, a.Identities = 2, []customer.Identity{email(1)}
	require.NoError(t, s.UpdateCustomer(ctx, a))
	_, err := s.CustomerByIdentity(ctx, phone(1))
	mustNotFind(t, err, "a released identity")

	// A released identity is free for an update of another customer...
	b := newCustomer("c-2", member(2), phone(1))
	b.Version = 2
	require.NoError(t, s.UpdateCustomer(ctx, b))
	holder, err := s.CustomerByIdentity(ctx, phone(1))
	require.NoError(t, err)
	assert.Equal(t, "c-2", holder.ID)

	// ...and, released again, for a new customer.
	b.Version, b.Identities = 3, []customer.Identity{member(2)}
	require.NoError(t, s.UpdateCustomer(ctx, b))
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-3", phone(1))))
	holder, err = s.CustomerByIdentity(ctx, phone(1))
	require.NoError(t, err)
	assert.Equal(t, "c-3", holder.ID)
}

func updateReindexesName(t *testing.T, s customer.Store) {
	ctx := t.Context()
	c := newCustomer("c-1")
	c.NameKey = "wang fang"
	require.NoError(t, s.CreateCustomer(ctx, c))
	c.Version, c.NameKey = 2, "wang fangfang"
	require.NoError(t, s.UpdateCustomer(ctx, c))

	assert.Empty(t, kit.Collect(t, s.CustomersByNameKey(ctx, "wang fang")), "the old name key still finds the customer")
	assert.Equal(t, []string{"c-1"}, customerIDs(kit.Collect(t, s.CustomersByNameKey(ctx, "wang fangfang"))))
}

func listingRules() []rule {
	return []rule{
		{"Customers", "EmptyStoreYieldsNothing", customersEmpty},
		{"Customers", "EveryCustomerInAscendingIDOrder", customersOrder},
		{"CustomersByNameKey", "ExactKeyInAscendingIDOrder", byNameKeyOrder},
	}
}

func customersEmpty(t *testing.T, s customer.Store) {
	assert.Empty(t, kit.Collect(t, s.Customers(t.Context())))
}

// unsortedIDs are created in this order; byte-wise ascending they are
// sortedIDs (upper case first, "c-10" before "c-9", no natural sort).
var (
	unsortedIDs = []string{"c-9", "c-10", "C-5", "c-1", "c-b", "c-a", "c-100", "c-1a"}
	sortedIDs   = []string{"C-5", "c-1", "c-10", "c-100", "c-1a", "c-9", "c-a", "c-b"}
)

func customersOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	for i, id := range unsortedIDs {
		c := newCustomer(id, member(i))
		switch i {
		case 1:
			c.MergedInto = "c-1" // merged customers are listed too
		case 2:
			c.ErasedAt = at(0) // and erased ones
		}
		require.NoError(t, s.CreateCustomer(ctx, c))
	}
	assert.Equal(t, sortedIDs, customerIDs(kit.Collect(t, s.Customers(ctx))))
}

func byNameKeyOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	for i, id := range unsortedIDs {
		c := newCustomer(id, member(i))
		c.NameKey = "wang wei"
		require.NoError(t, s.CreateCustomer(ctx, c))
	}
	for i, key := range []string{"wang", "wang wei2", "Wang Wei", "wang  wei"} {
		c := newCustomer("other-"+key, email(i))
		c.NameKey = key
		require.NoError(t, s.CreateCustomer(ctx, c))
	}
	got := kit.Collect(t, s.CustomersByNameKey(ctx, "wang wei"))
	assert.Equal(t, sortedIDs, customerIDs(got))
	for _, c := range got {
		assert.Equal(t, "wang wei", c.NameKey)
	}
	assert.Empty(t, kit.Collect(t, s.CustomersByNameKey(ctx, "li na")))
}
