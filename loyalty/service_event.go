package loyalty

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// EventRequest reports one occurrence of a host-defined event
// (Program.Events).
type EventRequest struct {
	// ID is the host's ID of the occurrence: the idempotency key, unique
	// per event kind. A retried report with the same ID earns once.
	ID       string
	MemberID string
	Kind     EventKind
	// At is when the member acted; zero means the service's clock. Days
	// and periods are read in the programme's zone from it.
	At time.Time
	// MakeUp, for a check-in, is a missed day checked in afterwards (补签):
	// a day of At's month before At's local day. Zero for today's check-in.
	MakeUp Date
}

// Why an occurrence earned nothing.
const (
	CappedDay       = "day"        // the event's PerDay occurrences were reached
	CappedPeriod    = "period"     // the event's PerPeriod occurrences were reached
	CappedCheckedIn = "checked-in" // the day was checked in already
	CappedMakeUp    = "make-up"    // the month's make-up days are used up
)

// EventResult is what an occurrence earned.
type EventResult struct {
	MemberID string    `json:"memberId"`
	Kind     EventKind `json:"kind"`
	// Points is the total credited: Base + StreakPoints + RulePoints.
	Points int64 `json:"points"`
	// Base is the event's own points (for a check-in: the day's).
	Base int64 `json:"base,omitempty"`
	// Streak is, for a check-in, the length of the run of consecutive
	// days holding the day checked in, after it; StreakPoints what the
	// streak steps added (see CheckIn).
	Streak       int   `json:"streak,omitempty"`
	StreakPoints int64 `json:"streakPoints,omitempty"`
	// RulePoints is what event-bonus rules naming the kind added.
	RulePoints int64    `json:"rulePoints,omitempty"`
	Rules      []string `json:"rules,omitempty"`
	// Capped says why the occurrence earned nothing (CappedDay, ...);
	// empty when it earned.
	Capped  string         `json:"capped,omitempty"`
	Entries []ledger.Entry `json:"entries,omitempty"`
	Events  []Event        `json:"events,omitempty"`
}

// RecordEvent credits the points a host-defined event earns: its own
// points, a check-in's streak points and the event-bonus rules naming it,
// within its caps per day and per period. An occurrence over a cap is
// recorded with no points and Capped saying which; its retry answers the
// same. The points are a lot under the programme's expiry, released at
// once (events have no return window).
//
// The day and period counters and the check-in calendar are records of
// the account (RecordRewardCount, keys "event:<kind>@..."), written in the
// same atomic save as the points and the request's record, so two
// concurrent occurrences can never both take the last place under a cap.
func (s *Service) RecordEvent(ctx context.Context, r EventRequest) (EventResult, error) {
	body := r // hashed as sent, so a retry without a time is still a replay
	if r.At.IsZero() {
		r.At = s.opts.Clock()
	}
	r.At = storeTime(r.At)
	if err := errors.Join(checkID("id", r.ID), checkID("memberId", r.MemberID), checkTime("at", r.At)); err != nil {
		return EventResult{}, err
	}
	def, ok := s.program.HostEvent(r.Kind)
	if !ok {
		return EventResult{}, &FieldError{Field: "kind", Problem: "not an event the programme defines"}
	}
	loc := s.program.loc()
	today := DateOf(r.At, loc)
	if !r.MakeUp.IsZero() {
		if def.CheckIn == nil {
			return EventResult{}, &FieldError{Field: "makeUp", Problem: "only a check-in has make-up days"}
		}
		if !r.MakeUp.valid() || r.MakeUp.Year != today.Year || r.MakeUp.Month != today.Month || r.MakeUp.Day >= today.Day {
			return EventResult{}, &FieldError{Field: "makeUp", Problem: "must be a day of the same month before the check-in's day"}
		}
	}
	c, err := s.customers.Get(ctx, r.MemberID)
	if err != nil {
		return EventResult{}, fmt.Errorf("loyalty: event %s: %w", r.Kind, err)
	}
	keys := eventKeys(&def, today, r.At, s.program)
	id := "e:" + string(r.Kind) + ":" + r.ID
	var res EventResult
	err = s.write(ctx, request{key: "event:" + string(r.Kind) + ":" + r.ID, body: body, member: c.ID, create: true,
		needs: needs{at: r.At, counts: keys.all()}}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			out := EventResult{MemberID: acct.MemberID, Kind: r.Kind}
			if def.CheckIn != nil {
				day := today
				if !r.MakeUp.IsZero() {
					day = r.MakeUp
				}
				out.Capped = checkIn(def.CheckIn, def.Points, ws, keys, day, !r.MakeUp.IsZero(), &out)
			} else {
				out.Capped = countOccurrence(&def, ws, keys)
				if out.Capped == "" {
					out.Base = def.Points
				}
			}
			if out.Capped != "" {
				return acct, nil, out, nil
			}
			m, err := s.member(ctx, acct, c, r.At)
			if err != nil {
				return acct, nil, nil, err
			}
			q, err := s.program.QuoteEvent(EventInput{Event: r.Kind, Time: r.At, Member: m, Reference: r.ID})
			if err != nil {
				return acct, nil, nil, err
			}
			out.RulePoints = q.Total
			for _, rq := range q.Rules {
				out.Rules = append(out.Rules, rq.RuleID)
			}
			out.Points = out.Base + out.StreakPoints + out.RulePoints
			if out.Points == 0 {
				return acct, nil, out, nil
			}
			var entries []ledger.Entry
			acct.Points, entries, err = acct.Points.Earn(id, out.Points, r.At, time.Time{}, q.ExpiresAt, "")
			if err != nil {
				return acct, nil, nil, err
			}
			out.Entries, out.Events = entries, entryEvents(acct.MemberID, entries)
			return acct, entries, out, nil
		})
	if err != nil {
		return EventResult{}, fmt.Errorf("loyalty: event %s: %w", id, err)
	}
	return res, nil
}

