package feedback

import (
	"context"
	"errors"
	"fmt"
	"github.com/clientele-go/clientele/internal/factlimit"
	"iter"
	"slices"
	"time"
)

// ComplaintIntake is a complaint as the shop takes it in. ID comes from the
// POS or the form, so intake is idempotent; an empty ID gets a fresh one
// (not retry-safe). A zero ReceivedAt means now; a lane syncing late may
// give a time up to a year back, and a lane whose clock runs ahead up to
// MaxClockAhead forward (later times would push the SLA deadlines out).
type ComplaintIntake struct {
	ID            string    `json:"id"`
	CustomerID    string    `json:"customerId,omitempty"` // empty for an anonymous complaint
	Store         string    `json:"store"`
	Staff         string    `json:"staff,omitempty"`
	Channel       Channel   `json:"channel"`
	Category      Category  `json:"category"`
	Priority      Priority  `json:"priority"`
	Description   string    `json:"description"`
	RemedySought  string    `json:"remedySought,omitempty"`
	PurchaseID    string    `json:"purchaseId,omitempty"`
	InteractionID string    `json:"interactionId,omitempty"`
	ReceivedAt    time.Time `json:"receivedAt,omitzero"`
}

func (in ComplaintIntake) validate() error {
	var fe fieldErrors
	if in.Store == "" {
		fe.add("store", "is required")
	}
	if in.Channel == "" {
		fe.add("channel", "is required")
	}
	if in.Category == "" {
		fe.add("category", "is required")
	}
	if !in.Priority.valid() {
		fe.add("priority", "must be low, normal, high or urgent")
	}
	if in.Description == "" {
		fe.add("description", "is required")
	}
	checkText(&fe, "description", in.Description)
	checkText(&fe, "remedySought", in.RemedySought)
	for field, id := range map[string]string{"id": in.ID, "customerId": in.CustomerID, "store": in.Store,
		"staff": in.Staff, "purchaseId": in.PurchaseID, "interactionId": in.InteractionID,
		"channel": string(in.Channel), "category": string(in.Category)} {
		checkID(&fe, field, id)
	}
	return fe.err()
}

// ReceiveComplaint takes a complaint in and fixes its deadlines from the
// store's SLA policy. Replaying the same intake returns the stored
// complaint and its ComplaintReceived event again; the same ID with a
// different intake fails with ErrIdempotencyMismatch.
func (s *Service) ReceiveComplaint(ctx context.Context, in ComplaintIntake) (Complaint, []Event, error) {
	c, err := s.receive(ctx, in)
	if err != nil {
		return Complaint{}, nil, wrap("receive complaint", in.ID, err)
	}
	return c, []Event{receivedEvent(c)}, nil
}

// maxIntakeLag is how late a lane may sync a complaint: deadlines are
// counted from the intake time, and the calendar counts day by day.
const maxIntakeLag = 366 * 24 * time.Hour

func (s *Service) receive(ctx context.Context, in ComplaintIntake) (Complaint, error) {
	err := in.validate()
	if now := s.now(); !in.ReceivedAt.IsZero() && in.ReceivedAt.Before(now.Add(-maxIntakeLag)) {
		err = errors.Join(err, &FieldError{Field: "receivedAt", Problem: "must lie within the last year"})
	}
	err = errors.Join(err, s.aheadErr("receivedAt", in.ReceivedAt))
	if err != nil {
		return Complaint{}, err
	}
	hashed := in
	hashed.ReceivedAt = utc(in.ReceivedAt)
	hash, err := requestHash(hashed)
	if err != nil {
		return Complaint{}, err
	}
	if in.ID == "" {
		in.ID = s.newID()
	}
	at := stamp(in.ReceivedAt)
	if at.IsZero() {
		at = s.now()
	}
	actor := in.Staff
	if actor == "" {
		actor = string(in.Channel)
	}
	c := Complaint{
		ID: in.ID, Version: 1, CustomerID: in.CustomerID, Store: in.Store, Staff: in.Staff,
		Channel: in.Channel, Category: in.Category, Priority: in.Priority,
		Description: in.Description, RemedySought: in.RemedySought,
		PurchaseID: in.PurchaseID, InteractionID: in.InteractionID,
		RequestHash: hash, ReceivedAt: at, Status: StatusReceived,
		History: []Transition{{Action: ActionReceive, To: StatusReceived, Actor: actor, At: at}},
	}
	if err := s.policyFor(in.Store).fixDeadlines(&c); err != nil {
		return Complaint{}, err
	}
	err = s.store.CreateComplaint(ctx, c)
	if errors.Is(err, ErrAlreadyExists) {
		old, gerr := s.store.GetComplaint(ctx, c.ID)
		if gerr != nil {
			return Complaint{}, gerr
		}
		if old.RequestHash != hash {
			return Complaint{}, ErrIdempotencyMismatch
		}
		return old, nil
	}
	if err != nil {
		return Complaint{}, err
	}
	return c, nil
}

