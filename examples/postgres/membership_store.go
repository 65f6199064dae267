package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/jackc/pgx/v5"
)

// Memberships returns the membership.Store over the database.
func (db *DB) Memberships() membership.Store { return membershipStore{db} }

type membershipStore struct{ db *DB }

const cardColumns = `member_id, version, latest, latest_plan, latest_start, previous_plan, until, terms`

func (s membershipStore) GetCard(ctx context.Context, memberID string) (membership.Card, error) {
	var c membership.Card
	err := s.db.pool.QueryRow(ctx, `SELECT `+cardColumns+` FROM membership_cards WHERE member_id = $1`, memberID).
		Scan(&c.MemberID, &c.Version, &c.Latest, &c.LatestPlan, &c.LatestStart, &c.PreviousPlan, &c.Until, &c.Terms)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, fmt.Errorf("membership card %s: %w", memberID, membership.ErrNotFound)
	}
	return c, err
}

const termColumns = `member_id, term_id, plan_id, currency, fee_minor, paid_at, starts_at, ends_at, refund_id, refunded_at,
	refund_minor, benefits_minor, coupon_months`

func scanTerm(row pgx.Row) (membership.Term, error) {
	var t membership.Term
	err := row.Scan(&t.MemberID, &t.ID, &t.PlanID, &t.Currency, &t.FeeMinor, &t.PaidAt, &t.Start, &t.End, &t.RefundID,
		&t.RefundedAt, &t.RefundMinor, &t.BenefitsUsedMinor, &t.CouponMonths)
	return t, err
}

func (s membershipStore) GetTerm(ctx context.Context, memberID, termID string) (membership.Term, error) {
	t, err := scanTerm(s.db.pool.QueryRow(ctx, `SELECT `+termColumns+` FROM membership_terms WHERE member_id = $1 AND term_id = $2`, memberID, termID))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, fmt.Errorf("membership term %s: %w", termID, membership.ErrNotFound)
	}
	return t, err
}

// Save writes the card (insert for version 1, else an update of the row
// holding the version before), then the term, in one transaction.
func (s membershipStore) Save(ctx context.Context, w membership.Write) error {
	c, t := w.Card, w.Term
	if c.Version < 1 {
		return fmt.Errorf("membership card %s: version %d: %w", c.MemberID, c.Version, membership.ErrConflict)
	}
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		cardArgs := []any{c.MemberID, c.Version, c.Latest, c.LatestPlan, c.LatestStart, c.PreviousPlan, c.Until, c.Terms}
		var n int64
		if c.Version == 1 {
			tag, err := tx.Exec(ctx, `INSERT INTO membership_cards (`+cardColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, cardArgs...)
			if err != nil {
				return err
			}
			n = tag.RowsAffected()
		} else {
			tag, err := tx.Exec(ctx, `UPDATE membership_cards SET version = $2, latest = $3, latest_plan = $4, latest_start = $5,
				previous_plan = $6, until = $7, terms = $8 WHERE member_id = $1 AND version = $2 - 1`, cardArgs...)
			if err != nil {
				return err
			}
			n = tag.RowsAffected()
		}
		if n == 0 {
			return membership.ErrConflict
		}
		args := []any{c.MemberID, t.ID, t.PlanID, t.Currency, t.FeeMinor, t.PaidAt, t.Start, t.End, t.RefundID, t.RefundedAt,
			t.RefundMinor, t.BenefitsUsedMinor, t.CouponMonths}
		if !w.Replace {
			_, err := tx.Exec(ctx, `INSERT INTO membership_terms (`+termColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, args...)
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE membership_terms SET plan_id = $3, currency = $4, fee_minor = $5, paid_at = $6, starts_at = $7,
			ends_at = $8, refund_id = $9, refunded_at = $10, refund_minor = $11, benefits_minor = $12, coupon_months = $13
			WHERE member_id = $1 AND term_id = $2`, args...)
		if err == nil && tag.RowsAffected() == 0 {
			return errNoMember
		}
		return err
	})
	switch {
	case errors.Is(err, membership.ErrConflict), uniqueViolation(err, "membership_cards_pkey"):
		return fmt.Errorf("membership card %s: version %d is not the next: %w", c.MemberID, c.Version, membership.ErrConflict)
	case uniqueViolation(err, "membership_terms_pkey"):
		return fmt.Errorf("membership term %s: %w", t.ID, membership.ErrAlreadyExists)
	case errors.Is(err, errNoMember):
		return fmt.Errorf("membership term %s: %w", t.ID, membership.ErrNotFound)
	}
	return err
}

// Terms pages through a member's terms by ID.
func (s membershipStore) Terms(ctx context.Context, memberID string) iter.Seq2[membership.Term, error] {
	return stream(ctx, s.db, func(last *membership.Term) (string, []any) {
		after := ""
		if last != nil {
			after = last.ID
		}
		return fmt.Sprintf(`SELECT `+termColumns+` FROM membership_terms WHERE member_id = $1 AND term_id > $2 ORDER BY term_id LIMIT %d`, pageSize),
			[]any{memberID, after}
	}, func(row pgx.CollectableRow) (membership.Term, error) { return scanTerm(row) })
}

// AllTerms pages through every term by member then term ID.
func (s membershipStore) AllTerms(ctx context.Context) iter.Seq2[membership.Term, error] {
	return stream(ctx, s.db, func(last *membership.Term) (string, []any) {
		if last == nil {
			return fmt.Sprintf(`SELECT `+termColumns+` FROM membership_terms ORDER BY member_id, term_id LIMIT %d`, pageSize), nil
		}
		return fmt.Sprintf(`SELECT `+termColumns+` FROM membership_terms WHERE (member_id, term_id) > ($1, $2) ORDER BY member_id, term_id LIMIT %d`, pageSize),
			[]any{last.MemberID, last.ID}
	}, func(row pgx.CollectableRow) (membership.Term, error) { return scanTerm(row) })
}
