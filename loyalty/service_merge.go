package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

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
// qualifying activity, coupons and return records join, and the tier is
// recomputed over the joined activity. It is a chain of idempotent steps
// (freeze the duplicate, absorb it into the survivor, empty it), so a merge
// cut short completes when called again, and a completed merge changes
// nothing. If the survivor has itself been merged since, the points follow
// it to where it went.
func (s *Service) Merge(ctx context.Context, survivorID, duplicateID string) (MergeResult, error) {
	res := MergeResult{Survivor: survivorID, Duplicate: duplicateID}
	if checkID("survivor", survivorID) != nil || checkID("duplicate", duplicateID) != nil || survivorID == duplicateID {
		return res, &FieldError{Field: "duplicate", Problem: "two different member IDs are required"}
	}
	if err := s.mergeInto(ctx, survivorID, duplicateID, 0); err != nil {
		return res, fmt.Errorf("loyalty: merge %s into %s: %w", duplicateID, survivorID, err)
	}
	return res, nil
}

// maxMergeChain bounds how many merges one call follows or completes.
const maxMergeChain = 8

func (s *Service) mergeInto(ctx context.Context, survivorID, duplicateID string, depth int) error {
	for attempt := 0; ; attempt++ {
		if depth > maxMergeChain || attempt > s.opts.MaxRetries {
			return fmt.Errorf("%w: merge chain too long or too contended", ErrConflict)
		}
		dup, err := s.store.GetAccount(ctx, duplicateID)
		if errors.Is(err, ErrNotFound) {
			// The duplicate has no account: leave one that says where it
			// went, so an earn racing the merge cannot open a stray
			// account under the old ID.
			target, err := s.resolve(ctx, survivorID, depth)
			if err != nil {
				return err
			}
			shell := s.newAccount(duplicateID)
			shell.MergedInto, shell.Version = target, 1
			err = s.store.Save(ctx, Write{Account: shell})
			if errors.Is(err, ErrConflict) {
				continue // it was just opened: merge it
			}
			return err
		}
		if err != nil || dup.MergedInto != "" {
			return err
		}
		if dup.MergingInto != "" {
			survivorID = dup.MergingInto // finish the merge already under way
		}
		target, err := s.resolve(ctx, survivorID, depth)
		if err != nil {
			return err
		}
		if target == duplicateID {
			return &FieldError{Field: "duplicate", Problem: "the survivor was merged into the duplicate"}
		}
		if dup, err = s.freeze(ctx, target, duplicateID); err != nil {
			return err
		}
		whole, err := s.wholeAccount(ctx, dup)
		if err != nil {
			return err
		}
		if whole.acct.MergedInto != "" {
			continue // another caller finished this merge meanwhile
		}
		var res MergeResult
		err = s.write(ctx, request{key: "merge-in:" + duplicateID, body: duplicateID, member: target, create: true, needs: whole.needs()}, &res,
			func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
				return s.absorb(acct, ws, whole)
			})
		if errors.Is(err, ErrMerged) {
			continue // the target was merged meanwhile: follow it
		}
		if err != nil {
			return err
		}
		return s.empty(ctx, duplicateID, target)
	}
}

// resolve follows completed merges from id to the account that holds its
// points now, completing a merge of it that is under way.
func (s *Service) resolve(ctx context.Context, id string, depth int) (string, error) {
	for range maxMergeChain {
		acct, err := s.store.GetAccount(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound):
			return id, nil
		case err != nil:
			return "", err
		case acct.MergedInto != "":
			id = acct.MergedInto
		case acct.MergingInto != "":
			if err := s.mergeInto(ctx, acct.MergingInto, id, depth+1); err != nil {
				return "", err
			}
		default:
			return id, nil
		}
	}
	return "", fmt.Errorf("%w: merge chain too long", ErrConflict)
}

