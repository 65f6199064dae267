package feedback

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
)

func scheduledEvent(f FollowUp) FollowUpScheduled {
	return FollowUpScheduled{
		FollowUpID: f.ID, CustomerID: f.CustomerID, Store: f.Store, Staff: f.Staff,
		Kind: f.Kind, Reference: f.Reference, DueAt: f.DueAt,
	}
}

// createFollowUp stores a new follow-up; created is false when one with
// the ID exists already (a retry), and that one is returned. The stored
// one must match the request as match says; another request under the ID
// fails with ErrIdempotencyMismatch, so a lane never believes a visit was
// booked that was booked for someone else.
func (s *Service) createFollowUp(ctx context.Context, f FollowUp, match followUpMatch) (FollowUp, bool, error) {
	f.Version, f.Status = 1, FollowUpOpen
	err := s.store.CreateFollowUp(ctx, f)
	if errors.Is(err, ErrAlreadyExists) {
		old, gerr := s.store.GetFollowUp(ctx, f.ID)
		if gerr != nil {
			return FollowUp{}, false, gerr
		}
		if !sameFollowUp(old, f, match) {
			return FollowUp{}, false, ErrIdempotencyMismatch
		}
		return old, false, nil
	}
	if err != nil {
		return FollowUp{}, false, err
	}
	return f, true, nil
}

// followUpMatch is how closely a replay must match the stored follow-up.
type followUpMatch int

const (
	// matchKey: the ID names everything (an inactivity call names the
	// customer and the day), so any follow-up under it is the same.
	matchKey followUpMatch = iota
	// matchDerived: the follow-up derives from a purchase or a
	// resolution; customer, kind, reference, store and assignee must
	// agree. Times follow from the policy of the day and are not compared.
	matchDerived
	// matchExactDue: a host's own follow-up without a creation time
	// (the service stamped it); its due time must agree too.
	matchExactDue
	// matchExact: a host's own follow-up with its creation time; both
	// times must agree too.
	matchExact
)

// sameFollowUp tells whether a stored follow-up was made by the request
// req. The stored customer follows merges, as the purchase or complaint
// it came from does, so a replay after a merge still matches.
func sameFollowUp(stored, req FollowUp, match followUpMatch) bool {
	if match == matchKey {
		return true
	}
	same := stored.CustomerID == req.CustomerID && stored.Kind == req.Kind &&
		stored.Reference == req.Reference && stored.Store == req.Store && stored.Staff == req.Staff
	if match >= matchExactDue {
		same = same && stored.DueAt.Equal(req.DueAt)
	}
	if match == matchExact {
		same = same && stored.CreatedAt.Equal(req.CreatedAt)
	}
	return same
}

// ScheduleFollowUp schedules a follow-up the host decided on itself. Its
// ID makes it idempotent: a replay returns the stored follow-up and no
// event; the same ID with another customer, kind, reference, store,
// assignee, due time or creation time fails with ErrIdempotencyMismatch.
// CreatedAt may not lie more than MaxClockAhead after the service clock;
// zero means now.
func (s *Service) ScheduleFollowUp(ctx context.Context, f FollowUp) (FollowUp, []Event, error) {
	var fe fieldErrors
	if f.ID == "" {
		f.ID = s.newID()
	}
	s.checkNotAhead(&fe, "createdAt", f.CreatedAt)
	for field, id := range map[string]string{"id": f.ID, "customerId": f.CustomerID, "store": f.Store,
		"staff": f.Staff, "reference": f.Reference} {
		checkID(&fe, field, id)
	}
	if f.CustomerID == "" {
		fe.add("customerId", "is required")
	}
	if f.Kind == "" {
		fe.add("kind", "is required")
	}
	if f.Store == "" {
		fe.add("store", "is required")
	}
	if f.DueAt.IsZero() {
		fe.add("dueAt", "is required")
	}
	if err := fe.err(); err != nil {
		return FollowUp{}, nil, wrap("schedule follow-up", f.ID, err)
	}
	f.Announced, f.Outcome, f.CancelNote = false, FollowUpOutcome{}, ""
	f.DueAt = stamp(f.DueAt)
	f.CreatedAt = stamp(f.CreatedAt)
	match := matchExact
	if f.CreatedAt.IsZero() {
		f.CreatedAt, match = s.now(), matchExactDue
	}
	out, created, err := s.createFollowUp(ctx, f, match)
	if err != nil || !created {
		return out, nil, wrap("schedule follow-up", f.ID, err)
	}
	return out, []Event{scheduledEvent(out)}, nil
}

