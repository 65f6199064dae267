package feedback

import (
	"time"
)

// This file applies an SLA policy to a complaint: deadlines, the earliest
// running deadline that stores index, and the overdue and escalation
// events due at a given time. It is pure; the policy's calendar does the
// arithmetic.

// fixDeadlines sets the deadlines of a complaint at intake.
func (p SLAPolicy) fixDeadlines(c *Complaint) error {
	t, err := p.Target(c.Priority)
	if err != nil {
		return err
	}
	c.Policy, c.Target = p.Name, t
	if c.FirstResponseDue, err = p.Calendar.Add(c.ReceivedAt, t.FirstResponse); err != nil {
		return err
	}
	return p.refresh(c)
}

// refresh recomputes the resolution deadline from the targets fixed at
// intake and the pauses so far, then DueAt.
func (p SLAPolicy) refresh(c *Complaint) error {
	due, suspended, err := p.Calendar.Deadline(c.ReceivedAt, c.Target.Resolution, c.Pauses)
	if err != nil {
		return err
	}
	if suspended {
		due = time.Time{}
	}
	c.ResolutionDue = due
	c.DueAt = dueAt(*c)
	return nil
}

type runningDeadline struct {
	kind DeadlineKind
	due  time.Time
}

// deadlines lists the deadlines whose clock is running for c.
func deadlines(c Complaint) []runningDeadline {
	var out []runningDeadline
	if c.Status == StatusReceived && !c.FirstResponseDue.IsZero() {
		out = append(out, runningDeadline{DeadlineFirstResponse, c.FirstResponseDue})
	}
	if c.Status.Open() && !c.ResolutionDue.IsZero() {
		out = append(out, runningDeadline{DeadlineResolution, c.ResolutionDue})
	}
	return out
}

func (c Complaint) breached(k DeadlineKind) bool {
	if k == DeadlineFirstResponse {
		return c.FirstResponseBreached
	}
	return c.ResolutionBreached
}

func (c Complaint) escalated(k DeadlineKind, level int) bool {
	for _, e := range c.Escalations {
		if e.Deadline == k && e.Level == level {
			return true
		}
	}
	return false
}

// dueAt is the earliest deadline whose clock is running for c, or zero.
func dueAt(c Complaint) time.Time {
	var next time.Time
	for _, d := range deadlines(c) {
		if next.IsZero() || d.due.Before(next) {
			next = d.due
		}
	}
	return next
}

// checkOverdue marks the deadlines of c that have passed by now, records
// the escalation steps due, and returns the events; it refreshes
// NextCheck. A deadline is passed when now is after it.
func (p SLAPolicy) checkOverdue(c *Complaint, now time.Time) ([]Event, error) {
	var evs []Event
	for _, d := range deadlines(*c) {
		if !now.After(d.due) {
			continue
		}
		if !c.breached(d.kind) {
			if d.kind == DeadlineFirstResponse {
				c.FirstResponseBreached = true
			} else {
				c.ResolutionBreached = true
			}
			evs = append(evs, ComplaintOverdue{ComplaintID: c.ID, CustomerID: c.CustomerID, Store: c.Store, Priority: c.Priority, Deadline: d.kind, Due: d.due, At: now})
		}
		for i, step := range p.Escalations {
			if c.escalated(d.kind, i+1) {
				continue
			}
			at, err := p.Calendar.Add(d.due, step.After)
			if err != nil {
				return nil, err
			}
			if !now.After(at) {
				break
			}
			c.Escalations = append(c.Escalations, Escalation{Deadline: d.kind, Level: i + 1, To: step.To, At: now})
			evs = append(evs, ComplaintEscalated{ComplaintID: c.ID, Store: c.Store, Priority: c.Priority, Deadline: d.kind, Level: i + 1, To: step.To, At: now})
		}
	}
	return evs, nil
}

// markLateResolution records a resolution after the deadline as a breach,
// scan or no scan, so "resolved within SLA" can be read off the record.
func markLateResolution(c *Complaint) {
	if c.Status == StatusResolved && !c.ResolutionDue.IsZero() && c.ResolvedAt.After(c.ResolutionDue) {
		c.ResolutionBreached = true
	}
}

// FirstResponseTime is the business time from intake to the first
// response, on the policy's calendar; ok is false before the complaint is
// acknowledged. Complaint KPIs average it.
func (p SLAPolicy) FirstResponseTime(c Complaint) (d time.Duration, ok bool) {
	if c.FirstResponseAt.IsZero() {
		return 0, false
	}
	return p.Calendar.Between(c.ReceivedAt, c.FirstResponseAt), true
}

// ResolutionTime is the business time from intake to the latest
// resolution, not counting waits on the customer; ok is false while the
// complaint is not resolved.
func (p SLAPolicy) ResolutionTime(c Complaint) (d time.Duration, ok bool) {
	if c.ResolvedAt.IsZero() {
		return 0, false
	}
	return p.Calendar.BetweenExcluding(c.ReceivedAt, c.ResolvedAt, c.Pauses), true
}
