package coupon_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var at = time.Date(2026, 3, 8, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func def(id string, uses, perCustomer int64) coupon.Definition {
	return coupon.Definition{ID: id, Currency: "CNY", UsesPerCode: uses, PerCustomer: perCustomer,
		Offer: pricing.Offer{ID: id, Kind: pricing.KindAmountOff, Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(100),
			When: pricing.When{Until: at.AddDate(0, 1, 0)}}}
}

func newService(t *testing.T, defs ...coupon.Definition) *coupon.Service {
	t.Helper()
	s := coupon.NewService(coupon.NewMemoryStore(), nil)
	for _, d := range defs {
		require.NoError(t, s.Define(t.Context(), d))
	}
	return s
}

func refusedWith(t *testing.T, err error, want pricing.Reason) {
	t.Helper()
	var re *coupon.RefusedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, want, re.Reason)
	require.ErrorIs(t, err, coupon.ErrRefused)
}

func TestUniqueCodeIsUsedOnce(t *testing.T) {
	ctx := t.Context()
	s := newService(t, def("D1", 1, 0))
	codes, err := s.Generate(ctx, coupon.GenerateRequest{ID: "G1", Definition: "D1", Count: 3, Owner: "M1", At: at})
	require.NoError(t, err)
	again, err := s.Generate(ctx, coupon.GenerateRequest{ID: "G1", Definition: "D1", Count: 3, Owner: "M1", At: at})
	require.NoError(t, err)
	assert.Equal(t, codes, again, "a replayed batch returns the same codes")
	_, err = s.Generate(ctx, coupon.GenerateRequest{ID: "G1", Definition: "D1", Count: 4, Owner: "M1", At: at})
	require.ErrorIs(t, err, coupon.ErrIdempotencyMismatch)

	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H0", Code: codes[0], Customer: "M2", At: at})
	refusedWith(t, err, pricing.ReasonNotYours)

	// Typed lower case, with the look-alike O for 0 and hyphens.
	typed := coupon.Format(codes[0])
	h, err := s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: typed, Customer: "M1", At: at})
	require.NoError(t, err)
	assert.Equal(t, coupon.StateHeld, h.State)
	replay, err := s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: typed, Customer: "M1", At: at})
	require.NoError(t, err)
	assert.Equal(t, h, replay)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: codes[1], Customer: "M1", At: at})
	require.ErrorIs(t, err, coupon.ErrIdempotencyMismatch)

	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H2", Code: codes[0], Customer: "M1", At: at})
	refusedWith(t, err, pricing.ReasonUsedUp)

	c, err := s.Commit(ctx, "H1", "P1", at)
	require.NoError(t, err)
	assert.Equal(t, coupon.StateCommitted, c.State)
	c2, err := s.Commit(ctx, "H1", "P1", at)
	require.NoError(t, err)
	assert.Equal(t, c, c2, "a replayed commit")
	_, err = s.Commit(ctx, "H1", "P2", at)
	require.ErrorIs(t, err, coupon.ErrIdempotencyMismatch)
	_, err = s.Release(ctx, "H1", at)
	require.ErrorIs(t, err, coupon.ErrHoldClosed)
	_, err = s.Release(ctx, "H1", at)
	require.ErrorIs(t, err, coupon.ErrHoldClosed, "a failed release stays failed")

	got, err := s.Store().GetCode(ctx, codes[0])
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Used)
	assert.Equal(t, int64(0), got.Held)
}

func TestReleaseGivesTheUseBack(t *testing.T) {
	ctx := t.Context()
	s := newService(t, def("D1", 1, 0))
	codes, err := s.Generate(ctx, coupon.GenerateRequest{ID: "G1", Definition: "D1", Count: 1, At: at})
	require.NoError(t, err)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: codes[0], At: at})
	require.NoError(t, err)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H2", Code: codes[0], At: at})
	refusedWith(t, err, pricing.ReasonUsedUp)
	r, err := s.Release(ctx, "H1", at)
	require.NoError(t, err)
	assert.Equal(t, coupon.StateReleased, r.State)
	_, err = s.Commit(ctx, "H1", "P1", at)
	require.ErrorIs(t, err, coupon.ErrHoldClosed)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H2", Code: codes[0], At: at})
	refusedWith(t, err, pricing.ReasonUsedUp) // a refused request stays refused
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H3", Code: codes[0], At: at})
	require.NoError(t, err, "a new attempt gets the released use")
}

