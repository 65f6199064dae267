package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// StoredValue returns the storedvalue.Store kept in this database
// (migrations 010 and 012): wallets, gift cards and punch cards. An account is a
// small row (version, balances, last entry number) beside a row per part,
// record, entry and operation, so an operation costs the rows it touches,
// whatever the account's history. A Save is one BEGIN IMMEDIATE write
// transaction on the one writer.
func (db *DB) StoredValue() storedvalue.Store { return svStore{db} }

type svStore struct{ db *DB }

const svAccountColumns = `account_id, version, type, state, holder, currency, code_key, paid, bonus, held_paid, held_bonus, seq, created_at, punch, pin_key, pin_failures`

// The statements an operation's reads run, named so that
// TestStoredValuePlans can check each one is an index search.
const (
	svAccountByID    = `SELECT ` + svAccountColumns + ` FROM sv_accounts WHERE account_id = ?`
	svAccountByCode  = `SELECT ` + svAccountColumns + ` FROM sv_accounts WHERE code_key = ?`
	svCodeProbe      = `SELECT 1 FROM sv_accounts WHERE code_key = ?`
	svVersionOf      = `SELECT version FROM sv_accounts WHERE account_id = ?`
	svCodeTaken      = `SELECT 1 FROM sv_accounts WHERE code_key = ? AND account_id <> ?`
	svOperationKey   = `SELECT account_id, hash, result FROM sv_operations WHERE key = ?`
	svOperationTaken = `SELECT 1 FROM sv_operations WHERE key = ?`
	svPartSelect     = `SELECT part_id, kind, source, amount, remaining, held, created_at, expires_at FROM sv_parts`
	svRecordSelect   = `SELECT kind, key, data, due_at FROM sv_records`
	// svSpendingKey is the spending order the partial index
	// sv_parts_spending holds: spend_by is expires_at with money that
	// never expires as the largest integer, so it sorts last.
	svSpendingKey = `spend_by, created_at, part_id`
)

func scanSVAccount(row interface{ Scan(...any) error }) (storedvalue.Account, error) {
	var (
		a              storedvalue.Account
		typ, state     string
		codeKey, punch sql.NullString
		createdAt      int64
	)
	err := row.Scan(&a.ID, &a.Version, &typ, &state, &a.Holder, &a.Currency, &codeKey, &a.Paid, &a.Bonus,
		&a.HeldPaid, &a.HeldBonus, &a.Seq, &createdAt, &punch, &a.PINKey, &a.PINFailures)
	if err != nil {
		return storedvalue.Account{}, err
	}
	a.Type, a.State, a.CodeKey, a.CreatedAt = storedvalue.AccountType(typ), storedvalue.State(state), codeKey.String, fromMicros(createdAt)
	if punch.Valid {
		a.Punch = new(storedvalue.Punch)
		if err := json.Unmarshal([]byte(punch.String), a.Punch); err != nil {
			return storedvalue.Account{}, fmt.Errorf("account %s: punch: %w", a.ID, err)
		}
		a.Punch.ValidFrom, a.Punch.ValidUntil = a.Punch.ValidFrom.UTC(), a.Punch.ValidUntil.UTC()
	}
	return a, nil
}

func (s svStore) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	a, err := scanSVAccount(s.db.rd.QueryRowContext(ctx, svAccountByID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("account %s: %w", id, storedvalue.ErrNotFound)
	}
	return a, err
}

// AccountByCode probes the code_key unique index for the key (reading
// the index only), then reads one row by the same index: the key's, or on
// a miss the decoy's. A right code and a wrong one cost two probes and
// one row; the key, a hash of a code, stays out of the error.
func (s svStore) AccountByCode(ctx context.Context, key, decoy string) (storedvalue.Account, error) {
	hit, err := found(s.db.rd.QueryRowContext(ctx, svCodeProbe, key))
	if err != nil {
		return storedvalue.Account{}, err
	}
	read := decoy
	if hit {
		read = key
	}
	a, err := scanSVAccount(s.db.rd.QueryRowContext(ctx, svAccountByCode, read))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("code: %w", storedvalue.ErrNotFound)
	}
	return a, err
}

// The statements a Save runs, in svWrites order.
const (
	svWVersion = iota
	svWOperationTaken
	svWCodeTaken
	svWInsertAccount
	svWUpdateAccount
	svWInsertOperation
	svWPart
	svWRecord
	svWEntry
)

