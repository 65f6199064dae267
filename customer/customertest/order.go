package customertest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func orderRules() []rule {
	return []rule{
		{"PurchasesOf", "NewestFirstTiesByIDDescending", purchasesOfOrder},
		{"ReturnsOf", "NewestFirstTiesByIDDescending", returnsOfOrder},
		{"ReturnsOfPurchase", "OldestFirstTiesByID", returnsOfPurchaseOrder},
		{"PurchasesBetween", "HalfOpenRangeOldestFirstTiesByID", purchasesBetweenOrder},
		{"PurchasesBetween", "EmptyOrInvertedRangeYieldsNothing", purchasesBetweenEmpty},
		{"ReturnsBetween", "HalfOpenRangeOldestFirstTiesByID", returnsBetweenOrder},
		{"InteractionsOf", "NewestFirstTiesByIDDescending", interactionsOfOrder},
	}
}

// shuffled returns a copy of vs in an order fixed by seed, so records reach
// the store in an order unrelated to the one it must yield them in.
func shuffled[T any](vs []T, seed uint64) []T {
	out := append([]T(nil), vs...)
	rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// timed is a record ID with a time offset from base and a zone, the raw
// material of the ordering fixtures.
type timed struct {
	id  string
	d   time.Duration
	loc *time.Location
}

func (x timed) time() time.Time { return at(x.d).In(x.loc) }

// ownHistory is one customer's records: two pairs tie on time, zones vary
// (order is by instant, not by wall clock), and the newest is one
// microsecond after its neighbour.
var ownHistory = []timed{
	{"x-3", 0, shanghai},
	{"x-1", time.Hour, newYork},
	{"x-2", time.Hour, shanghai}, // ties with x-1
	{"x-10", 2 * time.Hour, kolkata},
	{"x-b", 3 * time.Hour, time.UTC},
	{"x-a", 3 * time.Hour, newYork}, // ties with x-b
	{"x-0", 3*time.Hour + time.Microsecond, shanghai},
	{"x-9", -24 * time.Hour, shanghai},
}

// ownNewestFirst is ownHistory by Time descending, then ID descending.
var ownNewestFirst = []string{"x-0", "x-b", "x-a", "x-10", "x-2", "x-1", "x-3", "x-9"}

// ownOldestFirst is ownHistory by Time, then ID.
var ownOldestFirst = []string{"x-9", "x-3", "x-1", "x-2", "x-10", "x-a", "x-b", "x-0"}

func purchasesOfOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	for _, x := range shuffled(ownHistory, 1) {
		require.NoError(t, s.AddPurchase(ctx, newPurchase(x.id, "c-1", x.time())))
		// Neighbours at the same instants that belong elsewhere.
		require.NoError(t, s.AddPurchase(ctx, newPurchase("other-"+x.id, "c-2", x.time())))
		require.NoError(t, s.AddPurchase(ctx, newPurchase("anon-"+x.id, "", x.time())))
	}
	got := kit.Collect(t, s.PurchasesOf(ctx, "c-1"))
	assert.Equal(t, ownNewestFirst, purchaseIDs(got))
	for _, p := range got {
		assert.Equal(t, "c-1", p.CustomerID)
	}
	assert.Empty(t, kit.Collect(t, s.PurchasesOf(ctx, "c-3")))
}

func returnsOfOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(-48*time.Hour))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-2", "c-2", at(-48*time.Hour))))
	v1, v2 := int64(1), int64(1)
	for _, x := range shuffled(ownHistory, 2) {
		require.NoError(t, s.AddReturn(ctx, newReturn(x.id, "p-1", "c-1", x.time()), v1))
		v1++
		require.NoError(t, s.AddReturn(ctx, newReturn("other-"+x.id, "p-2", "c-2", x.time()), v2))
		v2++
	}
	got := kit.Collect(t, s.ReturnsOf(ctx, "c-1"))
	assert.Equal(t, ownNewestFirst, returnIDs(got))
	for _, r := range got {
		assert.Equal(t, "c-1", r.CustomerID)
	}
}

func returnsOfPurchaseOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(-48*time.Hour))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-2", "c-1", at(-48*time.Hour))))
	v1, v2 := int64(1), int64(1)
	for _, x := range shuffled(ownHistory, 3) {
		require.NoError(t, s.AddReturn(ctx, newReturn(x.id, "p-1", "c-1", x.time()), v1))
		v1++
		require.NoError(t, s.AddReturn(ctx, newReturn("p2-"+x.id, "p-2", "c-1", x.time()), v2))
		v2++
	}
	got := kit.Collect(t, s.ReturnsOfPurchase(ctx, "p-1"))
	assert.Equal(t, ownOldestFirst, returnIDs(got))
	for _, r := range got {
		assert.Equal(t, "p-1", r.PurchaseID)
	}
	assert.Empty(t, kit.Collect(t, s.ReturnsOfPurchase(ctx, "p-3")))
}

