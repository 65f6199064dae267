package storedvalue

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// ErrAudit is matched by every broken invariant Audit finds.
var ErrAudit = errors.New("storedvalue: ledger invariant broken")

// Audit reads one account's whole history and checks the ledger's
// invariants, returning every break it finds (each matching ErrAudit):
//
//  1. entries are numbered 1..Seq without gaps;
//  2. the balance of each kind (spendable plus held) is the sum of the
//     entries' Paid or Bonus, and held money the sum of their HeldPaid or
//     HeldBonus;
//  3. spendable and held money of each kind are the sums of the parts'
//     Remaining and Held: paid and bonus are never mixed;
//  4. no part, balance or held amount is below zero, and no part holds
//     more than was credited to it;
//  5. a punch card's remaining uses are the sum of its entries' Uses,
//     between zero and the uses sold plus those given back.
//
// It costs the account's history: it is for tests, audits and repair
// jobs, not for the till.
func Audit(ctx context.Context, store Store, accountID string) error {
	a, err := store.GetAccount(ctx, accountID)
	if err != nil {
		return err
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: account %s: %s", ErrAudit, accountID, fmt.Sprintf(format, args...)))
	}
	var seq, paid, bonus, heldPaid, heldBonus, uses int64
	for e, err := range store.Entries(ctx, accountID, 0) {
		if err != nil {
			return err
		}
		seq++
		if e.Seq != seq {
			bad("entry %d follows entry %d", e.Seq, seq-1)
			seq = e.Seq
		}
		paid, bonus, heldPaid, heldBonus, uses = paid+e.Paid, bonus+e.Bonus, heldPaid+e.HeldPaid, heldBonus+e.HeldBonus, uses+e.Uses
	}
	if seq != a.Seq {
		bad("header Seq %d, last entry %d", a.Seq, seq)
	}
	if paid != a.Paid+a.HeldPaid || bonus != a.Bonus+a.HeldBonus {
		bad("entries sum to paid %d bonus %d, header holds %d+%d and %d+%d", paid, bonus, a.Paid, a.HeldPaid, a.Bonus, a.HeldBonus)
	}
	if heldPaid != a.HeldPaid || heldBonus != a.HeldBonus {
		bad("entries hold paid %d bonus %d, header %d and %d", heldPaid, heldBonus, a.HeldPaid, a.HeldBonus)
	}
	if a.Paid < 0 || a.Bonus < 0 || a.HeldPaid < 0 || a.HeldBonus < 0 {
		bad("a header amount is negative")
	}
	var rem, held [2]int64
	for p, err := range store.AllParts(ctx, accountID) {
		if err != nil {
			return err
		}
		if p.Kind != PaidPart && p.Kind != BonusPart {
			bad("part %s has kind %q", p.ID, p.Kind)
			continue
		}
		if p.Remaining < 0 || p.Held < 0 || p.Remaining+p.Held > p.Amount {
			bad("part %s: remaining %d and held %d of %d", p.ID, p.Remaining, p.Held, p.Amount)
		}
		if p.Kind == PaidPart && !p.ExpiresAt.IsZero() {
			bad("paid part %s expires", p.ID)
		}
		i := kindIndex(p.Kind)
		rem[i] += p.Remaining
		held[i] += p.Held
	}
	if rem != [2]int64{a.Paid, a.Bonus} || held != [2]int64{a.HeldPaid, a.HeldBonus} {
		bad("parts hold spendable %v held %v, header %d/%d and %d/%d", rem, held, a.Paid, a.Bonus, a.HeldPaid, a.HeldBonus)
	}
	if p := a.Punch; p != nil && (p.Remaining != uses || p.Remaining < 0) {
		bad("punch card: %d uses remaining, entries give %d", p.Remaining, uses)
	}
	if a.Punch == nil && uses != 0 {
		bad("a money account has use entries")
	}
	return errors.Join(errs...)
}

// AccountEntry is an entry with the account it belongs to.
type AccountEntry struct {
	AccountID string
	Type      AccountType
	Entry     Entry
}

// AllEntries streams every entry of every account in the store, account
// by account in ID order, each account's in Seq order: the input of
// liability and flow reports (metrics.StoredValue). It reads the whole
// history: a report job's read, not a till's.
func AllEntries(ctx context.Context, s Store) iter.Seq2[AccountEntry, error] {
	return func(yield func(AccountEntry, error) bool) {
		for a, err := range s.Accounts(ctx, "") {
			if err != nil {
				yield(AccountEntry{}, err)
				return
			}
			for e, err := range s.Entries(ctx, a.ID, 0) {
				if !yield(AccountEntry{AccountID: a.ID, Type: a.Type, Entry: e}, err) || err != nil {
					return
				}
			}
		}
	}
}
