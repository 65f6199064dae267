package coupontest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func codeRules() []rule {
	return []rule{
		{Group: "AddCodes", Name: "StoresEveryCodeAtVersionOneWithItsOperation", Check: func(t *testing.T, s coupon.Store) {
			require.NoError(t, s.AddDefinition(t.Context(), definition("D1", 1, 0)))
			b := coupon.Batch{Codes: []coupon.Code{code("AAAA1", "D1", 1), code("AAAA2", "D1", 1)}, Operation: op("gen:1")}
			b.Codes[1].Owner = "M1"
			require.NoError(t, s.AddCodes(t.Context(), b))
			for _, want := range b.Codes {
				got := getCode(t, s, want.Code)
				assert.Equal(t, int64(1), got.Version)
				assert.Equal(t, want.Owner, got.Owner)
				assert.Equal(t, want.Definition, got.Definition)
				assert.Equal(t, want.Limit, got.Limit)
				assert.Equal(t, want.Source, got.Source)
				assert.True(t, want.IssuedAt.Equal(got.IssuedAt))
			}
			got, err := s.GetOperation(t.Context(), "gen:1")
			require.NoError(t, err)
			assert.Equal(t, b.Operation, got)
		}},
		{Group: "AddCodes", Name: "ExistingCodeIsAlreadyExistsWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			seed(t, s, "D1", 1, "AAAA2")
			b := coupon.Batch{Codes: []coupon.Code{code("AAAA1", "D1", 1), code("AAAA2", "D1", 7)}, Operation: op("gen:2")}
			require.ErrorIs(t, s.AddCodes(t.Context(), b), coupon.ErrAlreadyExists)
			_, err := s.GetCode(t.Context(), "AAAA1")
			require.ErrorIs(t, err, coupon.ErrNotFound, "a failed batch wrote a code")
			assert.Equal(t, int64(1), getCode(t, s, "AAAA2").Limit, "a failed batch overwrote a code")
			requireNoOperation(t, s, "gen:2")
		}},
		{Group: "AddCodes", Name: "CodeTwiceInBatchIsAlreadyExistsWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			require.NoError(t, s.AddDefinition(t.Context(), definition("D1", 1, 0)))
			b := coupon.Batch{Codes: []coupon.Code{code("AAAA1", "D1", 1), code("AAAA1", "D1", 2)}, Operation: op("gen:3")}
			require.ErrorIs(t, s.AddCodes(t.Context(), b), coupon.ErrAlreadyExists)
			_, err := s.GetCode(t.Context(), "AAAA1")
			require.ErrorIs(t, err, coupon.ErrNotFound)
			requireNoOperation(t, s, "gen:3")
		}},
		{Group: "AddCodes", Name: "RecordedKeyIsAlreadyExistsWritingNothing", Check: func(t *testing.T, s coupon.Store) {
			seed(t, s, "D1", 1, "AAAA1")
			b := coupon.Batch{Codes: []coupon.Code{code("AAAA9", "D1", 1)}, Operation: op("add:AAAA1")}
			require.ErrorIs(t, s.AddCodes(t.Context(), b), coupon.ErrAlreadyExists)
			_, err := s.GetCode(t.Context(), "AAAA9")
			require.ErrorIs(t, err, coupon.ErrNotFound)
		}},
		{Group: "GetCode", Name: "MissingIsNotFound", Check: func(t *testing.T, s coupon.Store) {
			_, err := s.GetCode(t.Context(), "NOPE1")
			require.ErrorIs(t, err, coupon.ErrNotFound)
		}},
		{Group: "GetCode", Name: "FindsEachAmongManyByExactCode", Check: func(t *testing.T, s coupon.Store) {
			require.NoError(t, s.AddDefinition(t.Context(), definition("D1", 1, 0)))
			var b coupon.Batch
			for i := range 500 {
				c := code("C"+name(i), "D1", int64(i+1))
				b.Codes = append(b.Codes, c)
			}
			b.Operation = op("gen:many")
			require.NoError(t, s.AddCodes(t.Context(), b))
			for i := 0; i < 500; i += 37 {
				assert.Equal(t, int64(i+1), getCode(t, s, "C"+name(i)).Limit)
			}
			_, err := s.GetCode(t.Context(), "c"+name(1))
			require.ErrorIs(t, err, coupon.ErrNotFound, "codes are matched byte for byte (the service normalises them)")
		}},
		{Group: "GetUses", Name: "MissingIsNotFound", Check: func(t *testing.T, s coupon.Store) {
			_, err := s.GetUses(t.Context(), "AAAA1", "M1")
			require.ErrorIs(t, err, coupon.ErrNotFound)
		}},
		{Group: "GetRedemption", Name: "MissingIsNotFound", Check: func(t *testing.T, s coupon.Store) {
			_, err := s.GetRedemption(t.Context(), "H1")
			require.ErrorIs(t, err, coupon.ErrNotFound)
		}},
		{Group: "GetOperation", Name: "MissingIsNotFound", Check: func(t *testing.T, s coupon.Store) {
			_, err := s.GetOperation(t.Context(), "hold:H1")
			require.ErrorIs(t, err, coupon.ErrNotFound)
		}},
		{Group: "GetOperation", Name: "ResultBytesRoundTripExactly", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 1, "AAAA1")[0]
			w := coupon.Write{Code: &c, Operation: coupon.Operation{Key: "k", Hash: "h", Result: []byte("\x00fail:used-up \xff{")}}
			c.Version++
			require.NoError(t, s.Save(t.Context(), w))
			got, err := s.GetOperation(t.Context(), "k")
			require.NoError(t, err)
			assert.Equal(t, w.Operation.Result, got.Result)
		}},
		{Group: "TimePrecision", Name: "MicrosecondsInZonesRoundTrip", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", 2, "AAAA1")[0]
			assert.True(t, t0.Equal(getCode(t, s, "AAAA1").IssuedAt), "issued at")
			w := hold(c, "H1")
			w.Redemption.HeldAt = t0.Add(time.Microsecond)
			require.NoError(t, s.Save(t.Context(), w))
			got, err := s.GetRedemption(t.Context(), "H1")
			require.NoError(t, err)
			assert.True(t, w.Redemption.HeldAt.Equal(got.HeldAt), "held at: %s, stored %s", w.Redemption.HeldAt, got.HeldAt)
			assert.True(t, got.ClosedAt.IsZero())
		}},
	}
}

