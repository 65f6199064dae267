package loyalty

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// MergeResult is what folding one account into another did.
type MergeResult struct {
	Survivor  string         `json:"survivor"`
	Duplicate string         `json:"duplicate"`
	Entries   []ledger.Entry `json:"entries"` // the survivor's
	Events    []Event        `json:"events"`
}

// Merge folds the duplicate member's account into the survivor's when the
// customers merge: lots keep their expiry and pending state, debt moves,
// qualifying activity, coupons and return records join, and the survivor
// keeps the better tier. It is a chain of idempotent steps (freeze the
// duplicate, absorb it into the survivor, empty it), so a merge cut short
// completes when called again, and a completed merge changes nothing.
func (s *Service) Merge(ctx context.Context, survivorID, duplicateID string) (MergeResult, error) {
	res := MergeResult{Survivor: survivorID, Duplicate: duplicateID}
	if survivorID == "" || duplicateID == "" || survivorID == duplicateID {
		return res, &FieldError{Field: "duplicate", Problem: "two different member IDs are required"}
	}
	dup, err := s.freeze(ctx, survivorID, duplicateID)
	if errors.Is(err, ErrNotFound) {
		return res, nil // the duplicate never had an account
	}
	if err != nil {
		return res, fmt.Errorf("loyalty: merge %s into %s: %w", duplicateID, survivorID, err)
	}
	if dup.MergedInto == survivorID {
		return res, nil
	}
	err = s.write(ctx, request{key: "merge-in:" + duplicateID, body: [2]string{survivorID, duplicateID}, member: survivorID, create: true}, &res,
		func(acct Account) (Account, []ledger.Entry, any, error) {
			return s.absorb(acct, dup)
		})
	if err != nil {
		return res, fmt.Errorf("loyalty: merge %s into %s: %w", duplicateID, survivorID, err)
	}
	if err := s.empty(ctx, dup); err != nil {
		return res, fmt.Errorf("loyalty: merge %s into %s: %w", duplicateID, survivorID, err)
	}
	return res, nil
}

// freeze marks the duplicate as merging, so nothing spends its points while
// they move, and returns it.
func (s *Service) freeze(ctx context.Context, survivorID, duplicateID string) (Account, error) {
	for attempt := 0; ; attempt++ {
		dup, err := s.store.GetAccount(ctx, duplicateID)
		if err != nil {
			return Account{}, err
		}
		switch {
		case dup.MergedInto != "" && dup.MergedInto != survivorID, dup.MergingInto != "" && dup.MergingInto != survivorID:
			return Account{}, fmt.Errorf("%w: already merged into another member", ErrIdempotencyMismatch)
		case dup.MergedInto != "" || dup.MergingInto != "":
			return dup, nil
		}
		next := dup.Clone()
		next.MergingInto, next.MergingAt = survivorID, s.now()
		next.Version++
		err = s.store.Save(ctx, Write{Account: next})
		if err == nil {
			return next, nil
		}
		if !errors.Is(err, ErrConflict) || attempt >= s.opts.MaxRetries {
			return Account{}, err
		}
	}
}

// absorb folds the frozen duplicate into the survivor.
func (s *Service) absorb(acct Account, dup Account) (Account, []ledger.Entry, any, error) {
	m, err := acct.Points.MergeFrom(dup.Points, dup.MergingAt)
	if err != nil {
		return acct, nil, nil, err
	}
	acct.Points = m.Survivor
	for _, ev := range dup.Activity {
		acct.Activity = addActivity(acct.Activity, ev)
	}
	acct.Purchases += dup.Purchases
	acct.Coupons = append(slices.Clone(acct.Coupons), dup.Coupons...)
	for k, v := range dup.Returned {
		acct.Returned = withLines(acct.Returned, k, v)
	}
	for k, v := range dup.PaidWith {
		acct.PaidWith = withEntry(acct.PaidWith, k, v)
	}
	if s.betterTier(dup.Tier.Tier, acct.Tier.Tier) {
		acct.Tier.Tier, acct.Tier.Since, acct.Tier.GuaranteedUntil = dup.Tier.Tier, dup.Tier.Since, dup.Tier.GuaranteedUntil
	}
	if acct.Tier.MemberSince.IsZero() || (!dup.Tier.MemberSince.IsZero() && dup.Tier.MemberSince.Before(acct.Tier.MemberSince)) {
		acct.Tier.MemberSince = dup.Tier.MemberSince
	}
	changes, err := s.evaluateTier(&acct, latest(dup.MergingAt, s.now()))
	if err != nil && !errors.Is(err, ErrNoTiers) {
		return acct, nil, nil, err
	}
	events := append(entryEvents(acct.MemberID, m.SurvivorEntries), tierEvents(acct.MemberID, changes)...)
	return acct, m.SurvivorEntries, MergeResult{Survivor: acct.MemberID, Duplicate: dup.MemberID, Entries: m.SurvivorEntries, Events: events}, nil
}

// empty records the duplicate's merge-out: the same entries whichever
// attempt writes them, since they depend only on the frozen account.
func (s *Service) empty(ctx context.Context, dup Account) error {
	for attempt := 0; ; attempt++ {
		cur, err := s.store.GetAccount(ctx, dup.MemberID)
		if err != nil || cur.MergedInto != "" {
			return err
		}
		shell, err := ledger.New(cur.MergingInto)
		if err != nil {
			return err
		}
		m, err := shell.MergeFrom(cur.Points, cur.MergingAt)
		if err != nil {
			return err
		}
		next := cur.Clone()
		next.Points, next.MergedInto, next.MergingInto = m.Merged, cur.MergingInto, ""
		next.Activity, next.Coupons, next.Returned, next.PaidWith = nil, nil, nil, nil
		next.Version = cur.Version + 1
		err = s.store.Save(ctx, Write{Account: next, Entries: m.MergedEntries})
		if err == nil || !errors.Is(err, ErrConflict) || attempt >= s.opts.MaxRetries {
			return err
		}
	}
}

// betterTier reports whether tier a ranks above tier b on the ladder.
func (s *Service) betterTier(a, b string) bool {
	return s.program.Tiers.index(a) > s.program.Tiers.index(b)
}

// MergeHook adapts Merge to customer.Options.OnMerge, so merging customers
// merges their loyalty accounts.
func (s *Service) MergeHook() func(context.Context, customer.MergeRecord) error {
	return func(ctx context.Context, m customer.MergeRecord) error {
		_, err := s.Merge(ctx, m.Survivor, m.Duplicate)
		return err
	}
}
