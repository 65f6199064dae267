package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/loyalty/coupon"
)

// Coupons returns the coupon.Store kept in this database (migration 011):
// definitions, codes, per-customer counts, holds and operations. A code is
// a small versioned row found through the primary key's index, so a
// lookup or a redemption costs an index probe however many codes the file
// holds. A Save or a batch of codes is one BEGIN IMMEDIATE write
// transaction on the one writer, which checks every version before it
// writes: concurrent holds of a limited code queue for the writer, and
// all but the first find the code's version moved.
func (db *DB) Coupons() coupon.Store { return couponStore{db} }

type couponStore struct{ db *DB }

const (
	cpCodeColumns       = `code, definition, source, owner, use_limit, per_customer, used, held, void, issued_at, batch, version`
	cpRedemptionColumns = `id, code, customer, state, purchase, definition, held_at, closed_at, version`
)

// The statements the store reads with, named so that TestCouponPlans can
// check each one is an index search.
const (
	cpDefinitionByID   = `SELECT doc FROM coupon_definitions WHERE id = ?`
	cpCodeByCode       = `SELECT ` + cpCodeColumns + ` FROM coupon_codes WHERE code = ?`
	cpUsesByKey        = `SELECT used, held, version FROM coupon_uses WHERE code = ? AND customer = ?`
	cpRedemptionByID   = `SELECT ` + cpRedemptionColumns + ` FROM coupon_redemptions WHERE id = ?`
	cpOperationByKey   = `SELECT hash, result FROM coupon_operations WHERE key = ?`
	cpCodeVersion      = `SELECT version FROM coupon_codes WHERE code = ?`
	cpUsesVersion      = `SELECT version FROM coupon_uses WHERE code = ? AND customer = ?`
	cpRedemptionVer    = `SELECT version FROM coupon_redemptions WHERE id = ?`
	cpOperationTaken   = `SELECT 1 FROM coupon_operations WHERE key = ?`
	cpInsertOperation  = `INSERT INTO coupon_operations (key, hash, result) VALUES (?, ?, ?)`
	cpInsertDefinition = `INSERT INTO coupon_definitions (id, doc) VALUES (?, ?) ON CONFLICT DO NOTHING`
)

func (s couponStore) AddDefinition(ctx context.Context, d coupon.Definition) error {
	doc, err := marshal(d)
	if err != nil {
		return err
	}
	var n int64
	err = s.db.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, cpInsertDefinition, d.ID, doc)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
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
	err := s.db.rd.QueryRowContext(ctx, cpDefinitionByID, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
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

// The statements AddCodes runs, in cpBatchWrites order.
const (
	cpBOperationTaken = iota
	cpBInsertOperation
	cpBInsertCode
)

var cpBatchWrites = []string{
	cpBOperationTaken:  cpOperationTaken,
	cpBInsertOperation: cpInsertOperation,
	cpBInsertCode: `INSERT INTO coupon_codes (code, definition, source, owner, use_limit, per_customer, used, held, void, issued_at, batch, version)
		VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, 1)`,
}

// AddCodes checks the operation key, then inserts the operation and every
// code with one prepared statement in one transaction: a code that exists
// (or repeats in the batch) breaks the primary key and the transaction
// rolls back, leaving nothing.
func (s couponStore) AddCodes(ctx context.Context, b coupon.Batch) error {
	prepared, err := s.db.writerStmts(ctx, cpBatchWrites)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		st := func(i int) *sql.Stmt { return prepared[i] }
		taken, err := found(st(cpBOperationTaken).QueryRowContext(ctx, b.Operation.Key))
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("operation %s: %w", b.Operation.Key, coupon.ErrAlreadyExists)
		}
		if _, err := st(cpBInsertOperation).ExecContext(ctx, b.Operation.Key, b.Operation.Hash, nonNil(b.Operation.Result)); err != nil {
			return err
		}
		err = execEach(ctx, st, cpBInsertCode, len(b.Codes), func(i int) []any {
			c := b.Codes[i]
			return []any{c.Code, c.Definition, string(c.Source), c.Owner, c.Limit, c.PerCustomer, micros(c.IssuedAt), c.Batch}
		})
		if constraint(err) {
			return fmt.Errorf("a code of the batch: %w", coupon.ErrAlreadyExists)
		}
		return err
	})
}

func scanCode(row interface{ Scan(...any) error }) (coupon.Code, error) {
	var (
		c        coupon.Code
		src      string
		issuedAt int64
	)
	err := row.Scan(&c.Code, &c.Definition, &src, &c.Owner, &c.Limit, &c.PerCustomer, &c.Used, &c.Held, &c.Void, &issuedAt, &c.Batch, &c.Version)
	c.Source, c.IssuedAt = coupon.Source(src), fromMicros(issuedAt)
	return c, err
}

