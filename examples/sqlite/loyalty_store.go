package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// Loyalty returns the loyalty.Store kept in this database. An account is a
// small row (its version, the ledger header and the tier, activity and
// merge state) beside a row per lot and a row per keyed record, so every
// read and write of an operation costs the rows it touches, whatever the
// member's history. A Save is one write transaction.
func (db *DB) Loyalty() loyalty.Store { return loyaltyStore{db} }

type loyaltyStore struct{ db *DB }

var _ loyalty.ChangeFeed = loyaltyStore{}

// encodeAccount returns the header and state documents of a, in the
// binary form (migration 045).
func encodeAccount(a loyalty.Account) (header, state []byte, err error) {
	d, err := a.BinaryDocs()
	return d.Header, d.State, err
}

const accountColumns = `member_id, version, header, state`

// scanAccount restores an account header from its row.
func scanAccount(row interface{ Scan(...any) error }) (loyalty.Account, error) {
	var (
		id            string
		header, state []byte
		version       int64
	)
	if err := row.Scan(&id, &version, &header, &state); err != nil {
		return loyalty.Account{}, err
	}
	return loyalty.AccountFromDocs(id, version, loyalty.AccountDocs{Header: header, State: state})
}

func (s loyaltyStore) GetAccount(ctx context.Context, memberID string) (loyalty.Account, error) {
	a, err := scanAccount(s.db.rd.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM loyalty_accounts WHERE member_id = ?`, memberID))
	if errors.Is(err, sql.ErrNoRows) {
		return loyalty.Account{}, fmt.Errorf("account %s: %w", memberID, loyalty.ErrNotFound)
	}
	return a, err
}

// Save checks the version first, then the header and the operation key,
// and writes the account, the operation, the entries, the lots and the
// records, all in one BEGIN IMMEDIATE transaction: the writer holds the
// database's write lock from the check to the commit, so of concurrent
// saves naming one version exactly one passes the check. The version
// check is the header's write itself (an UPDATE of the version read, or
// an INSERT of version 1 that a stored row turns into nothing), and the
// operation key's check the operation's INSERT: a write that changed no
// row is the refusal, and the transaction rolls back whatever it wrote,
// so an earn runs two statements fewer than a check before each write.
func (s loyaltyStore) Save(ctx context.Context, w loyalty.Write) error {
	a := w.Account
	header, state, err := encodeAccount(a)
	if err != nil {
		return err
	}
	docs, err := entryDocs(a.MemberID, w.Entries)
	if err != nil {
		return err
	}
	// Built only on a refusal: formatting it costs two allocations.
	conflict := func() error {
		return fmt.Errorf("account %s: version %d is not the next: %w", a.MemberID, a.Version, loyalty.ErrConflict)
	}
	if a.Version < 1 {
		return conflict()
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		var res sql.Result
		if a.Version == 1 {
			res, err = tx.ExecContext(ctx, `INSERT INTO loyalty_accounts (member_id, version, header, state) VALUES (?, 1, ?, ?)
				ON CONFLICT (member_id) DO NOTHING`, a.MemberID, header, state)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE loyalty_accounts SET version = ?, header = ?, state = ?
				WHERE member_id = ? AND version = ?`, a.Version, header, state, a.MemberID, a.Version-1)
		}
		if written, err := changed(res, err); err != nil || !written {
			return cmp.Or(err, conflict())
		}
		h := a.Points.Header()
		if _, err := ledger.FromHeader(h); err != nil || h.ID != a.MemberID {
			return fmt.Errorf("account %s: the points header is not this account's or not valid: %w", a.MemberID, loyalty.ErrInvalid)
		}
		if op := w.Operation; op != nil {
			result := []byte(op.Result)
			if result == nil {
				result = []byte{}
			}
			written, err := changed(tx.ExecContext(ctx, `INSERT INTO loyalty_operations (key, member_id, hash, result) VALUES (?, ?, ?, ?)
				ON CONFLICT (key) DO NOTHING`, op.Key, op.MemberID, op.Hash, result))
			if err != nil {
				return err
			}
			if !written {
				return fmt.Errorf("operation %s: %w", op.Key, loyalty.ErrAlreadyExists)
			}
		}
		return errors.Join(
			saveEntries(ctx, tx, a.MemberID, w.Entries, docs),
			saveLots(ctx, tx, a.MemberID, w.Lots),
			saveRecords(ctx, tx, a.MemberID, w.Records),
			journal(ctx, tx, w))
	})
}

