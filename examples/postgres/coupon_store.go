package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/jackc/pgx/v5"
)

// Coupons returns the coupon.Store kept in this database (migration 012).
func (db *DB) Coupons() coupon.Store { return couponStore{db} }

type couponStore struct{ db *DB }

func (s couponStore) AddDefinition(ctx context.Context, d coupon.Definition) error {
	doc, err := json.Marshal(d)
	if err != nil {
		return err
	}
	var n int64
	err = s.db.retry(ctx, func() error {
		tag, err := s.db.pool.Exec(ctx, `INSERT INTO coupon_definitions (id, doc) VALUES ($1, $2) ON CONFLICT DO NOTHING`, d.ID, string(doc))
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("definition %s: %w", d.ID, coupon.ErrAlreadyExists)
	}
	return nil
}

func (s couponStore) GetDefinition(ctx context.Context, id string) (coupon.Definition, error) {
	var doc string
	err := s.db.pool.QueryRow(ctx, `SELECT doc FROM coupon_definitions WHERE id = $1`, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return coupon.Definition{}, fmt.Errorf("definition %s: %w", id, coupon.ErrNotFound)
	}
	if err != nil {
		return coupon.Definition{}, err
	}
	var d coupon.Definition
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return coupon.Definition{}, fmt.Errorf("definition %s: stored document unreadable: %w", id, err)
	}
	return d, nil
}

// AddCodes inserts the batch's codes with one statement over arrays, and
// its operation, in one transaction: a code that exists (or repeats in
// the batch) or a recorded key breaks a unique index and nothing stays.
func (s couponStore) AddCodes(ctx context.Context, b coupon.Batch) error {
	n := len(b.Codes)
	codes, defs, sources, owners, batches := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	limits, perCustomer := make([]int64, n), make([]int64, n)
	issued := make([]time.Time, n)
	for i, c := range b.Codes {
		codes[i], defs[i], sources[i], owners[i], batches[i] = c.Code, c.Definition, string(c.Source), c.Owner, c.Batch
		limits[i], perCustomer[i], issued[i] = c.Limit, c.PerCustomer, c.IssuedAt
	}
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO coupon_operations (key, hash, result) VALUES ($1, $2, $3)`,
			b.Operation.Key, b.Operation.Hash, nonNil(b.Operation.Result)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO coupon_codes (code, definition, source, owner, use_limit, per_customer, used, held, void, issued_at, batch, version)
			SELECT c, d, s, o, l, p, 0, 0, false, t, b, 1
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::timestamptz[], $8::text[]) AS x(c, d, s, o, l, p, t, b)`,
			codes, defs, sources, owners, limits, perCustomer, issued, batches)
		return err
	})
	switch {
	case uniqueViolation(err, "coupon_operations_pkey"):
		return fmt.Errorf("operation %s: %w", b.Operation.Key, coupon.ErrAlreadyExists)
	case uniqueViolation(err, "coupon_codes_pkey"):
		return fmt.Errorf("a code of the batch: %w", coupon.ErrAlreadyExists)
	}
	return err
}

const codeSelect = `SELECT code, definition, source, owner, use_limit, per_customer, used, held, void, issued_at, batch, version FROM coupon_codes`

func scanCode(row pgx.CollectableRow) (coupon.Code, error) {
	var c coupon.Code
	var src string
	err := row.Scan(&c.Code, &c.Definition, &src, &c.Owner, &c.Limit, &c.PerCustomer, &c.Used, &c.Held, &c.Void, &c.IssuedAt, &c.Batch, &c.Version)
	c.Source, c.IssuedAt = coupon.Source(src), c.IssuedAt.UTC()
	return c, err
}

func (s couponStore) GetCode(ctx context.Context, code string) (coupon.Code, error) {
	rows, err := s.db.pool.Query(ctx, codeSelect+` WHERE code = $1`, code)
	if err != nil {
		return coupon.Code{}, err
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanCode)
	if errors.Is(err, pgx.ErrNoRows) {
		return coupon.Code{}, fmt.Errorf("code %s: %w", coupon.Mask(code), coupon.ErrNotFound)
	}
	return c, err
}

func (s couponStore) Codes(ctx context.Context, definition string) iter.Seq2[coupon.Code, error] {
	return stream(ctx, s.db, func(last *coupon.Code) (string, []any) {
		after := ""
		if last != nil {
			after = last.Code
		}
		return fmt.Sprintf(codeSelect+` WHERE definition = $1 AND code > $2 ORDER BY code LIMIT %d`, pageSize), []any{definition, after}
	}, scanCode)
}

func (s couponStore) GetUses(ctx context.Context, code, customer string) (coupon.Uses, error) {
	u := coupon.Uses{Code: code, Customer: customer}
	err := s.db.pool.QueryRow(ctx, `SELECT used, held, version FROM coupon_uses WHERE code = $1 AND customer = $2`, code, customer).
		Scan(&u.Used, &u.Held, &u.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return coupon.Uses{}, fmt.Errorf("uses of %s: %w", coupon.Mask(code), coupon.ErrNotFound)
	}
	return u, err
}

const redemptionSelect = `SELECT id, code, customer, state, purchase, definition, held_at, closed_at, version FROM coupon_redemptions`

func scanRedemption(row pgx.CollectableRow) (coupon.Redemption, error) {
	var r coupon.Redemption
	var state string
	var closed *time.Time
	err := row.Scan(&r.ID, &r.Code, &r.Customer, &state, &r.Purchase, &r.Definition, &r.HeldAt, &closed, &r.Version)
	r.State, r.HeldAt = coupon.State(state), r.HeldAt.UTC()
	if closed != nil {
		r.ClosedAt = closed.UTC()
	}
	return r, err
}

