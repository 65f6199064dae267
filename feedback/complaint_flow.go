package feedback

import (
	"time"
)

// This file holds the complaint state machine: which action each status
// allows, and what the action does to the aggregate. It is pure.

// NextStatus returns the status an action leads to from a status, with
// waiting telling whether the shop is waiting on the customer. It returns
// a *TransitionError (matching ErrIllegalTransition) for an action the
// status does not allow:
//
//	acknowledge       received                        → acknowledged
//	investigate       acknowledged                    → investigating
//	wait-on-customer  acknowledged, investigating     → unchanged, clock stopped
//	resume            the same, while waiting         → unchanged, clock running
//	resolve           investigating (ends any wait)   → resolved
//	close             resolved                        → closed
//	reopen            resolved, closed                → investigating
//
// Acknowledge and investigate are refused while waiting on the customer:
// resume first, so the pause is never left open by accident. Receive is
// only the intake itself.
func NextStatus(from ComplaintStatus, waiting bool, a Action) (ComplaintStatus, error) {
	to, ok := nextStatus(from, waiting, a)
	if !ok {
		state := string(from)
		if waiting {
			state += " (waiting on customer)"
		}
		return from, &TransitionError{Record: "complaint", From: state, Action: string(a)}
	}
	return to, nil
}

func nextStatus(from ComplaintStatus, waiting bool, a Action) (ComplaintStatus, bool) {
	working := from == StatusAcknowledged || from == StatusInvestigating
	switch a {
	case ActionAcknowledge:
		return StatusAcknowledged, from == StatusReceived && !waiting
	case ActionInvestigate:
		return StatusInvestigating, from == StatusAcknowledged && !waiting
	case ActionWaitOnCustomer:
		return from, working && !waiting
	case ActionResume:
		return from, working && waiting
	case ActionResolve:
		return StatusResolved, from == StatusInvestigating
	case ActionClose:
		return StatusClosed, from == StatusResolved && !waiting
	case ActionReopen:
		return StatusInvestigating, (from == StatusResolved || from == StatusClosed) && !waiting
	}
	return from, false
}

// AllowedActions lists the actions the complaint's current state allows,
// in the order of the flow (for a handler's buttons).
func AllowedActions(c Complaint) []Action {
	var out []Action
	for _, a := range []Action{ActionAcknowledge, ActionInvestigate, ActionWaitOnCustomer, ActionResume, ActionResolve, ActionClose, ActionReopen} {
		if _, ok := nextStatus(c.Status, c.WaitingOnCustomer, a); ok {
			out = append(out, a)
		}
	}
	return out
}

// Step is one action on a complaint. RequestID, when given, makes the step
// idempotent: replaying a step whose RequestID is already in the history
// returns the complaint as it is, and reusing it for a different step is
// ErrIdempotencyMismatch.
type Step struct {
	Action    Action `json:"action"`
	Actor     string `json:"actor"`
	Note      string `json:"note,omitempty"`
	RequestID string `json:"requestId,omitempty"`
}

func (s Step) validate() error {
	var fe fieldErrors
	if s.Actor == "" {
		fe.add("actor", "is required")
	}
	checkText(&fe, "note", s.Note)
	checkID(&fe, "actor", s.Actor)
	checkID(&fe, "requestId", s.RequestID)
	if s.Action == "" {
		fe.add("action", "is required")
	}
	return fe.err()
}

// applyStep changes the complaint as the step says, at time at. It checks
// the transition and leaves c untouched when it is illegal. Deadlines are
// recomputed by the caller.
func applyStep(c *Complaint, s Step, at time.Time) error {
	to, err := NextStatus(c.Status, c.WaitingOnCustomer, s.Action)
	if err != nil {
		err.(*TransitionError).ID = c.ID
		return err
	}
	from := c.Status
	switch s.Action {
	case ActionAcknowledge:
		c.FirstResponseAt = at
		c.FirstResponseBreached = c.FirstResponseBreached || at.After(c.FirstResponseDue)
	case ActionWaitOnCustomer:
		c.WaitingOnCustomer = true
		c.Pauses = append(c.Pauses, Interval{Start: at})
	case ActionResume:
		c.endPause(at)
	case ActionResolve:
		c.endPause(at)
		c.ResolvedAt = at
	case ActionClose:
		c.ClosedAt = at
	case ActionReopen:
		c.Reopened++
		c.ResolvedAt, c.ClosedAt = time.Time{}, time.Time{}
	}
	c.Status = to
	c.History = append(c.History, Transition{
		Action: s.Action, From: from, To: to, Actor: s.Actor, At: at, Note: s.Note, RequestID: s.RequestID,
	})
	return nil
}

func (c *Complaint) endPause(at time.Time) {
	if !c.WaitingOnCustomer {
		return
	}
	c.WaitingOnCustomer = false
	if n := len(c.Pauses); n > 0 && c.Pauses[n-1].Open() {
		end := at
		if end.Before(c.Pauses[n-1].Start) {
			end = c.Pauses[n-1].Start
		}
		c.Pauses[n-1].End = end
	}
}

// stepByRequest returns the history entry made by a request ID.
func (c Complaint) stepByRequest(id string) (Transition, bool) {
	if id == "" {
		return Transition{}, false
	}
	for _, t := range c.History {
		if t.RequestID == id {
			return t, true
		}
	}
	return Transition{}, false
}

// countUpTo counts the history entries with action a up to and including
// entry t, so a replayed step names the same follow-up or invitation as
// the original even after later steps.
func (c Complaint) countUpTo(t Transition, a Action) int {
	n := 0
	for _, h := range c.History {
		if h.Action == a {
			n++
		}
		if h == t {
			break
		}
	}
	return n
}
