package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/clientele-go/clientele/loyalty/campaign"
)

// Campaigns returns the campaign.Store kept in this database (migration
// 022): a versioned header row per campaign and a row per member drawn,
// both found through their primary keys. A Save is one BEGIN IMMEDIATE
// transaction on the one writer that checks the header's version before
// it writes anything.
func (db *DB) Campaigns() campaign.Store { return campaignStore{db} }

type campaignStore struct{ db *DB }

const (
	cgHeaderColumns = `campaign_id, version, definition, treated, control, issued, redeemed, reserved_minor, redeemed_minor`
	cgMemberColumns = `campaign_id, member_id, grp, drawn_at, reference, valid_until, redeemed_at, redeemed_on, redeemed_minor`
	cgHeaderByID    = `SELECT ` + cgHeaderColumns + ` FROM campaign_headers WHERE campaign_id = ?`
	cgHeaderExists  = `SELECT 1 FROM campaign_headers WHERE campaign_id = ?`
	cgMemberByID    = `SELECT ` + cgMemberColumns + ` FROM campaign_members WHERE campaign_id = ? AND member_id = ?`
	cgInsertHeader  = `INSERT INTO campaign_headers (` + cgHeaderColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	cgUpdateHeader  = `UPDATE campaign_headers SET version = ?2, definition = ?3, treated = ?4, control = ?5, issued = ?6, redeemed = ?7, reserved_minor = ?8, redeemed_minor = ?9 WHERE campaign_id = ?1 AND version = ?2 - 1`
	cgInsertMember  = `INSERT INTO campaign_members (` + cgMemberColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	cgUpdateMember  = `UPDATE campaign_members SET grp = ?3, drawn_at = ?4, reference = ?5, valid_until = ?6, redeemed_at = ?7, redeemed_on = ?8, redeemed_minor = ?9 WHERE campaign_id = ?1 AND member_id = ?2`
	cgMembersOf     = `SELECT ` + cgMemberColumns + ` FROM campaign_members WHERE campaign_id = ? AND member_id > ? ORDER BY member_id LIMIT ?`
)

func (s campaignStore) GetHeader(ctx context.Context, campaignID string) (campaign.Header, error) {
	var h campaign.Header
	err := s.db.rd.QueryRowContext(ctx, cgHeaderByID, campaignID).
		Scan(&h.CampaignID, &h.Version, &h.Definition, &h.Treated, &h.Control, &h.Issued, &h.Redeemed, &h.ReservedMinor, &h.RedeemedMinor)
	if errors.Is(err, sql.ErrNoRows) {
		return campaign.Header{}, fmt.Errorf("campaign %s: %w", campaignID, campaign.ErrNotFound)
	}
	return h, err
}

func scanCampaignMember(row rowScanner) (campaign.Member, error) {
	var m campaign.Member
	var g string
	var drawn, valid, redeemed int64
	err := row.Scan(&m.CampaignID, &m.MemberID, &g, &drawn, &m.Reference, &valid, &redeemed, &m.RedeemedOn, &m.RedeemedMinor)
	m.Group = campaign.Group(g)
	m.At, m.ValidUntil, m.RedeemedAt = fromMicros(drawn), fromMicros(valid), fromMicros(redeemed)
	return m, err
}

func (s campaignStore) GetMember(ctx context.Context, campaignID, memberID string) (campaign.Member, error) {
	m, err := scanCampaignMember(s.db.rd.QueryRowContext(ctx, cgMemberByID, campaignID, memberID))
	if errors.Is(err, sql.ErrNoRows) {
		return campaign.Member{}, fmt.Errorf("campaign %s member: %w", campaignID, campaign.ErrNotFound)
	}
	return m, err
}

// Save writes the header (an insert for version 1, else an update of the
// row holding the version before), then the member row, in one
// transaction; any failure rolls the header back.
func (s campaignStore) Save(ctx context.Context, w campaign.Write) error {
	h, m := w.Header, w.Member
	if h.Version < 1 {
		return fmt.Errorf("campaign %s: version %d: %w", h.CampaignID, h.Version, campaign.ErrConflict)
	}
	err := s.db.tx(ctx, func(tx *wtx) error {
		if h.Version == 1 {
			taken, err := exists(ctx, tx, cgHeaderExists, h.CampaignID)
			if err != nil {
				return err
			}
			if taken {
				return campaign.ErrConflict
			}
			if _, err := tx.ExecContext(ctx, cgInsertHeader, h.CampaignID, h.Version, h.Definition, h.Treated, h.Control, h.Issued,
				h.Redeemed, h.ReservedMinor, h.RedeemedMinor); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, cgUpdateHeader, h.CampaignID, h.Version, h.Definition, h.Treated, h.Control, h.Issued,
				h.Redeemed, h.ReservedMinor, h.RedeemedMinor)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return errors.Join(err, campaign.ErrConflict)
			}
		}
		args := []any{h.CampaignID, m.MemberID, string(m.Group), micros(m.At), m.Reference, micros(m.ValidUntil), micros(m.RedeemedAt),
			m.RedeemedOn, m.RedeemedMinor}
		return putRow(ctx, tx, w.Replace, cgInsertMember, cgUpdateMember, campaign.ErrAlreadyExists, args...)
	})
	switch {
	case errors.Is(err, campaign.ErrConflict):
		return fmt.Errorf("campaign %s: version %d is not the next: %w", h.CampaignID, h.Version, campaign.ErrConflict)
	case errors.Is(err, campaign.ErrAlreadyExists):
		return fmt.Errorf("campaign %s: member drawn already: %w", h.CampaignID, campaign.ErrAlreadyExists)
	case errors.Is(err, errNoRow):
		return fmt.Errorf("campaign %s: member not drawn: %w", h.CampaignID, campaign.ErrNotFound)
	}
	return err
}

// Members pages through the campaign's rows by member ID, holding no
// transaction between pages.
func (s campaignStore) Members(ctx context.Context, campaignID string) iter.Seq2[campaign.Member, error] {
	return stream(ctx, s.db, func(last *campaign.Member, limit int) (string, []any) {
		after := ""
		if last != nil {
			after = last.MemberID
		}
		return cgMembersOf, []any{campaignID, after, limit}
	}, func(rows *sql.Rows) (campaign.Member, error) { return scanCampaignMember(rows) })
}
