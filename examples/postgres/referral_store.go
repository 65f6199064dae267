package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/jackc/pgx/v5"
)

// Referrals returns the referral.Store over the database.
func (db *DB) Referrals() referral.Store { return referralStore{db} }

type referralStore struct{ db *DB }

const referrerColumns = `member_id, version, code, bound, rewarded, period_start, period_bound, slots, displaced`

func scanReferrer(row pgx.Row) (referral.Referrer, error) {
	var r referral.Referrer
	var slots []byte
	err := row.Scan(&r.MemberID, &r.Version, &r.Code, &r.Bound, &r.Rewarded, &r.PeriodStart, &r.PeriodBound, &slots, &r.Displaced)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(slots, &r.Slots); err != nil {
		return r, fmt.Errorf("referrer %s: slots: %w", r.MemberID, err)
	}
	if len(r.Slots) == 0 {
		r.Slots = nil
	}
	if len(r.Displaced) == 0 {
		r.Displaced = nil
	}
	return r, nil
}

// referrerLists are the header's slots (JSON) and displaced friends as
// the columns take them (never NULL).
func referrerLists(h referral.Referrer) ([]byte, []string, error) {
	slots := h.Slots
	if slots == nil {
		slots = []referral.Slot{}
	}
	doc, err := json.Marshal(slots)
	displaced := h.Displaced
	if displaced == nil {
		displaced = []string{}
	}
	return doc, displaced, err
}

func (s referralStore) GetReferrer(ctx context.Context, memberID string) (referral.Referrer, error) {
	r, err := scanReferrer(s.db.pool.QueryRow(ctx, `SELECT `+referrerColumns+` FROM referral_referrers WHERE member_id = $1`, memberID))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("referrer %s: %w", memberID, referral.ErrNotFound)
	}
	return r, err
}

func (s referralStore) LookupCode(ctx context.Context, code string) (string, error) {
	var id string
	err := s.db.pool.QueryRow(ctx, `SELECT member_id FROM referral_referrers WHERE code = $1`, code).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("referral code: %w", referral.ErrNotFound) // never the code itself
	}
	return id, err
}

const friendColumns = `friend_id, referrer_id, bound_at, status, purchase, purchase_minor, purchased_at, returns, refunded_minor,
	referrer_points, friend_points, referrer_taken, friend_taken, referrer_shortfall, friend_shortfall, rewarded_at, taken_back_at, restores`

func scanFriend(row pgx.Row) (referral.Friend, error) {
	var f referral.Friend
	var status string
	err := row.Scan(&f.FriendID, &f.ReferrerID, &f.BoundAt, &status, &f.Purchase, &f.PurchaseMinor, &f.PurchasedAt, &f.Returns,
		&f.RefundedMinor, &f.ReferrerPoints, &f.FriendPoints, &f.ReferrerTakenBack, &f.FriendTakenBack,
		&f.ReferrerShortfall, &f.FriendShortfall, &f.RewardedAt, &f.TakenBackAt, &f.Restores)
	f.Status = referral.Status(status)
	if len(f.Returns) == 0 {
		f.Returns = nil
	}
	return f, err
}

func friendArgs(f *referral.Friend) []any {
	returns := f.Returns
	if returns == nil {
		returns = []string{}
	}
	return []any{f.FriendID, f.ReferrerID, f.BoundAt, string(f.Status), f.Purchase, f.PurchaseMinor, f.PurchasedAt, returns,
		f.RefundedMinor, f.ReferrerPoints, f.FriendPoints, f.ReferrerTakenBack, f.FriendTakenBack,
		f.ReferrerShortfall, f.FriendShortfall, f.RewardedAt, f.TakenBackAt, f.Restores}
}

func (s referralStore) GetFriend(ctx context.Context, friendID string) (referral.Friend, error) {
	f, err := scanFriend(s.db.pool.QueryRow(ctx, `SELECT `+friendColumns+` FROM referral_friends WHERE friend_id = $1`, friendID))
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fmt.Errorf("referred friend: %w", referral.ErrNotFound)
	}
	return f, err
}

