package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// PointsResult is what a release, adjustment or bonus did.
type PointsResult struct {
	MemberID string         `json:"memberId"`
	Points   int64          `json:"points"`
	Entries  []ledger.Entry `json:"entries"`
	Events   []Event        `json:"events"`
}

// Release makes the pending points a purchase earned available now (the
// host decides: the order was delivered, the return window closed early).
// Releasing released points changes nothing.
func (s *Service) Release(ctx context.Context, memberID, purchaseID string) (PointsResult, error) {
	if err := errors.Join(checkID("memberId", memberID), checkID("purchaseId", purchaseID)); err != nil {
		return PointsResult{}, err
	}
	at := s.now()
	var res PointsResult
	body := struct{ Member, Purchase string }{memberID, purchaseID}
	err := s.write(ctx, request{key: "release:" + purchaseID, body: body, member: memberID, needs: needs{at: at, lots: []string{lotID(purchaseID)}}}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			var entries []ledger.Entry
			var err error
			acct.Points, entries, err = acct.Points.Release(lotID(purchaseID), at)
			if err != nil {
				return acct, nil, nil, err
			}
			return acct, entries, pointsResult(acct.MemberID, entries), nil
		})
	if err != nil {
		return PointsResult{}, fmt.Errorf("loyalty: release %s: %w", purchaseID, err)
	}
	return res, nil
}

// AdjustRequest is a manual correction.
type AdjustRequest struct {
	ID       string // idempotency key
	MemberID string
	Points   int64 // positive credits a new lot; negative debits available points
	// ExpiresAt is when credited points lapse; zero means the programme's
	// expiry from At.
	ExpiresAt time.Time
	Reason    string // a reason code: "goodwill", "complaint:<id>", "correction"
	Actor     string // staff ID or job name
	At        time.Time
}

// Adjust credits or debits points by hand, with a reason and an actor. It
// opens an account for a member who has none (goodwill points to a new
// member).
func (s *Service) Adjust(ctx context.Context, r AdjustRequest) (PointsResult, error) {
	body := r // hashed as sent, so a retry without a time is still a replay
	if r.At.IsZero() {
		r.At = s.opts.Clock()
	}
	r.At = storeTime(r.At)
	if r.ExpiresAt.IsZero() && r.Points > 0 {
		r.ExpiresAt = s.program.Expiry.ExpiresAt(r.At, s.program.Location)
	}
	r.ExpiresAt = storeTime(r.ExpiresAt)
	if err := errors.Join(checkID("id", r.ID), checkID("memberId", r.MemberID), checkTime("at", r.At), checkTime("expiresAt", r.ExpiresAt)); err != nil {
		return PointsResult{}, err
	}
	var res PointsResult
	err := s.write(ctx, request{key: "adjust:" + r.ID, body: body, member: r.MemberID, create: true,
		needs: needs{at: r.At, spend: max(0, -r.Points), ops: []ledgerOpRef{{ledger.KindAdjust, r.ID}}}}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			var entries []ledger.Entry
			var err error
			acct.Points, entries, err = acct.Points.Adjust(r.ID, r.Points, r.At, r.ExpiresAt, r.Reason, r.Actor)
			if err != nil {
				return acct, nil, nil, err
			}
			return acct, entries, pointsResult(acct.MemberID, entries), nil
		})
	if err != nil {
		return PointsResult{}, fmt.Errorf("loyalty: adjust %s: %w", r.ID, err)
	}
	return res, nil
}

// BonusRequest asks for an event bonus: registration, profile completed,
// review written, referral.
type BonusRequest struct {
	MemberID  string
	Event     EventKind
	Reference string // the host's ID of the event (the review, the referral): the idempotency key
	At        time.Time
}

// Bonus credits the points the programme's event-bonus rules give for an
// event, as a lot with the programme's pending and expiry rules. An event
// no rule rewards credits nothing.
func (s *Service) Bonus(ctx context.Context, r BonusRequest) (PointsResult, error) {
	body := r // hashed as sent, so a retry without a time is still a replay
	if r.At.IsZero() {
		r.At = s.opts.Clock()
	}
	r.At = storeTime(r.At)
	if err := errors.Join(checkID("reference", r.Reference), checkID("memberId", r.MemberID), checkTime("at", r.At)); err != nil {
		return PointsResult{}, err
	}
	if _, host := s.program.HostEvent(r.Event); host {
		// Its caps and calendar are kept by RecordEvent; a bonus would skip them.
		return PointsResult{}, &FieldError{Field: "event", Problem: "a host-defined event is recorded with RecordEvent"}
	}
	c, err := s.customers.Get(ctx, r.MemberID)
	if err != nil {
		return PointsResult{}, fmt.Errorf("loyalty: bonus %s: %w", r.Reference, err)
	}
	id := "e:" + string(r.Event) + ":" + r.Reference
	var res PointsResult
	err = s.write(ctx, request{key: "bonus:" + id, body: body, member: c.ID, create: true, needs: needs{at: r.At}}, &res,
		func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
			m, err := s.member(ctx, acct, c, r.At)
			if err != nil {
				return acct, nil, PointsResult{}, err
			}
			q, err := s.program.QuoteEvent(EventInput{Event: r.Event, Time: r.At, Member: m, Reference: r.Reference})
			if err != nil || q.Total == 0 {
				return acct, nil, PointsResult{MemberID: acct.MemberID}, err
			}
			pending := q.PendingUntil
			if q.ReleaseByHost {
				pending = hostRelease
			}
			var entries []ledger.Entry
			acct.Points, entries, err = acct.Points.Earn(id, q.Total, r.At, pending, q.ExpiresAt, "")
			if err != nil {
				return acct, nil, nil, err
			}
			return acct, entries, pointsResult(acct.MemberID, entries), nil
		})
	if err != nil {
		return PointsResult{}, fmt.Errorf("loyalty: bonus %s: %w", id, err)
	}
	return res, nil
}

func pointsResult(member string, entries []ledger.Entry) PointsResult {
	var pts int64
	for _, e := range entries {
		pts += e.Points
	}
	return PointsResult{MemberID: member, Points: pts, Entries: entries, Events: entryEvents(member, entries)}
}

// GrantGoodwill credits goodwill points (a complaint's remedy, say) to a
// customer, idempotent by key: it lets the feedback package settle a
// complaint in points (it implements feedback.GoodwillGranter). The
// customer's merges are resolved; the points follow the programme's expiry.
func (s *Service) GrantGoodwill(ctx context.Context, customerID string, points int64, key, reason string) error {
	if points <= 0 {
		return &FieldError{Field: "points", Problem: "goodwill must be positive"}
	}
	if err := errors.Join(checkID("customerId", customerID), checkID("key", key)); err != nil {
		return err
	}
	c, err := s.customers.Get(ctx, customerID)
	if err != nil {
		return fmt.Errorf("loyalty: goodwill %s: %w", key, err)
	}
	// No time in the request: the service clock stamps it, and a retry
	// hashes the same and replays.
	_, err = s.Adjust(ctx, AdjustRequest{ID: "goodwill:" + key, MemberID: c.ID, Points: points,
		Reason: reason, Actor: "feedback"})
	return err
}