func receivedEvent(c Complaint) ComplaintReceived {
	return ComplaintReceived{
		ComplaintID: c.ID, CustomerID: c.CustomerID, Store: c.Store, Priority: c.Priority,
		FirstResponseDue: c.FirstResponseDue, ResolutionDue: c.ResolutionDue, At: c.ReceivedAt,
	}
}

// GetComplaint returns a complaint, or ErrNotFound.
func (s *Service) GetComplaint(ctx context.Context, id string) (Complaint, error) {
	c, err := s.store.GetComplaint(ctx, id)
	return c, wrap("get complaint", id, err)
}

// Apply takes one step of a complaint's flow (see NextStatus), recording
// actor, time and note, and recomputing the resolution deadline when a
// wait on the customer ends. An illegal step fails with a
// *TransitionError and writes nothing. Resolving a customer's complaint
// schedules the follow-up call of the FollowUpPolicy; closing it offers
// the customer the surveys with an after-complaint-closed rule
// (InviteOnTrigger).
func (s *Service) Apply(ctx context.Context, id string, step Step) (Complaint, []Event, error) {
	c, evs, err := s.apply(ctx, id, step)
	return c, evs, wrap("complaint", id, err)
}

func (s *Service) apply(ctx context.Context, id string, step Step) (Complaint, []Event, error) {
	if err := step.validate(); err != nil {
		return Complaint{}, nil, err
	}
	var out Complaint
	var done Transition
	err := s.retry(func() error {
		c, err := s.store.GetComplaint(ctx, id)
		if err != nil {
			return err
		}
		if t, ok := c.stepByRequest(step.RequestID); ok {
			if t.Action != step.Action || t.Actor != step.Actor || (t.Note != step.Note && t.Note != "") {
				return ErrIdempotencyMismatch
			}
			out, done = c, t
			return nil
		}
		at := s.now()
		if n := len(c.History); n > 0 && at.Before(c.History[n-1].At) {
			at = c.History[n-1].At // a clock behind the record's never reorders history
		}
		if err := applyStep(&c, step, at); err != nil {
			return err
		}
		if err := s.policyFor(c.Store).refresh(&c); err != nil {
			return err
		}
		markLateResolution(&c)
		c.Version++
		if err := s.store.UpdateComplaint(ctx, c); err != nil {
			return err
		}
		out, done = c, c.History[len(c.History)-1]
		return nil
	})
	if err != nil {
		return Complaint{}, nil, err
	}
	evs := []Event{ComplaintTransitioned{
		ComplaintID: out.ID, CustomerID: out.CustomerID, Store: out.Store,
		Action: done.Action, From: done.From, To: done.To, Actor: done.Actor, At: done.At,
	}}
	switch done.Action {
	case ActionResolve:
		fu, created, err := s.scheduleAfterResolution(ctx, out, done)
		if err != nil {
			return out, evs, err
		}
		if created {
			evs = append(evs, scheduledEvent(fu))
		}
	case ActionClose:
		if out.CustomerID == "" {
			break
		}
		// Closing invites the customer to the surveys with an
		// after-complaint-closed rule; the invitation ID names the
		// complaint and the close, so a replay invites nobody twice.
		_, more, err := s.InviteOnTrigger(ctx, InvitationRequest{
			CustomerID: out.CustomerID, Trigger: TriggerComplaintClosed,
			Reference: fmt.Sprintf("%s:%d", out.ID, out.countUpTo(done, ActionReopen)), At: done.At,
		})
		if err != nil {
			return out, evs, err
		}
		evs = append(evs, more...)
	}
	return out, evs, nil
}

// scheduleAfterResolution creates the follow-up of one resolution. Its ID
// names the complaint and the resolution's place in the history, so a
// retry finds it instead of creating another.
func (s *Service) scheduleAfterResolution(ctx context.Context, c Complaint, t Transition) (FollowUp, bool, error) {
	if s.followUps.AfterComplaint <= 0 || c.CustomerID == "" {
		return FollowUp{}, false, nil
	}
	n := c.countUpTo(t, ActionResolve) // the resolution's place among the complaint's resolutions
	f := FollowUp{
		ID: fmt.Sprintf("complaint:%s:%d", c.ID, n), CustomerID: c.CustomerID, Kind: FollowUpComplaint,
		Reference: c.ID, Store: c.Store, Staff: t.Actor, CreatedAt: t.At,
		DueAt: t.At.Add(s.followUps.AfterComplaint),
	}
	return s.createFollowUp(ctx, f, matchDerived)
}