func (s couponStore) GetRedemption(ctx context.Context, id string) (coupon.Redemption, error) {
	rows, err := s.db.pool.Query(ctx, redemptionSelect+` WHERE id = $1`, id)
	if err != nil {
		return coupon.Redemption{}, err
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanRedemption)
	if errors.Is(err, pgx.ErrNoRows) {
		return coupon.Redemption{}, fmt.Errorf("redemption %s: %w", id, coupon.ErrNotFound)
	}
	return r, err
}

// OpenHolds pages through the partial index of held redemptions.
func (s couponStore) OpenHolds(ctx context.Context, before time.Time) iter.Seq2[coupon.Redemption, error] {
	return stream(ctx, s.db, func(last *coupon.Redemption) (string, []any) {
		if last == nil {
			return fmt.Sprintf(redemptionSelect+` WHERE state = 'held' AND held_at < $1 ORDER BY held_at, id LIMIT %d`, pageSize), []any{before}
		}
		return fmt.Sprintf(redemptionSelect+` WHERE state = 'held' AND held_at < $1 AND (held_at, id) > ($2, $3) ORDER BY held_at, id LIMIT %d`, pageSize),
			[]any{before, last.HeldAt, last.ID}
	}, scanRedemption)
}

func (s couponStore) GetOperation(ctx context.Context, key string) (coupon.Operation, error) {
	op := coupon.Operation{Key: key}
	err := s.db.pool.QueryRow(ctx, `SELECT hash, result FROM coupon_operations WHERE key = $1`, key).Scan(&op.Hash, &op.Result)
	if errors.Is(err, pgx.ErrNoRows) {
		return coupon.Operation{}, fmt.Errorf("operation %s: %w", key, coupon.ErrNotFound)
	}
	if op.Result == nil {
		op.Result = []byte{}
	}
	return op, err
}

// errStale rolls a Save's transaction back when a version check fails.
var errStale = errors.New("stale version")

// Save checks and writes every versioned record with a conditional
// statement (UPDATE ... WHERE version = v-1, or an insert that does
// nothing on a taken key), the versions first, then records the
// operation; all in one transaction, so a failed check leaves nothing.
// The hold goes before the code: a write built on a code read after
// another till closed the hold would take the code's held count below
// zero, and the table's CHECK would report that as an error before the
// hold's stale version could report the conflict it is.
// Under READ COMMITTED a racing writer of the same row waits for the
// first to commit and then finds the version moved.
func (s couponStore) Save(ctx context.Context, w coupon.Write) error {
	var staleWhat string
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		staleWhat = ""
		check := func(what string, tag int64, err error) error {
			if err == nil && tag == 0 {
				staleWhat = what
				return errStale
			}
			return err
		}
		if u := w.Uses; u != nil {
			sql := `UPDATE coupon_uses SET used = $3, held = $4, version = $5 WHERE code = $1 AND customer = $2 AND version = $5 - 1`
			if u.Version == 1 {
				sql = `INSERT INTO coupon_uses (code, customer, used, held, version) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`
			}
			tag, err := tx.Exec(ctx, sql, u.Code, u.Customer, u.Used, u.Held, u.Version)
			if err := check("uses of "+coupon.Mask(u.Code), tag.RowsAffected(), err); err != nil {
				return err
			}
		}
		if r := w.Redemption; r != nil {
			var closed *time.Time
			if !r.ClosedAt.IsZero() {
				closed = &r.ClosedAt
			}
			sql := `UPDATE coupon_redemptions SET code = $2, customer = $3, state = $4, purchase = $5, definition = $6, held_at = $7,
				closed_at = $8, version = $9 WHERE id = $1 AND version = $9 - 1`
			if r.Version == 1 {
				sql = `INSERT INTO coupon_redemptions (id, code, customer, state, purchase, definition, held_at, closed_at, version)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`
			}
			tag, err := tx.Exec(ctx, sql, r.ID, r.Code, r.Customer, string(r.State), r.Purchase, r.Definition, r.HeldAt, closed, r.Version)
			if err := check("redemption "+r.ID, tag.RowsAffected(), err); err != nil {
				return err
			}
		}
		if c := w.Code; c != nil {
			tag, err := tx.Exec(ctx, `UPDATE coupon_codes SET definition = $2, source = $3, owner = $4, use_limit = $5, per_customer = $6,
				used = $7, held = $8, void = $9, issued_at = $10, batch = $11, version = $12 WHERE code = $1 AND version = $12 - 1`,
				c.Code, c.Definition, string(c.Source), c.Owner, c.Limit, c.PerCustomer, c.Used, c.Held, c.Void, c.IssuedAt, c.Batch, c.Version)
			if err := check("code "+coupon.Mask(c.Code), tag.RowsAffected(), err); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO coupon_operations (key, hash, result) VALUES ($1, $2, $3)`,
			w.Operation.Key, w.Operation.Hash, nonNil(w.Operation.Result))
		return err
	})
	switch {
	case errors.Is(err, errStale):
		return fmt.Errorf("%s: %w", staleWhat, coupon.ErrConflict)
	case uniqueViolation(err, "coupon_operations_pkey"):
		return fmt.Errorf("operation %s: %w", w.Operation.Key, coupon.ErrAlreadyExists)
	}
	return err
}
