package loyalty

import (
	"errors"
	"slices"
	"time"
)

// ErrNoTiers: the programme has no tier ladder.
var ErrNoTiers = errors.New("loyalty: programme has no tiers")

// maxTierSteps bounds the reviews one evaluation replays (a century of
// monthly reviews), so a corrupt state cannot loop for long.
const maxTierSteps = 1200

// EvaluateTier is the tier rule as a pure function of the programme, the
// stored state, the member's qualifying activity and the clock. It replays
// in time order everything due up to now:
//
//   - an upgrade at the first qualifying event (after Since) whose window
//     reaches a higher tier: the member moves up at that event's time, so a
//     late evaluation gives the same answer as a prompt one; a new tier is
//     guaranteed for Review.GuaranteeMonths;
//   - each scheduled review (Review.Schedule), which looks back at the
//     window ending just before it: a member no longer qualified and not
//     guaranteed enters grace (Review.GraceDays) or moves down one step or
//     to the tier still qualified for (Review.Downgrade);
//   - the end of a grace: qualifying again by then keeps the tier;
//   - the expiry of a manual override.
//
// It returns the new state, the changes in time order (none when nothing
// changed) and the progress towards the next tier and for keeping this one.
func EvaluateTier(p *Program, s TierState, act QualifyingActivity, now time.Time) (TierState, []TierChange, Progress, error) {
	st, changes, pr, _, err := evaluateTier(p, s, act, now, time.Time{}, true)
	return st, changes, pr, err
}

// evaluateTier is EvaluateTier. The service passes its watermark as seen:
// events at or before it were walked by an earlier evaluation, so only the
// later ones can upgrade (act then needs to hold only the events the
// windows of the later instants reach). The progress costs a pass over
// every tier's windows, so callers that drop it (every earn) skip it. It
// also returns the state just before each change (TierMark), which the
// service keeps so that a late fact can be walked from the state the
// member had before it.
func evaluateTier(p *Program, s TierState, act QualifyingActivity, now, seen time.Time, progress bool) (TierState, []TierChange, Progress, []TierMark, error) {
	if p == nil || p.Tiers.IsZero() {
		return s, nil, Progress{}, nil, ErrNoTiers
	}
	if _, err := p.compiledOrCheck(); err != nil {
		return s, nil, Progress{}, nil, err
	}
	if s.Override != nil && p.Tiers.index(s.Override.Tier) < 0 {
		return s, nil, Progress{}, nil, &FieldError{Field: "state.override.tier", Problem: "not a tier of the ladder"}
	}
	if s.Override != nil && s.Override.Until.IsZero() {
		return s, nil, Progress{}, nil, &FieldError{Field: "state.override.until", Problem: "an override needs an expiry"}
	}
	if s.Tier == "" {
		s.Tier = p.Tiers.Levels[0].Code
	}
	if p.Tiers.index(s.Tier) < 0 {
		return s, nil, Progress{}, nil, &FieldError{Field: "state.tier", Problem: "not a tier of the ladder"}
	}
	led, err := newLedgerOf(act, p.MinorUnit())
	if err != nil {
		return s, nil, Progress{}, nil, err
	}
	defer led.release()
	e := tierEval{p: p, s: s, led: led, now: now, seen: seen}
	if err := e.replay(); err != nil {
		return s, nil, Progress{}, nil, err
	}
	e.expireOverride()
	slices.SortStableFunc(e.changes, func(a, b TierChange) int { return a.At.Compare(b.At) })
	if !progress {
		return e.s, e.changes, Progress{}, e.marks, nil
	}
	return e.s, e.changes, p.progress(e.s, led, now), e.marks, nil
}

type tierEval struct {
	p       *Program
	s       TierState
	led     *ledgerOf
	now     time.Time
	seen    time.Time // events at or before it were walked before
	changes []TierChange
	marks   []TierMark
}

// TierMark is a member's tier state just before a review, a grace end or
// a change at At: where a walk for a fact that arrives late starts again.
// It leaves out what a walk does not change (the joining date, a manual
// override, the watermark).
type TierMark struct {
	At    time.Time `json:"at"`
	State TierState `json:"state"`
}

// mark notes the state before a step at at that may change it.
func (e *tierEval) mark(at time.Time) {
	st := e.s
	st.MemberSince, st.Override, st.Seen = time.Time{}, nil, time.Time{}
	e.marks = append(e.marks, TierMark{At: at, State: st})
}

// tierEpoch is the earliest instant a tier replay starts from. Legacy POS
// data dates members who joined "before records began" 1900-01-01; reviews
// before any loyalty activity change nothing, and replaying a century of
// monthly ones would exceed maxTierSteps, so a replay for such a member
// starts here (anniversary schedules keep MemberSince as their anchor).
var tierEpoch = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// start is where the replay begins: the last tier change, else joining,
// else the member's first qualifying event (or now, with none).
func (e *tierEval) start() time.Time {
	switch {
	case !e.s.Since.IsZero():
		return e.s.Since
	case !e.s.MemberSince.IsZero():
		return latest(e.s.MemberSince, tierEpoch)
	case len(e.led.times) > 0:
		return e.led.times[0].Add(-time.Nanosecond) // so the first event counts
	}
	return e.now
}

