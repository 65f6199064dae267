package loyalty

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// evaluateTier brings the account's tier up to date at now and summarises
// the activity its walk passed. A programme without tiers leaves it alone.
//
// A fact that arrived before a step an earlier walk took (an upgrade, a
// review, a grace's end) lowered the watermark below that step's mark:
// the walk then starts again from the state kept there, so that the step
// sees the fact, as it would have had the fact arrived in time. What the
// earlier walk already reported up to that step is not reported again;
// if the member now holds another tier at that point, one TierCorrected
// change says so.
func (s *Service) evaluateTier(acct *Account, ws *workset, now time.Time) ([]TierChange, error) {
	if s.program.Tiers.IsZero() || acct.Tier.MemberSince.IsZero() {
		return nil, nil // no ladder, or no purchase yet to date the membership from
	}
	t, marks, redo := restoreTier(acct.Tier, acct.TierMarks)
	if err := s.unfoldMonths(acct, ws, s.walkNeeds(t, now)); err != nil {
		return nil, err
	}
	start := *acct
	start.Tier = t
	events, err := s.walkedActivity(start, ws)
	if err != nil {
		return nil, err
	}
	state, changes, _, more, err := evaluateTier(s.program, t, QualifyingActivity{Events: events}, now, t.Seen, false)
	if err != nil {
		return nil, err
	}
	if redo != nil {
		changes = correctedChanges(redo, changes)
	}
	state.Seen = latest(t.Seen, now)
	acct.Tier = state
	acct.TierMarks = s.keepMarks(append(marks, more...), state.Seen)
	from := t.Seen
	if from.IsZero() && len(acct.Activity) > 0 {
		from = acct.Activity[0].Time
	}
	return changes, s.summarise(acct, ws, from)
}

// walkNeeds is what a walk from t to now needs as days: the months its
// windows may start inside, and every month after its first look (whose
// facts are its steps).
func (s *Service) walkNeeds(t TierState, now time.Time) monthNeed {
	first := t.firstLook()
	lo := s.program.windowStart(first.Add(-time.Nanosecond), t.MemberSince)
	hi := s.program.windowStart(latest(now, first), t.MemberSince)
	return func(m monthSpan) bool {
		return (m.start.Before(hi) && m.end.After(lo)) || m.end.After(first)
	}
}

// tierAt is the member's tier state at t, before any step at t: the
// state kept at the first mark at or after t (with the current override),
// or the current state. A purchase synced late earns under the tier the
// member held when they made it.
func (a Account) tierAt(t time.Time) TierState {
	k, _ := slices.BinarySearchFunc(a.TierMarks, t, func(m TierMark, t time.Time) int { return m.At.Compare(t) })
	if k == len(a.TierMarks) {
		return a.Tier
	}
	st := a.TierMarks[k].State
	st.MemberSince, st.Override, st.Seen = a.Tier.MemberSince, a.Tier.Override, a.Tier.Seen
	return st
}

// tierMarkHorizon is how far back the service keeps the marks a late
// fact's walk starts again from. A fact that arrives later than this
// after the steps it precedes is walked from the current state: those
// steps keep what they decided without it.
const tierMarkHorizon = 3 // months

// keepMarks drops the marks older than the horizon before seen.
func (s *Service) keepMarks(marks []TierMark, seen time.Time) []TierMark {
	cut := seen.AddDate(0, -tierMarkHorizon, 0)
	i := 0
	for i < len(marks) && marks[i].At.Before(cut) {
		i++
	}
	if i == len(marks) {
		return nil
	}
	return marks[i:]
}

// rewalk is what a walk that starts again from a mark replaces: the steps
// from the mark on, and the tier the member held after them.
type rewalk struct {
	dropped []TierMark
	held    string
}

// restoreTier returns the state a walk starts from: the current one, or,
// when a late fact lowered the watermark below kept marks, the state of
// the first of them (with the current joining date, override and
// watermark), the marks before it, and what the walk replaces.
func restoreTier(t TierState, marks []TierMark) (TierState, []TierMark, *rewalk) {
	if t.Seen.IsZero() {
		return t, marks, nil
	}
	k, _ := slices.BinarySearchFunc(marks, t.Seen, func(m TierMark, seen time.Time) int {
		if m.At.After(seen) {
			return 1
		}
		return -1
	})
	if k == len(marks) {
		return t, marks, nil
	}
	r := marks[k].State
	r.MemberSince, r.Override, r.Seen = t.MemberSince, t.Override, t.Seen
	return r, marks[:k:k], &rewalk{dropped: marks[k:], held: t.Tier}
}

// correctedChanges drops the changes a walk made again up to the last
// step it replaced, and reports one TierCorrected change if the tier the
// member held after that step differs now.
func correctedChanges(r *rewalk, changes []TierChange) []TierChange {
	cut := r.dropped[len(r.dropped)-1].At
	// The earlier walk made no step between its last mark and its end, so
	// the member held the current tier from cut on.
	now := r.dropped[0].State.Tier
	var out []TierChange
	for _, c := range changes {
		if c.At.After(cut) {
			out = append(out, c)
			continue
		}
		now = c.To
	}
	if now != r.held {
		out = append([]TierChange{{From: r.held, To: now, At: cut, Reason: TierCorrected}}, out...)
	}
	return out
}

