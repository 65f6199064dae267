package customertest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reassignRules() []rule {
	return []rule{
		{"Reassign", "MovesPurchasesAndReturns", reassignMoves},
		{"Reassign", "IsIdempotent", reassignIdempotent},
		{"ReassignInteractions", "MovesInteractionsIdempotently", reassignInteractions},
		{"RedactInteractions", "ClearsSummaryAndOutcomeIdempotently", redactInteractions},
	}
}

// seedTwoCustomers gives c-1 purchases p-1 and p-2 (with return r-1 of
// p-1) and c-2 purchase p-3 (with return r-2) and an anonymous sale p-4.
func seedTwoCustomers(t *testing.T, s customer.Store) {
	t.Helper()
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-2", "c-1", at(2*time.Hour))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-3", "c-2", at(time.Hour))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-4", "", at(time.Hour))))
	require.NoError(t, s.AddReturn(ctx, newReturn("r-1", "p-1", "c-1", at(3*time.Hour)), 1))
	require.NoError(t, s.AddReturn(ctx, newReturn("r-2", "p-3", "c-2", at(4*time.Hour)), 1))
}

// checkReassigned requires that c-1's records now belong to c-2 and that
// nothing else about them changed.
func checkReassigned(t *testing.T, s customer.Store) {
	t.Helper()
	ctx := t.Context()
	assert.Empty(t, kit.Collect(t, s.PurchasesOf(ctx, "c-1")), "purchases left with the old customer")
	assert.Empty(t, kit.Collect(t, s.ReturnsOf(ctx, "c-1")), "returns left with the old customer")

	purchases := kit.Collect(t, s.PurchasesOf(ctx, "c-2"))
	assert.Equal(t, []string{"p-2", "p-3", "p-1"}, purchaseIDs(purchases), "newest first across both histories")
	for _, p := range purchases {
		assert.Equalf(t, "c-2", p.CustomerID, "CustomerID of %s", p.ID)
	}
	returns := kit.Collect(t, s.ReturnsOf(ctx, "c-2"))
	assert.Equal(t, []string{"r-2", "r-1"}, returnIDs(returns))
	for _, r := range returns {
		assert.Equalf(t, "c-2", r.CustomerID, "CustomerID of %s", r.ID)
	}

	rec, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	want := newPurchase("p-1", "c-2", at(0))
	assertPurchase(t, want.Purchase, rec.Purchase)
	assert.Equal(t, want.Hash, rec.Hash, "Hash")
	assert.Equal(t, int64(2), rec.Version, "reassigning changed the version")
	ret, err := s.GetReturn(ctx, "r-1")
	require.NoError(t, err)
	assertReturn(t, newReturn("r-1", "p-1", "c-2", at(3*time.Hour)).Return, ret.Return)

	anon, err := s.GetPurchase(ctx, "p-4")
	require.NoError(t, err)
	assert.Empty(t, anon.Purchase.CustomerID, "an anonymous sale was reassigned")
	assert.Equal(t, []string{"p-1", "p-3", "p-4", "p-2"}, purchaseIDs(allPurchases(t, s)))
}

func reassignMoves(t *testing.T, s customer.Store) {
	seedTwoCustomers(t, s)
	require.NoError(t, s.Reassign(t.Context(), "c-1", "c-2"))
	checkReassigned(t, s)
}

func reassignIdempotent(t *testing.T, s customer.Store) {
	ctx := t.Context()
	seedTwoCustomers(t, s)
	for range 3 {
		require.NoError(t, s.Reassign(ctx, "c-1", "c-2"))
	}
	checkReassigned(t, s)
	// A customer with nothing to move is not an error either.
	require.NoError(t, s.Reassign(ctx, "c-9", "c-2"))
	checkReassigned(t, s)
}

