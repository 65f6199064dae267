package loyaltytest

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// CheckInvariants checks one account in a store against the ledger's
// invariants (DESIGN §3): the balance equals the sum of its entries and of
// its lots' remaining points, no lot is over- or under-drawn, holds never
// over-commit, the account's sequence matches its last entry, and no entry
// seen before (seen, from the previous call) was changed or removed. It
// returns the entries it read, to pass as seen next time. Hosts call it in
// their own tests after operations on their store. Entries beyond the
// account's sequence belong to writes that landed after the account was
// read, so the check may run while other goroutines write.
//
// The account is read with loyalty.LoadWhole: its header, then every lot
// and ledger operation. A write landing between those reads makes them
// disagree (loyalty.ErrInconsistent) though the store is fine, so the
// check reads again while the account's version keeps moving; a store
// whose header and lots disagree at rest fails it.
func CheckInvariants(ctx context.Context, store loyalty.Store, memberID string, seen []ledger.Entry) ([]ledger.Entry, error) {
	acct, err := loadSettled(ctx, store, memberID)
	if err != nil {
		return seen, err
	}
	var entries []ledger.Entry
	for e, err := range store.Entries(ctx, memberID, 0) {
		if err != nil {
			return seen, err
		}
		if e.Seq > acct.Points.Seq() {
			break // written after the account was read
		}
		entries = append(entries, e)
	}
	var errs []error
	if acct.Version < 1 {
		errs = append(errs, fmt.Errorf("account %s: version %d, want at least 1", memberID, acct.Version))
	}
	last := int64(0)
	if len(entries) > 0 {
		last = entries[len(entries)-1].Seq
	}
	if acct.Points.Seq() != last {
		errs = append(errs, fmt.Errorf("account %s: ledger sequence %d, last stored entry %d", memberID, acct.Points.Seq(), last))
	}
	if err := ledger.CheckInvariants(acct.Points, entries); err != nil {
		errs = append(errs, fmt.Errorf("account %s: %w", memberID, err))
	}
	if err := ledger.CheckAppendOnly(seen, entries); err != nil {
		errs = append(errs, fmt.Errorf("account %s: %w", memberID, err))
	}
	return entries, errors.Join(errs...)
}

// settleAttempts bounds how often loadSettled reads an account again
// because a write landed while it read.
const settleAttempts = 10

// loadSettled is loyalty.LoadWhole, read again if it found the header and
// lots disagreeing while the account's version moved.
func loadSettled(ctx context.Context, store loyalty.Store, memberID string) (loyalty.Account, error) {
	for attempt := 1; ; attempt++ {
		before, err := store.GetAccount(ctx, memberID)
		if err != nil {
			return before, err
		}
		acct, err := loyalty.LoadWhole(ctx, store, memberID)
		if !errors.Is(err, loyalty.ErrInconsistent) || attempt == settleAttempts {
			return acct, err
		}
		after, aerr := store.GetAccount(ctx, memberID)
		if aerr != nil || after.Version == before.Version {
			return acct, err // at rest: the store disagrees with itself
		}
	}
}