// TierCorrected is the reason of a change a late fact made to a tier the
// member already held: a fact dated before a review, an upgrade or a
// grace's end that the step had not seen.
const TierCorrected TierChangeReason = "corrected"

// firstLook is the earliest instant an evaluation of the state may look
// back from: the first event it walks (after Since and the watermark), the
// next review or the end of a grace. Qualification windows start later
// the later they end, so the window of that instant holds every event the
// evaluation reads. The state must have MemberSince.
func (t TierState) firstLook() time.Time {
	first := t.MemberSince
	if !t.Since.IsZero() {
		first = t.Since
	}
	first = latest(first, t.Seen)
	if t.NextReview.IsZero() {
		first = earliest(first, t.MemberSince)
	} else {
		first = earliest(first, t.NextReview)
	}
	if !t.GraceUntil.IsZero() {
		first = earliest(first, t.GraceUntil)
	}
	return first
}

// TierStatus is a member's tier and progress at an instant.
type TierStatus struct {
	State    TierState
	Progress Progress
	// Lines is Progress in words, in the language asked for.
	Lines []string
}

// TierStatus evaluates a member's tier at the service clock without
// writing anything, and words the progress in lang ("en" or "zh").
func (s *Service) TierStatus(ctx context.Context, memberID, lang string) (TierStatus, error) {
	acct, err := s.store.GetAccount(ctx, memberID)
	if err != nil {
		return TierStatus{}, fmt.Errorf("loyalty: tier of %s: %w", memberID, err)
	}
	if s.program.Tiers.IsZero() {
		return TierStatus{}, ErrNoTiers
	}
	now := s.now()
	if acct.Tier.MemberSince.IsZero() { // nothing earned yet: the entry tier
		state, _, pr, err := EvaluateTier(s.program, acct.Tier, QualifyingActivity{Events: acct.Activity}, now)
		if err != nil {
			return TierStatus{}, err
		}
		return TierStatus{State: state, Progress: pr, Lines: s.program.RenderProgress(pr, lang)}, nil
	}
	ws := s.readingWorkset(ctx, memberID)
	if _, err := s.evaluateTier(&acct, ws, now); err != nil {
		return TierStatus{}, err
	}
	if err := s.unfoldMonths(&acct, ws, cutBy(s.program.progressStarts(acct.Tier, now)...)); err != nil {
		return TierStatus{}, err
	}
	led, err := newLedgerOf(QualifyingActivity{Events: acct.Activity}, s.program.MinorUnit())
	if err != nil {
		return TierStatus{}, err
	}
	defer led.release()
	pr := s.program.progress(acct.Tier, led, now)
	return TierStatus{State: acct.Tier, Progress: pr, Lines: s.program.RenderProgress(pr, lang)}, nil
}

// readingWorkset is a workset for an evaluation outside a write: it reads
// the member's records as the walk needs them.
func (s *Service) readingWorkset(ctx context.Context, member string) *workset {
	ws := newWorkset()
	ws.read = s.recordReader(ctx, member)
	return ws
}

// TierReviewResult is what a tier evaluation changed for one member.
type TierReviewResult struct {
	MemberID string       `json:"memberId"`
	Tier     TierState    `json:"tier"`
	Changes  []TierChange `json:"changes,omitempty"`
	Events   []Event      `json:"events,omitempty"`
}

// EvaluateTier brings one member's tier up to date at the service clock
// (reviews due, graces ended, overrides expired) and saves it if it
// changed.
func (s *Service) EvaluateTier(ctx context.Context, memberID string) (TierReviewResult, error) {
	now := s.now()
	for attempt := 0; ; attempt++ {
		acct, err := s.store.GetAccount(ctx, memberID)
		if err != nil {
			return TierReviewResult{}, fmt.Errorf("loyalty: tier of %s: %w", memberID, err)
		}
		res, err := s.reviewOne(ctx, acct, now)
		if errors.Is(err, ErrConflict) && attempt < s.opts.MaxRetries {
			continue
		}
		return res, err
	}
}

// reviewOne evaluates and, if anything changed, saves one account.
func (s *Service) reviewOne(ctx context.Context, acct Account, now time.Time) (TierReviewResult, error) {
	next := acct.Clone()
	ws := s.readingWorkset(ctx, acct.MemberID)
	moves, err := s.evaluateTier(&next, ws, now)
	if err != nil {
		return TierReviewResult{}, err
	}
	res := TierReviewResult{MemberID: acct.MemberID, Tier: next.Tier, Changes: moves, Events: tierEvents(acct.MemberID, moves)}
	if sameTierState(next.Tier, acct.Tier) || acct.MergedInto != "" || acct.MergingInto != "" {
		return res, nil
	}
	if err := s.foldMonths(&next, ws); err != nil {
		return TierReviewResult{}, err
	}
	_, recs, err := changes(next, ws)
	if err != nil {
		return TierReviewResult{}, err
	}
	next.Version = acct.Version + 1
	return res, s.store.Save(ctx, Write{Account: next, Records: recs})
}