func TestPresentExplains(t *testing.T) {
	ctx := t.Context()
	d := def("D1", 2, 1)
	s := newService(t, d)
	_, err := s.Import(ctx, coupon.ImportRequest{ID: "I1", Definition: "D1", Codes: []string{"spring-20"}, Source: coupon.SourceGeneric, At: at})
	require.NoError(t, err)
	cases := []struct {
		code, customer string
		at             time.Time
		want           pricing.Reason
	}{
		{"SPRING20", "M1", at, ""},
		{"SPRING21", "M1", at, pricing.ReasonUnknownCode},
		{"0123-4567-89AB-C", "M1", at, pricing.ReasonUnknownCode},
		{"SPRING20", "", at, pricing.ReasonMembersOnly},
		{"SPRING20", "M1", at.AddDate(0, 2, 0), pricing.ReasonExpired},
	}
	for _, c := range cases {
		got, err := s.Present(ctx, c.code, c.customer, c.at)
		require.NoError(t, err)
		assert.Equal(t, c.want, got.Refused, c.code)
		assert.NotContains(t, got.Ref, c.code[:4], "the reference masks the code")
		if c.want == "" {
			assert.Equal(t, "D1", got.Offer.ID)
		}
	}
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: "SPRING20", Customer: "M1", At: at})
	require.NoError(t, err)
	got, err := s.Present(ctx, "SPRING20", "M1", at)
	require.NoError(t, err)
	assert.Equal(t, pricing.ReasonCustomerLimit, got.Refused)
	got, err = s.Present(ctx, "SPRING20", "M2", at)
	require.NoError(t, err)
	assert.Empty(t, got.Refused)
}

func TestImportRefusesTakenCodesNamingNone(t *testing.T) {
	ctx := t.Context()
	s := newService(t, def("D1", 1, 0))
	_, err := s.Import(ctx, coupon.ImportRequest{ID: "I1", Definition: "D1", Codes: []string{"OLDSYS-0001", "OLDSYS-0002"}, At: at})
	require.NoError(t, err)
	_, err = s.Import(ctx, coupon.ImportRequest{ID: "I2", Definition: "D1", Codes: []string{"OLDSYS-0003", "oldsys 0002"}, At: at})
	require.ErrorIs(t, err, coupon.ErrCodeTaken)
	assert.NotContains(t, err.Error(), "OLDSYS")
	_, err = s.Store().GetCode(ctx, "OLDSYS0003")
	require.ErrorIs(t, err, coupon.ErrNotFound, "all or none")
	_, err = s.Import(ctx, coupon.ImportRequest{ID: "I3", Definition: "D1", Codes: []string{"AB", "ABCD-1", "abcd1"}, At: at})
	require.ErrorIs(t, err, coupon.ErrInvalid)
	assert.Contains(t, err.Error(), "codes[0]")
	assert.Contains(t, err.Error(), "codes[2]: same code as codes[1]")
}

func TestErrorsAndStringsNeverShowTheCode(t *testing.T) {
	ctx := t.Context()
	s := newService(t, def("D1", 1, 0))
	codes, err := s.Generate(ctx, coupon.GenerateRequest{ID: "G1", Definition: "D1", Count: 1, At: at})
	require.NoError(t, err)
	code := codes[0]
	c, err := s.Store().GetCode(ctx, code)
	require.NoError(t, err)
	r, err := s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: code, At: at})
	require.NoError(t, err)
	_, herr := s.Hold(ctx, coupon.HoldRequest{ID: "H2", Code: code, At: at})
	_, gerr := s.Store().GetCode(ctx, code+"X")
	for _, out := range []string{c.String(), fmt.Sprint(c), r.String(), fmt.Sprintf("%v", r), herr.Error(), gerr.Error()} {
		assert.NotContains(t, out, code[:8])
	}
}

