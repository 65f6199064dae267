package coupontest

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func saveRules() []rule {
	return []rule{
		{Group: "Save", Name: "NextVersionsAreStoredWithTheOperation", Check: saveNext},
		{Group: "Save", Name: "StaleCodeVersionIsConflictWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			require.NoError(t, s.Save(t.Context(), hold(c, "H1")))
			requireRefusedWritesNothing(t, s, hold(c, "H2"), coupon.ErrConflict) // still version 1
		}},
		{Group: "Save", Name: "SkippedVersionIsConflictWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			c.Version++
			requireRefusedWritesNothing(t, s, hold(c, "H1"), coupon.ErrConflict)
		}},
		{Group: "Save", Name: "CodeIsNeverCreated", Check: func(t *testing.T, s coupon.Store) {
			c := code("AAAA1", "D1", 1)
			requireRefusedWritesNothing(t, s, hold(c, "H1"), coupon.ErrConflict)
			_, err := s.GetCode(t.Context(), "AAAA1")
			require.ErrorIs(t, err, coupon.ErrNotFound)
		}},
		{Group: "Save", Name: "StaleUsesVersionIsConflictWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			w := hold(c, "H1")
			w.Uses = &coupon.Uses{Code: c.Code, Customer: "M1", Held: 1, Version: 2} // none stored: must be 1
			requireRefusedWritesNothing(t, s, w, coupon.ErrConflict)
		}},
		{Group: "Save", Name: "StaleRedemptionVersionIsConflictWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			require.NoError(t, s.Save(t.Context(), hold(c, "H1")))
			w := hold(getCode(t, s, "AAAA1"), "H1") // redemption H1 exists: version 1 is stale
			w.Operation = op("again")
			requireRefusedWritesNothing(t, s, w, coupon.ErrConflict)
		}},
		{Group: "Save", Name: "VersionIsCheckedBeforeTheOperationKey", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			require.NoError(t, s.Save(t.Context(), hold(c, "H1")))
			w := hold(c, "H2")
			w.Operation = op("hold:H1")
			require.ErrorIs(t, s.Save(t.Context(), w), coupon.ErrConflict)
		}},
		{Group: "Save", Name: "ReusedOperationKeyIsAlreadyExistsWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			require.NoError(t, s.Save(t.Context(), hold(c, "H1")))
			w := hold(getCode(t, s, "AAAA1"), "H2")
			w.Operation = op("hold:H1")
			w.Operation.Hash = "other"
			requireRefusedWritesNothing(t, s, w, coupon.ErrAlreadyExists)
			got, err := s.GetOperation(t.Context(), "hold:H1")
			require.NoError(t, err)
			assert.Equal(t, "h-hold:H1", got.Hash, "the recorded operation was overwritten")
		}},
		{Group: "Save", Name: "OperationAloneIsRecorded", Check: func(t *testing.T, s coupon.Store) {
			w := coupon.Write{Operation: coupon.Operation{Key: "hold:H9", Hash: "h", Result: []byte("\x00fail:unknown-code")}}
			require.NoError(t, s.Save(t.Context(), w))
			got, err := s.GetOperation(t.Context(), "hold:H9")
			require.NoError(t, err)
			assert.Equal(t, w.Operation, got)
			require.ErrorIs(t, s.Save(t.Context(), w), coupon.ErrAlreadyExists)
		}},
		{Group: "Copies", Name: "WriteIsNotKept", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			w := hold(c, "H1")
			require.NoError(t, s.Save(t.Context(), w))
			w.Code.Held, w.Redemption.State, w.Operation.Result[0] = 99, "scribbled", 'X'
			assert.Equal(t, int64(1), getCode(t, s, "AAAA1").Held)
			r, err := s.GetRedemption(t.Context(), "H1")
			require.NoError(t, err)
			assert.Equal(t, coupon.StateHeld, r.State)
			got, err := s.GetOperation(t.Context(), "hold:H1")
			require.NoError(t, err)
			assert.Equal(t, byte('{'), got.Result[0])
		}},
		{Group: "Copies", Name: "ReturnedOperationsAreCopies", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 5, "AAAA1")[0]
			require.NoError(t, s.Save(t.Context(), hold(c, "H1")))
			got, err := s.GetOperation(t.Context(), "hold:H1")
			require.NoError(t, err)
			got.Result[0] = 'X'
			again, err := s.GetOperation(t.Context(), "hold:H1")
			require.NoError(t, err)
			assert.Equal(t, byte('{'), again.Result[0])
		}},
	}
}

