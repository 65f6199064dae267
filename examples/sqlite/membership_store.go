package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/clientele-go/clientele/loyalty/membership"
)

// Memberships returns the membership.Store kept in this database
// (migration 020): a versioned card row per member and a row per term,
// both found through their primary keys. A Save is one BEGIN IMMEDIATE
// transaction on the one writer that checks the card's version before it
// writes anything.
func (db *DB) Memberships() membership.Store { return membershipStore{db} }

type membershipStore struct{ db *DB }

const (
	msCardColumns = `member_id, version, latest, latest_plan, latest_start, previous_plan, until, terms`
	msTermColumns = `member_id, term_id, plan_id, currency, fee_minor, paid_at, starts_at, ends_at, refund_id, refunded_at,
	refund_minor, benefits_minor, coupon_months`
	msCardByID      = `SELECT ` + msCardColumns + ` FROM membership_cards WHERE member_id = ?`
	msTermByID      = `SELECT ` + msTermColumns + ` FROM membership_terms WHERE member_id = ? AND term_id = ?`
	msCardExists    = `SELECT 1 FROM membership_cards WHERE member_id = ?`
	msInsertCard    = `INSERT INTO membership_cards (` + msCardColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	msUpdateCard    = `UPDATE membership_cards SET version = ?2, latest = ?3, latest_plan = ?4, latest_start = ?5, previous_plan = ?6, until = ?7, terms = ?8 WHERE member_id = ?1 AND version = ?2 - 1`
	msInsertTerm    = `INSERT INTO membership_terms (` + msTermColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	msUpdateTerm    = `UPDATE membership_terms SET plan_id = ?3, currency = ?4, fee_minor = ?5, paid_at = ?6, starts_at = ?7, ends_at = ?8, refund_id = ?9, refunded_at = ?10, refund_minor = ?11, benefits_minor = ?12, coupon_months = ?13 WHERE member_id = ?1 AND term_id = ?2`
	msTermsOfMember = `SELECT ` + msTermColumns + ` FROM membership_terms WHERE member_id = ? AND term_id > ? ORDER BY term_id LIMIT ?`
	msAllTermsFirst = `SELECT ` + msTermColumns + ` FROM membership_terms ORDER BY member_id, term_id LIMIT ?`
	msAllTermsNext  = `SELECT ` + msTermColumns + ` FROM membership_terms WHERE (member_id, term_id) > (?, ?) ORDER BY member_id, term_id LIMIT ?`
)

func (s membershipStore) GetCard(ctx context.Context, memberID string) (membership.Card, error) {
	var c membership.Card
	var start, until int64
	err := s.db.rd.QueryRowContext(ctx, msCardByID, memberID).
		Scan(&c.MemberID, &c.Version, &c.Latest, &c.LatestPlan, &start, &c.PreviousPlan, &until, &c.Terms)
	if errors.Is(err, sql.ErrNoRows) {
		return membership.Card{}, fmt.Errorf("membership card %s: %w", memberID, membership.ErrNotFound)
	}
	c.LatestStart, c.Until = fromMicros(start), fromMicros(until)
	return c, err
}

type rowScanner interface{ Scan(dest ...any) error }

func scanMembershipTerm(row rowScanner) (membership.Term, error) {
	var t membership.Term
	var paid, start, end, refunded int64
	err := row.Scan(&t.MemberID, &t.ID, &t.PlanID, &t.Currency, &t.FeeMinor, &paid, &start, &end, &t.RefundID,
		&refunded, &t.RefundMinor, &t.BenefitsUsedMinor, &t.CouponMonths)
	t.PaidAt, t.Start, t.End, t.RefundedAt = fromMicros(paid), fromMicros(start), fromMicros(end), fromMicros(refunded)
	return t, err
}