// rangeFixture places records around [at(0), at(time.Hour)): just before,
// on the lower bound (a tie), inside, one microsecond before the upper
// bound, on it and after it.
var rangeFixture = []timed{
	{"before", -time.Microsecond, shanghai},
	{"from-b", 0, newYork},
	{"from-a", 0, kolkata},
	{"mid", 30 * time.Minute, time.UTC},
	{"last", time.Hour - time.Microsecond, newYork},
	{"to", time.Hour, shanghai},
	{"after", 2 * time.Hour, shanghai},
}

// rangeInside is what [at(0), at(time.Hour)) holds, oldest first.
var rangeInside = []string{"from-a", "from-b", "mid", "last"}

func purchasesBetweenOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	customers := []string{"c-1", "c-2", ""} // every customer, and anonymous sales
	for i, x := range shuffled(rangeFixture, 4) {
		require.NoError(t, s.AddPurchase(ctx, newPurchase(x.id, customers[i%len(customers)], x.time())))
	}
	// The bounds are given in zones of their own: the range is of instants.
	got := kit.Collect(t, s.PurchasesBetween(ctx, at(0).UTC(), at(time.Hour).In(kolkata)))
	assert.Equal(t, rangeInside, purchaseIDs(got))

	want, err := s.GetPurchase(ctx, "mid")
	require.NoError(t, err)
	for _, p := range got {
		if p.ID == "mid" {
			assertPurchase(t, want.Purchase, p)
		}
	}
	// Narrower ranges cut on the same rules.
	assert.Equal(t, []string{"last"}, purchaseIDs(kit.Collect(t, s.PurchasesBetween(ctx, at(time.Hour-time.Microsecond), at(time.Hour)))))
	assert.Equal(t, []string{"from-a", "from-b"}, purchaseIDs(kit.Collect(t, s.PurchasesBetween(ctx, at(0), at(time.Microsecond)))))
}

func purchasesBetweenEmpty(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	assert.Empty(t, kit.Collect(t, s.PurchasesBetween(ctx, at(0), at(0))), "from == to")
	assert.Empty(t, kit.Collect(t, s.PurchasesBetween(ctx, at(time.Hour), at(-time.Hour))), "from after to")
	assert.Empty(t, kit.Collect(t, s.PurchasesBetween(ctx, at(time.Microsecond), at(time.Hour))), "after the only purchase")
}

func returnsBetweenOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(-48*time.Hour))))
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-2", "c-2", at(-48*time.Hour))))
	purchases := []string{"p-1", "p-2"}
	versions := map[string]int64{"p-1": 1, "p-2": 1}
	for i, x := range shuffled(rangeFixture, 5) {
		p := purchases[i%2]
		require.NoError(t, s.AddReturn(ctx, newReturn(x.id, p, "c-"+p[2:], x.time()), versions[p]))
		versions[p]++
	}
	got := kit.Collect(t, s.ReturnsBetween(ctx, at(0).In(newYork), at(time.Hour).UTC()))
	assert.Equal(t, rangeInside, returnIDs(got))
	assert.Empty(t, kit.Collect(t, s.ReturnsBetween(ctx, at(0), at(0))), "from == to")
	assert.Empty(t, kit.Collect(t, s.ReturnsBetween(ctx, at(time.Hour), at(0))), "from after to")
}

func interactionsOfOrder(t *testing.T, s customer.Store) {
	ctx := t.Context()
	for _, x := range shuffled(ownHistory, 6) {
		require.NoError(t, s.AddInteraction(ctx, newInteraction(x.id, "c-1", x.time())))
		require.NoError(t, s.AddInteraction(ctx, newInteraction("other-"+x.id, "c-2", x.time())))
	}
	got := kit.Collect(t, s.InteractionsOf(ctx, "c-1"))
	assert.Equal(t, ownNewestFirst, interactionIDs(got))
	for _, in := range got {
		assert.Equal(t, "c-1", in.CustomerID)
	}
	assert.Empty(t, kit.Collect(t, s.InteractionsOf(ctx, "c-3")))
}
