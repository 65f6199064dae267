package loyaltytest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// listings are every iterator of the Store, each over the three values
// seedListings gives it.
var listings = []kit.Listing[loyalty.Store]{
	{Name: "Entries", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Entries(ctx, "M00001", 0), func(e ledger.Entry) string { return e.ID })
	}},
	{Name: "Accounts", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Accounts(ctx, ""), func(a loyalty.Account) string { return a.MemberID })
	}},
}

// seedListings gives every listing exactly three values: three accounts,
// the first with three entries.
func seedListings(t *testing.T, s loyalty.Store) {
	t.Helper()
	m := newMember(t, "M00001")
	m.save(t, s, m.next(t, "earn:1", chain(earn("lot-1", 10, at(0)), earn("lot-2", 20, at(time.Second)), earn("lot-3", 30, at(2*time.Second)))))
	createAll(t, s, []string{"M00002", "M00003"})
}

func iteratorRules() []rule {
	ls := kit.Listings[loyalty.Store]{
		All:    listings,
		Seed:   seedListings,
		Seeded: 3,
		Write: func(t *testing.T, s loyalty.Store) {
			m, w := simpleWrite(t, "M00004", 1)
			m.save(t, s, w)
		},
	}
	var rules []rule
	for _, r := range ls.Rules() {
		rules = append(rules, rule(r))
	}
	return rules
}