// GetCode probes the primary key; the code stays out of the error but
// for its last characters.
func (s couponStore) GetCode(ctx context.Context, code string) (coupon.Code, error) {
	c, err := scanCode(s.db.rd.QueryRowContext(ctx, cpCodeByCode, code))
	if errors.Is(err, sql.ErrNoRows) {
		return coupon.Code{}, fmt.Errorf("code %s: %w", coupon.Mask(code), coupon.ErrNotFound)
	}
	return c, err
}

func (s couponStore) Codes(ctx context.Context, definition string) iter.Seq2[coupon.Code, error] {
	return stream(ctx, s.db, func(last *coupon.Code, limit int) (string, []any) {
		after := ""
		if last != nil {
			after = last.Code
		}
		return cpCodesPage(definition, after, limit)
	}, func(rows *sql.Rows) (coupon.Code, error) { return scanCode(rows) })
}

// cpCodesPage is the query of one page of a definition's codes after
// after, a range of coupon_codes_definition.
func cpCodesPage(definition, after string, limit int) (string, []any) {
	return fmt.Sprintf(`SELECT `+cpCodeColumns+` FROM coupon_codes WHERE definition = ? AND code > ? ORDER BY code LIMIT %d`, limit),
		[]any{definition, after}
}

func (s couponStore) GetUses(ctx context.Context, code, customer string) (coupon.Uses, error) {
	u := coupon.Uses{Code: code, Customer: customer}
	err := s.db.rd.QueryRowContext(ctx, cpUsesByKey, code, customer).Scan(&u.Used, &u.Held, &u.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return coupon.Uses{}, fmt.Errorf("uses of %s: %w", coupon.Mask(code), coupon.ErrNotFound)
	}
	if err != nil {
		return coupon.Uses{}, err
	}
	return u, nil
}

func scanRedemption(row interface{ Scan(...any) error }) (coupon.Redemption, error) {
	var (
		r      coupon.Redemption
		state  string
		heldAt int64
		closed sql.NullInt64
	)
	err := row.Scan(&r.ID, &r.Code, &r.Customer, &state, &r.Purchase, &r.Definition, &heldAt, &closed, &r.Version)
	r.State, r.HeldAt, r.ClosedAt = coupon.State(state), fromMicros(heldAt), fromNullMicros(closed)
	return r, err
}

