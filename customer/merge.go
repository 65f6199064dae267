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
// completed changes nothing and returns the original record. Two merges
// racing in opposite directions cannot both win: the loser undoes what it
// did and fails with ErrConflict, and its audit record is kept, marked
// abandoned (MergeRecord.AbandonedAt). A later Merge of the losing
// duplicate, into any survivor, is a new attempt with a record of its own;
// Store.MergeAttempts lists them all.
func (s *Service) Merge(ctx context.Context, survivorID, duplicateID string, r MergeRequest) (MergeRecord, error) {
	rec, err := s.startMerge(ctx, survivorID, duplicateID, r)
	if err != nil {
		return MergeRecord{}, fmt.Errorf("customer: merge %s into %s: %w", duplicateID, survivorID, err)
	}
	steps := []func(context.Context, MergeRecord) error{
		s.detachDuplicate,
		s.absorbDuplicate,
		s.releaseMovedIdentities,
		func(ctx context.Context, m MergeRecord) error { return s.store.Reassign(ctx, m.Duplicate, m.Survivor) },
		func(ctx context.Context, m MergeRecord) error {
			return s.store.ReassignInteractions(ctx, m.Duplicate, m.Survivor)
		},
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

// newAttempt validates a merge and returns the audit record of its attempt
// numbered attempt.
func (s *Service) newAttempt(ctx context.Context, survivorID, duplicateID string, attempt int, r MergeRequest) (MergeRecord, error) {
	if survivorID == duplicateID {
		return MergeRecord{}, &FieldError{Field: "duplicate", Problem: "must differ from the survivor"}
	}
	survivor, err := s.store.GetCustomer(ctx, survivorID)
	if err != nil {
		return MergeRecord{}, err
	}
	dup, err := s.store.GetCustomer(ctx, duplicateID)
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
// MovedIdentities, releasing them so the survivor can take them.
//
// Two merges racing in opposite directions (A into B, B into A) would each
// detach their duplicate and leave a cycle. After detaching, the step
// re-reads the survivor: if it now leads back to the duplicate, this merge
// undoes its detach and fails with ErrConflict. Of two racing merges at
// most one sees no cycle, so at most one survives (with a linearizable
// store, possibly neither, and a retry settles it).
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
			return nil // detached before
		case dup.MergedInto != "":
			return fmt.Errorf("%w: the duplicate was merged into another customer", ErrMerged)
		}
		survivor, err := s.store.GetCustomer(ctx, m.Survivor)
		if err != nil {
			return err
		}
		if survivor.MergedInto != "" {
			// The survivor was merged away after this attempt was recorded
			// (typically the opposite merge won): the attempt can never
			// complete, and must not block the duplicate's next one.
			return s.abandonUndetached(ctx, m)
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
		if s.leadsTo(ctx, m.Survivor, m.Duplicate) {
			return s.undoDetach(ctx, m)
		}
		return nil
	}
}

// leadsTo reports whether following merges from id reaches target.
func (s *Service) leadsTo(ctx context.Context, id, target string) bool {
	for range maxMergeDepth {
		c, err := s.store.GetCustomer(ctx, id)
		if err != nil || c.MergedInto == "" {
			return false
		}
		if c.MergedInto == target {
			return true
		}
		id = c.MergedInto
	}
	return true // a chain this long is treated as a cycle
}

// undoDetach gives a detached duplicate its identities back after merge m
// lost a race with the opposite merge, marks m abandoned, and reports the
// conflict. The undo and the duplicate's AbandonedMerge are one write, so
// no later call of m can detach the duplicate again, and a crash before
// the record is marked leaves enough for latestMerge to mark it.
func (s *Service) undoDetach(ctx context.Context, m MergeRecord) error {
	for attempt := 0; attempt <= s.opts.MaxRetries; attempt++ {
		c, err := s.store.GetCustomer(ctx, m.Duplicate)
		if err != nil {
			return err
		}
		if lost(c, m) {
			return s.abandoned(ctx, m) // another call of m undid it
		}
		c.MergedInto = ""
		c.AbandonedMerge = m.Attempt
		restored := c
		restored.Identities = append(restored.Identities, c.MovedIdentities...)
		restored.MovedIdentities = nil
		restored.Version++
		err = s.store.UpdateCustomer(ctx, restored)
		if errors.Is(err, ErrIdentityTaken) {
			// Someone registered a released identity meanwhile: undo the
			// merge and leave the identities parked rather than keep a cycle.
			c.Version++
			err = s.store.UpdateCustomer(ctx, c)
		}
		if err == nil {
			return s.abandoned(ctx, m)
		}
		if !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return ErrConflict
}

// abandonUndetached abandons merge m, which has not detached the
// duplicate, because its survivor is merged, and reports ErrMerged. The
// duplicate's AbandonedMerge is written first, as a compare-and-set on its
// version: once it is in, no call of m can detach the duplicate. If a
// call of m detached it meanwhile, the attempt is left to that call (which
// sees the cycle, or the merged survivor, itself).
func (s *Service) abandonUndetached(ctx context.Context, m MergeRecord) error {
	for attempt := 0; attempt <= s.opts.MaxRetries; attempt++ {
		dup, err := s.store.GetCustomer(ctx, m.Duplicate)
		switch {
		case err != nil:
			return err
		case dup.MergedInto != "":
			return fmt.Errorf("%w: the survivor was merged into another customer", ErrMerged)
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
			return fmt.Errorf("%w (marking the attempt abandoned failed: %w)", ErrMerged, err)
		}
		return fmt.Errorf("%w: the survivor was merged into another customer", ErrMerged)
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
// missing profile fields to the survivor. It is idempotent: everything it
// adds is a set union.
func (s *Service) absorbDuplicate(ctx context.Context, m MergeRecord) error {
	dup, err := s.store.GetCustomer(ctx, m.Duplicate)
	if err != nil {
		return err
	}
	if dup.MergedInto != m.Survivor {
		// Only a duplicate this merge detached is absorbed.
		return fmt.Errorf("%w: the duplicate is not detached into the survivor", ErrConflict)
	}
	_, err = s.modify(ctx, m.Survivor, func(c *Customer) error {
		if slices.Contains(c.MergedFrom, m.Duplicate) {
			return nil
		}
		absorb(c, dup)
		return nil
	})
	return err
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
