package customer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// MergeRequest describes a merge for the audit record.
type MergeRequest struct {
	Actor  string    // who decided: staff ID or "dedupe-job"
	Reason string    // why, in words
	At     time.Time // defaults to the service clock
}

// Merge folds the duplicate customer into the survivor: identities,
// consents, tags and any profile fields the survivor lacks move over;
// purchases, returns and interactions are reassigned; the duplicate keeps
// resolving to the survivor; an audit record is kept; then the OnMerge
// hooks run (loyalty accounts, feedback records).
//
// Merge is a chain of idempotent steps: if it fails part way, calling it
// again with the same customers completes it, and calling it after it
// completed changes nothing and returns the original record. If the
// survivor was itself merged into another customer before a merge cut
// short is resumed, the duplicate's identities and facts follow the
// survivor to that customer. Two merges racing in opposite directions
// cannot both win: the loser undoes what it did and fails with
// ErrConflict, and its audit record is kept, marked abandoned
// (MergeRecord.AbandonedAt). A later Merge of the losing duplicate, into
// any survivor, is a new attempt with a record of its own;
// Store.MergeAttempts lists them all.
//
// The steps: record the attempt; detach the duplicate (MergedInto set, its
// identities parked in MovedIdentities); decide the detach, which commits
// it (CommittedMerge) unless the survivor's merges lead back to the
// duplicate, in which case it is undone; give the parked identities to the
// survivor; forget them on the duplicate; move the facts. Any call that
// meets a customer detached but not yet decided (a racing merge, or one
// cut short) decides it first, the same way its own merge would, so no
// step waits on another call and no identity stays parked.
func (s *Service) Merge(ctx context.Context, survivorID, duplicateID string, r MergeRequest) (MergeRecord, error) {
	rec, err := s.startMerge(ctx, survivorID, duplicateID, r)
	if err != nil {
		return MergeRecord{}, fmt.Errorf("customer: merge %s into %s: %w", duplicateID, survivorID, err)
	}
	steps := []func(context.Context, MergeRecord) error{
		s.detachDuplicate,
		s.absorbDuplicate,
		s.releaseMovedIdentities,
		s.reassignFacts,
	}
	steps = append(steps, s.opts.OnMerge...)
	for _, step := range steps {
		if err := step(ctx, rec); err != nil {
			return MergeRecord{}, fmt.Errorf("customer: merge %s into %s: %w", duplicateID, survivorID, err)
		}
	}
	return rec, nil
}

// startMerge finds the attempt an earlier call began towards the same
// survivor, or writes the audit record of a new attempt. A duplicate whose
// latest attempt is still under way (or done) towards another survivor is
// ErrIdempotencyMismatch; one whose latest attempt was abandoned gets the
// next attempt.
func (s *Service) startMerge(ctx context.Context, survivorID, duplicateID string, r MergeRequest) (MergeRecord, error) {
	for race := 0; ; race++ {
		prev, err := s.latestMerge(ctx, duplicateID)
		next := 1
		switch {
		case err == nil && !prev.Abandoned():
			if prev.Survivor != survivorID {
				return MergeRecord{}, ErrIdempotencyMismatch
			}
			return prev, nil
		case err == nil:
			next = prev.Attempt + 1
		case !errors.Is(err, ErrNotFound):
			return MergeRecord{}, err
		}
		rec, err := s.newAttempt(ctx, survivorID, duplicateID, next, r)
		if err == nil {
			err = s.store.AddMerge(ctx, rec)
		}
		// Another call wrote this attempt (or a later one) first: look again.
		if (errors.Is(err, ErrAlreadyExists) || errors.Is(err, ErrConflict)) && race < s.opts.MaxRetries {
			continue
		}
		if err != nil {
			return MergeRecord{}, err
		}
		return rec, nil
	}
}

