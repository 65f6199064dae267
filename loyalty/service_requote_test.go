package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/require"
)

// TestLateFirstPurchaseFreesCapRoomAWeekOn: a first purchase synced late
// from a lane takes the first-purchase bonus from the purchase that had it,
// in the next cap week; the room that frees in that week goes to the
// purchase the weekly cap had cut, as if every fact had come in time.
// (Found by TestMonthFoldChangesNothing, seed 1796687252495909557: the
// re-quotes reached only the late purchase's own cap week.)
func TestLateFirstPurchaseFreesCapRoomAWeekOn(t *testing.T) {
	type sale struct {
		id      string
		when    time.Time
		price   string
		arrives time.Time
	}
	sales := []sale{ // 2026-01-04 is a Sunday: A's ISO week is not B's and C's
		{"A", at(2026, 1, 4, 10, 0), "100.00", at(2026, 1, 8, 9, 0)},
		{"B", at(2026, 1, 5, 10, 0), "300.00", at(2026, 1, 5, 10, 0)},
		{"C", at(2026, 1, 6, 10, 0), "400.00", at(2026, 1, 6, 10, 0)},
	}
	run := func(late bool) map[string]int64 {
		s := newShop(t, func(p *loyalty.Program) {
			noPending(p)
			p.Caps = loyalty.Caps{PerDay: 5000, PerPeriod: 600, Period: loyalty.PeriodWeek}
		})
		m := s.member(t, "L", customer.Birthday{})
		order := []sale{sales[0], sales[1], sales[2]}
		if late {
			order = []sale{sales[1], sales[2], sales[0]}
		}
		for _, f := range order {
			s.clock.set(f.when)
			if late {
				s.clock.set(f.arrives)
			}
			s.buy(t, f.id, m.ID, f.when, line("TEA", "tea", 1, f.price))
		}
		acct, err := loyalty.LoadWhole(context.Background(), s.loyalty.Store(), m.ID)
		require.NoError(t, err)
		held := map[string]int64{}
		for l := range acct.Points.AllLots() {
			held[l.Source] += l.Remaining
		}
		return held
	}
	// A earns 100 and the 200 bonus; B its 300; C the 300 left of the week's 600.
	want := map[string]int64{"A": 300, "B": 300, "C": 300}
	require.Equal(t, want, run(false), "in time")
	require.Equal(t, want, run(true), "A synced four days late")
}
