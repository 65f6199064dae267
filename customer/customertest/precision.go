package customertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func precisionRules() []rule {
	return []rule{
		{"TimePrecision", "MicrosecondsRoundTripInAnyZone", precisionRoundTrip},
		{"TimePrecision", "MicrosecondApartKeepOrderAndBounds", precisionOrder},
	}
}

// precise is a time with every microsecond digit set, in a zone with a
// half-hour offset, on a leap day. late is the last microsecond of a year
// in a zone behind UTC: rounded to the second or the millisecond, it
// becomes the first instant of the next year there.
var (
	precise = time.Date(2024, time.February, 29, 23, 59, 59, 987654000, kolkata)
	late    = time.Date(2026, time.December, 31, 23, 59, 59, 999999000, newYork)
)

func precisionRoundTrip(t *testing.T, s customer.Store) {
	ctx := t.Context()
	for i, when := range []time.Time{precise, late} {
		c := fullCustomer(fmt.Sprintf("c-%d", i+1))
		c.Identities = []customer.Identity{member(i)}
		c.JoinedAt = when
		c.ErasedAt = when.Add(time.Microsecond).In(shanghai)
		c.Consents[0].History[0].At = when.Add(2 * time.Microsecond)
		require.NoError(t, s.CreateCustomer(ctx, c))
		got, err := s.GetCustomer(ctx, c.ID)
		require.NoError(t, err)
		assertCustomer(t, c, got)

		p := newPurchase("p-"+c.ID, c.ID, when)
		require.NoError(t, s.AddPurchase(ctx, p))
		gotP, err := s.GetPurchase(ctx, p.Purchase.ID)
		require.NoError(t, err)
		assertTime(t, when, gotP.Purchase.Time, "Purchase.Time")

		r := newReturn("r-"+c.ID, p.Purchase.ID, c.ID, when.Add(time.Microsecond))
		require.NoError(t, s.AddReturn(ctx, r, 1))
		gotR, err := s.GetReturn(ctx, r.Return.ID)
		require.NoError(t, err)
		assertTime(t, r.Return.Time, gotR.Return.Time, "Return.Time")

		in := newInteraction("i-"+c.ID, c.ID, when)
		require.NoError(t, s.AddInteraction(ctx, in))
		gotI, err := s.GetInteraction(ctx, in.ID)
		require.NoError(t, err)
		assertTime(t, when, gotI.Time, "Interaction.Time")

		m := newMerge("c-0", c.ID)
		m.At = when
		require.NoError(t, s.AddMerge(ctx, m))
		gotM, err := s.GetMerge(ctx, c.ID)
		require.NoError(t, err)
		assertTime(t, when, gotM.At, "MergeRecord.At")
		require.NoError(t, s.AbandonMerge(ctx, c.ID, 1, when.Add(3*time.Microsecond).In(newYork)))
		gotM, err = s.GetMerge(ctx, c.ID)
		require.NoError(t, err)
		assertTime(t, when.Add(3*time.Microsecond), gotM.AbandonedAt, "MergeRecord.AbandonedAt")
	}
}

func precisionOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	// IDs run against time, so only the microsecond decides the order.
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-c", "c-1", precise)))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-b", "c-1", precise.Add(time.Microsecond))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-a", "c-1", precise.Add(2*time.Microsecond))))

	got := kit.Collect(t, s.PurchasesBetween(ctx, precise, precise.Add(3*time.Microsecond)))
	assert.Equal(t, []string{"p-c", "p-b", "p-a"}, purchaseIDs(got))
	got = kit.Collect(t, s.PurchasesBetween(ctx, precise.Add(time.Microsecond), precise.Add(2*time.Microsecond)))
	assert.Equal(t, []string{"p-b"}, purchaseIDs(got), "a one-microsecond range")
	assert.Equal(t, []string{"p-a", "p-b", "p-c"}, purchaseIDs(kit.Collect(t, s.PurchasesOf(ctx, "c-1"))))
}
