package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/jackc/pgx/v5"
)

// changesQuery reads an account's version and header and the journal's
// changes after a version, in version order, in one statement: one
// snapshot, so the rows read and the header they sum to agree. The
// journal is read by a range of its primary key, so the cost is the rows
// after the version asked about, never the member's history.
const changesQuery = `SELECT a.version, a.header, a.state,
	(SELECT array_agg(c.change ORDER BY c.version) FROM loyalty_changes c WHERE c.member_id = $1 AND c.version > $2)
FROM loyalty_accounts a WHERE a.member_id = $1`

// Changes implements loyalty.ChangeFeed from the change journal Save
// writes (migration 032). An account saved before that migration has no
// rows for its earlier versions, so a version below its first journalled
// save is loyalty.ErrChangesGone (loyalty.SumChanges finds the gap).
func (s journaledStore) Changes(ctx context.Context, memberID string, since int64) (loyalty.Changes, error) {
	var (
		version       int64
		header, state []byte
		journal       [][]byte
	)
	err := s.db.pool.QueryRow(ctx, changesQuery, memberID, since).Scan(&version, &header, &state, &journal)
	if errors.Is(err, pgx.ErrNoRows) {
		return loyalty.Changes{}, fmt.Errorf("account %s: %w", memberID, loyalty.ErrNotFound)
	}
	if err != nil {
		return loyalty.Changes{}, err
	}
	acct, err := decodeAccount(memberID, version, header, state)
	if err != nil {
		return loyalty.Changes{}, err
	}
	changes := make([]loyalty.Change, len(journal))
	for i, b := range journal {
		if changes[i], err = loyalty.DecodeChange(b); err != nil {
			return loyalty.Changes{}, fmt.Errorf("account %s: change journal: %w", memberID, err)
		}
	}
	return loyalty.SumChanges(since, version, acct.Points.Header().Seq, changes)
}