var svWrites = []string{
	svWVersion:        svVersionOf,
	svWOperationTaken: svOperationTaken,
	svWCodeTaken:      svCodeTaken,
	svWInsertAccount: `INSERT INTO sv_accounts (type, state, holder, currency, code_key, paid, bonus,
		held_paid, held_bonus, seq, created_at, punch, pin_key, pin_failures, account_id, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
	svWUpdateAccount: `UPDATE sv_accounts SET type = ?, state = ?, holder = ?, currency = ?, code_key = ?,
		paid = ?, bonus = ?, held_paid = ?, held_bonus = ?, seq = ?, created_at = ?, punch = ?,
		pin_key = ?, pin_failures = ?, version = version + 1
		WHERE account_id = ?`,
	svWInsertOperation: `INSERT INTO sv_operations (key, account_id, hash, result) VALUES (?, ?, ?, ?)`,
	svWPart: `INSERT INTO sv_parts (account_id, part_id, kind, source, amount, remaining, held, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id, part_id) DO UPDATE SET kind = excluded.kind, source = excluded.source,
		amount = excluded.amount, remaining = excluded.remaining, held = excluded.held,
		created_at = excluded.created_at, expires_at = excluded.expires_at`,
	svWRecord: `INSERT INTO sv_records (account_id, kind, key, data, due_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account_id, kind, key) DO UPDATE SET data = excluded.data, due_at = excluded.due_at`,
	svWEntry: `INSERT INTO sv_entries (account_id, seq, kind, op, at, paid, bonus, held_paid, held_bonus, uses, corrects)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
}

// Save checks, under the write lock BEGIN IMMEDIATE takes, the version
// first, then the operation key and the code key, and only then writes
// the account, the operation, the parts, the records and the entries: a
// refusal returns before anything is written, and any later failure rolls
// the whole transaction back.
func (s svStore) Save(ctx context.Context, w storedvalue.Write) error {
	a := w.Account
	var punch any // NULL for money accounts
	if a.Punch != nil {
		p := *a.Punch
		p.ValidFrom, p.ValidUntil = p.ValidFrom.UTC(), p.ValidUntil.UTC()
		doc, err := marshal(p)
		if err != nil {
			return err
		}
		punch = doc
	}
	var codeKey any
	if a.CodeKey != "" {
		codeKey = a.CodeKey
	}
	prepared, err := s.db.writerStmts(ctx, svWrites)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		st := func(i int) *sql.Stmt { return prepared[i] }
		var stored int64
		err := st(svWVersion).QueryRowContext(ctx, a.ID).Scan(&stored)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if a.Version < 1 || stored != a.Version-1 {
			return fmt.Errorf("account %s: version %d is not the next: %w", a.ID, a.Version, storedvalue.ErrConflict)
		}
		if op := w.Operation; op != nil {
			taken, err := found(st(svWOperationTaken).QueryRowContext(ctx, op.Key))
			if err != nil {
				return err
			}
			if taken {
				return fmt.Errorf("operation %s: %w", op.Key, storedvalue.ErrAlreadyExists)
			}
		}
		if a.CodeKey != "" {
			taken, err := found(st(svWCodeTaken).QueryRowContext(ctx, a.CodeKey, a.ID))
			if err != nil {
				return err
			}
			if taken {
				return fmt.Errorf("account %s: code key taken: %w", a.ID, storedvalue.ErrAlreadyExists)
			}
		}
		write := svWUpdateAccount
		if a.Version == 1 {
			write = svWInsertAccount
		}
		if _, err := st(write).ExecContext(ctx, string(a.Type), string(a.State), a.Holder, a.Currency, codeKey,
			a.Paid, a.Bonus, a.HeldPaid, a.HeldBonus, a.Seq, micros(a.CreatedAt), punch, a.PINKey, a.PINFailures, a.ID); err != nil {
			return err
		}
		if op := w.Operation; op != nil {
			if _, err := st(svWInsertOperation).ExecContext(ctx, op.Key, op.AccountID, op.Hash, nonNil(op.Result)); err != nil {
				return err
			}
		}
		err = execEach(ctx, st, svWPart, len(w.Parts), func(i int) []any {
			p := w.Parts[i]
			return []any{a.ID, p.ID, string(p.Kind), p.Source, p.Amount, p.Remaining, p.Held, micros(p.CreatedAt), nullMicros(p.ExpiresAt)}
		})
		if err != nil {
			return err
		}
		err = execEach(ctx, st, svWRecord, len(w.Records), func(i int) []any {
			r := w.Records[i]
			return []any{a.ID, string(r.Kind), r.Key, nonNil(r.Data), nullMicros(r.DueAt)}
		})
		if err != nil {
			return err
		}
		err = execEach(ctx, st, svWEntry, len(w.Entries), func(i int) []any {
			e := w.Entries[i]
			return []any{a.ID, e.Seq, string(e.Kind), e.Op, micros(e.At), e.Paid, e.Bonus, e.HeldPaid, e.HeldBonus, e.Uses, e.Corrects}
		})
		if constraint(err) {
			// Only a write that skipped the version check could reuse a
			// sequence number.
			return fmt.Errorf("account %s: entry sequence taken: %w", a.ID, storedvalue.ErrConflict)
		}
		return err
	})
}

