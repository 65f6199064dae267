package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/coupon"
)

// CouponCopy is what a lane holds of coupon codes, as the central
// services hold it: the definitions of the codes, each code's header (its
// counters) and the per-customer counts of the lane's members. A lane
// downloads and refreshes its codes with it (DB.ReplaceCoupons).
type CouponCopy struct {
	Definitions []coupon.Definition
	Codes       []coupon.Code
	Uses        []coupon.Uses
	// Read lists, by code, the members whose per-customer counts of it
	// were read (whether or not the centre held any): a later refresh
	// finding the code unchanged on both sides reads only other members'.
	Read map[string][]string
}

// CouponCopyMark returns the versions of a code at the lane's last copy of
// it, centrally and on the lane (as CopyMark's CentralVersion and
// LaneVersion), and false if it was never copied (or copied before marks
// were kept).
func (db *DB) CouponCopyMark(ctx context.Context, code string) (CopyMark, bool, error) {
	var m CopyMark
	err := db.rd.QueryRowContext(ctx, `SELECT central_version, lane_version FROM coupon_copy_marks WHERE code = ?`, code).
		Scan(&m.CentralVersion, &m.LaneVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return CopyMark{}, false, nil
	}
	return m, err == nil, err
}

// CouponMembersRead returns those of members whose per-customer counts of
// the code an earlier copy read (CouponCopy.Read), in byte order.
func (db *DB) CouponMembersRead(ctx context.Context, code string, members []string) ([]string, error) {
	if len(members) == 0 {
		return nil, ctx.Err()
	}
	in, err := json.Marshal(members)
	if err != nil {
		return nil, err
	}
	return db.column(ctx, `SELECT customer FROM coupon_copy_members WHERE code = ? AND customer IN (SELECT value FROM json_each(?))
		ORDER BY customer`, code, string(in))
}

// ReplaceCoupons writes the central copy of codes over the lane's, in one
// write transaction: definitions are added if missing (they never change),
// code headers and per-customer counts take the central counters at a
// version above the lane's (the larger of the central version and the
// lane's plus one), so a lane write built on what it read before
// conflicts and is retried on the copy. The lane's holds (redemptions)
// and idempotency records are kept. Like ReplaceMembers it fails with
// ErrUnsent, writing nothing, while the outbox holds an item not marked
// sent: the central counters would not count that item's use yet.
func (db *DB) ReplaceCoupons(ctx context.Context, cp CouponCopy) error {
	docs := make([]string, len(cp.Definitions))
	for i, d := range cp.Definitions {
		var err error
		if docs[i], err = marshal(d); err != nil {
			return err
		}
	}
	err := db.tx(ctx, func(tx *wtx) error {
		unsent, err := exists(ctx, tx, `SELECT 1 FROM outbox WHERE sent_at IS NULL`)
		if err != nil {
			return err
		}
		if unsent {
			return ErrUnsent
		}
		for i, d := range cp.Definitions {
			if _, err := tx.ExecContext(ctx, cpInsertDefinition, d.ID, docs[i]); err != nil {
				return err
			}
		}
		for _, c := range cp.Codes {
			v, err := laneVersion(ctx, tx, cpCodeVersion, c.Code)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO coupon_codes (code, definition, source, owner, use_limit,
				per_customer, used, held, void, issued_at, batch, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET definition = excluded.definition, source = excluded.source,
				owner = excluded.owner, use_limit = excluded.use_limit, per_customer = excluded.per_customer,
				used = excluded.used, held = excluded.held, void = excluded.void, issued_at = excluded.issued_at,
				batch = excluded.batch, version = excluded.version`,
				c.Code, c.Definition, string(c.Source), c.Owner, c.Limit, c.PerCustomer, c.Used, c.Held, c.Void,
				micros(c.IssuedAt), c.Batch, max(c.Version, v+1)); err != nil {
				return fmt.Errorf("code %s: %w", coupon.Mask(c.Code), err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO coupon_copy_marks (code, central_version, lane_version) VALUES (?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET central_version = excluded.central_version, lane_version = excluded.lane_version`,
				c.Code, c.Version, max(c.Version, v+1)); err != nil {
				return fmt.Errorf("code %s: %w", coupon.Mask(c.Code), err)
			}
			for _, m := range cp.Read[c.Code] {
				if _, err := tx.ExecContext(ctx, `INSERT INTO coupon_copy_members (code, customer) VALUES (?, ?) ON CONFLICT DO NOTHING`,
					c.Code, m); err != nil {
					return fmt.Errorf("code %s: %w", coupon.Mask(c.Code), err)
				}
			}
		}
		for _, u := range cp.Uses {
			v, err := laneVersion(ctx, tx, cpUsesVersion, u.Code, u.Customer)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO coupon_uses (code, customer, used, held, version) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (code, customer) DO UPDATE SET used = excluded.used, held = excluded.held, version = excluded.version`,
				u.Code, u.Customer, u.Used, u.Held, max(u.Version, v+1)); err != nil {
				return fmt.Errorf("uses of %s: %w", coupon.Mask(u.Code), err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: replace coupons: %w", err)
	}
	return nil
}

// laneVersion is the version a row has on the lane, 0 if it has none.
func laneVersion(ctx context.Context, tx *wtx, query string, key ...any) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, query, key...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// CouponCodes returns every code this database holds, in byte order: on a
// lane, the codes it downloaded, which a refresh copies again.
func (db *DB) CouponCodes(ctx context.Context) ([]string, error) {
	return db.column(ctx, `SELECT code FROM coupon_codes ORDER BY code`)
}

// column runs a query of one text column on the reader pool and returns
// its values.
func (db *DB) column(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.rd.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var values []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		values = append(values, v)
	}
	return values, rows.Err()
}