func (s membershipStore) GetTerm(ctx context.Context, memberID, termID string) (membership.Term, error) {
	t, err := scanMembershipTerm(s.db.rd.QueryRowContext(ctx, msTermByID, memberID, termID))
	if errors.Is(err, sql.ErrNoRows) {
		return membership.Term{}, fmt.Errorf("membership term %s: %w", termID, membership.ErrNotFound)
	}
	return t, err
}

// errNoRow marks an update that found no row to replace.
var errNoRow = errors.New("sqlite: no row to replace")

// putRow writes a keyed child row of a versioned header: a new one by
// insert (a taken key is exists), or, replacing, the row that must be
// there by update (none is errNoRow).
func putRow(ctx context.Context, tx *wtx, replace bool, insert, update string, exists error, args ...any) error {
	if !replace {
		if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
			if constraint(err) {
				return exists
			}
			return err
		}
		return nil
	}
	res, err := tx.ExecContext(ctx, update, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, errNoRow)
	}
	return nil
}

// Save writes the card (an insert for version 1, else an update of the
// row holding the version before), then the term, in one transaction.
func (s membershipStore) Save(ctx context.Context, w membership.Write) error {
	c, t := w.Card, w.Term
	if c.Version < 1 {
		return fmt.Errorf("membership card %s: version %d: %w", c.MemberID, c.Version, membership.ErrConflict)
	}
	err := s.db.tx(ctx, func(tx *wtx) error {
		cardArgs := []any{c.MemberID, c.Version, c.Latest, c.LatestPlan, micros(c.LatestStart), c.PreviousPlan, micros(c.Until), c.Terms}
		if c.Version == 1 {
			// The version comes first: a card that exists is a conflict.
			taken, err := exists(ctx, tx, msCardExists, c.MemberID)
			if err != nil {
				return err
			}
			if taken {
				return membership.ErrConflict
			}
			if _, err := tx.ExecContext(ctx, msInsertCard, cardArgs...); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, msUpdateCard, cardArgs...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return errors.Join(err, membership.ErrConflict)
			}
		}
		args := []any{c.MemberID, t.ID, t.PlanID, t.Currency, t.FeeMinor, micros(t.PaidAt), micros(t.Start), micros(t.End), t.RefundID,
			micros(t.RefundedAt), t.RefundMinor, t.BenefitsUsedMinor, t.CouponMonths}
		return putRow(ctx, tx, w.Replace, msInsertTerm, msUpdateTerm, membership.ErrAlreadyExists, args...)
	})
	switch {
	case errors.Is(err, membership.ErrConflict):
		return fmt.Errorf("membership card %s: version %d is not the next: %w", c.MemberID, c.Version, membership.ErrConflict)
	case errors.Is(err, membership.ErrAlreadyExists):
		return fmt.Errorf("membership term %s: %w", t.ID, membership.ErrAlreadyExists)
	case errors.Is(err, errNoRow):
		return fmt.Errorf("membership term %s: %w", t.ID, membership.ErrNotFound)
	}
	return err
}

// Terms pages through a member's terms by ID.
func (s membershipStore) Terms(ctx context.Context, memberID string) iter.Seq2[membership.Term, error] {
	return stream(ctx, s.db, func(last *membership.Term, limit int) (string, []any) {
		after := ""
		if last != nil {
			after = last.ID
		}
		return msTermsOfMember, []any{memberID, after, limit}
	}, func(rows *sql.Rows) (membership.Term, error) { return scanMembershipTerm(rows) })
}

// AllTerms pages through every term by member then term ID.
func (s membershipStore) AllTerms(ctx context.Context) iter.Seq2[membership.Term, error] {
	return stream(ctx, s.db, func(last *membership.Term, limit int) (string, []any) {
		if last == nil {
			return msAllTermsFirst, []any{limit}
		}
		return msAllTermsNext, []any{last.MemberID, last.ID, limit}
	}, func(rows *sql.Rows) (membership.Term, error) { return scanMembershipTerm(rows) })
}
