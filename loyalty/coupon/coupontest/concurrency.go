package coupontest

import (
	"errors"
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// racers is how many tills race each time.
const racers = 16

func concurrencyRules() []rule {
	return []rule{
		{Group: "Save", Name: "ConcurrentSameVersionOneWins", Check: func(t *testing.T, s coupon.Store) {
			c := seed(t, s, "D1", racers, "AAAA1")[0]
			errs := kit.Race(racers, func(i int) error { return s.Save(t.Context(), hold(c, "H"+name(i))) })
			wins := 0
			for i, err := range errs {
				if err == nil {
					wins++
					continue
				}
				require.ErrorIs(t, err, coupon.ErrConflict)
				requireNoOperation(t, s, "hold:H"+name(i))
			}
			assert.Equal(t, 1, wins)
			assert.Equal(t, int64(1), getCode(t, s, "AAAA1").Held)
		}},
		{Group: "Service", Name: "ConcurrentHoldsNeverExceedTheLimit", Check: raceLimit},
		{Group: "Service", Name: "ConcurrentHoldsByOneCustomerNeverExceedTheirLimit", Check: racePerCustomer},
		{Group: "Service", Name: "ConcurrentCommitAndReleaseOfOneHoldOneWins", Check: raceClose},
		{Group: "Service", Name: "ConcurrentRetriesOfOneHoldTakeOneUse", Check: raceRetries},
	}
}

// raceLimit: a flyer code good for 5 uses; 16 tills hold it at once, then
// the 5 holders commit while 3 more try: exactly 5 uses, ever.
func raceLimit(t *testing.T, s coupon.Store) {
	ctx := t.Context()
	svc := service(s)
	require.NoError(t, svc.Define(ctx, definition("FLYER", 5, 0)))
	_, err := svc.Import(ctx, coupon.ImportRequest{ID: "I1", Definition: "FLYER", Codes: []string{"spring-20"}, Source: coupon.SourceGeneric, At: t0})
	require.NoError(t, err)
	errs := kit.Race(racers, func(i int) error {
		_, err := svc.Hold(ctx, coupon.HoldRequest{ID: "H" + name(i), Code: "SPRING20", Customer: "M" + name(i), At: t0})
		return err
	})
	var held []string
	for i, err := range errs {
		var re *coupon.RefusedError
		switch {
		case err == nil:
			held = append(held, "H"+name(i))
		case errors.As(err, &re):
			assert.Equal(t, pricing.ReasonUsedUp, re.Reason)
		default:
			t.Errorf("till %d: %v", i, err)
		}
	}
	require.Len(t, held, 5, "holds granted")
	more := kit.Race(len(held)+3, func(i int) error {
		if i < len(held) {
			_, err := svc.Commit(ctx, held[i], "P"+name(i), t0)
			return err
		}
		_, err := svc.Hold(ctx, coupon.HoldRequest{ID: "L" + name(i), Code: "SPRING20", At: t0})
		return err
	})
	for i, err := range more {
		if i < len(held) {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, coupon.ErrRefused)
		}
	}
	c := getCode(t, s, "SPRING20")
	assert.Equal(t, int64(5), c.Used)
	assert.Equal(t, int64(0), c.Held)
}

