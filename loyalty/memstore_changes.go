package loyalty

import (
	"context"
	"fmt"
)

// Changes implements ChangeFeed from the account's change journal, whose
// entry for version v sits at v-1 (versions step by one from 1): it
// decodes the entries after since, never the ones before.
func (m *memoryStore) Changes(ctx context.Context, memberID string, since int64) (Changes, error) {
	if err := ctx.Err(); err != nil {
		return Changes{}, err
	}
	m.mu.RLock()
	a, ok := m.accounts[memberID]
	var version, seq int64
	var journal [][]byte
	if ok {
		version, seq = a.acct.Version, a.header.Seq
		if since >= 0 && since <= int64(len(a.changes)) {
			journal = a.changes[since:] // stored slices are never changed
		}
	}
	m.mu.RUnlock()
	if !ok {
		return Changes{}, &notFoundError{"account", memberID}
	}
	changes := make([]Change, len(journal))
	for i, b := range journal {
		c, err := DecodeChange(b)
		if err != nil {
			return Changes{}, fmt.Errorf("account %s: change journal: %w", memberID, err)
		}
		changes[i] = c
	}
	return SumChanges(since, version, seq, changes)
}