// replay walks qualifying events, reviews and grace ends in time order.
func (e *tierEval) replay() error {
	if e.s.NextReview.IsZero() {
		e.s.NextReview = e.p.nextReview(e.start(), e.s.MemberSince)
	}
	// Events after Since may upgrade; earlier ones were already seen, and
	// so were those up to the watermark: walking them again changes
	// nothing, as no event was added before it since.
	ev := e.led.idx(latest(e.start(), e.seen), true)
	for step := 0; ; step++ {
		if step > maxTierSteps+len(e.led.times) {
			return &FieldError{Field: "state", Problem: "too many reviews to replay; the state is too old"}
		}
		next, kind := e.nextDue(ev)
		if kind == dueNone || next.After(e.now) {
			return nil
		}
		switch kind {
		case dueEvent:
			e.atEvent(e.led.times[ev])
			ev++
		case dueGrace:
			e.atGraceEnd()
		case dueReview:
			e.atReview()
		}
	}
}

type due int

const (
	dueNone due = iota
	dueEvent
	dueGrace
	dueReview
)

// nextDue picks the earliest pending step; at equal instants a review or
// grace end (which look at the window before the instant) runs before an
// event at that instant.
func (e *tierEval) nextDue(ev int) (time.Time, due) {
	t, kind := time.Time{}, dueNone
	pick := func(at time.Time, k due) {
		if at.IsZero() {
			return
		}
		if kind == dueNone || at.Before(t) || (at.Equal(t) && k > kind) {
			t, kind = at, k
		}
	}
	if ev < len(e.led.times) {
		pick(e.led.times[ev], dueEvent)
	}
	pick(e.s.GraceUntil, dueGrace)
	pick(e.s.NextReview, dueReview)
	return t, kind
}

func (e *tierEval) index() int { return e.p.Tiers.index(e.s.Tier) }

// atEvent upgrades as soon as a qualifying event lands, and clears a grace
// the member has earned their way out of.
func (e *tierEval) atEvent(t time.Time) {
	q, _ := e.p.qualifiedAt(e.led, t, true, e.s.MemberSince)
	cur := e.index()
	if q > cur || (!e.s.GraceUntil.IsZero() && !t.Before(e.s.GraceSince) && q >= cur) {
		e.mark(t)
	}
	if q > cur {
		e.move(q, t, TierUpgraded)
		e.s.GuaranteedUntil = time.Time{}
		if g := e.p.Tiers.Review.GuaranteeMonths; g > 0 {
			loc := e.p.loc()
			e.s.GuaranteedUntil = startOfDay(DateOf(t, loc).addMonths(g).addDays(1), loc)
		}
		return
	}
	if !e.s.GraceUntil.IsZero() && !t.Before(e.s.GraceSince) && q >= cur {
		e.s.GraceUntil, e.s.GraceSince = time.Time{}, time.Time{}
		e.changes = append(e.changes, TierChange{From: e.s.Tier, To: e.s.Tier, At: t, Reason: TierGraceCleared})
	}
}

// atReview runs the scheduled review at NextReview.
func (e *tierEval) atReview() {
	r := e.s.NextReview
	e.mark(r)
	e.s.NextReview = e.p.nextReview(r, e.s.MemberSince)
	if !e.s.GraceUntil.IsZero() || r.Before(e.s.GuaranteedUntil) {
		return // a grace already runs, or the tier is guaranteed
	}
	q, _ := e.p.qualifiedAt(e.led, r, false, e.s.MemberSince)
	cur := e.index()
	if q >= cur {
		return
	}
	if g := e.p.Tiers.Review.GraceDays; g > 0 {
		loc := e.p.loc()
		e.s.GraceUntil = startOfDay(DateOf(r, loc).addDays(g), loc)
		e.s.GraceSince = r
		e.changes = append(e.changes, TierChange{From: e.s.Tier, To: e.s.Tier, At: r, Reason: TierGraceStarted})
		return
	}
	e.down(q, r)
}

// atGraceEnd downgrades unless the member qualifies again by the end.
func (e *tierEval) atGraceEnd() {
	g := e.s.GraceUntil
	e.mark(g)
	e.s.GraceUntil, e.s.GraceSince = time.Time{}, time.Time{}
	q, _ := e.p.qualifiedAt(e.led, g, false, e.s.MemberSince)
	if q >= e.index() {
		e.changes = append(e.changes, TierChange{From: e.s.Tier, To: e.s.Tier, At: g, Reason: TierGraceCleared})
		return
	}
	e.down(q, g)
}

func (e *tierEval) down(q int, at time.Time) {
	cur := e.index()
	to := q
	if e.p.Tiers.Review.Downgrade == DowngradeOneStep {
		to = max(q, cur-1)
	}
	e.move(to, at, TierDowngraded)
	e.s.GuaranteedUntil = time.Time{}
}

func (e *tierEval) move(to int, at time.Time, why TierChangeReason) {
	from := e.s.Tier
	e.s.Tier = e.p.Tiers.Levels[to].Code
	e.s.Since = at
	e.s.GraceUntil, e.s.GraceSince = time.Time{}, time.Time{}
	e.changes = append(e.changes, TierChange{From: from, To: e.s.Tier, At: at, Reason: why})
}

// expireOverride drops an override that ran out, telling the host that the
// member is back on the earned tier.
func (e *tierEval) expireOverride() {
	o := e.s.Override
	if o == nil || e.now.Before(o.Until) {
		return
	}
	e.s.Override = nil
	e.changes = append(e.changes, TierChange{From: o.Tier, To: e.s.Tier, At: o.Until, Reason: TierOverrideExpired})
}
