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
// racing in opposite directions cannot both win: the loser fails with
// ErrConflict (and, its audit record kept, can later only be retried
// towards the same survivor).
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

// startMerge writes the audit record, or finds the one an earlier attempt
// wrote.
func (s *Service) startMerge(ctx context.Context, survivorID, duplicateID string, r MergeRequest) (MergeRecord, error) {
	if prev, err := s.store.GetMerge(ctx, duplicateID); err == nil {
		if prev.Survivor != survivorID {
			return MergeRecord{}, ErrIdempotencyMismatch
		}
		return prev, nil
	} else if !errors.Is(err, ErrNotFound) {
		return MergeRecord{}, err
	}
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
	rec := MergeRecord{
		Survivor: survivorID, Duplicate: duplicateID, At: storeTime(at),
		Actor: r.Actor, Reason: r.Reason, Identities: len(dup.Identities),
	}
	if err := s.store.AddMerge(ctx, rec); err != nil {
		if errors.Is(err, ErrAlreadyExists) {
			return s.startMerge(ctx, survivorID, duplicateID, r)
		}
		return MergeRecord{}, err
	}
	return rec, nil
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
		if err != nil || dup.MergedInto != "" {
			return err
		}
		survivor, err := s.store.GetCustomer(ctx, m.Survivor)
		if err != nil {
			return err
		}
		if survivor.MergedInto != "" {
			return ErrMerged
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
			return s.undoDetach(ctx, dup)
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

// undoDetach gives a detached duplicate its identities back after a merge
// lost a race with the opposite merge, and reports the conflict.
func (s *Service) undoDetach(ctx context.Context, detached Customer) error {
	for attempt := 0; attempt <= s.opts.MaxRetries; attempt++ {
		c, err := s.store.GetCustomer(ctx, detached.ID)
		if err != nil {
			return err
		}
		c.MergedInto = ""
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
		if !errors.Is(err, ErrConflict) {
			if err != nil {
				return err
			}
			return fmt.Errorf("%w: an opposite merge of the same customers won the race", ErrConflict)
		}
	}
	return ErrConflict
}

// absorbDuplicate adds the duplicate's identities, consents, tags and
// missing profile fields to the survivor. It is idempotent: everything it
// adds is a set union.
func (s *Service) absorbDuplicate(ctx context.Context, m MergeRecord) error {
	dup, err := s.store.GetCustomer(ctx, m.Duplicate)
	if err != nil {
		return err
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
