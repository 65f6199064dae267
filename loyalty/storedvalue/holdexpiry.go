package storedvalue

import (
	"context"
	"errors"
	"time"
)

// Holds that nobody settles.
//
// A hold (PayRequest.ExpiresAt) carries the instant it lapses, and its
// record sits in the store's index of due records until it is committed
// or released. ReleaseExpiredHolds walks that index, so a sweep reads the
// holds due and nothing else, however many holds are open or settled.
// The expiry is the sweep's deadline, not the commit's: until a sweep
// (or anyone) releases a hold, a commit still takes it, and both share
// the hold's one settlement key, so exactly one of them happens.

// ReleaseExpiredHolds releases up to limit holds (0: no limit) whose
// expiry is at or before now, the earliest first, and returns their IDs,
// so the host can tell the tills. Each release is ReleaseHold at now:
// idempotent (a hold another sweep released at the same moment is
// returned by both), and a hold committed meanwhile is left as it is. A
// released hold leaves the index, so a sweep stopped by its limit, an
// error or a crash resumes by being called again, and a rerun releases
// nothing twice.
func (s *Service) ReleaseExpiredHolds(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var c checks
	c.at("now", now)
	if limit < 0 {
		c.add("limit", "must not be negative")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	now = storeTime(now)
	var released []string
	for d, err := range s.store.DueRecords(ctx, RecordPayment, now, DueRecord{}) {
		if err != nil {
			return released, err
		}
		if limit > 0 && len(released) >= limit {
			break
		}
		_, err := s.ReleaseHold(ctx, SettleRequest{HoldID: d.Key, At: now})
		switch {
		case errors.Is(err, ErrHoldSettled):
			continue // committed (or released) since the index was read
		case err != nil:
			return released, err
		}
		released = append(released, d.Key)
	}
	return released, nil
}
