package loyalty

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A saved header is written over the store's own slices: a copy read
// before, the caller's header after, and a reader's copy after all stay
// as they were, whether the header before was copied in or handed over
// (handed-over memory is the store's from then on: request.handOff).
func TestMemoryStoreHeaderWrittenOverInPlace(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	events := func(points ...int64) []QualifyingEvent {
		var out []QualifyingEvent
		for i, p := range points {
			out = append(out, QualifyingEvent{Time: t0.Add(time.Duration(i) * time.Hour), Spend: decimal.NewFromInt(p), Purchases: 1, Points: p})
		}
		return out
	}
	pointsOf := func(a Account) []int64 {
		var out []int64
		for _, e := range a.Activity {
			out = append(out, e.Points)
		}
		return out
	}
	for _, owned := range []bool{false, true} {
		m := NewMemoryStore().(*memoryStore)
		pts, err := ledger.New("m1")
		require.NoError(t, err)
		first := Account{MemberID: "m1", Version: 1, Points: pts, Activity: events(1, 2, 3),
			Tier: TierState{Override: &TierOverride{Tier: "gold", Until: t0.AddDate(0, 1, 0)}}}
		if owned {
			require.NoError(t, m.saveOwned(ctx, Write{Account: first}))
		} else {
			require.NoError(t, m.Save(ctx, Write{Account: first}))
		}
		before, err := m.GetAccount(ctx, "m1")
		require.NoError(t, err)

		second := Account{MemberID: "m1", Version: 2, Points: pts, Activity: events(7, 8),
			Tier: TierState{Override: &TierOverride{Tier: "silver", Until: t0.AddDate(0, 2, 0)}}}
		require.NoError(t, m.Save(ctx, Write{Account: second}))
		assert.Equal(t, []int64{1, 2, 3}, pointsOf(before), "owned=%v: a copy read before", owned)
		assert.Equal(t, "gold", before.Tier.Override.Tier, "owned=%v", owned)
		second.Activity[0].Points = 70 // the caller's own memory
		second.Tier.Override.Tier = "bronze"

		after, err := m.GetAccount(ctx, "m1")
		require.NoError(t, err)
		assert.Equal(t, []int64{7, 8}, pointsOf(after), "owned=%v", owned)
		assert.Equal(t, "silver", after.Tier.Override.Tier, "owned=%v", owned)
		after.Activity[1].Points = 80 // a reader's copy

		third := Account{MemberID: "m1", Version: 3, Points: pts}
		require.NoError(t, m.Save(ctx, Write{Account: third}))
		last, err := m.GetAccount(ctx, "m1")
		require.NoError(t, err)
		assert.Empty(t, last.Activity, "owned=%v", owned)
		assert.Nil(t, last.Tier.Override, "owned=%v", owned)
		assert.Equal(t, []int64{7, 80}, pointsOf(after), "owned=%v", owned)
	}
}