// latestMerge returns the duplicate's latest merge record. An attempt that
// lost its race was undone (the duplicate's AbandonedMerge says so) before
// its record was marked abandoned; if a crash came in between, the record
// is marked now, so that it blocks no later merge.
func (s *Service) latestMerge(ctx context.Context, duplicateID string) (MergeRecord, error) {
	prev, err := s.store.GetMerge(ctx, duplicateID)
	if err != nil || prev.Abandoned() {
		return prev, err
	}
	dup, err := s.store.GetCustomer(ctx, duplicateID)
	if err != nil {
		return MergeRecord{}, err
	}
	if !lost(dup, prev) {
		return prev, nil
	}
	if err := s.store.AbandonMerge(ctx, duplicateID, prev.Attempt, storeTime(s.opts.Clock())); err != nil {
		return MergeRecord{}, err
	}
	return s.store.GetMerge(ctx, duplicateID)
}

// lost reports whether the duplicate says merge attempt m lost its race.
// Attempts count from 1; a record without a number (written before they
// were numbered) is never taken for lost.
func lost(dup Customer, m MergeRecord) bool {
	return m.Attempt > 0 && dup.AbandonedMerge >= m.Attempt
}

// committed reports whether merge attempt m detached the duplicate for
// good. A record without a number was written before detaches were
// decided, by a merge that had already found no cycle.
func committed(dup Customer, m MergeRecord) bool {
	return dup.MergedInto == m.Survivor && (m.Attempt == 0 || dup.CommittedMerge == m.Attempt)
}

// newAttempt validates a merge and returns the audit record of its attempt
// numbered attempt.
func (s *Service) newAttempt(ctx context.Context, survivorID, duplicateID string, attempt int, r MergeRequest) (MergeRecord, error) {
	if survivorID == duplicateID {
		return MergeRecord{}, &FieldError{Field: "duplicate", Problem: "must differ from the survivor"}
	}
	survivor, err := s.settled(ctx, survivorID)
	if err != nil {
		return MergeRecord{}, err
	}
	dup, err := s.settled(ctx, duplicateID)
	if err != nil {
		return MergeRecord{}, err
	}
	if err := updatable(survivor); err != nil {
		return MergeRecord{}, err
	}
	if err := updatable(dup); err != nil {
		return MergeRecord{}, err
	}
	at := r.At
	if at.IsZero() {
		at = s.opts.Clock()
	}
	return MergeRecord{
		Survivor: survivorID, Duplicate: duplicateID, At: storeTime(at),
		Actor: r.Actor, Reason: r.Reason, Identities: len(dup.Identities), Attempt: attempt,
	}, nil
}

// detachDuplicate marks the duplicate merged and parks its identities in
// MovedIdentities, releasing them so the survivor can take them, then
// decides the detach (see decide). A survivor that is merged or erased by
// the time the duplicate would be detached makes the attempt abandoned.
func (s *Service) detachDuplicate(ctx context.Context, m MergeRecord) error {
	for attempt := 0; ; attempt++ {
		dup, err := s.store.GetCustomer(ctx, m.Duplicate)
		switch {
		case err != nil:
			return err
		case lost(dup, m):
			// Another call of this attempt lost the race and undid it.
			return s.abandoned(ctx, m)
		case dup.MergedInto == m.Survivor:
			// Detached before, by a call of this attempt that may have
			// been cut short before it decided.
			return s.decide(ctx, m)
		case dup.MergedInto != "":
			return fmt.Errorf("%w: the duplicate was merged into another customer", ErrMerged)
		case dup.Erased():
			return s.abandonUndetached(ctx, m, fmt.Errorf("%w: the duplicate was erased", ErrErased))
		}
		// A survivor detached but undecided (typically by the opposite
		// merge) is decided first: it stays merged, or is whole again.
		survivor, err := s.settled(ctx, m.Survivor)
		switch {
		case err != nil:
			return err
		case survivor.MergedInto != "":
			// The survivor was merged away after this attempt was recorded
			// (typically the opposite merge won): the attempt can never
			// complete, and must not block the duplicate's next one.
			return s.abandonUndetached(ctx, m, fmt.Errorf("%w: the survivor was merged into another customer", ErrMerged))
		case survivor.Erased():
			return s.abandonUndetached(ctx, m, fmt.Errorf("%w: the survivor was erased", ErrErased))
		}
		dup.MergedInto = m.Survivor
		dup.MovedIdentities = append(dup.MovedIdentities, dup.Identities...)
		dup.Identities = nil
		dup.Version++
		err = s.store.UpdateCustomer(ctx, dup)
		if errors.Is(err, ErrConflict) && attempt < s.opts.MaxRetries {
			continue
		}
		if err != nil {
			return err
		}
		return s.decide(ctx, m)
	}
}