// AddRemedy records a remedy on a complaint that is not closed. The
// remedy's ID makes it idempotent: a replay changes nothing, the same ID
// with different content fails with ErrIdempotencyMismatch. A
// goodwill-points remedy is then granted through the GoodwillGranter with
// a key derived from the complaint and remedy IDs, and marked granted; if
// the grant fails, calling AddRemedy again completes it.
func (s *Service) AddRemedy(ctx context.Context, complaintID string, r Remedy) (Complaint, []Event, error) {
	c, evs, err := s.addRemedy(ctx, complaintID, r)
	return c, evs, wrap("complaint", complaintID, err)
}

func (s *Service) addRemedy(ctx context.Context, complaintID string, r Remedy) (Complaint, []Event, error) {
	if err := errors.Join(r.validate(), s.aheadErr("at", r.At)); err != nil {
		return Complaint{}, nil, err
	}
	if r.Kind == RemedyGoodwill && s.goodwill == nil {
		return Complaint{}, nil, ErrNoGranter
	}
	r.Granted, r.At = false, stamp(r.At)
	var out Complaint
	var stored Remedy
	err := s.retry(func() error {
		c, err := s.store.GetComplaint(ctx, complaintID)
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(c.Remedies, func(x Remedy) bool { return x.ID == r.ID }); i >= 0 {
			if !c.Remedies[i].sameRequest(r) {
				return ErrIdempotencyMismatch
			}
			out, stored = c, c.Remedies[i]
			return nil
		}
		if c.Status == StatusClosed {
			return &TransitionError{Record: "complaint", ID: c.ID, From: string(c.Status), Action: "add remedy"}
		}
		if r.Kind == RemedyGoodwill && c.CustomerID == "" {
			return &FieldError{Field: "kind", Problem: "goodwill points need a complaint with a customer"}
		}
		nr := r
		if nr.At.IsZero() {
			nr.At = s.now()
		}
		c.Remedies = append(c.Remedies, nr)
		c.Version++
		if err := s.store.UpdateComplaint(ctx, c); err != nil {
			return err
		}
		out, stored = c, nr
		return nil
	})
	if err != nil {
		return Complaint{}, nil, err
	}
	evs := []Event{RemedyRecorded{
		ComplaintID: out.ID, CustomerID: out.CustomerID, RemedyID: stored.ID, Kind: stored.Kind,
		Cost: stored.Cost, Currency: stored.Currency, Points: stored.Points, At: stored.At,
	}}
	if stored.Kind != RemedyGoodwill || stored.Granted {
		return out, evs, nil
	}
	key := "feedback:complaint:" + out.ID + ":remedy:" + stored.ID
	if err := s.goodwill.GrantGoodwill(ctx, out.CustomerID, stored.Points, key, "complaint "+out.ID); err != nil {
		return out, evs, fmt.Errorf("granting goodwill points: %w", err)
	}
	err = s.retry(func() error {
		c, err := s.store.GetComplaint(ctx, complaintID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(c.Remedies, func(x Remedy) bool { return x.ID == stored.ID })
		if i < 0 || c.Remedies[i].Granted {
			out = c
			return nil
		}
		c.Remedies[i].Granted = true
		c.Version++
		if err := s.store.UpdateComplaint(ctx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Complaint{}, evs, err
	}
	evs = append(evs, GoodwillGranted{ComplaintID: out.ID, CustomerID: out.CustomerID, RemedyID: stored.ID, Points: stored.Points, At: s.now()})
	return out, evs, nil
}

func (r Remedy) validate() error {
	var fe fieldErrors
	if r.ID == "" {
		fe.add("id", "is required")
	}
	checkID(&fe, "id", r.ID)
	checkID(&fe, "actor", r.Actor)
	if !r.Kind.valid() {
		fe.add("kind", "must be refund, replacement, repair, coupon, goodwill-points or apology")
	}
	if r.Cost.IsNegative() {
		fe.add("cost", "must not be negative")
	}
	if !r.Cost.IsZero() && !validCurrency(r.Currency) {
		fe.add("currency", "must be an ISO 4217 code when there is a cost")
	}
	if r.Kind == RemedyGoodwill && (r.Points <= 0 || r.Points > MaxGoodwillPoints) {
		fe.add("points", "must be 1 to %d for goodwill points", MaxGoodwillPoints)
	}
	if r.Kind != RemedyGoodwill && r.Points != 0 {
		fe.add("points", "apply to goodwill points only")
	}
	if r.Actor == "" {
		fe.add("actor", "is required")
	}
	checkText(&fe, "note", r.Note)
	return fe.err()
}

// MaxGoodwillPoints bounds the goodwill points of one remedy: loyalty's
// ledger bound on one operation (internal/factlimit.MaxPoints). A remedy
// beyond it is refused before it is recorded; recorded, it could never be
// granted, and every retry would fail.
const MaxGoodwillPoints = factlimit.MaxPoints

func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// sameRequest compares a stored remedy with a replayed one; a note cleared
// by erasure still matches.
func (r Remedy) sameRequest(o Remedy) bool {
	return r.Kind == o.Kind && r.Cost.Equal(o.Cost) && r.Currency == o.Currency &&
		r.Points == o.Points && r.Actor == o.Actor && (r.Note == o.Note || r.Note == "") &&
		(o.At.IsZero() || r.At.Equal(o.At))
}

// RateHandling records the customer's satisfaction with how a resolved or
// closed complaint was handled, 1 (very dissatisfied) to 5 (very
// satisfied). A later rating replaces an earlier one.
func (s *Service) RateHandling(ctx context.Context, id string, score int) (Complaint, []Event, error) {
	if score < 1 || score > 5 {
		return Complaint{}, nil, wrap("complaint", id, &FieldError{Field: "score", Problem: "must lie between 1 and 5"})
	}
	var out Complaint
	err := s.retry(func() error {
		c, err := s.store.GetComplaint(ctx, id)
		if err != nil {
			return err
		}
		if c.Status != StatusResolved && c.Status != StatusClosed {
			return &TransitionError{Record: "complaint", ID: id, From: string(c.Status), Action: "rate handling"}
		}
		if c.Satisfaction == score {
			out = c
			return nil
		}
		c.Satisfaction = score
		c.Version++
		if err := s.store.UpdateComplaint(ctx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Complaint{}, nil, wrap("complaint", id, err)
	}
	return out, []Event{HandlingRated{ComplaintID: id, CustomerID: out.CustomerID, Score: score, At: s.now()}}, nil
}

// OverdueComplaints yields the complaints with a running deadline passed
// at asOf, by DueAt then ID. It uses the store's DueComplaintIndex when it
// has one, and otherwise reads every open complaint.
func (s *Service) OverdueComplaints(ctx context.Context, asOf time.Time) iter.Seq2[Complaint, error] {
	if idx, ok := s.store.(DueComplaintIndex); ok {
		return idx.ComplaintsDueBefore(ctx, asOf)
	}
	return func(yield func(Complaint, error) bool) {
		var due []Complaint
		for c, err := range s.store.OpenComplaints(ctx) {
			if err != nil {
				yield(Complaint{}, err)
				return
			}
			if !c.DueAt.IsZero() && c.DueAt.Before(asOf) {
				due = append(due, c)
			}
		}
		slices.SortFunc(due, func(a, b Complaint) int { return tkey{a.DueAt, a.ID}.cmp(tkey{b.DueAt, b.ID}) })
		for _, c := range due {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// CheckOverdue finds the complaints overdue now, marks each missed
// deadline once (ComplaintOverdue) and records the escalation steps that
// have come due (ComplaintEscalated). Running it again reports nothing
// new; hosts call it from their scheduler.
func (s *Service) CheckOverdue(ctx context.Context) ([]Event, error) {
	now := s.now()
	var ids []string
	for c, err := range s.OverdueComplaints(ctx, now) {
		if err != nil {
			return nil, wrap("check overdue", "", err)
		}
		ids = append(ids, c.ID)
	}
	var evs []Event
	for _, id := range ids {
		err := s.retry(func() error {
			c, err := s.store.GetComplaint(ctx, id)
			if err != nil {
				return err
			}
			got, err := s.policyFor(c.Store).checkOverdue(&c, now)
			if err != nil || len(got) == 0 {
				return err
			}
			c.Version++
			if err := s.store.UpdateComplaint(ctx, c); err != nil {
				return err
			}
			evs = append(evs, got...)
			return nil
		})
		if err != nil {
			return evs, wrap("check overdue", id, err)
		}
	}
	return evs, nil
}

// ComplaintsBetween yields the complaints received in [from, to), oldest
// first, for complaint KPIs.
func (s *Service) ComplaintsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Complaint, error] {
	return s.store.ComplaintsBetween(ctx, from, to)
}

// ComplaintsOf yields a customer's complaints, newest first.
func (s *Service) ComplaintsOf(ctx context.Context, customerID string) iter.Seq2[Complaint, error] {
	return s.store.ComplaintsOf(ctx, customerID)
}