// dueDay places a due time at the start of its day in the service's
// location: visits are planned by the day, and a due list for a day holds
// everything due on it.
func (s *Service) dueDay(t time.Time) time.Time {
	d := DateOf(t, s.loc)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, s.loc)
}

// ScheduleAfterPurchase schedules the delivery or installation check of a
// big-ticket purchase: a purchase with a customer, whose total reaches the
// FollowUpPolicy's BigTicket amount for its currency. A purchase with a
// line tagged InstallationTag gets an installation check, others a
// delivery check, due AfterPurchase later (at the start of that day). The
// follow-up ID derives from the purchase ID, so a replay schedules nothing
// new; a purchase ID already scheduled for another customer, store, staff
// member or kind fails with ErrIdempotencyMismatch. ok is false when the
// purchase does not qualify. A purchase time more than MaxClockAhead
// after the service clock is refused.
func (s *Service) ScheduleAfterPurchase(ctx context.Context, p customer.Purchase) (f FollowUp, ok bool, evs []Event, err error) {
	var fe fieldErrors
	s.checkNotAhead(&fe, "time", p.Time)
	if err := fe.err(); err != nil {
		return FollowUp{}, false, nil, wrap("schedule follow-up", "purchase:"+p.ID, err)
	}
	pol := s.followUps
	threshold, has := pol.BigTicket[p.Currency]
	if pol.AfterPurchase <= 0 || p.Anonymous() || !has || p.Total().LessThan(threshold) {
		return FollowUp{}, false, nil, nil
	}
	kind := FollowUpDelivery
	for _, l := range p.Lines {
		for _, t := range l.Tags {
			if pol.InstallationTag != "" && t == pol.InstallationTag {
				kind = FollowUpInstallation
			}
		}
	}
	f = FollowUp{
		ID: "purchase:" + p.ID, CustomerID: p.CustomerID, Kind: kind, Reference: p.ID,
		Store: p.Store, Staff: p.Staff, CreatedAt: stamp(p.Time),
		DueAt: s.dueDay(p.Time.Add(pol.AfterPurchase)),
	}
	out, created, err := s.createFollowUp(ctx, f, matchDerived)
	if err != nil {
		return FollowUp{}, false, nil, wrap("schedule follow-up", f.ID, err)
	}
	if created {
		evs = []Event{scheduledEvent(out)}
	}
	return out, true, evs, nil
}

// ScheduleInactive schedules a call to every valued customer in visits
// whose last visit is at least InactiveAfter before asOf. The host decides
// who is valued (segment does it well) and streams their last visits. One
// lapse gets one follow-up: the ID names the customer and the day of the
// last visit.
func (s *Service) ScheduleInactive(ctx context.Context, asOf time.Time, visits iter.Seq2[LastVisit, error]) ([]FollowUp, []Event, error) {
	if s.followUps.InactiveAfter <= 0 {
		return nil, nil, nil
	}
	var out []FollowUp
	var evs []Event
	for v, err := range visits {
		if err != nil {
			return out, evs, wrap("schedule inactive", "", err)
		}
		if v.CustomerID == "" || asOf.Sub(v.At) < s.followUps.InactiveAfter {
			continue
		}
		f := FollowUp{
			ID:         fmt.Sprintf("inactive:%s:%s", v.CustomerID, DateOf(v.At, s.loc)),
			CustomerID: v.CustomerID, Kind: FollowUpInactive, Reference: DateOf(v.At, s.loc).String(),
			Store: v.Store, Staff: v.Staff, CreatedAt: stamp(asOf), DueAt: s.dueDay(asOf),
		}
		got, created, err := s.createFollowUp(ctx, f, matchKey)
		if err != nil {
			return out, evs, wrap("schedule follow-up", f.ID, err)
		}
		if created {
			out = append(out, got)
			evs = append(evs, scheduledEvent(got))
		}
	}
	return out, evs, nil
}