// execEach runs the statement st(i) n times with args(i), binding it to the
// transaction once.
func execEach(ctx context.Context, st func(int) *sql.Stmt, i, n int, args func(i int) []any) error {
	if n == 0 {
		return nil
	}
	stmt := st(i)
	for j := range n {
		if _, err := stmt.ExecContext(ctx, args(j)...); err != nil {
			return err
		}
	}
	return nil
}

// found reports whether row (of a SELECT 1) exists.
func found(row *sql.Row) (bool, error) {
	var one int
	err := row.Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// nonNil is b, or an empty slice for nil: a BLOB NOT NULL column keeps
// empty bytes, which a nil slice would bind as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func scanSVPart(rows *sql.Rows) (storedvalue.Part, error) {
	var (
		p       storedvalue.Part
		kind    string
		created int64
		expires sql.NullInt64
	)
	err := rows.Scan(&p.ID, &kind, &p.Source, &p.Amount, &p.Remaining, &p.Held, &created, &expires)
	p.Kind, p.CreatedAt, p.ExpiresAt = storedvalue.PartKind(kind), fromMicros(created), fromNullMicros(expires)
	return p, err
}

func (s svStore) Parts(ctx context.Context, accountID string, ids []string) ([]storedvalue.Part, error) {
	return byKeys(ctx, s.db, ids, svPartsByID, []any{accountID}, scanSVPart,
		func(p storedvalue.Part) string { return p.ID }, func(p storedvalue.Part) storedvalue.Part { return p })
}

func svPartsByID(in string) string {
	return svPartSelect + ` WHERE account_id = ? AND part_id IN (` + in + `)`
}

func (s svStore) SpendingParts(ctx context.Context, accountID string, kind storedvalue.PartKind) iter.Seq2[storedvalue.Part, error] {
	return pages(ctx, s.db, firstLotPage, func(last *storedvalue.Part, limit int) (string, []any) {
		return svSpendingPage(accountID, kind, last, limit)
	}, scanSVPart)
}

// svSpendingPage is the query of one page of SpendingParts after last (nil
// for the first page): a search of sv_parts_spending that starts after
// last's row value, so a page reads its own rows, not the pages before.
func svSpendingPage(accountID string, kind storedvalue.PartKind, last *storedvalue.Part, limit int) (string, []any) {
	const open = svPartSelect + ` WHERE account_id = ? AND kind = ? AND remaining > 0`
	if last == nil {
		return fmt.Sprintf(open+` ORDER BY %s LIMIT %d`, svSpendingKey, limit), []any{accountID, string(kind)}
	}
	expires := int64(math.MaxInt64)
	if !last.ExpiresAt.IsZero() {
		expires = micros(last.ExpiresAt)
	}
	return fmt.Sprintf(open+` AND (%s) > (?, ?, ?) ORDER BY %s LIMIT %d`, svSpendingKey, svSpendingKey, limit),
		[]any{accountID, string(kind), expires, micros(last.CreatedAt), last.ID}
}

func (s svStore) AllParts(ctx context.Context, accountID string) iter.Seq2[storedvalue.Part, error] {
	return stream(ctx, s.db, func(last *storedvalue.Part, limit int) (string, []any) {
		after := ""
		if last != nil {
			after = last.ID
		}
		return svAllPartsPage(accountID, after, limit)
	}, scanSVPart)
}

func svAllPartsPage(accountID, after string, limit int) (string, []any) {
	return fmt.Sprintf(svPartSelect+` WHERE account_id = ? AND part_id > ? ORDER BY part_id LIMIT %d`, limit),
		[]any{accountID, after}
}

func scanSVRecord(rows *sql.Rows) (storedvalue.Record, error) {
	var (
		r    storedvalue.Record
		kind string
		due  sql.NullInt64
	)
	err := rows.Scan(&kind, &r.Key, &r.Data, &due)
	r.Kind, r.Data, r.DueAt = storedvalue.RecordKind(kind), nonNil(r.Data), fromNullMicros(due)
	return r, err
}