// saveNext holds a code for a customer (creating the uses record and the
// redemption), then commits the hold (moving all three on).
func saveNext(t *testing.T, s coupon.Store) {
	c := seed(t, s, "D1", 5, "AAAA1")[0]
	w := hold(c, "H1")
	w.Uses = &coupon.Uses{Code: c.Code, Customer: "M1", Held: 1, Version: 1}
	require.NoError(t, s.Save(t.Context(), w))
	got := getCode(t, s, "AAAA1")
	assert.Equal(t, int64(2), got.Version)
	assert.Equal(t, int64(1), got.Held)
	u, err := s.GetUses(t.Context(), "AAAA1", "M1")
	require.NoError(t, err)
	assert.Equal(t, coupon.Uses{Code: "AAAA1", Customer: "M1", Held: 1, Version: 1}, u)

	got.Held, got.Used = 0, 1
	got.Version++
	u.Held, u.Used = 0, 1
	u.Version++
	r := *w.Redemption
	r.State, r.Purchase, r.ClosedAt = coupon.StateCommitted, "P1", t0
	r.Version++
	require.NoError(t, s.Save(t.Context(), coupon.Write{Code: &got, Uses: &u, Redemption: &r, Operation: op("commit:H1")}))
	after := getCode(t, s, "AAAA1")
	assert.Equal(t, int64(3), after.Version)
	assert.Equal(t, int64(1), after.Used)
	gotU, err := s.GetUses(t.Context(), "AAAA1", "M1")
	require.NoError(t, err)
	assert.Equal(t, u, gotU)
	gotR, err := s.GetRedemption(t.Context(), "H1")
	require.NoError(t, err)
	assert.Equal(t, coupon.StateCommitted, gotR.State)
	assert.Equal(t, "P1", gotR.Purchase)
	assert.Equal(t, int64(2), gotR.Version)
	assert.True(t, t0.Equal(gotR.ClosedAt))
	_, err = s.GetOperation(t.Context(), "commit:H1")
	require.NoError(t, err)
}

// requireRefusedWritesNothing requires Save(w) to fail with want and to
// leave the code, the uses, the redemption and the operation as they were.
func requireRefusedWritesNothing(t *testing.T, s coupon.Store, w coupon.Write, want error) {
	t.Helper()
	ctx := t.Context()
	var before coupon.Code
	if w.Code != nil {
		before, _ = s.GetCode(ctx, w.Code.Code)
	}
	var beforeUses coupon.Uses
	if w.Uses != nil {
		beforeUses, _ = s.GetUses(ctx, w.Uses.Code, w.Uses.Customer)
	}
	var beforeRed coupon.Redemption
	if w.Redemption != nil {
		beforeRed, _ = s.GetRedemption(ctx, w.Redemption.ID)
	}
	_, opErr := s.GetOperation(ctx, w.Operation.Key)
	require.ErrorIs(t, s.Save(ctx, w), want)
	if w.Code != nil {
		after, _ := s.GetCode(ctx, w.Code.Code)
		assert.Equal(t, before.Version, after.Version, "the code was written")
		assert.Equal(t, before.Held, after.Held, "the code was written")
	}
	if w.Uses != nil {
		after, _ := s.GetUses(ctx, w.Uses.Code, w.Uses.Customer)
		assert.Equal(t, beforeUses, after, "the uses were written")
	}
	if w.Redemption != nil {
		after, _ := s.GetRedemption(ctx, w.Redemption.ID)
		assert.Equal(t, beforeRed.Version, after.Version, "the redemption was written")
	}
	if opErr != nil {
		requireNoOperation(t, s, w.Operation.Key)
	}
}
