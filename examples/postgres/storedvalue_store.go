package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// StoredValue returns the storedvalue.Store kept in this database
// (migrations 011 and 014). An account is a small row beside a row per part,
// record, entry and operation, so an operation costs the rows it touches,
// whatever the account's history. A Save is one statement: one round trip
// and one short implicit transaction.
func (db *DB) StoredValue() storedvalue.Store { return svStore{db} }

type svStore struct{ db *DB }

const svAccountColumns = `account_id, version, type, state, holder, currency, code_key, paid, bonus, held_paid, held_bonus, seq, created_at, punch, pin_key, pin_failures`

func scanSVAccount(row pgx.Row) (storedvalue.Account, error) {
	var (
		a           storedvalue.Account
		typ, state  string
		codeKey     *string
		punch       []byte
		createdAtTZ time.Time
	)
	err := row.Scan(&a.ID, &a.Version, &typ, &state, &a.Holder, &a.Currency, &codeKey, &a.Paid, &a.Bonus,
		&a.HeldPaid, &a.HeldBonus, &a.Seq, &createdAtTZ, &punch, &a.PINKey, &a.PINFailures)
	if err != nil {
		return storedvalue.Account{}, err
	}
	a.Type, a.State, a.CreatedAt = storedvalue.AccountType(typ), storedvalue.State(state), createdAtTZ.UTC()
	if codeKey != nil {
		a.CodeKey = *codeKey
	}
	if punch != nil {
		a.Punch = new(storedvalue.Punch)
		if err := json.Unmarshal(punch, a.Punch); err != nil {
			return storedvalue.Account{}, fmt.Errorf("account %s: punch: %w", a.ID, err)
		}
		a.Punch.ValidFrom, a.Punch.ValidUntil = a.Punch.ValidFrom.UTC(), a.Punch.ValidUntil.UTC()
	}
	return a, nil
}