// decide settles merge m, which has detached its duplicate: it commits the
// detach (CommittedMerge), or, if the survivor's merges lead back to the
// duplicate, undoes it and reports that m lost.
//
// Two merges racing in opposite directions (A into B, B into A) would each
// detach their duplicate and leave a cycle. The check runs after the
// detach, and the commit or the undo is a compare-and-set on the version
// the check started from, so a detach is committed only if, at some moment
// after it, the survivor's merges did not lead back to it. Of the detaches
// that close a cycle, the last one written sees every other one (committed
// detaches are never undone), so committed detaches never form a cycle;
// both opposite merges may lose, and a retry settles it. Any call may
// decide any undecided detach, with the same outcome rules, so a merge cut
// short never blocks another one.
func (s *Service) decide(ctx context.Context, m MergeRecord) error {
	for attempt := 0; ; attempt++ {
		dup, err := s.store.GetCustomer(ctx, m.Duplicate)
		switch {
		case err != nil:
			return err
		case lost(dup, m):
			return s.abandoned(ctx, m) // another call of m undid it
		case committed(dup, m):
			return nil
		case dup.MergedInto != m.Survivor:
			return fmt.Errorf("%w: the duplicate is not detached into the survivor", ErrConflict)
		}
		cycle, err := s.leadsTo(ctx, m.Survivor, m.Duplicate)
		if err != nil {
			return err
		}
		next := dup
		if cycle {
			// Undo: the identities come back, except any another customer
			// took while they were parked (they are that customer's now),
			// and AbandonedMerge goes in with the undo, so no later call
			// of m can detach the duplicate again.
			back, err := s.unclaimed(ctx, m.Duplicate, dup.MovedIdentities)
			if err != nil {
				return err
			}
			next.MergedInto, next.AbandonedMerge = "", m.Attempt
			next.Identities = append(next.Identities, back...)
			next.MovedIdentities = nil
		} else {
			next.CommittedMerge = m.Attempt
		}
		next.Version++
		err = s.store.UpdateCustomer(ctx, next)
		switch {
		case err == nil && cycle:
			return s.abandoned(ctx, m)
		case err == nil:
			return nil
		case (errors.Is(err, ErrConflict) || errors.Is(err, ErrIdentityTaken)) && attempt < s.opts.MaxRetries:
			continue
		}
		return err
	}
}

// leadsTo reports whether following merges from id reaches target.
func (s *Service) leadsTo(ctx context.Context, id, target string) (bool, error) {
	for range maxMergeDepth {
		c, err := s.store.GetCustomer(ctx, id)
		if err != nil {
			return false, err
		}
		if c.MergedInto == "" {
			return false, nil
		}
		if c.MergedInto == target {
			return true, nil
		}
		id = c.MergedInto
	}
	return true, nil // a chain this long is treated as a cycle
}

