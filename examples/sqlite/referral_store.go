package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/clientele-go/clientele/loyalty/referral"
)

// Referrals returns the referral.Store kept in this database (migrations
// 021 and 023): a versioned header row per referrer with its code under a
// unique index and its slots, and a row per referred friend. A Save is one BEGIN IMMEDIATE
// transaction on the one writer that checks the header's version before
// it writes anything. Codes never appear in errors.
func (db *DB) Referrals() referral.Store { return referralStore{db} }

type referralStore struct{ db *DB }

const (
	rfReferrerColumns = `member_id, version, code, bound, rewarded, period_start, period_bound, slots, displaced`
	rfFriendColumns   = `friend_id, referrer_id, bound_at, status, purchase, purchase_minor, purchased_at, returns, refunded_minor,
	referrer_points, friend_points, referrer_taken, friend_taken, referrer_shortfall, friend_shortfall, rewarded_at, taken_back_at, restores`
	rfReferrerByID   = `SELECT ` + rfReferrerColumns + ` FROM referral_referrers WHERE member_id = ?`
	rfReferrerByCode = `SELECT member_id FROM referral_referrers WHERE code = ?`
	rfReferrerExists = `SELECT 1 FROM referral_referrers WHERE member_id = ?`
	rfFriendByID     = `SELECT ` + rfFriendColumns + ` FROM referral_friends WHERE friend_id = ?`
	rfInsertReferrer = `INSERT INTO referral_referrers (` + rfReferrerColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	rfUpdateReferrer = `UPDATE referral_referrers SET version = ?2, bound = ?3, rewarded = ?4, period_start = ?5, period_bound = ?6, slots = ?7, displaced = ?8 WHERE member_id = ?1 AND version = ?2 - 1`
	rfInsertFriend   = `INSERT INTO referral_friends (` + rfFriendColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	rfUpdateFriend   = `UPDATE referral_friends SET referrer_id = ?2, bound_at = ?3, status = ?4, purchase = ?5, purchase_minor = ?6, purchased_at = ?7, returns = ?8, refunded_minor = ?9, referrer_points = ?10, friend_points = ?11, referrer_taken = ?12, friend_taken = ?13, referrer_shortfall = ?14, friend_shortfall = ?15, rewarded_at = ?16, taken_back_at = ?17, restores = ?18 WHERE friend_id = ?1`
	rfFriendsOf      = `SELECT ` + rfFriendColumns + ` FROM referral_friends WHERE referrer_id = ? AND friend_id > ? ORDER BY friend_id LIMIT ?`
)

func (s referralStore) GetReferrer(ctx context.Context, memberID string) (referral.Referrer, error) {
	var r referral.Referrer
	var start int64
	var slots, displaced string
	err := s.db.rd.QueryRowContext(ctx, rfReferrerByID, memberID).Scan(&r.MemberID, &r.Version, &r.Code, &r.Bound, &r.Rewarded, &start,
		&r.PeriodBound, &slots, &displaced)
	if errors.Is(err, sql.ErrNoRows) {
		return referral.Referrer{}, fmt.Errorf("referrer %s: %w", memberID, referral.ErrNotFound)
	}
	if err != nil {
		return referral.Referrer{}, err
	}
	r.PeriodStart = fromMicros(start)
	var rows []rfSlot
	if err := errors.Join(json.Unmarshal([]byte(slots), &rows), json.Unmarshal([]byte(displaced), &r.Displaced)); err != nil {
		return referral.Referrer{}, fmt.Errorf("referrer %s: slots: %w", memberID, err)
	}
	for _, x := range rows {
		r.Slots = append(r.Slots, referral.Slot{FriendID: x.Friend, Purchase: x.Purchase, At: fromMicros(x.At)})
	}
	if len(r.Displaced) == 0 {
		r.Displaced = nil
	}
	return r, nil
}

// rfSlot is a slot as the slots column holds it, its time in microseconds.
type rfSlot struct {
	Friend   string `json:"friend"`
	Purchase string `json:"purchase"`
	At       int64  `json:"at"`
}

// referrerLists are the header's slots and displaced friends as the
// columns hold them (JSON arrays, never null).
func referrerLists(h referral.Referrer) (string, string, error) {
	rows := make([]rfSlot, 0, len(h.Slots))
	for _, x := range h.Slots {
		rows = append(rows, rfSlot{Friend: x.FriendID, Purchase: x.Purchase, At: micros(x.At)})
	}
	displaced := h.Displaced
	if displaced == nil {
		displaced = []string{}
	}
	slots, err := marshal(rows)
	if err != nil {
		return "", "", err
	}
	d, err := marshal(displaced)
	return slots, d, err
}

func (s referralStore) LookupCode(ctx context.Context, code string) (string, error) {
	var id string
	err := s.db.rd.QueryRowContext(ctx, rfReferrerByCode, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("referral code: %w", referral.ErrNotFound) // never the code itself
	}
	return id, err
}