// racePerCustomer: a code good for 100 uses but 2 per customer; one
// customer's 8 devices hold it at once: exactly 2.
func racePerCustomer(t *testing.T, s coupon.Store) {
	ctx := t.Context()
	svc := service(s)
	require.NoError(t, svc.Define(ctx, definition("APP", 100, 2)))
	_, err := svc.Import(ctx, coupon.ImportRequest{ID: "I1", Definition: "APP", Codes: []string{"APP2026"}, Source: coupon.SourceGeneric, At: t0})
	require.NoError(t, err)
	errs := kit.Race(8, func(i int) error {
		_, err := svc.Hold(ctx, coupon.HoldRequest{ID: "H" + name(i), Code: "APP2026", Customer: "M1", At: t0})
		return err
	})
	wins := 0
	for _, err := range errs {
		var re *coupon.RefusedError
		if err == nil {
			wins++
		} else if assert.ErrorAs(t, err, &re) {
			assert.Equal(t, pricing.ReasonCustomerLimit, re.Reason)
		}
	}
	assert.Equal(t, 2, wins)
	u, err := s.GetUses(ctx, "APP2026", "M1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), u.Held)
	assert.Equal(t, int64(2), getCode(t, s, "APP2026").Held)
}

// raceClose: the sale completes on one lane while another abandons it:
// one of commit and release wins, the other is ErrHoldClosed.
func raceClose(t *testing.T, s coupon.Store) {
	ctx := t.Context()
	svc := service(s)
	require.NoError(t, svc.Define(ctx, definition("D1", 1, 0)))
	codes, err := svc.Generate(ctx, coupon.GenerateRequest{ID: "G1", Definition: "D1", Count: 1, At: t0})
	require.NoError(t, err)
	_, err = svc.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: codes[0], At: t0})
	require.NoError(t, err)
	errs := kit.Race(2, func(i int) error {
		if i == 0 {
			_, err := svc.Commit(ctx, "H1", "P1", t0)
			return err
		}
		_, err := svc.Release(ctx, "H1", t0)
		return err
	})
	require.True(t, (errs[0] == nil) != (errs[1] == nil), "exactly one wins: %v", errs)
	for _, err := range errs {
		if err != nil {
			require.ErrorIs(t, err, coupon.ErrHoldClosed)
		}
	}
	c := getCode(t, s, codes[0])
	assert.Equal(t, int64(0), c.Held)
	assert.Equal(t, map[bool]int64{true: 1, false: 0}[errs[0] == nil], c.Used)
}

// raceRetries: a till whose network stutters sends one hold, then its
// commit, several times at once under the same IDs: every copy gets the
// same redemption, and the code loses one use, not one per copy.
func raceRetries(t *testing.T, s coupon.Store) {
	ctx := t.Context()
	svc := service(s)
	require.NoError(t, svc.Define(ctx, definition("FLYER", 5, 2)))
	_, err := svc.Import(ctx, coupon.ImportRequest{ID: "I1", Definition: "FLYER", Codes: []string{"SPRING20"}, Source: coupon.SourceGeneric, At: t0})
	require.NoError(t, err)
	const copies = 8
	holds := make([]coupon.Redemption, copies)
	errs := kit.Race(copies, func(i int) error {
		var err error
		holds[i], err = svc.Hold(ctx, coupon.HoldRequest{ID: "H1", Code: "spring-20", Customer: "M1", At: t0})
		return err
	})
	for i, err := range errs {
		require.NoError(t, err, "copy %d", i)
		assert.Equal(t, holds[0], holds[i], "copy %d", i)
	}
	assert.Equal(t, coupon.StateHeld, holds[0].State)
	c := getCode(t, s, "SPRING20")
	assert.Equal(t, int64(1), c.Held, "one hold, however many copies")
	commits := make([]coupon.Redemption, copies)
	errs = kit.Race(copies, func(i int) error {
		var err error
		commits[i], err = svc.Commit(ctx, "H1", "P1", t0)
		return err
	})
	for i, err := range errs {
		require.NoError(t, err, "copy %d", i)
		assert.Equal(t, commits[0], commits[i], "copy %d", i)
	}
	assert.Equal(t, coupon.StateCommitted, commits[0].State)
	c = getCode(t, s, "SPRING20")
	assert.Equal(t, int64(1), c.Used)
	assert.Equal(t, int64(0), c.Held)
	u, err := s.GetUses(ctx, "SPRING20", "M1")
	require.NoError(t, err)
	assert.Equal(t, int64(1), u.Used)
	assert.Equal(t, int64(0), u.Held)
}