func reassignInteractions(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-1", "c-1", at(0))))
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-2", "c-1", at(2*time.Hour))))
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-3", "c-2", at(time.Hour))))
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-4", "c-3", at(time.Hour))))

	for range 2 {
		require.NoError(t, s.ReassignInteractions(ctx, "c-1", "c-2"))
		assert.Empty(t, kit.Collect(t, s.InteractionsOf(ctx, "c-1")))
		got := kit.Collect(t, s.InteractionsOf(ctx, "c-2"))
		assert.Equal(t, []string{"i-2", "i-3", "i-1"}, interactionIDs(got))
		for _, in := range got {
			assert.Equal(t, "c-2", in.CustomerID)
		}
		one, err := s.GetInteraction(ctx, "i-1")
		require.NoError(t, err)
		assertInteraction(t, newInteraction("i-1", "c-2", at(0)), one)
		assert.Equal(t, []string{"i-4"}, interactionIDs(kit.Collect(t, s.InteractionsOf(ctx, "c-3"))))
	}
	require.NoError(t, s.ReassignInteractions(ctx, "c-9", "c-2"), "a customer with no interactions")
}

func redactInteractions(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-1", "c-1", at(0))))
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-2", "c-1", at(time.Hour))))
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-3", "c-2", at(time.Hour))))

	for range 2 {
		require.NoError(t, s.RedactInteractions(ctx, "c-1"))
		for _, id := range []string{"i-1", "i-2"} {
			got, err := s.GetInteraction(ctx, id)
			require.NoError(t, err)
			assert.Empty(t, got.Summary, "Summary")
			assert.Empty(t, got.Outcome, "Outcome")
		}
		listed := kit.Collect(t, s.InteractionsOf(ctx, "c-1"))
		require.Len(t, listed, 2, "redaction removed interactions")
		for i, in := range listed {
			want := newInteraction([]string{"i-2", "i-1"}[i], "c-1", at([]time.Duration{time.Hour, 0}[i]))
			want.Summary, want.Outcome = "", ""
			assertInteraction(t, want, in)
		}
		other, err := s.GetInteraction(ctx, "i-3")
		require.NoError(t, err)
		assertInteraction(t, newInteraction("i-3", "c-2", at(time.Hour)), other)
	}
	require.NoError(t, s.RedactInteractions(ctx, "c-9"), "a customer with no interactions")
}

func interactionRules() []rule {
	return []rule{
		{"AddInteraction", "RoundTrips", interactionRoundTrips},
		{"AddInteraction", "ReusedIDIsAlreadyExists", interactionReusedID},
		{"GetInteraction", "MissingIsNotFound", interactionMissing},
	}
}

func interactionRoundTrips(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := newInteraction("i-1", "c-1", at(0))
	require.NoError(t, s.AddInteraction(ctx, want))
	got, err := s.GetInteraction(ctx, "i-1")
	require.NoError(t, err)
	assertInteraction(t, want, got)
}

func interactionReusedID(t *testing.T, s customer.Store) {
	ctx := t.Context()
	first := newInteraction("i-1", "c-1", at(0))
	require.NoError(t, s.AddInteraction(ctx, first))
	other := newInteraction("i-1", "c-2", at(time.Hour))
	other.Summary = "a different call"
	require.ErrorIs(t, s.AddInteraction(ctx, first), customer.ErrAlreadyExists, "replaying the same interaction")
	require.ErrorIs(t, s.AddInteraction(ctx, other), customer.ErrAlreadyExists)

	got, err := s.GetInteraction(ctx, "i-1")
	require.NoError(t, err)
	assertInteraction(t, first, got)
	assert.Empty(t, kit.Collect(t, s.InteractionsOf(ctx, "c-2")), "the rejected add was indexed under its customer")
	assert.Equal(t, []string{"i-1"}, interactionIDs(kit.Collect(t, s.InteractionsOf(ctx, "c-1"))))
}

func interactionMissing(t *testing.T, s customer.Store) {
	ctx := t.Context()
	_, err := s.GetInteraction(ctx, "i-1")
	mustNotFind(t, err, "GetInteraction on an empty store")
	require.NoError(t, s.AddInteraction(ctx, newInteraction("i-1", "c-1", at(0))))
	_, err = s.GetInteraction(ctx, "i-2")
	mustNotFind(t, err, "GetInteraction of an ID never added")
}
