package loyalty

import "fmt"

// HostEvent is an event the host defines in the programme (a daily
// check-in, a share, a survey answered, the app opened) with the points
// each occurrence earns and how many occurrences may earn. The host
// reports occurrences with [Service.RecordEvent], each under its own event
// ID, so a retried report earns once.
//
// Event-bonus rules may name a host event's kind too: their points (on a
// member day, for a tier) add to the event's own points, and their
// conditions decide when.
type HostEvent struct {
	// Kind names the event: lower-case letters, digits and hyphens, at most
	// 40 bytes, not one of the built-in kinds.
	Kind EventKind `json:"kind"`
	// Points is what each occurrence that is not capped earns.
	Points int64 `json:"points,omitempty"`
	// PerDay is how many occurrences earn per local day (0: no limit).
	PerDay int `json:"perDay,omitempty"`
	// PerPeriod is how many occurrences earn per Period (0: no limit).
	PerPeriod int       `json:"perPeriod,omitempty"`
	Period    CapPeriod `json:"period,omitempty"` // required with PerPeriod
	// CheckIn makes the event a daily check-in: one per local day, with
	// streak points and make-up days.
	CheckIn *CheckIn `json:"checkIn,omitempty"`
}

// CheckIn is a daily check-in calendar (签到). A member checks in at most
// once per local day. Streaks count consecutive checked-in days of one
// calendar month in the programme's zone: the calendar starts afresh on
// the 1st, as the monthly check-in calendars of shop apps do.
//
// Streak points are per day: from the From-th consecutive day on, every
// day of the streak earns the step's Points besides the event's Points
// (the highest step reached applies). Steps must not decrease, which
// makes the month's total a function of the days checked in alone: a
// check-in earns what it adds to that total, so days reported late or out
// of order (an offline lane, a make-up) end in the same points as days
// reported in order. (A one-off prize on the 7th day would not have that
// property: a make-up that joins two runs would earn it twice or never.)
type CheckIn struct {
	// Streak lists the per-day extra points by streak length, ascending.
	Streak []StreakStep `json:"streak,omitempty"`
	// MakeUpDays is how many missed days of the current month a member may
	// check in afterwards (补签), per month. A make-up earns what a
	// check-in of that day would have.
	MakeUpDays int `json:"makeUpDays,omitempty"`
}

// StreakStep gives Points extra per day from the From-th consecutive day.
type StreakStep struct {
	From   int   `json:"from"`
	Points int64 `json:"points"`
}

// MaxHostEvents bounds the host-defined events of a programme.
const MaxHostEvents = 64

// builtinEvent reports whether e is one of the fixed event kinds.
func builtinEvent(e EventKind) bool {
	switch e {
	case EventRegistration, EventProfileCompleted, EventReview, EventReferrer, EventReferee:
		return true
	}
	return false
}

// HostEvent returns the host-defined event of that kind.
func (p *Program) HostEvent(kind EventKind) (HostEvent, bool) {
	for _, e := range p.Events {
		if e.Kind == kind {
			return e, true
		}
	}
	return HostEvent{}, false
}

// knowsEvent reports whether rules and bonuses may name e: a built-in kind
// or one the programme defines.
func (p *Program) knowsEvent(e EventKind) bool {
	if builtinEvent(e) {
		return true
	}
	_, ok := p.HostEvent(e)
	return ok
}

// eventKindShape accepts lower-case letters, digits and inner hyphens. An
// '@' can never appear, which keeps the counters' keys apart from the
// reward counters' (service_event.go).
func eventKindShape(s EventKind) bool {
	if len(s) == 0 || len(s) > 40 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func (p *Program) validateEvents(fe *fieldErrors) {
	if len(p.Events) > MaxHostEvents {
		fe.add("events", "at most %d events", MaxHostEvents)
	}
	seen := map[EventKind]bool{}
	for i := range p.Events {
		e := &p.Events[i]
		path := "events[" + itoa(i) + "]"
		switch {
		case !eventKindShape(e.Kind):
			fe.add(path+".kind", "must be 1 to 40 lower-case letters, digits and inner hyphens")
		case builtinEvent(e.Kind):
			fe.add(path+".kind", "is a built-in event kind")
		case seen[e.Kind]:
			fe.add(path+".kind", "duplicate event kind")
		}
		seen[e.Kind] = true
		if e.Points < 0 || e.Points > MaxBonusPoints {
			fe.add(path+".points", "must be 0 to %d", MaxBonusPoints)
		}
		if e.PerDay < 0 || e.PerDay > 1000 {
			fe.add(path+".perDay", "must be 0 to 1000")
		}
		if e.PerPeriod < 0 || e.PerPeriod > 100000 {
			fe.add(path+".perPeriod", "must be 0 to 100000")
		}
		switch {
		case e.PerPeriod > 0 && !validPeriod(e.Period):
			fe.add(path+".period", "must be week, month, quarter or year with perPeriod")
		case e.PerPeriod == 0 && e.Period != "":
			fe.add(path+".period", "only with perPeriod")
		}
		if e.CheckIn != nil {
			e.CheckIn.validate(fe, path+".checkIn", e)
		}
	}
}

func (c *CheckIn) validate(fe *fieldErrors, path string, e *HostEvent) {
	if e.PerDay != 0 || e.PerPeriod != 0 {
		fe.add(path, "a check-in earns once a day; it takes no perDay or perPeriod")
	}
	if c.MakeUpDays < 0 || c.MakeUpDays > 31 {
		fe.add(path+".makeUpDays", "must be 0 to 31")
	}
	if len(c.Streak) > 31 {
		fe.add(path+".streak", "at most 31 steps")
	}
	for j, s := range c.Streak {
		sp := fmt.Sprintf("%s.streak[%d]", path, j)
		if s.From < 2 || s.From > 31 {
			fe.add(sp+".from", "must be 2 to 31")
		}
		if s.Points < 0 || s.Points > MaxBonusPoints {
			fe.add(sp+".points", "must be 0 to %d", MaxBonusPoints)
		}
		if j > 0 {
			prev := c.Streak[j-1]
			if s.From <= prev.From {
				fe.add(sp+".from", "steps must ascend")
			}
			if s.Points < prev.Points {
				fe.add(sp+".points", "must not be less than the step before (see CheckIn)")
			}
		}
	}
}

// streakExtra is the extra points the n-th consecutive day earns.
func (c *CheckIn) streakExtra(n int) int64 {
	var pts int64
	for _, s := range c.Streak {
		if n >= s.From {
			pts = s.Points
		}
	}
	return pts
}

// monthPoints is the total streak and base points of a month whose
// checked-in days are the bits of mask (bit d-1 for day d): each maximal
// run of consecutive days earns base per day plus each day's streak extra
// by its position in the run.
func (c *CheckIn) monthPoints(mask uint32, base int64) int64 {
	var total int64
	run := 0
	for d := 0; d < 31; d++ {
		if mask&(1<<d) == 0 {
			run = 0
			continue
		}
		run++
		total += base + c.streakExtra(run)
	}
	return total
}

// streakAt is the length of the run of checked-in days ending on day.
func streakAt(mask uint32, day int) int {
	n := 0
	for d := day; d >= 1 && mask&(1<<(d-1)) != 0; d-- {
		n++
	}
	return n
}
