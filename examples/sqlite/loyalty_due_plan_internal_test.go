package sqlite

import (
	"testing"
	"time"
)

// TestLoyaltyDuePlan asks SQLite how it finds the due members on a member
// of 300 lots: it must search loyalty_lots_due by the due instant, never
// scan the lots or sort them.
func TestLoyaltyDuePlan(t *testing.T) {
	h := newHistory(t, 300)
	checkPlans(t, h.db, []queryPlan{
		{"DueAccounts/members", dueMembersQuery, []any{micros(time.Now()), micros(time.Now()), micros(time.Now())}, "INDEX loyalty_lots_due (due_at>? AND due_at<?)"},
	})
}