// Save writes the header (insert for version 1, else an update of the row
// holding the version before), then the friend row, in one transaction.
func (s referralStore) Save(ctx context.Context, w referral.Write) error {
	h := w.Referrer
	if h.Version < 1 {
		return fmt.Errorf("referrer %s: version %d: %w", h.MemberID, h.Version, referral.ErrConflict)
	}
	slots, displaced, err := referrerLists(h)
	if err != nil {
		return err
	}
	err = s.db.tx(ctx, func(tx pgx.Tx) error {
		var n int64
		if h.Version == 1 {
			// The version comes first: a referrer that exists is a
			// conflict, whatever its code.
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM referral_referrers WHERE member_id = $1)`, h.MemberID).Scan(&exists); err != nil {
				return err
			}
			if exists {
				return referral.ErrConflict
			}
			tag, err := tx.Exec(ctx, `INSERT INTO referral_referrers (`+referrerColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				h.MemberID, h.Version, h.Code, h.Bound, h.Rewarded, h.PeriodStart, h.PeriodBound, slots, displaced)
			if err != nil {
				return err
			}
			n = tag.RowsAffected()
		} else {
			tag, err := tx.Exec(ctx, `UPDATE referral_referrers SET version = $2, bound = $3, rewarded = $4, period_start = $5,
				period_bound = $6, slots = $7, displaced = $8 WHERE member_id = $1 AND version = $2 - 1`,
				h.MemberID, h.Version, h.Bound, h.Rewarded, h.PeriodStart, h.PeriodBound, slots, displaced)
			if err != nil {
				return err
			}
			n = tag.RowsAffected()
		}
		if n == 0 {
			return referral.ErrConflict
		}
		if w.Friend == nil {
			return nil
		}
		args := friendArgs(w.Friend)
		if !w.Replace {
			_, err := tx.Exec(ctx, `INSERT INTO referral_friends (`+friendColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`, args...)
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE referral_friends SET referrer_id = $2, bound_at = $3, status = $4, purchase = $5,
			purchase_minor = $6, purchased_at = $7, returns = $8, refunded_minor = $9, referrer_points = $10, friend_points = $11,
			referrer_taken = $12, friend_taken = $13, referrer_shortfall = $14, friend_shortfall = $15, rewarded_at = $16,
			taken_back_at = $17, restores = $18 WHERE friend_id = $1`, args...)
		if err == nil && tag.RowsAffected() == 0 {
			return errNoMember
		}
		return err
	})
	switch {
	case errors.Is(err, referral.ErrConflict), uniqueViolation(err, "referral_referrers_pkey"):
		return fmt.Errorf("referrer %s: version %d is not the next: %w", h.MemberID, h.Version, referral.ErrConflict)
	case uniqueViolation(err, "referral_referrers_code_key"):
		return fmt.Errorf("referrer %s: code taken: %w", h.MemberID, referral.ErrAlreadyExists)
	case uniqueViolation(err, "referral_friends_pkey"):
		return fmt.Errorf("referrer %s: friend referred already: %w", h.MemberID, referral.ErrAlreadyExists)
	case errors.Is(err, errNoMember):
		return fmt.Errorf("referrer %s: no such friend: %w", h.MemberID, referral.ErrNotFound)
	}
	return err
}

// Friends pages through a referrer's friends by friend ID.
func (s referralStore) Friends(ctx context.Context, referrerID string) iter.Seq2[referral.Friend, error] {
	return stream(ctx, s.db, func(last *referral.Friend) (string, []any) {
		if last == nil {
			return fmt.Sprintf(`SELECT `+friendColumns+` FROM referral_friends WHERE referrer_id = $1 ORDER BY friend_id LIMIT %d`, pageSize),
				[]any{referrerID}
		}
		return fmt.Sprintf(`SELECT `+friendColumns+` FROM referral_friends WHERE referrer_id = $1 AND friend_id > $2 ORDER BY friend_id LIMIT %d`, pageSize),
			[]any{referrerID, last.FriendID}
	}, func(row pgx.CollectableRow) (referral.Friend, error) { return scanFriend(row) })
}