// ReviewReport summarises a batch run over many accounts.
type ReviewReport struct {
	Accounts int     // accounts looked at
	Changed  int     // accounts whose state changed
	Points   int64   // points expired (Expire runs)
	Last     string  // the last member ID finished: pass it as after to resume
	Events   []Event // what the run caused
}

// ReviewTiers evaluates every account with member ID after after, in ID
// order, at now: scheduled reviews, grace ends and override expiries. It
// is idempotent and resumable: a run cut short is continued by passing the
// report's Last. Accounts that lose a version race are retried.
func (s *Service) ReviewTiers(ctx context.Context, now time.Time, after string) (ReviewReport, error) {
	if s.program.Tiers.IsZero() {
		return ReviewReport{}, ErrNoTiers
	}
	now = storeTime(now)
	return s.batch(ctx, after, func(acct Account) (bool, []Event, int64, error) {
		res, err := s.reviewOne(ctx, acct, now)
		return len(res.Changes) > 0, res.Events, 0, err
	})
}

// batch runs f over every account after after, retrying an account whose
// save lost a race with a fresh read.
func (s *Service) batch(ctx context.Context, after string, f func(Account) (bool, []Event, int64, error)) (ReviewReport, error) {
	return s.batchOf(ctx, s.store.Accounts(ctx, after), after, f)
}

// batchOf is batch over the accounts a store yields, after after.
func (s *Service) batchOf(ctx context.Context, accounts iter.Seq2[Account, error], after string, f func(Account) (bool, []Event, int64, error)) (ReviewReport, error) {
	rep := ReviewReport{Last: after}
	for acct, err := range accounts {
		if err != nil {
			return rep, err
		}
		for attempt := 0; ; attempt++ {
			changed, evs, pts, err := f(acct)
			if errors.Is(err, ErrConflict) && attempt < s.opts.MaxRetries {
				if acct, err = s.store.GetAccount(ctx, acct.MemberID); err != nil {
					return rep, err
				}
				continue
			}
			if err != nil {
				return rep, fmt.Errorf("loyalty: batch at %s: %w", acct.MemberID, err)
			}
			rep.Accounts++
			if changed {
				rep.Changed++
			}
			rep.Points += pts
			rep.Events = append(rep.Events, evs...)
			break
		}
		rep.Last = acct.MemberID
	}
	return rep, nil
}

// OverrideRequest sets a member's tier by hand until an instant.
type OverrideRequest struct {
	ID       string // idempotency key
	MemberID string
	Tier     string
	Until    time.Time
	Reason   string
	Actor    string
}

// OverrideTier sets a manual tier that lasts until r.Until; evaluation
// drops it then.
func (s *Service) OverrideTier(ctx context.Context, r OverrideRequest) (TierReviewResult, error) {
	var fe fieldErrors
	if err := checkID("id", r.ID); err != nil {
		fe.add("id", "%s", err.(*FieldError).Problem)
	}
	if s.program.Tiers.index(r.Tier) < 0 {
		fe.add("tier", "not a tier of the ladder")
	}
	if !r.Until.After(s.now()) {
		fe.add("until", "must be in the future")
	}
	if r.Actor == "" {
		fe.add("actor", "required")
	}
	if err := fe.err(); err != nil {
		return TierReviewResult{}, err
	}
	r.Until = storeTime(r.Until)
	var res TierReviewResult
	err := s.write(ctx, request{key: "override:" + r.ID, body: r, member: r.MemberID}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			from := acct.Tier.Effective(s.now())
			acct.Tier.Override = &TierOverride{Tier: r.Tier, Until: r.Until, Reason: r.Reason}
			change := TierChange{From: from, To: r.Tier, At: s.now(), Reason: TierOverridden}
			return acct, nil, TierReviewResult{MemberID: acct.MemberID, Tier: acct.Tier,
				Changes: []TierChange{change}, Events: tierEvents(acct.MemberID, []TierChange{change})}, nil
		})
	return res, err
}

// TierOverridden is the reason of a change made by OverrideTier.
const TierOverridden TierChangeReason = "override"

// sameTierState compares tier states field by field, times by instant.
func sameTierState(a, b TierState) bool {
	if (a.Override == nil) != (b.Override == nil) {
		return false
	}
	if a.Override != nil && (a.Override.Tier != b.Override.Tier || !a.Override.Until.Equal(b.Override.Until) || a.Override.Reason != b.Override.Reason) {
		return false
	}
	return a.Tier == b.Tier && a.Since.Equal(b.Since) && a.MemberSince.Equal(b.MemberSince) &&
		a.GuaranteedUntil.Equal(b.GuaranteedUntil) && a.GraceUntil.Equal(b.GraceUntil) &&
		a.GraceSince.Equal(b.GraceSince) && a.NextReview.Equal(b.NextReview)
}