// freeze marks the duplicate as merging, so nothing spends its points while
// they move, and returns it.
func (s *Service) freeze(ctx context.Context, survivorID, duplicateID string) (Account, error) {
	for attempt := 0; ; attempt++ {
		dup, err := s.store.GetAccount(ctx, duplicateID)
		if err != nil {
			return Account{}, err
		}
		if dup.MergedInto != "" || dup.MergingInto != "" {
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
func (s *Service) absorb(acct Account, ws *workset, whole wholeAccount) (Account, []ledger.Entry, any, error) {
	dup := whole.acct
	m, err := acct.Points.MergeFrom(dup.Points, dup.MergingAt)
	if err != nil {
		return acct, nil, nil, err
	}
	acct.Points = m.Survivor
	for _, ev := range dup.Activity {
		days := []QualifyingEvent{ev}
		if ev.Month {
			if days, err = s.monthEvents(dup, whole.ws, ev); err != nil {
				return acct, nil, nil, err
			}
		}
		for _, day := range days {
			for _, fact := range s.unfold(day, whole.ws) {
				if err := s.addActivity(&acct, ws, fact); err != nil {
					return acct, nil, nil, err
				}
			}
		}
	}
	acct.Purchases += dup.Purchases
	if len(m.SurvivorEntries) > 0 { // not a replay
		whole.ws.mergeInto(ws)
	}
	changes, err := s.remergeTier(&acct, ws, dup, latest(dup.MergingAt, s.now()))
	if err != nil {
		return acct, nil, nil, err
	}
	events := append(entryEvents(acct.MemberID, m.SurvivorEntries), tierEvents(acct.MemberID, changes)...)
	return acct, m.SurvivorEntries, MergeResult{Survivor: acct.MemberID, Duplicate: dup.MemberID, Entries: m.SurvivorEntries, Events: events}, nil
}

// empty records the duplicate's merge-out to the account that took its
// points. The entries depend only on the frozen account, so whichever
// attempt writes them writes the same.
func (s *Service) empty(ctx context.Context, duplicateID, target string) error {
	for attempt := 0; ; attempt++ {
		cur, err := s.store.GetAccount(ctx, duplicateID)
		if err != nil || cur.MergedInto != "" {
			return err
		}
		shell, err := ledger.New(target)
		if err != nil {
			return err
		}
		whole, err := s.wholeAccount(ctx, cur)
		if err != nil || whole.acct.MergedInto != "" {
			return err // another caller emptied it meanwhile
		}
		m, err := shell.MergeFrom(whole.acct.Points, cur.MergingAt)
		if err != nil {
			return err
		}
		next := cur.Clone()
		next.Points, next.MergedInto, next.MergingInto = m.Merged, target, ""
		next.Activity = nil
		next.Version = cur.Version + 1
		err = s.store.Save(ctx, Write{Account: next, Entries: m.MergedEntries})
		if err == nil || !errors.Is(err, ErrConflict) || attempt >= s.opts.MaxRetries {
			return err
		}
	}
}

// remergeTier recomputes the survivor's tier from scratch over the joined
// qualifying activity, from the earlier membership date: the merged member
// holds what the two histories together earn, as if they had always been
// one (tier status stays a pure function of the activity and the clock).
// A manual override survives, the survivor's first.
func (s *Service) remergeTier(acct *Account, ws *workset, dup Account, at time.Time) ([]TierChange, error) {
	since := acct.Tier.MemberSince
	if since.IsZero() || (!dup.Tier.MemberSince.IsZero() && dup.Tier.MemberSince.Before(since)) {
		since = dup.Tier.MemberSince
	}
	override := acct.Tier.Override
	if override == nil {
		override = dup.Tier.Override
	}
	before := acct.Tier.Effective(at)
	acct.Tier, acct.TierMarks = TierState{MemberSince: since}, nil
	if _, err := s.evaluateTier(acct, ws, at); err != nil {
		return nil, err
	}
	acct.Tier.Override = override
	if after := acct.Tier.Effective(at); after != before && before != "" {
		return []TierChange{{From: before, To: after, At: at, Reason: TierMerged}}, nil
	}
	return nil, nil
}

// TierMerged is the reason of a tier change caused by merging accounts.
const TierMerged TierChangeReason = "merge"

// MergeHook adapts Merge to customer.Options.OnMerge, so merging customers
// merges their loyalty accounts.
func (s *Service) MergeHook() func(context.Context, customer.MergeRecord) error {
	return func(ctx context.Context, m customer.MergeRecord) error {
		_, err := s.Merge(ctx, m.Survivor, m.Duplicate)
		return err
	}
}

// wholeAccount is a merged account read whole (LoadWhole) with its other
// records: a merge moves everything it holds, so it costs what the
// duplicate ever did (once, for the merge), and never the survivor's
// history.
type wholeAccount struct {
	acct Account // Points complete: every lot and operation
	ws   *workset
}

// wholeAccount reads every lot and record of the account.
func (s *Service) wholeAccount(ctx context.Context, acct Account) (wholeAccount, error) {
	whole, err := LoadWhole(ctx, s.store, acct.MemberID)
	if err != nil {
		return wholeAccount{}, err
	}
	var keys needs
	ws := newWorkset()
	for _, kind := range []RecordKind{RecordPurchase, RecordCoupon, RecordRewardCount, RecordActivity, RecordActivityMonth} {
		for r, err := range s.store.Records(ctx, acct.MemberID, kind) {
			if err != nil {
				return wholeAccount{}, err
			}
			switch kind {
			case RecordActivity:
				var f QualifyingEvent
				if err := json.Unmarshal(r.Data, &f); err != nil {
					return wholeAccount{}, fmt.Errorf("loyalty: activity record %s: %w", r.Key, err)
				}
				put(&ws.facts, r.Key, f) // read, not written: mergeInto leaves them
			case RecordActivityMonth:
				put(&ws.monthData, r.Key, r.Data) // read, like the facts

			case RecordPurchase:
				keys.purchases = append(keys.purchases, r.Key)
			case RecordCoupon:
				keys.coupons = append(keys.coupons, r.Key)
			default:
				keys.counts = append(keys.counts, r.Key)
			}
		}
	}
	if err := s.loadRecords(ctx, acct.MemberID, keys, ws, nil); err != nil {
		return wholeAccount{}, err
	}
	return wholeAccount{acct: whole, ws: ws}, nil
}

// unfold returns the facts an event of the duplicate's activity sums,
// from the records wholeAccount read.
func (s *Service) unfold(ev QualifyingEvent, ws *workset) []QualifyingEvent {
	return unfoldFrom(ev, DateOf(ev.Time, s.program.loc()), ws.facts)
}

// needs is what the survivor reads to take the duplicate in: its own
// records under the duplicate's keys (a clash is a merge conflict), and
// lots covering the debt it takes over.
func (w wholeAccount) needs() needs {
	n := needs{at: w.acct.MergingAt, spend: w.acct.Points.Debt()}
	for l := range w.acct.Points.AllLots() {
		n.lots = append(n.lots, l.ID)
	}
	for op := range w.acct.Points.Operations() {
		n.ops = append(n.ops, ledgerOpRef{op.Kind, op.ID})
	}
	n.ops = append(n.ops, ledgerOpRef{ledger.KindMergeIn, w.acct.MemberID})
	for id := range w.ws.purchases {
		n.purchases = append(n.purchases, id)
	}
	for id := range w.ws.coupons {
		n.coupons = append(n.coupons, id)
	}
	for k := range w.ws.counts {
		n.counts = append(n.counts, k)
	}
	return n
}

// mergeInto adds the duplicate's records to the survivor's workset.
func (w *workset) mergeInto(dst *workset) {
	for id, ps := range w.purchases {
		cur := dst.purchases[id]
		cur.Returned = append(slices.Clone(cur.Returned), ps.Returned...)
		cur.Early = append(slices.Clone(cur.Early), ps.Early...)
		if cur.PaidWith == "" {
			cur.PaidWith = ps.PaidWith
		}
		if cur.Quote == nil { // a purchase is earned by one member: only one side re-quoted it
			cur.Quote, cur.Requotes = ps.Quote, ps.Requotes
		}
		dst.setPurchase(id, cur)
	}
	for _, c := range w.coupons {
		dst.setCoupon(c)
	}
	for k, n := range w.counts {
		if isCheckInKey(k) {
			// A check-in calendar is a set of days: the union, not the sum.
			cur := dst.counts[k]
			dst.addCount(k, (cur|n)-cur)
			continue
		}
		dst.addCount(k, n)
	}
}