func (s svStore) GetRecords(ctx context.Context, accountID string, kind storedvalue.RecordKind, keys []string) ([]storedvalue.Record, error) {
	return byKeys(ctx, s.db, keys, svRecordsByKey, []any{accountID, string(kind)}, scanSVRecord,
		func(r storedvalue.Record) string { return r.Key },
		func(r storedvalue.Record) storedvalue.Record {
			r.Data = append([]byte{}, r.Data...)
			return r
		})
}

func svRecordsByKey(in string) string {
	return svRecordSelect + ` WHERE account_id = ? AND kind = ? AND key IN (` + in + `)`
}

func (s svStore) GetOperation(ctx context.Context, key string) (storedvalue.Operation, error) {
	op := storedvalue.Operation{Key: key}
	err := s.db.rd.QueryRowContext(ctx, svOperationKey, key).Scan(&op.AccountID, &op.Hash, &op.Result)
	if errors.Is(err, sql.ErrNoRows) {
		return storedvalue.Operation{}, fmt.Errorf("operation %s: %w", key, storedvalue.ErrNotFound)
	}
	if err != nil {
		return storedvalue.Operation{}, err
	}
	op.Result = nonNil(op.Result)
	return op, nil
}

func (s svStore) Entries(ctx context.Context, accountID string, afterSeq int64) iter.Seq2[storedvalue.Entry, error] {
	return stream(ctx, s.db, func(last *storedvalue.Entry, limit int) (string, []any) {
		after := afterSeq
		if last != nil {
			after = last.Seq
		}
		return svEntriesPage(accountID, after, limit)
	}, func(rows *sql.Rows) (storedvalue.Entry, error) {
		var (
			e    storedvalue.Entry
			kind string
			at   int64
		)
		err := rows.Scan(&e.Seq, &kind, &e.Op, &at, &e.Paid, &e.Bonus, &e.HeldPaid, &e.HeldBonus, &e.Uses, &e.Corrects)
		e.Kind, e.At = storedvalue.EntryKind(kind), fromMicros(at)
		return e, err
	})
}

func svEntriesPage(accountID string, after int64, limit int) (string, []any) {
	return fmt.Sprintf(`SELECT seq, kind, op, at, paid, bonus, held_paid, held_bonus, uses, corrects FROM sv_entries
		WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT %d`, limit), []any{accountID, after}
}

func (s svStore) Accounts(ctx context.Context, after string) iter.Seq2[storedvalue.Account, error] {
	return stream(ctx, s.db, func(last *storedvalue.Account, limit int) (string, []any) {
		from := after
		if last != nil {
			from = last.ID
		}
		return svAccountsPage(from, limit)
	}, func(rows *sql.Rows) (storedvalue.Account, error) { return scanSVAccount(rows) })
}

func svAccountsPage(after string, limit int) (string, []any) {
	return fmt.Sprintf(`SELECT `+svAccountColumns+` FROM sv_accounts WHERE account_id > ? ORDER BY account_id LIMIT %d`, limit),
		[]any{after}
}

// DueRecords pages through sv_records_due from the cursor, up to until.
func (s svStore) DueRecords(ctx context.Context, kind storedvalue.RecordKind, until time.Time, after storedvalue.DueRecord) iter.Seq2[storedvalue.DueRecord, error] {
	return stream(ctx, s.db, func(last *storedvalue.DueRecord, limit int) (string, []any) {
		from := after
		if last != nil {
			from = *last
		}
		return svDuePage(kind, until, from, limit)
	}, func(rows *sql.Rows) (storedvalue.DueRecord, error) {
		d := storedvalue.DueRecord{Kind: kind}
		var at int64
		err := rows.Scan(&at, &d.AccountID, &d.Key)
		d.At = fromMicros(at)
		return d, err
	})
}

// svDuePage is the query of one page of DueRecords after the cursor: a
// range of sv_records_due from the cursor's row value to until.
func svDuePage(kind storedvalue.RecordKind, until time.Time, after storedvalue.DueRecord, limit int) (string, []any) {
	return fmt.Sprintf(`SELECT due_at, account_id, key FROM sv_records
		WHERE kind = ? AND due_at IS NOT NULL AND due_at <= ? AND (due_at, account_id, key) > (?, ?, ?)
		ORDER BY due_at, account_id, key LIMIT %d`, limit),
		[]any{string(kind), micros(until), micros(after.At), after.AccountID, after.Key}
}
