package sqlite

import (
	"strings"
	"testing"
	"time"
)

// TestLoyaltyDuePlan asks SQLite how it finds the due members on a member
// of 300 lots: it must search loyalty_lots_due by the due instant, never
// scan the lots.
func TestLoyaltyDuePlan(t *testing.T) {
	h := newHistory(t, 300)
	rows, err := h.db.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+dueMembersQuery, micros(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%q", plan)
	searched := false
	for _, d := range plan {
		if strings.HasPrefix(d, "SCAN") {
			t.Errorf("%q scans", d)
		}
		searched = searched || strings.HasPrefix(d, "SEARCH loyalty_lots USING INDEX loyalty_lots_due (due_at>? AND due_at<?)")
	}
	if !searched {
		t.Errorf("the plan %q does not search loyalty_lots_due by the due instant", plan)
	}
}