// eventCounterKeys names an occurrence's counters. Every key starts
// "event:<kind>@" and goes on with a word and a colon, which a reward
// counter's key ("<reward>@" then nothing or an RFC 3339 instant) never
// does, so the two share the record kind without clashing.
type eventCounterKeys struct {
	day, period     string // occurrences in the local day and the cap period
	checkIn, makeUp string // the month's check-in calendar and make-ups used
}

func eventKeys(def *HostEvent, today Date, at time.Time, p *Program) eventCounterKeys {
	pre := "event:" + string(def.Kind) + "@"
	if def.CheckIn != nil {
		month := fmt.Sprintf("%04d-%02d", today.Year, int(today.Month))
		return eventCounterKeys{checkIn: pre + "checkin:" + month, makeUp: pre + "makeup:" + month}
	}
	var k eventCounterKeys
	if def.PerDay > 0 {
		k.day = pre + "day:" + today.String()
	}
	if def.PerPeriod > 0 {
		k.period = pre + string(def.Period) + ":" + periodStart(today, def.Period).String()
	}
	return k
}

func (k eventCounterKeys) all() []string {
	var out []string
	for _, s := range []string{k.day, k.period, k.checkIn, k.makeUp} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// isCheckInKey reports whether a counter key holds a check-in calendar (a
// bit mask, which merges by union, not by sum).
func isCheckInKey(key string) bool {
	return strings.HasPrefix(key, "event:") && strings.Contains(key, "@checkin:")
}

// countOccurrence takes a place under the event's caps, or says which cap
// is full.
func countOccurrence(def *HostEvent, ws *workset, k eventCounterKeys) string {
	if k.day != "" && ws.counts[k.day] >= int64(def.PerDay) {
		return CappedDay
	}
	if k.period != "" && ws.counts[k.period] >= int64(def.PerPeriod) {
		return CappedPeriod
	}
	if k.day != "" {
		ws.addCount(k.day, 1)
	}
	if k.period != "" {
		ws.addCount(k.period, 1)
	}
	return ""
}

// checkIn marks day in the month's calendar and fills out's base and
// streak points: what the month's total (CheckIn.monthPoints) gains.
func checkIn(ci *CheckIn, base int64, ws *workset, k eventCounterKeys, day Date, makeUp bool, out *EventResult) string {
	mask := uint32(ws.counts[k.checkIn])
	bit := uint32(1) << (day.Day - 1)
	if mask&bit != 0 {
		return CappedCheckedIn
	}
	if makeUp {
		if ws.counts[k.makeUp] >= int64(ci.MakeUpDays) {
			return CappedMakeUp
		}
		ws.addCount(k.makeUp, 1)
	}
	next := mask | bit
	ws.addCount(k.checkIn, int64(next)-int64(mask))
	gain := ci.monthPoints(next, base) - ci.monthPoints(mask, base)
	out.Base = base
	out.StreakPoints = gain - base
	last := day.Day
	for last < 31 && next&(1<<last) != 0 {
		last++
	}
	out.Streak = streakAt(next, last)
	return ""
}
