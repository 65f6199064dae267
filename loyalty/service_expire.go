package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// Expire is the nightly batch: for every account after after (in member
// ID order) it releases pending points whose time has come, expires lots
// past their expiry (and, under an inactivity policy, every lot of an
// account idle too long), and warns of points lapsing within
// Options.ExpiryNotice. It is idempotent and resumable: a run cut short is
// continued with the report's Last, and running it twice expires nothing
// twice. Expiry instants come from each lot's own earning time in the
// programme's zone, so the run's own time only decides what is due.
//
// On a store that is a DueFinder, the run visits only the accounts with a
// lot lapsing by now (by the end of the notice period, when notices are
// on) or a release due by now; ReviewReport.Accounts counts those.
func (s *Service) Expire(ctx context.Context, now time.Time, after string) (ReviewReport, error) {
	now = storeTime(now)
	accounts := s.store.Accounts(ctx, after)
	if f, ok := s.store.(DueFinder); ok && s.program.Expiry.Kind != ExpireInactivity {
		accounts = f.DueAccounts(ctx, s.dueBy(now), after)
	}
	return s.batchOf(ctx, accounts, after, func(acct Account) (bool, []Event, int64, error) {
		return s.expireOne(ctx, acct, now)
	})
}

// dueBy is what a run at now looks for: expiries to the end of the notice
// period, when notices are on, else now, and releases due by now. An
// account with neither has nothing for the run to release, expire or
// announce.
func (s *Service) dueBy(now time.Time) DueBy {
	by := DueBy{Expiring: now, Releasing: now}
	if n := s.expiryNeeds(now); n.through.After(now) {
		by.Expiring = n.through
	}
	return by
}

func (s *Service) expireOne(ctx context.Context, acct Account, now time.Time) (bool, []Event, int64, error) {
	if acct.MergedInto != "" || acct.MergingInto != "" {
		return false, nil, 0, nil
	}
	n := s.expiryNeeds(now)
	n.pending = true
	// Inactivity expiry empties every open lot: only then are all read.
	n.all = s.inactiveAt(acct.Points, now)
	loaded, ws, err := s.load(ctx, acct, n, nil)
	if err != nil {
		return false, nil, 0, s.tornRead(ctx, acct, err)
	}
	pts := loaded.Points
	var entries []ledger.Entry
	for _, step := range []func(ledger.Account) (ledger.Account, []ledger.Entry, error){
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) { return a.ReleaseDue(now) },
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) { return a.Expire(now) },
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) { return s.expireInactive(a, now) },
	} {
		next, es, err := step(pts)
		if err != nil {
			return false, nil, 0, s.tornRead(ctx, acct, err)
		}
		pts, entries = next, append(entries, es...)
	}
	events := append(entryEvents(acct.MemberID, entries), s.expiryNotices(acct.MemberID, pts, now)...)
	var expired int64
	for _, e := range entries {
		if e.Kind == ledger.KindExpire {
			expired -= e.Points
		}
	}
	if len(entries) == 0 {
		return false, events, 0, nil
	}
	// acct is this run's own copy and no step changed its slices; Save
	// keeps none of the caller's memory, so the new header may share them.
	next := acct
	next.Points = pts
	next.Version = acct.Version + 1
	lots, recs, err := changes(next, ws)
	if err != nil {
		return false, nil, 0, err
	}
	if err := s.store.Save(ctx, Write{Account: next, Entries: entries, Lots: lots, Records: recs}); err != nil {
		return false, nil, 0, s.tornRead(ctx, acct, err)
	}
	return true, events, expired, nil
}

// inactiveAt reports whether the programme's inactivity rule expires the
// account's points by now.
func (s *Service) inactiveAt(a ledger.Account, now time.Time) bool {
	if a.LastActivity().IsZero() {
		return false
	}
	due := s.program.Expiry.InactivityExpiresAt(a.LastActivity(), s.program.Location)
	return !due.IsZero() && !due.After(now)
}

func (s *Service) expireInactive(a ledger.Account, now time.Time) (ledger.Account, []ledger.Entry, error) {
	if !s.inactiveAt(a, now) {
		return a, nil, nil
	}
	return a.ExpireInactive(s.program.Expiry.InactivityExpiresAt(a.LastActivity(), s.program.Location))
}

// expiryNotices warns of points lapsing within the notice period, one
// event per expiry date.
func (s *Service) expiryNotices(member string, pts ledger.Account, now time.Time) []Event {
	if s.opts.ExpiryNotice < 0 {
		return nil
	}
	var evs []Event
	for _, b := range pts.ExpiringBy(now, now.Add(s.opts.ExpiryNotice)) {
		evs = append(evs, Event{Type: EventPointsExpiringSoon, MemberID: member, At: now, Points: b.Points, ExpiresAt: b.Date})
	}
	return evs
}

// tornRead turns err into ErrConflict, which a batch retries with a fresh
// read, when the account changed since acct was read: the header and the
// lots read after it may then not fit together.
func (s *Service) tornRead(ctx context.Context, acct Account, err error) error {
	if !errors.Is(err, ErrConflict) && s.moved(ctx, acct) {
		return fmt.Errorf("%w: account %s changed while it was read (%v)", ErrConflict, acct.MemberID, err)
	}
	return err
}
