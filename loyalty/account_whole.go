package loyalty

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// ErrInconsistent reports an account whose stored header does not match
// its stored lots: a store that lost or tore a write.
var ErrInconsistent = errors.New("loyalty: stored account header and its records disagree")

// LoadWhole returns a member's account with every lot and ledger operation
// loaded, so that Points is a complete ledger account: for audits,
// exports, merges and loyaltytest.CheckInvariants. It costs the member's
// whole history, which no operation of the service pays. It fails with
// ErrInconsistent if the header's running sums (remaining, pending, held
// points) differ from those of the stored lots. An account merged into
// another keeps its lots as they were at the merge, for audits, and only
// its header is checked.
func LoadWhole(ctx context.Context, store Store, memberID string) (Account, error) {
	// The header is read again after the lots: a write landing between the
	// reads would otherwise look like a torn store.
	for attempt := 0; ; attempt++ {
		acct, err := loadWhole(ctx, store, memberID)
		if err == nil {
			return acct, nil
		}
		if !errors.Is(err, ErrInconsistent) || attempt >= 8 {
			return Account{}, err
		}
		again, gerr := store.GetAccount(ctx, memberID)
		if gerr != nil || again.Version == acct.Version {
			return Account{}, err
		}
	}
}

func loadWhole(ctx context.Context, store Store, memberID string) (Account, error) {
	acct, err := store.GetAccount(ctx, memberID)
	if err != nil {
		return Account{}, err
	}
	h := acct.Points.Header()
	if acct.MergedInto != "" {
		return acct, nil
	}
	snap := ledger.Snapshot{ID: h.ID, Version: h.Version, Seq: h.Seq, Debt: h.Debt, LastActivity: h.LastActivity, Totals: h.Totals}
	for l, err := range store.AllLots(ctx, memberID) {
		if err != nil {
			return Account{}, err
		}
		snap.Lots = append(snap.Lots, l)
	}
	for r, err := range store.Records(ctx, memberID, RecordOperation) {
		if err != nil {
			return Account{}, err
		}
		op, err := decodeLedgerOp(r.Data)
		if err != nil {
			return Account{}, fmt.Errorf("loyalty: operation record %s: %w", r.Key, err)
		}
		snap.Operations = append(snap.Operations, op)
	}
	pts, err := ledger.FromSnapshot(snap)
	if err != nil {
		return acct, fmt.Errorf("%w: account %s as stored: %w", ErrInconsistent, memberID, err)
	}
	if got := pts.Header(); got.Remaining != h.Remaining || got.Pending != h.Pending || got.Held != h.Held {
		return acct, fmt.Errorf("%w: account %s: header holds %d/%d/%d remaining/pending/held, lots %d/%d/%d",
			ErrInconsistent, memberID, h.Remaining, h.Pending, h.Held, got.Remaining, got.Pending, got.Held)
	}
	acct.Points = pts
	return acct, nil
}