// unclaimed returns the identities of ids that no customer but self holds.
func (s *Service) unclaimed(ctx context.Context, self string, ids []Identity) ([]Identity, error) {
	var out []Identity
	for _, id := range ids {
		holder, err := s.store.CustomerByIdentity(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound) || (err == nil && holder.ID == self):
			out = append(out, id)
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

// settled returns the customer with the ID after deciding the merge that
// detached it, if that merge has not decided yet (see decide).
func (s *Service) settled(ctx context.Context, id string) (Customer, error) {
	for attempt := 0; ; attempt++ {
		c, err := s.store.GetCustomer(ctx, id)
		if err != nil || c.MergedInto == "" {
			return c, err
		}
		m, err := s.store.GetMerge(ctx, id)
		if errors.Is(err, ErrNotFound) || (err == nil && (committed(c, m) || m.Survivor != c.MergedInto || m.Abandoned())) {
			// Decided, or written by a version of this package that kept
			// no record: the link stands as stored.
			return c, nil
		}
		if err != nil {
			return Customer{}, err
		}
		if attempt == s.opts.MaxRetries {
			return Customer{}, ErrConflict
		}
		if err := s.decide(ctx, m); err != nil && !errors.Is(err, ErrConflict) {
			return Customer{}, err
		}
	}
}

// chainEnd follows merges from the customer with the ID to the customer
// they end at, deciding undecided ones on the way, and returns the path,
// the start first and the end last.
func (s *Service) chainEnd(ctx context.Context, id string) ([]Customer, error) {
	var path []Customer
	for range maxMergeDepth + 1 {
		c, err := s.settled(ctx, id)
		if err != nil {
			return nil, err
		}
		path = append(path, c)
		if c.MergedInto == "" {
			return path, nil
		}
		id = c.MergedInto
	}
	return nil, fmt.Errorf("merge chain of %s too long", path[0].ID)
}

// abandonUndetached abandons merge m, which has not detached the
// duplicate, because why (its survivor is merged or erased, or the
// duplicate is erased), and reports why. The duplicate's AbandonedMerge is
// written first, as a compare-and-set on its version: once it is in, no
// call of m can detach the duplicate. If a call of m detached it
// meanwhile, the attempt is left to that call (or to whoever decides it).
func (s *Service) abandonUndetached(ctx context.Context, m MergeRecord, why error) error {
	for attempt := 0; attempt <= s.opts.MaxRetries; attempt++ {
		dup, err := s.store.GetCustomer(ctx, m.Duplicate)
		switch {
		case err != nil:
			return err
		case dup.MergedInto != "":
			return why
		case !lost(dup, m):
			dup.AbandonedMerge = m.Attempt
			dup.Version++
			err = s.store.UpdateCustomer(ctx, dup)
			if errors.Is(err, ErrConflict) {
				continue
			}
			if err != nil {
				return err
			}
		}
		if err := s.store.AbandonMerge(ctx, m.Duplicate, m.Attempt, storeTime(s.opts.Clock())); err != nil {
			return fmt.Errorf("%w (marking the attempt abandoned failed: %w)", why, err)
		}
		return why
	}
	return ErrConflict
}

// abandoned marks merge m abandoned, once it is undone, and reports that
// it lost the race.
func (s *Service) abandoned(ctx context.Context, m MergeRecord) error {
	if err := s.store.AbandonMerge(ctx, m.Duplicate, m.Attempt, storeTime(s.opts.Clock())); err != nil {
		return fmt.Errorf("%w: an opposite merge of the same customers won the race (marking the attempt abandoned failed: %w)",
			ErrConflict, err)
	}
	return fmt.Errorf("%w: an opposite merge of the same customers won the race", ErrConflict)
}

// absorbDuplicate adds the duplicate's identities, consents, tags and
// missing profile fields to the customer the survivor's merges end at:
// the survivor itself, unless it was merged on (committed) before this
// merge got here, as when this merge was cut short and resumed later. A
// parked identity another customer took meanwhile stays that customer's.
// If that customer was erased, the duplicate is erased too, as it would
// have been had the merge completed first. It is idempotent: everything
// it adds is a set union, and a duplicate that a customer on the path
// already lists in MergedFrom is not absorbed again.
func (s *Service) absorbDuplicate(ctx context.Context, m MergeRecord) error {
	for attempt := 0; ; attempt++ {
		dup, err := s.store.GetCustomer(ctx, m.Duplicate)
		switch {
		case err != nil:
			return err
		case lost(dup, m):
			return s.abandoned(ctx, m)
		case !committed(dup, m):
			// Only a duplicate this merge detached for good is absorbed.
			return fmt.Errorf("%w: the duplicate is not detached into the survivor", ErrConflict)
		}
		path, err := s.chainEnd(ctx, m.Survivor)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(path, func(c Customer) bool { return slices.Contains(c.MergedFrom, m.Duplicate) }) {
			return nil
		}
		target := path[len(path)-1]
		if target.Erased() {
			return s.eraseOne(ctx, m.Duplicate, storeTime(s.opts.Clock()))
		}
		free, err := s.unclaimed(ctx, target.ID, dup.MovedIdentities)
		if err != nil {
			return err
		}
		dup.MovedIdentities = free
		absorb(&target, dup)
		target.Version++
		err = s.store.UpdateCustomer(ctx, target)
		if (errors.Is(err, ErrConflict) || errors.Is(err, ErrIdentityTaken)) && attempt < s.opts.MaxRetries {
			continue
		}
		return err
	}
}

// reassignFacts moves the duplicate's purchases, returns and interactions
// along its merges, hop by hop, to the customer they end at. Each hop's
// customer is read again after the facts moved into it, so facts moved
// into a customer that was merged on meanwhile follow it: that merge's own
// move may have run before this one.
func (s *Service) reassignFacts(ctx context.Context, m MergeRecord) error {
	from := m.Duplicate
	for range maxMergeDepth + 1 {
		c, err := s.settled(ctx, from)
		if err != nil || c.MergedInto == "" {
			return err
		}
		if err := s.store.Reassign(ctx, from, c.MergedInto); err != nil {
			return err
		}
		if err := s.store.ReassignInteractions(ctx, from, c.MergedInto); err != nil {
			return err
		}
		from = c.MergedInto
	}
	return fmt.Errorf("merge chain of %s too long", m.Duplicate)
}

// absorb folds dup into c. The survivor's own values win.
func absorb(c *Customer, dup Customer) {
	c.MergedFrom = append(c.MergedFrom, dup.ID)
	for _, id := range dup.MovedIdentities {
		if id.Kind != IdentityTombstone && !slices.Contains(c.Identities, id) {
			c.Identities = append(c.Identities, id)
		}
	}
	for _, k := range dup.Consents {
		for _, ch := range k.History {
			if !hasChange(*c, k.Purpose, k.Channel, ch) {
				c.recordConsent(k.Purpose, k.Channel, ch)
			}
		}
	}
	var fe fieldErrors
	c.Tags = normalizeTags(&fe, "tags", append(cloneSlice(c.Tags), dup.Tags...))
	fillProfile(&c.Profile, dup.Profile)
	c.NameKey = NameKey(c.Name)
	if dup.JoinedAt.Before(c.JoinedAt) {
		c.JoinedAt = dup.JoinedAt // membership seniority is the earlier join
	}
}

func hasChange(c Customer, p Purpose, ch ContactChannel, change ConsentChange) bool {
	k, ok := c.consent(p, ch)
	return ok && slices.ContainsFunc(k.History, func(x ConsentChange) bool {
		return x.Granted == change.Granted && x.At.Equal(change.At) && x.Source == change.Source
	})
}

func fillProfile(p *Profile, from Profile) {
	if p.Name == "" {
		p.Name = from.Name
	}
	if p.Gender == GenderUnstated {
		p.Gender = from.Gender
	}
	if p.Birthday.IsZero() {
		p.Birthday = from.Birthday
	}
	if p.Address == (Address{}) {
		p.Address = from.Address
	}
	for k, v := range from.Attributes {
		if _, ok := p.Attributes[k]; !ok {
			if p.Attributes == nil {
				p.Attributes = map[string]string{}
			}
			p.Attributes[k] = v
		}
	}
}

// releaseMovedIdentities forgets the identities the duplicate parked once
// the survivor holds them, so personal data is not kept twice.
func (s *Service) releaseMovedIdentities(ctx context.Context, m MergeRecord) error {
	for attempt := 0; ; attempt++ {
		dup, err := s.store.GetCustomer(ctx, m.Duplicate)
		if err != nil || len(dup.MovedIdentities) == 0 {
			return err
		}
		dup.MovedIdentities = nil
		dup.Version++
		err = s.store.UpdateCustomer(ctx, dup)
		if err == nil || !errors.Is(err, ErrConflict) || attempt >= s.opts.MaxRetries {
			return err
		}
	}
}