// DueFollowUps yields the open follow-ups of a store due before asOf, by
// DueAt; a non-empty staff narrows them to one person's list.
func (s *Service) DueFollowUps(ctx context.Context, store, staff string, asOf time.Time) iter.Seq2[FollowUp, error] {
	return s.store.FollowUps(ctx, FollowUpFilter{Store: store, Staff: staff, Status: FollowUpOpen, DueBefore: asOf})
}

// GetFollowUp returns a follow-up, or ErrNotFound.
func (s *Service) GetFollowUp(ctx context.Context, id string) (FollowUp, error) {
	f, err := s.store.GetFollowUp(ctx, id)
	return f, wrap("get follow-up", id, err)
}

// AnnounceDueFollowUps reports each open follow-up that has come due once
// (FollowUpDue) and marks it announced.
func (s *Service) AnnounceDueFollowUps(ctx context.Context) ([]Event, error) {
	now := s.now()
	var due []FollowUp
	for f, err := range s.store.FollowUps(ctx, FollowUpFilter{Status: FollowUpOpen, DueBefore: now, Unannounced: true}) {
		if err != nil {
			return nil, wrap("announce follow-ups", "", err)
		}
		due = append(due, f)
	}
	var evs []Event
	for _, f := range due {
		err := s.retry(func() error {
			cur, err := s.store.GetFollowUp(ctx, f.ID)
			if err != nil || cur.Announced || cur.Status != FollowUpOpen {
				return err
			}
			cur.Announced = true
			cur.Version++
			if err := s.store.UpdateFollowUp(ctx, cur); err != nil {
				return err
			}
			evs = append(evs, FollowUpDue{FollowUpID: cur.ID, CustomerID: cur.CustomerID, Store: cur.Store, Staff: cur.Staff, Kind: cur.Kind, DueAt: cur.DueAt})
			return nil
		})
		if err != nil {
			return evs, wrap("announce follow-up", f.ID, err)
		}
	}
	return evs, nil
}

// Scan runs CheckOverdue and AnnounceDueFollowUps: what a host's scheduler
// calls every few minutes.
func (s *Service) Scan(ctx context.Context) ([]Event, error) {
	evs, err := s.CheckOverdue(ctx)
	if err != nil {
		return evs, err
	}
	more, err := s.AnnounceDueFollowUps(ctx)
	return append(evs, more...), err
}

func (o FollowUpOutcome) validate() error {
	var fe fieldErrors
	switch o.Result {
	case ResultReached, ResultIssueFound, ResultNoAnswer, ResultDeclined:
	default:
		fe.add("result", "must be reached, issue-found, no-answer or declined")
	}
	if o.Channel == "" {
		fe.add("channel", "is required")
	}
	if o.Staff == "" {
		fe.add("staff", "is required")
	}
	if o.Satisfaction < 0 || o.Satisfaction > 5 {
		fe.add("satisfaction", "must lie between 1 and 5, or be 0 when not asked")
	}
	checkID(&fe, "staff", o.Staff)
	checkID(&fe, "interactionId", o.InteractionID)
	checkText(&fe, "note", o.Note)
	return fe.err()
}

// CompleteFollowUp records how an open follow-up went. The outcome is
// first logged as a customer interaction (kind follow-up, ID
// "feedback-followup:" + the follow-up ID, so a retry logs nothing twice)
// through the InteractionLogger, then stored on the follow-up. Completing
// a done follow-up again with the same outcome is a replay; with another
// outcome, or completing a cancelled one, is a *TransitionError.
func (s *Service) CompleteFollowUp(ctx context.Context, id string, o FollowUpOutcome) (FollowUp, []Event, error) {
	f, evs, err := s.complete(ctx, id, o)
	return f, evs, wrap("follow-up", id, err)
}

