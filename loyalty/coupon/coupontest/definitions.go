package coupontest

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func definitionRules() []rule {
	return []rule{
		{Group: "AddDefinition", Name: "AddThenGetRoundTrips", Check: func(t *testing.T, s coupon.Store) {
			d := definition("D1", 1, 2)
			require.NoError(t, s.AddDefinition(t.Context(), d))
			got, err := s.GetDefinition(t.Context(), "D1")
			require.NoError(t, err)
			assert.Equal(t, d.Offer.Scope, got.Offer.Scope)
			assert.True(t, d.Offer.Amount.Equal(got.Offer.Amount) && d.Offer.MinSpend.Equal(got.Offer.MinSpend))
			assert.Equal(t, d.UsesPerCode, got.UsesPerCode)
			assert.Equal(t, d.PerCustomer, got.PerCustomer)
		}},
		{Group: "AddDefinition", Name: "SecondAddIsAlreadyExistsKeepingTheFirst", Check: func(t *testing.T, s coupon.Store) {
			require.NoError(t, s.AddDefinition(t.Context(), definition("D1", 1, 0)))
			require.ErrorIs(t, s.AddDefinition(t.Context(), definition("D1", 9, 0)), coupon.ErrAlreadyExists)
			got, err := s.GetDefinition(t.Context(), "D1")
			require.NoError(t, err)
			assert.Equal(t, int64(1), got.UsesPerCode)
		}},
		{Group: "GetDefinition", Name: "MissingIsNotFound", Check: func(t *testing.T, s coupon.Store) {
			_, err := s.GetDefinition(t.Context(), "nope")
			require.ErrorIs(t, err, coupon.ErrNotFound)
		}},
		{Group: "Copies", Name: "ReturnedDefinitionsAreCopies", Check: func(t *testing.T, s coupon.Store) {
			require.NoError(t, s.AddDefinition(t.Context(), definition("D1", 1, 0)))
			got, err := s.GetDefinition(t.Context(), "D1")
			require.NoError(t, err)
			got.Offer.Scope.Categories[0] = "scribbled"
			again, err := s.GetDefinition(t.Context(), "D1")
			require.NoError(t, err)
			assert.Equal(t, []string{"tea"}, again.Offer.Scope.Categories)
		}},
	}
}