func scanFriend(row rowScanner) (referral.Friend, error) {
	var f referral.Friend
	var status, returns string
	var bound, purchased, rewarded, taken int64
	err := row.Scan(&f.FriendID, &f.ReferrerID, &bound, &status, &f.Purchase, &f.PurchaseMinor, &purchased, &returns,
		&f.RefundedMinor, &f.ReferrerPoints, &f.FriendPoints, &f.ReferrerTakenBack, &f.FriendTakenBack,
		&f.ReferrerShortfall, &f.FriendShortfall, &rewarded, &taken, &f.Restores)
	if err != nil {
		return referral.Friend{}, err
	}
	f.Status = referral.Status(status)
	f.BoundAt, f.PurchasedAt, f.RewardedAt, f.TakenBackAt = fromMicros(bound), fromMicros(purchased), fromMicros(rewarded), fromMicros(taken)
	if err := json.Unmarshal([]byte(returns), &f.Returns); err != nil {
		return referral.Friend{}, fmt.Errorf("referred friend %s: returns: %w", f.FriendID, err)
	}
	if len(f.Returns) == 0 {
		f.Returns = nil
	}
	return f, nil
}

func friendArgs(f *referral.Friend) ([]any, error) {
	returns := f.Returns
	if returns == nil {
		returns = []string{}
	}
	doc, err := marshal(returns)
	if err != nil {
		return nil, err
	}
	return []any{f.FriendID, f.ReferrerID, micros(f.BoundAt), string(f.Status), f.Purchase, f.PurchaseMinor, micros(f.PurchasedAt), doc,
		f.RefundedMinor, f.ReferrerPoints, f.FriendPoints, f.ReferrerTakenBack, f.FriendTakenBack,
		f.ReferrerShortfall, f.FriendShortfall, micros(f.RewardedAt), micros(f.TakenBackAt), f.Restores}, nil
}

func (s referralStore) GetFriend(ctx context.Context, friendID string) (referral.Friend, error) {
	f, err := scanFriend(s.db.rd.QueryRowContext(ctx, rfFriendByID, friendID))
	if errors.Is(err, sql.ErrNoRows) {
		return referral.Friend{}, fmt.Errorf("referred friend: %w", referral.ErrNotFound)
	}
	return f, err
}

// errCodeTaken marks a new header whose code is another member's.
var errCodeTaken = errors.New("sqlite: referral code taken")

// Save writes the header (an insert for version 1, else an update of the
// row holding the version before), then the friend row, in one
// transaction.
func (s referralStore) Save(ctx context.Context, w referral.Write) error {
	h := w.Referrer
	if h.Version < 1 {
		return fmt.Errorf("referrer %s: version %d: %w", h.MemberID, h.Version, referral.ErrConflict)
	}
	slots, displaced, err := referrerLists(h)
	if err != nil {
		return err
	}
	var args []any
	if w.Friend != nil {
		var err error
		if args, err = friendArgs(w.Friend); err != nil {
			return err
		}
	}
	err = s.db.tx(ctx, func(tx *wtx) error {
		if h.Version == 1 {
			// The version comes first: a referrer that exists is a
			// conflict, whatever its code.
			taken, err := exists(ctx, tx, rfReferrerExists, h.MemberID)
			if err != nil {
				return err
			}
			if taken {
				return referral.ErrConflict
			}
			if _, err := tx.ExecContext(ctx, rfInsertReferrer, h.MemberID, h.Version, h.Code, h.Bound, h.Rewarded,
				micros(h.PeriodStart), h.PeriodBound, slots, displaced); err != nil {
				if constraint(err) {
					return errCodeTaken // the member is new: the code is the unique key hit
				}
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, rfUpdateReferrer, h.MemberID, h.Version, h.Bound, h.Rewarded, micros(h.PeriodStart), h.PeriodBound,
				slots, displaced)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return errors.Join(err, referral.ErrConflict)
			}
		}
		if w.Friend == nil {
			return nil
		}
		return putRow(ctx, tx, w.Replace, rfInsertFriend, rfUpdateFriend, referral.ErrAlreadyExists, args...)
	})
	switch {
	case errors.Is(err, referral.ErrConflict):
		return fmt.Errorf("referrer %s: version %d is not the next: %w", h.MemberID, h.Version, referral.ErrConflict)
	case errors.Is(err, errCodeTaken):
		return fmt.Errorf("referrer %s: code taken: %w", h.MemberID, referral.ErrAlreadyExists)
	case errors.Is(err, referral.ErrAlreadyExists):
		return fmt.Errorf("referrer %s: friend referred already: %w", h.MemberID, referral.ErrAlreadyExists)
	case errors.Is(err, errNoRow):
		return fmt.Errorf("referrer %s: no such friend: %w", h.MemberID, referral.ErrNotFound)
	}
	return err
}

// Friends pages through a referrer's friends by friend ID.
func (s referralStore) Friends(ctx context.Context, referrerID string) iter.Seq2[referral.Friend, error] {
	return stream(ctx, s.db, func(last *referral.Friend, limit int) (string, []any) {
		after := ""
		if last != nil {
			after = last.FriendID
		}
		return rfFriendsOf, []any{referrerID, after, limit}
	}, func(rows *sql.Rows) (referral.Friend, error) { return scanFriend(rows) })
}