func TestDefineIsIdempotent(t *testing.T) {
	s := newService(t, def("D1", 1, 0))
	require.NoError(t, s.Define(t.Context(), def("D1", 1, 0)))
	require.ErrorIs(t, s.Define(t.Context(), def("D1", 5, 0)), coupon.ErrAlreadyExists)
	require.ErrorIs(t, s.Define(t.Context(), coupon.Definition{ID: "x"}), coupon.ErrInvalid)
}

func TestHoldOfUnknownCodeStaysRefused(t *testing.T) {
	ctx := context.Background()
	s := newService(t, def("D1", 1, 0))
	_, err := s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: "LATER001", At: at})
	refusedWith(t, err, pricing.ReasonUnknownCode)
	_, err = s.Import(ctx, coupon.ImportRequest{ID: "I1", Definition: "D1", Codes: []string{"LATER001"}, At: at})
	require.NoError(t, err)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: "LATER001", At: at})
	refusedWith(t, err, pricing.ReasonUnknownCode)
}

func TestVoidedCodeCannotBeHeld(t *testing.T) {
	ctx := t.Context()
	s := newService(t, def("D1", 5, 0))
	_, err := s.Import(ctx, coupon.ImportRequest{ID: "I1", Definition: "D1", Codes: []string{"LEAKED01"}, Source: coupon.SourceGeneric, At: at})
	require.NoError(t, err)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: "LEAKED01", At: at})
	require.NoError(t, err)
	require.NoError(t, s.Void(ctx, coupon.VoidRequest{ID: "V1", Code: "leaked-01", At: at}))
	require.NoError(t, s.Void(ctx, coupon.VoidRequest{ID: "V1", Code: "leaked-01", At: at}), "a replay")
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "H2", Code: "LEAKED01", At: at})
	refusedWith(t, err, pricing.ReasonVoid)
	p, err := s.Present(ctx, "LEAKED01", "", at)
	require.NoError(t, err)
	assert.Equal(t, pricing.ReasonVoid, p.Refused)
	_, err = s.Commit(ctx, "H1", "P1", at)
	require.NoError(t, err, "a hold taken before the void may still be committed")
	refusedWith(t, s.Void(ctx, coupon.VoidRequest{ID: "V2", Code: "NOSUCH01", At: at}), pricing.ReasonUnknownCode)
}

// A lane crashed between Hold and Commit: the sweep gives the use back;
// the lane's late commit is refused, and a sweep run again does nothing.
func TestReleaseStaleGivesAbandonedUsesBack(t *testing.T) {
	ctx := t.Context()
	s := newService(t, def("D1", 1, 0))
	codes, err := s.Generate(ctx, coupon.GenerateRequest{ID: "G1", Definition: "D1", Count: 2, At: at})
	require.NoError(t, err)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "crashed", Code: codes[0], At: at})
	require.NoError(t, err)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "recent", Code: codes[1], At: at.Add(50 * time.Minute)})
	require.NoError(t, err)
	n, err := s.ReleaseStale(ctx, at.Add(30*time.Minute), at.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = s.Commit(ctx, "crashed", "P1", at.Add(2*time.Hour))
	require.ErrorIs(t, err, coupon.ErrHoldClosed)
	_, err = s.Hold(ctx, coupon.HoldRequest{ID: "again", Code: codes[0], At: at.Add(2 * time.Hour)})
	require.NoError(t, err, "the use came back")
	n, err = s.ReleaseStale(ctx, at.Add(30*time.Minute), at.Add(3*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, n)
	_, err = s.Commit(ctx, "recent", "P2", at.Add(time.Hour))
	require.NoError(t, err, "a recent hold is left to its till")
}
