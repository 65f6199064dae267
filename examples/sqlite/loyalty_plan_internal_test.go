package sqlite

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// TestLoyaltySpendingPlans asks SQLite how it runs the pages of
// SpendingLots on a member of 300 open lots: the first page and every
// page after it must search loyalty_lots_spending, a later page seeking
// past the last lot it read (the row value on the index's columns), not
// filtering the lots before it, and none may sort.
func TestLoyaltySpendingPlans(t *testing.T) {
	h := newHistory(t, 300)
	var lots []ledger.Lot
	for lot, err := range h.db.Loyalty().SpendingLots(t.Context(), "H-1") {
		if err != nil {
			t.Fatal(err)
		}
		lots = append(lots, lot)
	}
	if len(lots) != 300 {
		t.Fatalf("%d open lots, want 300", len(lots))
	}
	last := &lots[150]
	checkPlans(t, h.db, []queryPlan{
		pagePlan("SpendingLots/first", func() (string, []any) { return lotSpendingPage("H-1", nil, firstLotPage) },
			"INDEX loyalty_lots_spending (member_id=?)"),
		pagePlan("SpendingLots/next", func() (string, []any) { return lotSpendingPage("H-1", last, 64) },
			"INDEX loyalty_lots_spending (member_id=? AND (spend_by,earned_at,lot_id)>(?,?,?))"),
	})
}

// TestLoyaltyChangesPlan: Changes reads the header by its key and the
// change journal from the version asked about on, by the primary key's
// range, never the rows before it.
func TestLoyaltyChangesPlan(t *testing.T) {
	h := newHistory(t, 300)
	checkPlans(t, h.db, []queryPlan{
		{"Changes/journal", changesQuery, []any{"H-1", int64(250)}, "USING PRIMARY KEY (member_id=? AND version>?)"},
		{"Changes/header", changesQuery, []any{"H-1", int64(250)}, "loyalty_accounts USING INDEX sqlite_autoindex_loyalty_accounts_1 (member_id=?)"},
	})
}
