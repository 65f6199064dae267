package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"iter"
	"slices"

	"github.com/clientele-go/clientele/loyalty"
)

// dueMembersQuery reads the member of every open lot expiring at or before
// ?2 or releasing at or before ?3. The loyalty_lots_due index (migration
// 050), whose predicate is written here as there, holds each open lot at
// the earlier of the two instants, so the lots due by either bound are in
// its range up to the later bound, ?1, and each is checked against its own
// bound there. It leaves the members' order and repeats to Go:
// asked to order them, the planner walks loyalty_lots_spending by member
// instead, every open lot, to skip a sort of the few due ones.
const dueMembersQuery = `SELECT member_id FROM loyalty_lots
WHERE remaining > 0 AND due_at IS NOT NULL AND due_at <= ?1
	AND (expires_at <= ?2 OR (released = 0 AND pending_until <= ?3))`

// DueAccounts implements loyalty.DueFinder. It reads the due members' IDs
// in one statement (the due lots, by the index), then their headers a page
// of IDs at a time, so no statement stays open while the caller saves.
func (s loyaltyStore) DueAccounts(ctx context.Context, by loyalty.DueBy, after string) iter.Seq2[loyalty.Account, error] {
	return func(yield func(loyalty.Account, error) bool) {
		members, err := collect(ctx, s.db.rd, dueMembersQuery,
			[]any{micros(by.Through()), micros(by.Expiring), micros(by.Releasing)}, scanString)
		if err != nil {
			yield(loyalty.Account{}, err)
			return
		}
		slices.Sort(members)
		var ids []string
		for _, id := range slices.Compact(members) {
			if id > after {
				ids = append(ids, id)
			}
		}
		for len(ids) > 0 {
			n := min(pageSize, len(ids))
			list, err := json.Marshal(ids[:n])
			if err != nil {
				yield(loyalty.Account{}, err)
				return
			}
			page, err := collect(ctx, s.db.rd, `SELECT `+accountColumns+` FROM loyalty_accounts
				WHERE member_id IN (SELECT value FROM json_each(?)) ORDER BY member_id`, []any{string(list)}, func(rows *sql.Rows) (loyalty.Account, error) { return scanAccount(rows) })
			if err != nil {
				yield(loyalty.Account{}, err)
				return
			}
			for _, a := range page {
				if !yield(a, nil) {
					return
				}
			}
			ids = ids[n:]
		}
		if err := ctx.Err(); err != nil {
			yield(loyalty.Account{}, err)
		}
	}
}

func scanString(rows *sql.Rows) (string, error) {
	var s string
	err := rows.Scan(&s)
	return s, err
}