func (s *Service) complete(ctx context.Context, id string, o FollowUpOutcome) (FollowUp, []Event, error) {
	if err := errors.Join(o.validate(), s.aheadErr("at", o.At)); err != nil {
		return FollowUp{}, nil, err
	}
	o.At = stamp(o.At)
	if o.At.IsZero() {
		o.At = s.now()
	}
	f, err := s.store.GetFollowUp(ctx, id)
	if err != nil {
		return FollowUp{}, nil, err
	}
	if f.Status == FollowUpDone && sameOutcome(f.Outcome, o) {
		return f, []Event{completedEvent(f)}, nil
	}
	if f.Status != FollowUpOpen {
		return FollowUp{}, nil, &TransitionError{Record: "follow-up", ID: id, From: string(f.Status), Action: "complete"}
	}
	if s.log != nil {
		in := customer.Interaction{
			ID: "feedback-followup:" + f.ID, CustomerID: f.CustomerID, Channel: o.Channel,
			Direction: customer.Outbound, Kind: customer.KindFollowUp, Store: f.Store, Staff: o.Staff,
			Time: o.At, Summary: string(f.Kind), Outcome: string(o.Result) + outcomeNote(o.Note), Reference: f.ID,
		}
		logged, err := s.log.LogInteraction(ctx, in)
		if err != nil {
			return FollowUp{}, nil, fmt.Errorf("logging the interaction: %w", err)
		}
		o.InteractionID = logged.ID
	}
	err = s.retry(func() error {
		cur, err := s.store.GetFollowUp(ctx, id)
		if err != nil {
			return err
		}
		if cur.Status != FollowUpOpen {
			return &TransitionError{Record: "follow-up", ID: id, From: string(cur.Status), Action: "complete"}
		}
		cur.Status, cur.Outcome = FollowUpDone, o
		cur.Version++
		if err := s.store.UpdateFollowUp(ctx, cur); err != nil {
			return err
		}
		f = cur
		return nil
	})
	if err != nil {
		return FollowUp{}, nil, err
	}
	return f, []Event{completedEvent(f)}, nil
}

func outcomeNote(n string) string {
	if n == "" {
		return ""
	}
	return ": " + n
}

func sameOutcome(a, b FollowUpOutcome) bool {
	return a.Result == b.Result && a.Channel == b.Channel && a.Staff == b.Staff &&
		a.Satisfaction == b.Satisfaction && (a.Note == b.Note || a.Note == "")
}

func completedEvent(f FollowUp) FollowUpCompleted {
	return FollowUpCompleted{FollowUpID: f.ID, CustomerID: f.CustomerID, InteractionID: f.Outcome.InteractionID, Result: f.Outcome.Result, At: f.Outcome.At}
}

// CancelFollowUp drops an open follow-up (the customer moved away, the
// complaint was reopened). Cancelling a cancelled follow-up is a replay.
func (s *Service) CancelFollowUp(ctx context.Context, id, actor, note string) (FollowUp, []Event, error) {
	if actor == "" {
		return FollowUp{}, nil, wrap("follow-up", id, &FieldError{Field: "actor", Problem: "is required"})
	}
	var out FollowUp
	replay := false
	err := s.retry(func() error {
		f, err := s.store.GetFollowUp(ctx, id)
		if err != nil {
			return err
		}
		if f.Status == FollowUpCancelled {
			out, replay = f, true
			return nil
		}
		if f.Status != FollowUpOpen {
			return &TransitionError{Record: "follow-up", ID: id, From: string(f.Status), Action: "cancel"}
		}
		f.Status, f.CancelNote = FollowUpCancelled, note
		f.Version++
		if err := s.store.UpdateFollowUp(ctx, f); err != nil {
			return err
		}
		out = f
		return nil
	})
	if err != nil {
		return FollowUp{}, nil, wrap("follow-up", id, err)
	}
	if replay {
		return out, nil, nil
	}
	return out, []Event{FollowUpDropped{FollowUpID: id, CustomerID: out.CustomerID, Actor: actor, At: s.now()}}, nil
}
