package storedvaluetest

import (
	"context"
	"iter"
	"strconv"
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

const listed = "L1"

var listings = []kit.Listing[storedvalue.Store]{
	{Name: "Entries", Seq: func(ctx context.Context, s storedvalue.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Entries(ctx, listed, 0), func(e storedvalue.Entry) string { return strconv.FormatInt(e.Seq, 10) })
	}},
	{Name: "Accounts", Seq: func(ctx context.Context, s storedvalue.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Accounts(ctx, ""), func(a storedvalue.Account) string { return a.ID })
	}},
	{Name: "SpendingParts", Seq: func(ctx context.Context, s storedvalue.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.SpendingParts(ctx, listed, storedvalue.PaidPart), func(p storedvalue.Part) string { return p.ID })
	}},
	{Name: "DueRecords", Seq: func(ctx context.Context, s storedvalue.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.DueRecords(ctx, storedvalue.RecordPayment, at(day), storedvalue.DueRecord{}),
			func(d storedvalue.DueRecord) string { return d.Key })
	}},
	{Name: "AllParts", Seq: func(ctx context.Context, s storedvalue.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.AllParts(ctx, listed), func(p storedvalue.Part) string { return p.ID })
	}},
}

// seedListings gives every listing three values: three accounts, the
// first with three paid parts, three entries and three due records.
func seedListings(t *testing.T, s storedvalue.Store) {
	t.Helper()
	a := wallet(listed)
	w := a.next("op:1", paid("p1", 1, at(0)), paid("p2", 1, at(1)), paid("p3", 1, at(2)))
	w.Records = []storedvalue.Record{dueRecord("h1", at(1)), dueRecord("h2", at(2)), dueRecord("h3", at(3))}
	a.save(t, s, w)
	create(t, s, "L2")
	create(t, s, "L3")
}

func iteratorRules() []rule {
	var out []rule
	for _, r := range (kit.Listings[storedvalue.Store]{
		All:    listings,
		Seed:   seedListings,
		Seeded: 3,
		Write:  func(t *testing.T, s storedvalue.Store) { create(t, s, "L4") },
	}).Rules() {
		out = append(out, rule(r))
	}
	return out
}