func iteratorRules() []rule {
	ls := kit.Listings[coupon.Store]{
		All: []kit.Listing[coupon.Store]{
			{Name: "Codes", Seq: func(ctx context.Context, s coupon.Store) iter.Seq2[string, error] {
				return kit.IDsOf(s.Codes(ctx, "D1"), func(c coupon.Code) string { return c.Code })
			}},
			{Name: "OpenHolds", Seq: func(ctx context.Context, s coupon.Store) iter.Seq2[string, error] {
				return kit.IDsOf(s.OpenHolds(ctx, t0.Add(time.Hour)), func(r coupon.Redemption) string { return r.ID })
			}},
		},
		Seed: func(t *testing.T, s coupon.Store) {
			for i, c := range seed(t, s, "D1", 1, "AAAA3", "AAAA1", "AAAA2") {
				w := hold(c, "H"+name(i))
				w.Redemption.HeldAt = t0.Add(time.Duration(i) * time.Minute)
				require.NoError(t, s.Save(t.Context(), w))
			}
		},
		Seeded: 3,
		Write: func(t *testing.T, s coupon.Store) {
			require.NoError(t, s.AddCodes(t.Context(), coupon.Batch{Codes: []coupon.Code{code("AAAA9", "D1", 1)}, Operation: op("after-break")}))
		},
	}
	return append(ls.Rules(), rule{Group: "OpenHolds", Name: "HeldBeforeTheCutoffOldestFirst", Check: openHolds}, rule{Group: "Codes", Name: "OneDefinitionInAscendingCodeOrder", Check: func(t *testing.T, s coupon.Store) {
		seed(t, s, "D1", 1, "BBBB2", "AAAA9", "BBBB1")
		seed(t, s, "D2", 1, "AAAA5")
		var got []string
		for _, c := range kit.Collect(t, s.Codes(t.Context(), "D1")) {
			got = append(got, c.Code)
		}
		assert.Equal(t, []string{"AAAA9", "BBBB1", "BBBB2"}, got)
		assert.Empty(t, kit.Collect(t, s.Codes(t.Context(), "none")))
	}})
}

// openHolds: holds at t0+2m, t0, t0 (IDs out of order) and t0+5m, one of
// them committed; before t0+5m the open ones come oldest first, then by
// ID, and the hold at the cutoff is left out.
func openHolds(t *testing.T, s coupon.Store) {
	codes := seed(t, s, "D1", 1, "AAAA1", "AAAA2", "AAAA3", "AAAA4", "AAAA5")
	times := []time.Duration{2 * time.Minute, 0, 0, 5 * time.Minute, time.Minute}
	ids := []string{"H-b", "H-z", "H-a", "H-late", "H-done"}
	for i, c := range codes {
		w := hold(c, ids[i])
		w.Redemption.HeldAt = t0.Add(times[i])
		require.NoError(t, s.Save(t.Context(), w))
	}
	done := getCode(t, s, "AAAA5")
	done.Held, done.Used = 0, 1
	done.Version++
	r, err := s.GetRedemption(t.Context(), "H-done")
	require.NoError(t, err)
	r.State, r.Purchase, r.ClosedAt = coupon.StateCommitted, "P", t0
	r.Version++
	require.NoError(t, s.Save(t.Context(), coupon.Write{Code: &done, Redemption: &r, Operation: op("commit:H-done")}))
	var got []string
	for _, h := range kit.Collect(t, s.OpenHolds(t.Context(), t0.Add(5*time.Minute))) {
		got = append(got, h.ID)
		assert.Equal(t, coupon.StateHeld, h.State)
	}
	assert.Equal(t, []string{"H-a", "H-z", "H-b"}, got)
}