func (s svStore) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	a, err := scanSVAccount(s.db.pool.QueryRow(ctx, `SELECT `+svAccountColumns+` FROM sv_accounts WHERE account_id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("account %s: %w", id, storedvalue.ErrNotFound)
	}
	return a, err
}

// AccountByCode is one statement that probes the code_key index for the
// key and then reads one row: the key's, or on a miss the decoy's. A
// right code and a wrong one cost two index probes and one row.
func (s svStore) AccountByCode(ctx context.Context, key, decoy string) (storedvalue.Account, error) {
	a, err := scanSVAccount(s.db.pool.QueryRow(ctx, `SELECT `+svAccountColumns+` FROM sv_accounts
		WHERE code_key = COALESCE((SELECT code_key FROM sv_accounts WHERE code_key = $1), $2)`, key, decoy))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("code: %w", storedvalue.ErrNotFound)
	}
	return a, err
}

// Save is one statement: the account's compare-and-set, then the
// operation record, the parts' and records' upserts and the entries, each
// written only if the account step wrote a row. A stale version writes no
// account row, so nothing else is written and the statement reports no
// row; a taken operation or code key (or, for version 1, an existing
// account) breaks a unique key and the statement rolls back.
func (s svStore) Save(ctx context.Context, w storedvalue.Write) error {
	a := w.Account
	if a.Version < 1 {
		return fmt.Errorf("account %s: version %d: %w", a.ID, a.Version, storedvalue.ErrConflict)
	}
	var punch []byte
	if a.Punch != nil {
		p := *a.Punch
		p.ValidFrom, p.ValidUntil = p.ValidFrom.UTC(), p.ValidUntil.UTC()
		var err error
		if punch, err = json.Marshal(p); err != nil {
			return err
		}
	}
	var codeKey *string
	if a.CodeKey != "" {
		codeKey = &a.CodeKey
	}
	var op storedvalue.Operation
	if w.Operation != nil {
		op = *w.Operation
	}
	result := op.Result
	if result == nil {
		result = []byte{}
	}
	write := svUpdateAccount
	if a.Version == 1 {
		write = svInsertAccount
	}
	parts := svPartColumns(w.Parts)
	rk, rkeys, rdata, rdue := svRecordColumns(w.Records)
	e := svEntryColumns(w.Entries)
	var written int
	err := s.db.retry(ctx, func() error {
		return s.db.pool.QueryRow(ctx, write+svSaveRest,
			a.ID, a.Version, string(a.Type), string(a.State), a.Holder, a.Currency, codeKey,
			a.Paid, a.Bonus, a.HeldPaid, a.HeldBonus, a.Seq, a.CreatedAt.UTC(), punch,
			op.Key, op.AccountID, op.Hash, result, w.Operation != nil,
			parts.ids, parts.kinds, parts.sources, parts.amounts, parts.remaining, parts.held, parts.created, parts.expires,
			rk, rkeys, rdata,
			e.seqs, e.kinds, e.ops, e.at, e.paid, e.bonus, e.heldPaid, e.heldBonus, e.uses, e.corrects,
			a.PINKey, a.PINFailures, rdue,
		).Scan(&written)
	})
	switch {
	case err == nil && written == 0:
		return fmt.Errorf("account %s: version %d is not the next: %w", a.ID, a.Version, storedvalue.ErrConflict)
	case err == nil:
		return nil
	case uniqueViolation(err, "sv_accounts_pkey"):
		return fmt.Errorf("account %s: exists: %w", a.ID, storedvalue.ErrConflict)
	case uniqueViolation(err, "sv_operations_pkey"), uniqueViolation(err, "sv_accounts_code_key"):
		// The version is checked first: a create of an account that
		// exists is the conflict it is, whichever key broke first.
		if a.Version == 1 {
			if _, gerr := s.GetAccount(ctx, a.ID); gerr == nil {
				return fmt.Errorf("account %s: exists: %w", a.ID, storedvalue.ErrConflict)
			}
		}
		if uniqueViolation(err, "sv_accounts_code_key") {
			return fmt.Errorf("account %s: code key taken: %w", a.ID, storedvalue.ErrAlreadyExists)
		}
		return fmt.Errorf("operation %s: %w", op.Key, storedvalue.ErrAlreadyExists)
	case uniqueViolation(err, "sv_entries_pkey"):
		return fmt.Errorf("account %s: entry sequence taken: %w", a.ID, storedvalue.ErrConflict)
	}
	return err
}

const (
	svInsertAccount = `WITH acct AS (
	INSERT INTO sv_accounts (` + svAccountColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $41, $42) RETURNING account_id)`
	svUpdateAccount = `WITH acct AS (
	UPDATE sv_accounts SET version = $2, type = $3, state = $4, holder = $5, currency = $6, code_key = $7,
		paid = $8, bonus = $9, held_paid = $10, held_bonus = $11, seq = $12, created_at = $13, punch = $14,
		pin_key = $41, pin_failures = $42
	WHERE account_id = $1 AND version = $2 - 1 RETURNING account_id)`
	svSaveRest = `,
op AS (
	INSERT INTO sv_operations (key, account_id, hash, result)
	SELECT $15::text, $16::text, $17::text, $18::bytea FROM acct WHERE $19::boolean RETURNING 1),
parts AS (
	INSERT INTO sv_parts (account_id, part_id, kind, source, amount, remaining, held, created_at, expires_at)
	SELECT acct.account_id, p.id, p.k, p.src, p.a, p.r, p.h, p.c, NULLIF(p.x, '0001-01-01 00:00:00+00'::timestamptz)
	FROM acct, unnest($20::text[], $21::text[], $22::text[], $23::bigint[], $24::bigint[], $25::bigint[],
		$26::timestamptz[], $27::timestamptz[]) AS p (id, k, src, a, r, h, c, x)
	ON CONFLICT (account_id, part_id) DO UPDATE SET kind = excluded.kind, source = excluded.source,
		amount = excluded.amount, remaining = excluded.remaining, held = excluded.held,
		created_at = excluded.created_at, expires_at = excluded.expires_at
	RETURNING 1),
recs AS (
	INSERT INTO sv_records (account_id, kind, key, data, due_at)
	SELECT acct.account_id, r.k, r.key, r.d, NULLIF(r.due, '0001-01-01 00:00:00+00'::timestamptz)
	FROM acct, unnest($28::text[], $29::text[], $30::bytea[], $43::timestamptz[]) AS r (k, key, d, due)
	ON CONFLICT (account_id, kind, key) DO UPDATE SET data = excluded.data, due_at = excluded.due_at
	RETURNING 1),
entries AS (
	INSERT INTO sv_entries (account_id, seq, kind, op, at, paid, bonus, held_paid, held_bonus, uses, corrects)
	SELECT acct.account_id, e.* FROM acct, unnest($31::bigint[], $32::text[], $33::text[], $34::timestamptz[],
		$35::bigint[], $36::bigint[], $37::bigint[], $38::bigint[], $39::bigint[], $40::text[])
		AS e (seq, kind, op, at, paid, bonus, held_paid, held_bonus, uses, corrects)
	RETURNING 1)
SELECT count(*) FROM acct`
)

type svParts struct {
	ids, kinds, sources      []string
	amounts, remaining, held []int64
	created, expires         []time.Time
}

// svPartColumns returns the parts as columns, the last of parts sharing
// an ID alone (one statement cannot upsert a row twice).
func svPartColumns(parts []storedvalue.Part) svParts {
	var c svParts
	seen := make(map[string]int, len(parts))
	for _, p := range parts {
		i, dup := seen[p.ID]
		if !dup {
			i = len(c.ids)
			seen[p.ID] = i
			c.ids, c.kinds, c.sources = append(c.ids, p.ID), append(c.kinds, ""), append(c.sources, "")
			c.amounts, c.remaining, c.held = append(c.amounts, 0), append(c.remaining, 0), append(c.held, 0)
			c.created, c.expires = append(c.created, time.Time{}), append(c.expires, time.Time{})
		}
		c.kinds[i], c.sources[i] = string(p.Kind), p.Source
		c.amounts[i], c.remaining[i], c.held[i] = p.Amount, p.Remaining, p.Held
		c.created[i], c.expires[i] = p.CreatedAt.UTC(), p.ExpiresAt.UTC()
	}
	return c
}

func svRecordColumns(recs []storedvalue.Record) (kinds, keys []string, data [][]byte, due []time.Time) {
	type key struct {
		kind storedvalue.RecordKind
		key  string
	}
	seen := make(map[key]int, len(recs))
	for _, r := range recs {
		if i, dup := seen[key{r.Kind, r.Key}]; dup {
			data[i], due[i] = nonNil(r.Data), r.DueAt.UTC()
			continue
		}
		seen[key{r.Kind, r.Key}] = len(keys)
		kinds, keys, data = append(kinds, string(r.Kind)), append(keys, r.Key), append(data, nonNil(r.Data))
		due = append(due, r.DueAt.UTC())
	}
	return kinds, keys, data, due
}

type svEntries struct {
	seqs, paid, bonus, heldPaid, heldBonus, uses []int64
	kinds, ops, corrects                         []string
	at                                           []time.Time
}

func svEntryColumns(es []storedvalue.Entry) svEntries {
	var c svEntries
	for _, e := range es {
		c.seqs, c.paid, c.bonus = append(c.seqs, e.Seq), append(c.paid, e.Paid), append(c.bonus, e.Bonus)
		c.heldPaid, c.heldBonus, c.uses = append(c.heldPaid, e.HeldPaid), append(c.heldBonus, e.HeldBonus), append(c.uses, e.Uses)
		c.kinds, c.ops, c.corrects = append(c.kinds, string(e.Kind)), append(c.ops, e.Op), append(c.corrects, e.Corrects)
		c.at = append(c.at, e.At.UTC())
	}
	return c
}

const svPartSelect = `SELECT part_id, kind, source, amount, remaining, held, created_at, expires_at FROM sv_parts`

func scanSVPart(row pgx.CollectableRow) (storedvalue.Part, error) {
	var (
		p       storedvalue.Part
		kind    string
		expires *time.Time
	)
	err := row.Scan(&p.ID, &kind, &p.Source, &p.Amount, &p.Remaining, &p.Held, &p.CreatedAt, &expires)
	p.Kind, p.CreatedAt = storedvalue.PartKind(kind), p.CreatedAt.UTC()
	if expires != nil {
		p.ExpiresAt = expires.UTC()
	}
	return p, err
}

func (s svStore) Parts(ctx context.Context, accountID string, ids []string) ([]storedvalue.Part, error) {
	if len(ids) == 0 {
		return nil, ctx.Err()
	}
	rows, err := s.db.pool.Query(ctx, svPartSelect+` WHERE account_id = $1 AND part_id = ANY($2)`, accountID, ids)
	if err != nil {
		return nil, err
	}
	found, err := pgx.CollectRows(rows, scanSVPart)
	if err != nil {
		return nil, err
	}
	return byKeys(ids, found, func(p storedvalue.Part) string { return p.ID }), nil
}

// svSpendingKey is the spending-order expression sv_parts_spending holds.
const svSpendingKey = `COALESCE(expires_at, 'infinity'::timestamptz), created_at, part_id`

func (s svStore) SpendingParts(ctx context.Context, accountID string, kind storedvalue.PartKind) iter.Seq2[storedvalue.Part, error] {
	return pages(ctx, s.db, firstLotPage, func(last *storedvalue.Part, limit int) (string, []any) {
		const open = svPartSelect + ` WHERE account_id = $1 AND kind = $2 AND remaining > 0`
		if last == nil {
			return fmt.Sprintf(open+` ORDER BY %s LIMIT %d`, svSpendingKey, limit), []any{accountID, string(kind)}
		}
		expires := pgtype.Timestamptz{Time: last.ExpiresAt, Valid: true}
		if last.ExpiresAt.IsZero() {
			expires = pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true}
		}
		return fmt.Sprintf(open+` AND (%s) > ($3, $4, $5) ORDER BY %s LIMIT %d`, svSpendingKey, svSpendingKey, limit),
			[]any{accountID, string(kind), expires, last.CreatedAt, last.ID}
	}, scanSVPart)
}

func (s svStore) AllParts(ctx context.Context, accountID string) iter.Seq2[storedvalue.Part, error] {
	return stream(ctx, s.db, func(last *storedvalue.Part) (string, []any) {
		after := ""
		if last != nil {
			after = last.ID
		}
		return fmt.Sprintf(svPartSelect+` WHERE account_id = $1 AND part_id > $2 ORDER BY part_id LIMIT %d`, pageSize),
			[]any{accountID, after}
	}, scanSVPart)
}

func (s svStore) GetRecords(ctx context.Context, accountID string, kind storedvalue.RecordKind, keys []string) ([]storedvalue.Record, error) {
	if len(keys) == 0 {
		return nil, ctx.Err()
	}
	rows, err := s.db.pool.Query(ctx, `SELECT kind, key, data, due_at FROM sv_records WHERE account_id = $1 AND kind = $2 AND key = ANY($3)`,
		accountID, string(kind), keys)
	if err != nil {
		return nil, err
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (storedvalue.Record, error) {
		var r storedvalue.Record
		var k string
		var due *time.Time
		err := row.Scan(&k, &r.Key, &r.Data, &due)
		r.Kind = storedvalue.RecordKind(k)
		if due != nil {
			r.DueAt = due.UTC()
		}
		if r.Data == nil {
			r.Data = []byte{}
		}
		return r, err
	})
	if err != nil {
		return nil, err
	}
	out := byKeys(keys, found, func(r storedvalue.Record) string { return r.Key })
	for i := range out { // a repeated key must not share its data
		if i > 0 && out[i].Key == out[i-1].Key {
			out[i].Data = append([]byte(nil), out[i].Data...)
		}
	}
	return out, nil
}

func (s svStore) GetOperation(ctx context.Context, key string) (storedvalue.Operation, error) {
	op := storedvalue.Operation{Key: key}
	err := s.db.pool.QueryRow(ctx, `SELECT account_id, hash, result FROM sv_operations WHERE key = $1`, key).
		Scan(&op.AccountID, &op.Hash, &op.Result)
	if errors.Is(err, pgx.ErrNoRows) {
		return storedvalue.Operation{}, fmt.Errorf("operation %s: %w", key, storedvalue.ErrNotFound)
	}
	if op.Result == nil {
		op.Result = []byte{}
	}
	return op, err
}

func (s svStore) Entries(ctx context.Context, accountID string, afterSeq int64) iter.Seq2[storedvalue.Entry, error] {
	return stream(ctx, s.db, func(last *storedvalue.Entry) (string, []any) {
		after := afterSeq
		if last != nil {
			after = last.Seq
		}
		return fmt.Sprintf(`SELECT seq, kind, op, at, paid, bonus, held_paid, held_bonus, uses, corrects FROM sv_entries
			WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT %d`, pageSize), []any{accountID, after}
	}, func(row pgx.CollectableRow) (storedvalue.Entry, error) {
		var e storedvalue.Entry
		var kind string
		err := row.Scan(&e.Seq, &kind, &e.Op, &e.At, &e.Paid, &e.Bonus, &e.HeldPaid, &e.HeldBonus, &e.Uses, &e.Corrects)
		e.Kind, e.At = storedvalue.EntryKind(kind), e.At.UTC()
		return e, err
	})
}

func (s svStore) Accounts(ctx context.Context, after string) iter.Seq2[storedvalue.Account, error] {
	return stream(ctx, s.db, func(last *storedvalue.Account) (string, []any) {
		from := textBound(after)
		if last != nil {
			from = last.ID
		}
		return fmt.Sprintf(`SELECT `+svAccountColumns+` FROM sv_accounts WHERE account_id > $1 ORDER BY account_id LIMIT %d`, pageSize),
			[]any{from}
	}, func(row pgx.CollectableRow) (storedvalue.Account, error) { return scanSVAccount(row) })
}

// DueRecords pages through sv_records_due from the cursor, up to until.
func (s svStore) DueRecords(ctx context.Context, kind storedvalue.RecordKind, until time.Time, after storedvalue.DueRecord) iter.Seq2[storedvalue.DueRecord, error] {
	return stream(ctx, s.db, func(last *storedvalue.DueRecord) (string, []any) {
		from := after
		if last != nil {
			from = *last
		}
		return fmt.Sprintf(`SELECT due_at, account_id, key FROM sv_records
			WHERE kind = $1 AND due_at IS NOT NULL AND due_at <= $2 AND (due_at, account_id, key) > ($3, $4, $5)
			ORDER BY due_at, account_id, key LIMIT %d`, pageSize),
			[]any{string(kind), until.UTC(), from.At.UTC(), from.AccountID, from.Key}
	}, func(row pgx.CollectableRow) (storedvalue.DueRecord, error) {
		d := storedvalue.DueRecord{Kind: kind}
		err := row.Scan(&d.At, &d.AccountID, &d.Key)
		d.At = d.At.UTC()
		return d, err
	})
}
