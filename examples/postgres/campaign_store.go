package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/jackc/pgx/v5"
)

// Campaigns returns the campaign.Store over the database.
func (db *DB) Campaigns() campaign.Store { return campaignStore{db} }

type campaignStore struct{ db *DB }

const headerColumns = `campaign_id, version, definition, treated, control, issued, redeemed, reserved_minor, redeemed_minor`

func scanHeader(row pgx.Row) (campaign.Header, error) {
	var h campaign.Header
	err := row.Scan(&h.CampaignID, &h.Version, &h.Definition, &h.Treated, &h.Control, &h.Issued, &h.Redeemed, &h.ReservedMinor, &h.RedeemedMinor)
	return h, err
}

func (s campaignStore) GetHeader(ctx context.Context, campaignID string) (campaign.Header, error) {
	h, err := scanHeader(s.db.pool.QueryRow(ctx, `SELECT `+headerColumns+` FROM campaign_headers WHERE campaign_id = $1`, campaignID))
	if errors.Is(err, pgx.ErrNoRows) {
		return h, fmt.Errorf("campaign %s: %w", campaignID, campaign.ErrNotFound)
	}
	return h, err
}

const memberColumns = `campaign_id, member_id, grp, drawn_at, reference, valid_until, redeemed_at, redeemed_on, redeemed_minor`

func scanMember(row pgx.Row) (campaign.Member, error) {
	var m campaign.Member
	var g string
	err := row.Scan(&m.CampaignID, &m.MemberID, &g, &m.At, &m.Reference, &m.ValidUntil, &m.RedeemedAt, &m.RedeemedOn, &m.RedeemedMinor)
	m.Group = campaign.Group(g)
	return m, err
}

func (s campaignStore) GetMember(ctx context.Context, campaignID, memberID string) (campaign.Member, error) {
	m, err := scanMember(s.db.pool.QueryRow(ctx, `SELECT `+memberColumns+` FROM campaign_members WHERE campaign_id = $1 AND member_id = $2`, campaignID, memberID))
	if errors.Is(err, pgx.ErrNoRows) {
		return m, fmt.Errorf("campaign %s member: %w", campaignID, campaign.ErrNotFound)
	}
	return m, err
}

// errNoMember ends a replace's transaction, rolling back its header update.
var errNoMember = errors.New("no member row")

// Save writes the header (insert for version 1, else an update of the row
// holding the version before) and then the member row, in one
// transaction: an update that finds no row is the conflict, checked
// before the member; a missing member for a replace rolls the header back.
func (s campaignStore) Save(ctx context.Context, w campaign.Write) error {
	h, m := w.Header, w.Member
	if h.Version < 1 {
		return fmt.Errorf("campaign %s: version %d: %w", h.CampaignID, h.Version, campaign.ErrConflict)
	}
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		var tag interface{ RowsAffected() int64 }
		var err error
		if h.Version == 1 {
			tag, err = tx.Exec(ctx, `INSERT INTO campaign_headers (`+headerColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				h.CampaignID, h.Version, h.Definition, h.Treated, h.Control, h.Issued, h.Redeemed, h.ReservedMinor, h.RedeemedMinor)
		} else {
			tag, err = tx.Exec(ctx, `UPDATE campaign_headers SET version = $2, definition = $3, treated = $4, control = $5, issued = $6,
				redeemed = $7, reserved_minor = $8, redeemed_minor = $9 WHERE campaign_id = $1 AND version = $2 - 1`,
				h.CampaignID, h.Version, h.Definition, h.Treated, h.Control, h.Issued, h.Redeemed, h.ReservedMinor, h.RedeemedMinor)
		}
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return campaign.ErrConflict
		}
		args := []any{h.CampaignID, m.MemberID, string(m.Group), m.At, m.Reference, m.ValidUntil, m.RedeemedAt, m.RedeemedOn, m.RedeemedMinor}
		if !w.Replace {
			_, err = tx.Exec(ctx, `INSERT INTO campaign_members (`+memberColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
			return err
		}
		tag, err = tx.Exec(ctx, `UPDATE campaign_members SET grp = $3, drawn_at = $4, reference = $5, valid_until = $6,
			redeemed_at = $7, redeemed_on = $8, redeemed_minor = $9 WHERE campaign_id = $1 AND member_id = $2`, args...)
		if err == nil && tag.RowsAffected() == 0 {
			return errNoMember
		}
		return err
	})
	switch {
	case errors.Is(err, campaign.ErrConflict), uniqueViolation(err, "campaign_headers_pkey"):
		return fmt.Errorf("campaign %s: version %d is not the next: %w", h.CampaignID, h.Version, campaign.ErrConflict)
	case uniqueViolation(err, "campaign_members_pkey"):
		return fmt.Errorf("campaign %s: member drawn already: %w", h.CampaignID, campaign.ErrAlreadyExists)
	case errors.Is(err, errNoMember):
		return fmt.Errorf("campaign %s: member not drawn: %w", h.CampaignID, campaign.ErrNotFound)
	}
	return err
}

// Members pages through the campaign's rows by member ID, holding no
// transaction or cursor between pages.
func (s campaignStore) Members(ctx context.Context, campaignID string) iter.Seq2[campaign.Member, error] {
	return stream(ctx, s.db, func(last *campaign.Member) (string, []any) {
		if last == nil {
			return fmt.Sprintf(`SELECT `+memberColumns+` FROM campaign_members WHERE campaign_id = $1 ORDER BY member_id LIMIT %d`, pageSize),
				[]any{campaignID}
		}
		return fmt.Sprintf(`SELECT `+memberColumns+` FROM campaign_members WHERE campaign_id = $1 AND member_id > $2 ORDER BY member_id LIMIT %d`, pageSize),
			[]any{campaignID, last.MemberID}
	}, func(row pgx.CollectableRow) (campaign.Member, error) { return scanMember(row) })
}