// journal writes the save's row of the change journal (migration 052).
func journal(ctx context.Context, tx *wtx, w loyalty.Write) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO loyalty_changes (member_id, version, change) VALUES (?, ?, ?)`,
		w.Account.MemberID, w.Account.Version, loyalty.EncodeChange(loyalty.ChangeOf(w)))
	return err
}

// changesQuery reads an account's header and its change journal after a
// version. It leaves the order to the caller: an ORDER BY over the
// compound would sort in a temporary B-tree.
const changesQuery = `SELECT 0, version, header, state FROM loyalty_accounts WHERE member_id = ?1
	UNION ALL SELECT 1, version, change, NULL FROM loyalty_changes WHERE member_id = ?1 AND version > ?2`

// Changes implements loyalty.ChangeFeed from the change journal: the
// header and the journal's rows after since, in one statement (one read
// snapshot), by the primary key's range: the rows after since, never the
// member's history. A lane's copy of an account starts its journal again
// at the copy's version (ReplaceMembers), so on a lane only the changes
// since the last refresh are kept.
func (s loyaltyStore) Changes(ctx context.Context, memberID string, since int64) (loyalty.Changes, error) {
	rows, err := s.db.rd.QueryContext(ctx, changesQuery, memberID, since)
	if err != nil {
		return loyalty.Changes{}, err
	}
	defer rows.Close()
	var acct *loyalty.Account
	var changes []loyalty.Change
	for rows.Next() {
		var part, version int64
		var a, b []byte
		if err := rows.Scan(&part, &version, &a, &b); err != nil {
			return loyalty.Changes{}, err
		}
		if part == 0 {
			got, err := loyalty.AccountFromDocs(memberID, version, loyalty.AccountDocs{Header: a, State: b})
			if err != nil {
				return loyalty.Changes{}, err
			}
			acct = &got
			continue
		}
		c, err := loyalty.DecodeChange(a)
		if err != nil {
			return loyalty.Changes{}, fmt.Errorf("account %s: change of version %d: %w", memberID, version, err)
		}
		changes = append(changes, c)
	}
	if err := rows.Err(); err != nil {
		return loyalty.Changes{}, err
	}
	if acct == nil {
		return loyalty.Changes{}, fmt.Errorf("account %s: %w", memberID, loyalty.ErrNotFound)
	}
	slices.SortFunc(changes, func(a, b loyalty.Change) int { return cmp.Compare(a.Version, b.Version) })
	return loyalty.SumChanges(since, acct.Version, acct.Points.Header().Seq, changes)
}

// changed reports whether the statement whose result res is wrote a row.
func changed(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// entryDocs encodes the entries a write keeps under member, in
// loyalty.EncodeEntry's binary form (some 120 bytes an earn's entry
// against 325–390 as JSON), before the write's transaction opens.
func entryDocs(member string, entries []ledger.Entry) ([][]byte, error) {
	docs := make([][]byte, len(entries))
	for i, e := range entries {
		var err error
		if docs[i], err = loyalty.EncodeEntry(e, member, e.Seq); err != nil {
			return nil, err
		}
	}
	return docs, nil
}

// saveEntries appends the entries; a sequence number already taken could
// only come from a write that skipped the version check.
func saveEntries(ctx context.Context, tx *wtx, memberID string, entries []ledger.Entry, docs [][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	const stmt = `INSERT INTO loyalty_entries (member_id, seq, doc) VALUES (?, ?, ?)`
	for i, e := range entries {
		_, err := tx.ExecContext(ctx, stmt, memberID, e.Seq, docs[i])
		if constraint(err) {
			return fmt.Errorf("account %s: entry sequence %d taken: %w", memberID, e.Seq, loyalty.ErrConflict)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// saveLots inserts the lots or replaces those with the same ID; of lots
// sharing an ID in one write the last stays.
func saveLots(ctx context.Context, tx *wtx, memberID string, lots []ledger.Lot) error {
	if len(lots) == 0 {
		return nil
	}
	const stmt = `INSERT INTO loyalty_lots (member_id, lot_id, earn_entry, origin, source,
		amount, remaining, held, earned_at, pending_until, released, expires_at, lapsed, lapsed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (member_id, lot_id) DO UPDATE SET earn_entry = excluded.earn_entry, origin = excluded.origin,
		source = excluded.source, amount = excluded.amount, remaining = excluded.remaining, held = excluded.held,
		earned_at = excluded.earned_at, pending_until = excluded.pending_until, released = excluded.released,
		expires_at = excluded.expires_at, lapsed = excluded.lapsed, lapsed_at = excluded.lapsed_at`
	for _, l := range lots {
		if _, err := tx.ExecContext(ctx, stmt, memberID, l.ID, l.EarnEntry, string(l.Origin), l.Source,
			l.Amount, l.Remaining, l.Held, micros(l.EarnedAt), micros(l.PendingUntil), l.Released, nullMicros(l.ExpiresAt),
			l.Lapsed, nullMicros(l.LapsedAt)); err != nil {
			return err
		}
	}
	return nil
}

// saveRecords inserts the records or replaces those with the same kind
// and key.
func saveRecords(ctx context.Context, tx *wtx, memberID string, recs []loyalty.Record) error {
	if len(recs) == 0 {
		return nil
	}
	const stmt = `INSERT INTO loyalty_records (member_id, kind, key, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (member_id, kind, key) DO UPDATE SET data = excluded.data`
	for _, r := range recs {
		data := r.Data
		if data == nil {
			data = []byte{}
		}
		if _, err := tx.ExecContext(ctx, stmt, memberID, string(r.Kind), r.Key, data); err != nil {
			return err
		}
	}
	return nil
}

// lotSelect lists a lot row's columns in the order scanLot reads them.
const lotSelect = `SELECT lot_id, earn_entry, origin, source, amount, remaining, held, earned_at, pending_until, released, expires_at, lapsed, lapsed_at FROM loyalty_lots`

func scanLot(rows *sql.Rows) (ledger.Lot, error) {
	var (
		l                    ledger.Lot
		origin               string
		earned, pendingUntil int64
		expires, lapsed      sql.NullInt64
	)
	err := rows.Scan(&l.ID, &l.EarnEntry, &origin, &l.Source, &l.Amount, &l.Remaining, &l.Held,
		&earned, &pendingUntil, &l.Released, &expires, &l.Lapsed, &lapsed)
	l.Origin = ledger.EntryKind(origin)
	l.EarnedAt, l.PendingUntil, l.ExpiresAt = fromMicros(earned), fromMicros(pendingUntil), fromNullMicros(expires)
	l.LapsedAt = fromNullMicros(lapsed)
	return l, err
}

// inList returns "?, ?, ..." for n values and the values as arguments
// after the given ones.
func inList(before []any, values []string) (string, []any) {
	args := append([]any(nil), before...)
	for _, v := range values {
		args = append(args, v)
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", "), args
}

// maxInList bounds the keys one IN list holds, well under SQLite's limit
// on bound parameters.
const maxInList = 500

// byKeys reads the rows of the given keys, maxInList at a time, and
// returns them in the order of keys, repeating a row whose key repeats
// and skipping keys with no row.
func byKeys[T any](ctx context.Context, db *DB, keys []string, query func(in string) string, before []any,
	scan scanner[T], key func(T) string, clone func(T) T) ([]T, error) {
	if len(keys) == 0 {
		return nil, ctx.Err()
	}
	byKey := make(map[string]T, len(keys))
	for start := 0; start < len(keys); start += maxInList {
		in, args := inList(before, keys[start:min(start+maxInList, len(keys))])
		found, err := collect(ctx, db.rd, query(in), args, scan)
		if err != nil {
			return nil, err
		}
		for _, v := range found {
			byKey[key(v)] = v
		}
	}
	var out []T
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		v, ok := byKey[k]
		if !ok {
			continue
		}
		if seen[k] {
			v = clone(v) // a repeated key must not share memory
		}
		seen[k] = true
		out = append(out, v)
	}
	return out, nil
}

func (s loyaltyStore) Lots(ctx context.Context, memberID string, ids []string) ([]ledger.Lot, error) {
	return byKeys(ctx, s.db, ids, func(in string) string {
		return lotSelect + ` WHERE member_id = ? AND lot_id IN (` + in + `)`
	}, []any{memberID}, scanLot, func(l ledger.Lot) string { return l.ID }, func(l ledger.Lot) ledger.Lot { return l })
}

// firstLotPage is the first page of SpendingLots and PendingLots: a
// redemption usually draws on the first lot or two, and every row read is
// scanned; one that draws on twenty still reads them in two pages (4,
// then 16).
const firstLotPage = 4

// spendingKey is the spending order the partial index
// loyalty_lots_spending holds: spend_by is expires_at with a lot that
// never expires as the largest integer, so it sorts last (migration 006).
const spendingKey = `spend_by, earned_at, lot_id`

func (s loyaltyStore) SpendingLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return pages(ctx, s.db, firstLotPage, func(last *ledger.Lot, limit int) (string, []any) {
		return lotSpendingPage(memberID, last, limit)
	}, scanLot)
}

// lotSpendingPage is the query of one page of SpendingLots after last
// (nil for the first page): a search of loyalty_lots_spending that starts
// after last's row value.
func lotSpendingPage(memberID string, last *ledger.Lot, limit int) (string, []any) {
	if last == nil {
		return fmt.Sprintf(lotSelect+` WHERE member_id = ? AND remaining > 0 ORDER BY %s LIMIT %d`, spendingKey, limit),
			[]any{memberID}
	}
	expires := int64(math.MaxInt64)
	if !last.ExpiresAt.IsZero() {
		expires = micros(last.ExpiresAt)
	}
	return fmt.Sprintf(lotSelect+` WHERE member_id = ? AND remaining > 0 AND (%s) > (?, ?, ?) ORDER BY %s LIMIT %d`,
		spendingKey, spendingKey, limit), []any{memberID, expires, micros(last.EarnedAt), last.ID}
}

func (s loyaltyStore) PendingLots(ctx context.Context, memberID string, through time.Time) iter.Seq2[ledger.Lot, error] {
	return pages(ctx, s.db, firstLotPage, func(last *ledger.Lot, limit int) (string, []any) {
		const open = lotSelect + ` WHERE member_id = ? AND remaining > 0 AND released = 0 AND pending_until <= ?`
		if last == nil {
			return fmt.Sprintf(open+` ORDER BY pending_until, lot_id LIMIT %d`, limit), []any{memberID, micros(through)}
		}
		return fmt.Sprintf(open+` AND (pending_until, lot_id) > (?, ?) ORDER BY pending_until, lot_id LIMIT %d`, limit),
			[]any{memberID, micros(through), micros(last.PendingUntil), last.ID}
	}, scanLot)
}

func (s loyaltyStore) AllLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return stream(ctx, s.db, func(last *ledger.Lot, limit int) (string, []any) {
		after := ""
		if last != nil {
			after = last.ID
		}
		return fmt.Sprintf(lotSelect+` WHERE member_id = ? AND lot_id > ? ORDER BY lot_id LIMIT %d`, limit),
			[]any{memberID, after}
	}, scanLot)
}

func scanRecord(rows *sql.Rows) (loyalty.Record, error) {
	var (
		r    loyalty.Record
		kind string
	)
	err := rows.Scan(&kind, &r.Key, &r.Data)
	r.Kind = loyalty.RecordKind(kind)
	if r.Data == nil {
		r.Data = []byte{}
	}
	return r, err
}

func (s loyaltyStore) GetRecords(ctx context.Context, memberID string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	return byKeys(ctx, s.db, keys, func(in string) string {
		return `SELECT kind, key, data FROM loyalty_records WHERE member_id = ? AND kind = ? AND key IN (` + in + `)`
	}, []any{memberID, string(kind)}, scanRecord, func(r loyalty.Record) string { return r.Key },
		func(r loyalty.Record) loyalty.Record {
			r.Data = append([]byte{}, r.Data...)
			return r
		})
}

func (s loyaltyStore) Records(ctx context.Context, memberID string, kind loyalty.RecordKind) iter.Seq2[loyalty.Record, error] {
	return stream(ctx, s.db, func(last *loyalty.Record, limit int) (string, []any) {
		after := ""
		if last != nil {
			after = last.Key
		}
		return fmt.Sprintf(`SELECT kind, key, data FROM loyalty_records WHERE member_id = ? AND kind = ? AND key > ? ORDER BY key LIMIT %d`, limit),
			[]any{memberID, string(kind), after}
	}, scanRecord)
}

func (s loyaltyStore) GetOperation(ctx context.Context, key string) (loyalty.Operation, error) {
	op := loyalty.Operation{Key: key}
	var result []byte
	err := s.db.rd.QueryRowContext(ctx, `SELECT member_id, hash, result FROM loyalty_operations WHERE key = ?`, key).
		Scan(&op.MemberID, &op.Hash, &result)
	if errors.Is(err, sql.ErrNoRows) {
		return loyalty.Operation{}, fmt.Errorf("operation %s: %w", key, loyalty.ErrNotFound)
	}
	if err != nil {
		return loyalty.Operation{}, err
	}
	if result == nil {
		result = []byte{}
	}
	op.Result = result
	return op, nil
}

func (s loyaltyStore) Entries(ctx context.Context, memberID string, afterSeq int64) iter.Seq2[ledger.Entry, error] {
	type seqEntry struct {
		seq int64
		e   ledger.Entry
	}
	rows := stream(ctx, s.db, func(last *seqEntry, limit int) (string, []any) {
		after := afterSeq
		if last != nil {
			after = last.seq
		}
		return fmt.Sprintf(`SELECT seq, doc FROM loyalty_entries WHERE member_id = ? AND seq > ? ORDER BY seq LIMIT %d`, limit),
			[]any{memberID, after}
	}, func(rows *sql.Rows) (seqEntry, error) {
		var se seqEntry
		var doc []byte
		if err := rows.Scan(&se.seq, &doc); err != nil {
			return se, err
		}
		var err error
		se.e, err = loyalty.DecodeEntry(doc, memberID, se.seq)
		return se, err
	})
	return func(yield func(ledger.Entry, error) bool) {
		for se, err := range rows {
			if !yield(se.e, err) || err != nil {
				return
			}
		}
	}
}

func (s loyaltyStore) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return stream(ctx, s.db, func(last *loyalty.Account, limit int) (string, []any) {
		from := after
		if last != nil {
			from = last.MemberID
		}
		return fmt.Sprintf(`SELECT `+accountColumns+` FROM loyalty_accounts WHERE member_id > ? ORDER BY member_id LIMIT %d`, limit),
			[]any{from}
	}, func(rows *sql.Rows) (loyalty.Account, error) { return scanAccount(rows) })
}

// prefetchHead reads an operation by key and an account header; with
// prefetchRecords after it, the account's records of one kind by key, in
// one statement: a statement is one read transaction, so all are read at
// one instant, and an earn's first reads cost one statement instead of
// three.
const prefetchHead = `SELECT 'o', member_id, hash, result, NULL FROM loyalty_operations WHERE key = ?1
	UNION ALL SELECT 'a', member_id, version, header, state FROM loyalty_accounts WHERE member_id = ?2`

// prefetchRecords is the records' part of the prefetch; ?3 is the kind
// and the keys follow, each its own parameter up to prefetchInline keys
// (an earn names one), else one JSON array read through json_each, which
// parses the array and builds a temporary B-tree of its values on every
// run.
const prefetchRecords = `
	UNION ALL SELECT 'r', key, NULL, data, NULL FROM loyalty_records WHERE member_id = ?2 AND kind = ?3 AND key IN (`

// prefetchInline bounds the keys a prefetch binds one by one.
const prefetchInline = 8

// prefetchQueries holds the prefetch's statement texts by number of
// keys, up to prefetchInline; prefetchQueries[0] reads no records.
var prefetchQueries = func() (q [prefetchInline + 1]string) {
	q[0] = prefetchHead
	for n := 1; n <= prefetchInline; n++ {
		params := make([]string, n)
		for i := range params {
			params[i] = fmt.Sprintf("?%d", 4+i)
		}
		q[n] = prefetchHead + prefetchRecords + strings.Join(params, ", ") + `)`
	}
	return q
}()

// prefetchStatement returns the prefetch's statement and arguments for
// the request.
func prefetchStatement(q loyalty.Prefetch) (string, []any, error) {
	args := make([]any, 3, 3+len(q.Keys))
	args[0], args[1], args[2] = q.OperationKey, q.MemberID, string(q.Kind)
	if len(q.Keys) <= prefetchInline {
		for _, k := range q.Keys {
			args = append(args, k)
		}
		return prefetchQueries[len(q.Keys)], args, nil
	}
	keys, err := json.Marshal(q.Keys)
	if err != nil {
		return "", nil, err
	}
	return prefetchHead + prefetchRecords + `SELECT value FROM json_each(?4))`, append(args, string(keys)), nil
}

// Prefetch implements loyalty.Prefetcher: the service's first reads of a
// write (its replay record, the header, the records it names) in one
// statement.
func (s loyaltyStore) Prefetch(ctx context.Context, q loyalty.Prefetch) (loyalty.Prefetched, error) {
	query, args, err := prefetchStatement(q)
	if err != nil {
		return loyalty.Prefetched{}, err
	}
	var (
		out           loyalty.Prefetched
		found         = map[string][]byte{}
		accountID     string
		version       int64
		header, state []byte
		haveAccount   bool
	)
	// The account's documents are decoded after the statement, so the
	// writer (which the read may be running on) is not held meanwhile.
	err = s.db.read(ctx, query, args, func(rows *sql.Rows) error {
		for rows.Next() {
			var (
				src, id string
				b, c, d any
			)
			if err := rows.Scan(&src, &id, &b, &c, &d); err != nil {
				return err
			}
			switch src {
			case "o":
				hash, _ := b.(string)
				out.Operation = &loyalty.Operation{Key: q.OperationKey, MemberID: id, Hash: hash, Result: bytesOf(c)}
			case "a":
				accountID, haveAccount = id, true
				version, _ = b.(int64)
				header, state = bytesOf(c), bytesOf(d)
			case "r":
				found[id] = bytesOf(c)
			}
		}
		return nil
	})
	if err != nil {
		return loyalty.Prefetched{}, err
	}
	if !haveAccount {
		return out, nil
	}
	acct, err := loyalty.AccountFromDocs(accountID, version, loyalty.AccountDocs{Header: header, State: state})
	if err != nil {
		return loyalty.Prefetched{}, err
	}
	out.Account = &acct
	for _, k := range q.Keys {
		if data, ok := found[k]; ok {
			out.Records = append(out.Records, loyalty.Record{Kind: q.Kind, Key: k, Data: append([]byte{}, data...)})
		}
	}
	return out, nil
}

// bytesOf returns a BLOB column's bytes, empty (not nil) for an empty one.
// A []byte scanned into an *any is already the caller's own copy
// (database/sql's documented rule for Scan), so it is not copied again.
func bytesOf(v any) []byte {
	switch b := v.(type) {
	case []byte:
		if b == nil {
			return []byte{}
		}
		return b
	case string:
		return []byte(b)
	}
	return []byte{}
}