func (s couponStore) GetRedemption(ctx context.Context, id string) (coupon.Redemption, error) {
	r, err := scanRedemption(s.db.rd.QueryRowContext(ctx, cpRedemptionByID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return coupon.Redemption{}, fmt.Errorf("redemption %s: %w", id, coupon.ErrNotFound)
	}
	return r, err
}

func (s couponStore) GetOperation(ctx context.Context, key string) (coupon.Operation, error) {
	op := coupon.Operation{Key: key}
	err := s.db.rd.QueryRowContext(ctx, cpOperationByKey, key).Scan(&op.Hash, &op.Result)
	if errors.Is(err, sql.ErrNoRows) {
		return coupon.Operation{}, fmt.Errorf("operation %s: %w", key, coupon.ErrNotFound)
	}
	if err != nil {
		return coupon.Operation{}, err
	}
	op.Result = nonNil(op.Result)
	return op, nil
}

// OpenHolds pages through the partial index of held redemptions.
func (s couponStore) OpenHolds(ctx context.Context, before time.Time) iter.Seq2[coupon.Redemption, error] {
	return stream(ctx, s.db, func(last *coupon.Redemption, limit int) (string, []any) {
		return cpOpenHoldsPage(before, last, limit)
	}, func(rows *sql.Rows) (coupon.Redemption, error) { return scanRedemption(rows) })
}

// cpOpenHoldsPage is the query of one page of OpenHolds after last (nil
// for the first page): a range of coupon_redemptions_open that starts
// after last's row value.
func cpOpenHoldsPage(before time.Time, last *coupon.Redemption, limit int) (string, []any) {
	const open = `SELECT ` + cpRedemptionColumns + ` FROM coupon_redemptions WHERE state = 'held' AND held_at < ?`
	if last == nil {
		return fmt.Sprintf(open+` ORDER BY held_at, id LIMIT %d`, limit), []any{micros(before)}
	}
	return fmt.Sprintf(open+` AND (held_at, id) > (?, ?) ORDER BY held_at, id LIMIT %d`, limit),
		[]any{micros(before), micros(last.HeldAt), last.ID}
}

// The statements a Save runs, in cpSaveWrites order.
const (
	cpWCodeVersion = iota
	cpWUsesVersion
	cpWRedemptionVersion
	cpWOperationTaken
	cpWUpdateCode
	cpWInsertUses
	cpWUpdateUses
	cpWInsertRedemption
	cpWUpdateRedemption
	cpWInsertOperation
)

var cpSaveWrites = []string{
	cpWCodeVersion:       cpCodeVersion,
	cpWUsesVersion:       cpUsesVersion,
	cpWRedemptionVersion: cpRedemptionVer,
	cpWOperationTaken:    cpOperationTaken,
	cpWUpdateCode: `UPDATE coupon_codes SET definition = ?, source = ?, owner = ?, use_limit = ?, per_customer = ?,
		used = ?, held = ?, void = ?, issued_at = ?, batch = ?, version = ? WHERE code = ?`,
	cpWInsertUses: `INSERT INTO coupon_uses (used, held, version, code, customer) VALUES (?, ?, ?, ?, ?)`,
	cpWUpdateUses: `UPDATE coupon_uses SET used = ?, held = ?, version = ? WHERE code = ? AND customer = ?`,
	cpWInsertRedemption: `INSERT INTO coupon_redemptions (code, customer, state, purchase, definition, held_at, closed_at, version, id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	cpWUpdateRedemption: `UPDATE coupon_redemptions SET code = ?, customer = ?, state = ?, purchase = ?, definition = ?,
		held_at = ?, closed_at = ?, version = ? WHERE id = ?`,
	cpWInsertOperation: cpInsertOperation,
}

// Save checks, under the write lock BEGIN IMMEDIATE takes, the version of
// each record the write carries (code, uses, redemption), then the
// operation key, and only then writes them: a refusal returns before
// anything is written. With one writer nothing moves between the checks
// and the writes, so the table's CHECK on a code's counters can only
// catch a write built wrong, never a race.
func (s couponStore) Save(ctx context.Context, w coupon.Write) error {
	prepared, err := s.db.writerStmts(ctx, cpSaveWrites)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		st := func(i int) *sql.Stmt { return prepared[i] }
		// next reports whether the stored version (0: none) is v-1.
		next := func(i int, v int64, key ...any) (bool, error) {
			var stored int64
			err := st(i).QueryRowContext(ctx, key...).Scan(&stored)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return false, err
			}
			return v >= 1 && stored == v-1, nil
		}
		if c := w.Code; c != nil {
			ok, err := next(cpWCodeVersion, c.Version, c.Code)
			if err != nil {
				return err
			}
			if !ok || c.Version == 1 { // a code is never created by Save
				return fmt.Errorf("code %s: %w", coupon.Mask(c.Code), coupon.ErrConflict)
			}
		}
		if u := w.Uses; u != nil {
			ok, err := next(cpWUsesVersion, u.Version, u.Code, u.Customer)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("uses of %s: %w", coupon.Mask(u.Code), coupon.ErrConflict)
			}
		}
		if r := w.Redemption; r != nil {
			ok, err := next(cpWRedemptionVersion, r.Version, r.ID)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("redemption %s: %w", r.ID, coupon.ErrConflict)
			}
		}
		taken, err := found(st(cpWOperationTaken).QueryRowContext(ctx, w.Operation.Key))
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("operation %s: %w", w.Operation.Key, coupon.ErrAlreadyExists)
		}
		if c := w.Code; c != nil {
			if _, err := st(cpWUpdateCode).ExecContext(ctx, c.Definition, string(c.Source), c.Owner, c.Limit, c.PerCustomer,
				c.Used, c.Held, c.Void, micros(c.IssuedAt), c.Batch, c.Version, c.Code); err != nil {
				return err
			}
		}
		if u := w.Uses; u != nil {
			write := cpWUpdateUses
			if u.Version == 1 {
				write = cpWInsertUses
			}
			if _, err := st(write).ExecContext(ctx, u.Used, u.Held, u.Version, u.Code, u.Customer); err != nil {
				return err
			}
		}
		if r := w.Redemption; r != nil {
			write := cpWUpdateRedemption
			if r.Version == 1 {
				write = cpWInsertRedemption
			}
			if _, err := st(write).ExecContext(ctx, r.Code, r.Customer, string(r.State), r.Purchase, r.Definition,
				micros(r.HeldAt), nullMicros(r.ClosedAt), r.Version, r.ID); err != nil {
				return err
			}
		}
		_, err = st(cpWInsertOperation).ExecContext(ctx, w.Operation.Key, w.Operation.Hash, nonNil(w.Operation.Result))
		return err
	})
}
