package postgres

import (
	"context"
	"iter"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/jackc/pgx/v5"
)

// dueMembersQuery names the members after $2 with an open lot due at or
// before $1, through the loyalty_lots_due index (migration 036): its
// expression and predicate are written here as there.
const dueMembersQuery = `SELECT DISTINCT member_id FROM loyalty_lots
WHERE remaining > 0 AND (expires_at IS NOT NULL OR NOT released)
	AND LEAST(expires_at, CASE WHEN released THEN NULL ELSE pending_until END) <= $1
	AND member_id > $2
ORDER BY member_id`

// DueAccounts implements loyalty.DueFinder. It reads the due members' IDs
// in one statement (the due lots, by the index), then their headers a page
// of IDs at a time, so no statement stays open while the caller saves; a
// run where every member has points lapsing (a year-end expiry) holds
// every member's ID at once, a few tens of bytes each.
func (s loyaltyStore) DueAccounts(ctx context.Context, through time.Time, after string) iter.Seq2[loyalty.Account, error] {
	return func(yield func(loyalty.Account, error) bool) {
		rows, err := s.db.pool.Query(ctx, dueMembersQuery, through, textBound(after))
		if err != nil {
			yield(loyalty.Account{}, err)
			return
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			yield(loyalty.Account{}, err)
			return
		}
		for len(ids) > 0 {
			n := min(pageSize, len(ids))
			rows, err := s.db.pool.Query(ctx, `SELECT `+accountColumns+` FROM loyalty_accounts WHERE member_id = ANY($1) ORDER BY member_id`, ids[:n])
			if err != nil {
				yield(loyalty.Account{}, err)
				return
			}
			page, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (loyalty.Account, error) { return scanAccount(row) })
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
