package postgres

import (
	"context"
	"iter"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/jackc/pgx/v5"
)

// dueMembersQuery names the members after $2 with an open lot expiring at
// or before $1, or an unreleased lot releasing at or before $3, without an index of its own:
// an index of lots by due time would cost every earn an insert (and all of
// them the same right-most page), for a nightly run. Instead it skips
// through the two per-member indexes every lot write keeps anyway, one
// probe a member: the first entry of each member in loyalty_lots_spending
// is its soonest-expiring open lot, and in loyalty_lots_pending its
// soonest release. A run over a million members with open lots is a
// million index probes in one statement (seconds of the server's time at
// night), and reads no header but the due ones'.
const dueMembersQuery = `WITH RECURSIVE
spend(member_id, due) AS (
	(SELECT member_id, ` + spendingFirst + ` FROM loyalty_lots
	 WHERE remaining > 0 AND member_id > $2 ORDER BY member_id, ` + spendingKey + ` LIMIT 1)
	UNION ALL
	SELECT n.member_id, n.due FROM spend, LATERAL (
		SELECT member_id, ` + spendingFirst + ` AS due FROM loyalty_lots
		WHERE remaining > 0 AND member_id > spend.member_id ORDER BY member_id, ` + spendingKey + ` LIMIT 1) n
),
release(member_id, due) AS (
	(SELECT member_id, pending_until FROM loyalty_lots
	 WHERE remaining > 0 AND NOT released AND member_id > $2 ORDER BY member_id, pending_until, lot_id LIMIT 1)
	UNION ALL
	SELECT n.member_id, n.due FROM release, LATERAL (
		SELECT member_id, pending_until AS due FROM loyalty_lots
		WHERE remaining > 0 AND NOT released AND member_id > release.member_id ORDER BY member_id, pending_until, lot_id LIMIT 1) n
)
SELECT member_id FROM spend WHERE due <= $1
UNION
SELECT member_id FROM release WHERE due <= $3
ORDER BY member_id`

// spendingFirst is the first column of spendingKey: a lot's expiry, or
// infinity for a lot that never expires.
const spendingFirst = `COALESCE(expires_at, 'infinity'::timestamptz)`

// DueAccounts implements loyalty.DueFinder. It reads the due members' IDs
// in one statement (dueMembersQuery), then their headers a page
// of IDs at a time, so no statement stays open while the caller saves; a
// run where every member has points lapsing (a year-end expiry) holds
// every member's ID at once, a few tens of bytes each.
func (s loyaltyStore) DueAccounts(ctx context.Context, by loyalty.DueBy, after string) iter.Seq2[loyalty.Account, error] {
	return func(yield func(loyalty.Account, error) bool) {
		rows, err := s.db.pool.Query(ctx, dueMembersQuery, by.Expiring, textBound(after), by.Releasing)
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
