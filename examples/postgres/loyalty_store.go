package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Loyalty returns the loyalty.Store kept in this database. An account is a
// small row (its version, the ledger header and the tier, activity and
// merge state) beside a row per lot and a row per keyed record, so every
// read and write of an operation costs the rows it touches, whatever the
// member's history. A Save is one statement, so one round trip and one
// short implicit transaction: the account's compare-and-set, the
// operation's unique key, the lots' and records' upserts and the entries.
func (db *DB) Loyalty() loyalty.Store { return loyaltyStore{db: db} }

// JournaledLoyalty returns the loyalty.Store of Loyalty that also keeps
// the change journal (migration 032: one row a save, written by the save's
// statement) and is a loyalty.ChangeFeed, so that a lane refreshes a
// member's account by what changed since its last copy instead of the
// member's whole history (loyalty_changes.go). Use it for a central
// database that lanes copy accounts from. It is not the default because
// the journal's row costs every earn: at 8 concurrent lanes on the 2-core
// test machine, 7–17% of the earns a second (BENCHMARKS.md, tenth
// session), for a benefit only lanes have. Saves through Loyalty leave no
// row; the journal then has a gap, which Changes reports as
// loyalty.ErrChangesGone (the lane copies the account whole), never as
// fewer changes.
func (db *DB) JournaledLoyalty() loyalty.Store {
	return journaledStore{loyaltyStore{db: db, journal: true}}
}

type loyaltyStore struct {
	db      *DB
	journal bool // write a change journal row with every save
}

// journaledStore is a loyaltyStore that journals its saves and answers
// Changes from the journal.
type journaledStore struct{ loyaltyStore }

var _ loyalty.ChangeFeed = journaledStore{}

// encodeAccount returns the header and state documents of a, in their
// binary form (rows written before migration 031 hold JSON, which
// decodeAccount reads too).
func encodeAccount(a loyalty.Account) (header, state []byte, err error) {
	d, err := a.BinaryDocs()
	return d.Header, d.State, err
}

// decodeAccount restores an account header from its row.
func decodeAccount(memberID string, version int64, header, state []byte) (loyalty.Account, error) {
	return loyalty.AccountFromDocs(memberID, version, loyalty.AccountDocs{Header: header, State: state})
}

const accountColumns = `member_id, version, header, state`

func scanAccount(row pgx.Row) (loyalty.Account, error) {
	var (
		id            string
		version       int64
		header, state []byte
	)
	if err := row.Scan(&id, &version, &header, &state); err != nil {
		return loyalty.Account{}, err
	}
	return decodeAccount(id, version, header, state)
}

func (s loyaltyStore) GetAccount(ctx context.Context, memberID string) (loyalty.Account, error) {
	row := s.db.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM loyalty_accounts WHERE member_id = $1`, memberID)
	a, err := scanAccount(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return loyalty.Account{}, fmt.Errorf("account %s: %w", memberID, loyalty.ErrNotFound)
	}
	return a, err
}

// Save is a single statement: the account's compare-and-set, then the
// change journal's row (Changes), the operation record, the lots' and
// records' upserts and the entries, each written once for every account
// row the first step wrote. A stale version
// writes no account row, so nothing else is written either and the
// statement reports no row; a reused operation key (or, for version 1, an
// existing account) breaks a unique key and the whole statement rolls
// back. Several lots, records or entries travel as arrays the statement
// unnests, so a Save is one round trip however much it writes; a single
// one as plain parameters (saveShape). Lots and records taken to be new
// are plain inserts; if one's key is taken after all, the statement has
// rolled back and runs again with the upserts (a second round trip, only
// then).
func (s loyaltyStore) Save(ctx context.Context, w loyalty.Write) error {
	a := w.Account
	if a.Version < 1 {
		return fmt.Errorf("account %s: version %d: %w", a.MemberID, a.Version, loyalty.ErrConflict)
	}
	h := a.Points.Header()
	if _, err := ledger.FromHeader(h); err != nil || h.ID != a.MemberID {
		// The contract checks the version first: a header built on reads
		// across another write is refused as the conflict it is.
		if cur, gerr := s.GetAccount(ctx, a.MemberID); (gerr == nil && cur.Version != a.Version-1) ||
			(errors.Is(gerr, loyalty.ErrNotFound) && a.Version != 1) {
			return fmt.Errorf("account %s: %w", a.MemberID, loyalty.ErrConflict)
		}
		return fmt.Errorf("account %s: the points header is not this account's or not valid: %w", a.MemberID, loyalty.ErrInvalid)
	}
	header, state, err := encodeAccount(a)
	if err != nil {
		return err
	}
	seqs, docs, err := encodeEntries(a.MemberID, w.Entries)
	if err != nil {
		return err
	}
	var op loyalty.Operation
	if w.Operation != nil {
		op = *w.Operation
	}
	result := []byte(op.Result)
	if result == nil {
		result = []byte{}
	}
	// A single lot or record is one row as it is; several are columns,
	// the last of those sharing a key alone.
	var (
		lots              lotArrays
		kinds, keys       []string
		data              [][]byte
		nLots, nRecords   = len(w.Lots), len(w.Records)
		lotRow, recordRow func() []any
	)
	if nLots == 1 {
		lotRow = func() []any { return lotParams(&w.Lots[0]) }
	} else if nLots > 1 {
		lots = lotColumns(w.Lots)
		nLots, lotRow = len(lots.ids), func() []any { return lots.lotRow(0) }
	}
	if nRecords == 1 {
		r := w.Records[0]
		recordRow = func() []any { return []any{string(r.Kind), r.Key, nonNil(r.Data)} }
	} else if nRecords > 1 {
		kinds, keys, data = recordColumns(w.Records)
		nRecords, recordRow = len(keys), func() []any { return []any{kinds[0], keys[0], data[0]} }
	}
	shape := saveShape{insert: a.Version == 1, op: w.Operation != nil, journal: s.journal, newLots: lotsAreNew(w.Lots, w.Entries),
		newRecs: recordsAreNew(w.Records),
		entries: countOf(len(seqs)), lots: countOf(nLots), recs: countOf(nRecords)}
	args := make([]any, 0, 32)
	args = append(args, a.MemberID, a.Version, header, state)
	if shape.journal {
		args = append(args, loyalty.EncodeChange(loyalty.ChangeOf(w)))
	}
	if shape.op {
		args = append(args, op.Key, op.MemberID, op.Hash, result)
	}
	args = saveArgs(args, shape.entries, func() []any { return []any{seqs[0], docs[0]} }, func() []any { return []any{seqs, docs} })
	args = saveArgs(args, shape.lots, lotRow, func() []any { return lots.columnArgs() })
	args = saveArgs(args, shape.recs, recordRow, func() []any { return []any{kinds, keys, data} })
	written := true
	err = s.db.retry(ctx, func() error {
		found, err := s.db.queryRow(ctx, shape.statement(), args, nil, nil)
		for {
			// A lot or record taken to be new is stored already: the
			// statement wrote nothing, and the upsert replaces the row,
			// as the contract says.
			if shape.newLots && uniqueViolation(err, "loyalty_lots_pkey") {
				shape.newLots = false
			} else if shape.newRecs && uniqueViolation(err, "loyalty_records_pkey") {
				shape.newRecs = false
			} else {
				break
			}
			found, err = s.db.queryRow(ctx, shape.statement(), args, nil, nil)
		}
		written = found
		return err
	})
	switch {
	case uniqueViolation(err, "loyalty_accounts_pkey"):
		return fmt.Errorf("account %s: exists: %w", a.MemberID, loyalty.ErrConflict)
	case uniqueViolation(err, "loyalty_operations_pkey"):
		return fmt.Errorf("operation %s: %w", op.Key, loyalty.ErrAlreadyExists)
	case uniqueViolation(err, "loyalty_entries_pkey"), uniqueViolation(err, "loyalty_changes_pkey"):
		// Only a write that skipped the version check could get here.
		return fmt.Errorf("account %s: entry sequence taken: %w", a.MemberID, loyalty.ErrConflict)
	case err != nil:
		return err
	case !written:
		return fmt.Errorf("account %s: version %d is not the next: %w", a.MemberID, a.Version, loyalty.ErrConflict)
	}
	return nil
}

// lotArrays are a write's lots as the columns Save unnests. Zero times
// travel as Go's zero time; the statement stores a zero expiry as NULL.
type lotArrays struct {
	ids, earnEntries, origins, sources []string
	amounts, remaining, held, lapsed   []int64
	earnedAt, pendingUntil, expiresAt  []time.Time
	lapsedAt                           []time.Time
	released                           []bool
}

// lotColumns returns the lots as columns, the last of lots sharing an ID
// alone (one statement cannot upsert a row twice).
func lotColumns(lots []ledger.Lot) lotArrays {
	var c lotArrays
	seen := make(map[string]int, len(lots))
	for _, l := range lots {
		i, dup := seen[l.ID]
		if !dup {
			i = len(c.ids)
			seen[l.ID] = i
			c.ids = append(c.ids, l.ID)
			c.earnEntries, c.origins, c.sources = append(c.earnEntries, ""), append(c.origins, ""), append(c.sources, "")
			c.amounts, c.remaining, c.held, c.lapsed = append(c.amounts, 0), append(c.remaining, 0), append(c.held, 0), append(c.lapsed, 0)
			c.lapsedAt = append(c.lapsedAt, time.Time{})
			c.earnedAt, c.pendingUntil, c.expiresAt = append(c.earnedAt, time.Time{}), append(c.pendingUntil, time.Time{}), append(c.expiresAt, time.Time{})
			c.released = append(c.released, false)
		}
		c.earnEntries[i], c.origins[i], c.sources[i] = l.EarnEntry, string(l.Origin), l.Source
		c.amounts[i], c.remaining[i], c.held[i] = l.Amount, l.Remaining, l.Held
		c.earnedAt[i], c.pendingUntil[i], c.expiresAt[i] = l.EarnedAt.UTC(), l.PendingUntil.UTC(), l.ExpiresAt.UTC()
		c.released[i] = l.Released
		c.lapsed[i], c.lapsedAt[i] = l.Lapsed, l.LapsedAt.UTC()
	}
	return c
}

// recordColumns returns the records as columns, the last of records
// sharing a kind and key alone.
func recordColumns(recs []loyalty.Record) (kinds, keys []string, data [][]byte) {
	type key struct {
		kind loyalty.RecordKind
		key  string
	}
	seen := make(map[key]int, len(recs))
	for _, r := range recs {
		if i, dup := seen[key{r.Kind, r.Key}]; dup {
			data[i] = nonNil(r.Data)
			continue
		}
		seen[key{r.Kind, r.Key}] = len(keys)
		kinds, keys, data = append(kinds, string(r.Kind)), append(keys, r.Key), append(data, nonNil(r.Data))
	}
	return kinds, keys, data
}

// nonNil returns b, or an empty slice for nil: a record's data is never
// NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// retry runs a single statement again after a serialization failure,
// which distributed databases under SERIALIZABLE isolation may raise even
// for one statement.
func (db *DB) retry(ctx context.Context, f func() error) error {
	var err error
	for attempt := range maxAttempts {
		if err = f(); !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1<<attempt) * time.Millisecond):
		}
	}
	return err
}

// encodeEntries returns the sequence numbers and documents of the entries
// a write keeps under member, in loyalty.EncodeEntry's binary form.
func encodeEntries(member string, entries []ledger.Entry) ([]int64, [][]byte, error) {
	seqs, docs := make([]int64, len(entries)), make([][]byte, len(entries))
	for i, e := range entries {
		doc, err := loyalty.EncodeEntry(e, member, e.Seq)
		if err != nil {
			return nil, nil, err
		}
		seqs[i], docs[i] = e.Seq, doc
	}
	return seqs, docs, nil
}

// lotSelect lists a lot row's columns in the order scanLot reads them.
const lotSelect = `SELECT lot_id, earn_entry, origin, source, amount, remaining, held, earned_at, pending_until, released, expires_at, lapsed, lapsed_at FROM loyalty_lots`

func scanLot(row pgx.CollectableRow) (ledger.Lot, error) {
	var (
		l               ledger.Lot
		origin          string
		expires, lapsed *time.Time
	)
	err := row.Scan(&l.ID, &l.EarnEntry, &origin, &l.Source, &l.Amount, &l.Remaining, &l.Held,
		&l.EarnedAt, &l.PendingUntil, &l.Released, &expires, &l.Lapsed, &lapsed)
	l.Origin = ledger.EntryKind(origin)
	l.EarnedAt, l.PendingUntil = l.EarnedAt.UTC(), l.PendingUntil.UTC()
	if expires != nil {
		l.ExpiresAt = expires.UTC()
	}
	if lapsed != nil {
		l.LapsedAt = lapsed.UTC()
	}
	return l, err
}

func (s loyaltyStore) Lots(ctx context.Context, memberID string, ids []string) ([]ledger.Lot, error) {
	if len(ids) == 0 {
		return nil, ctx.Err()
	}
	rows, err := s.db.pool.Query(ctx, lotSelect+` WHERE member_id = $1 AND lot_id = ANY($2)`, memberID, ids)
	if err != nil {
		return nil, err
	}
	found, err := pgx.CollectRows(rows, scanLot)
	if err != nil {
		return nil, err
	}
	return byKeys(ids, found, func(l ledger.Lot) string { return l.ID }), nil
}

// byKeys returns found in the order of keys, repeating a row whose key
// repeats and skipping keys with no row.
func byKeys[T any](keys []string, found []T, key func(T) string) []T {
	byKey := make(map[string]T, len(found))
	for _, v := range found {
		byKey[key(v)] = v
	}
	var out []T
	for _, k := range keys {
		if v, ok := byKey[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

// firstLotPage is the first page of SpendingLots and PendingLots (and of
// stored value's parts): a redemption usually draws on the first lot or
// two, and every row read is scanned (a dozen allocations a lot); one
// that draws on twenty still reads them in two pages (4, then 16).
const firstLotPage = 4

// spendingKey is the spending-order expression the partial index
// loyalty_lots_spending holds.
const spendingKey = `COALESCE(expires_at, 'infinity'::timestamptz), earned_at, lot_id`

func (s loyaltyStore) SpendingLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return pages(ctx, s.db, firstLotPage, func(last *ledger.Lot, limit int) (string, []any) {
		if last == nil {
			return fmt.Sprintf(lotSelect+` WHERE member_id = $1 AND remaining > 0 ORDER BY %s LIMIT %d`, spendingKey, limit),
				[]any{memberID}
		}
		expires := pgtype.Timestamptz{Time: last.ExpiresAt, Valid: true}
		if last.ExpiresAt.IsZero() {
			expires = pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true}
		}
		return fmt.Sprintf(lotSelect+` WHERE member_id = $1 AND remaining > 0 AND (%s) > ($2, $3, $4) ORDER BY %s LIMIT %d`,
			spendingKey, spendingKey, limit), []any{memberID, expires, last.EarnedAt, last.ID}
	}, scanLot)
}

func (s loyaltyStore) PendingLots(ctx context.Context, memberID string, through time.Time) iter.Seq2[ledger.Lot, error] {
	return pages(ctx, s.db, firstLotPage, func(last *ledger.Lot, limit int) (string, []any) {
		const open = lotSelect + ` WHERE member_id = $1 AND remaining > 0 AND NOT released AND pending_until <= $2`
		if last == nil {
			return fmt.Sprintf(open+` ORDER BY pending_until, lot_id LIMIT %d`, limit), []any{memberID, through}
		}
		return fmt.Sprintf(open+` AND (pending_until, lot_id) > ($3, $4) ORDER BY pending_until, lot_id LIMIT %d`, limit),
			[]any{memberID, through, last.PendingUntil, last.ID}
	}, scanLot)
}

func (s loyaltyStore) AllLots(ctx context.Context, memberID string) iter.Seq2[ledger.Lot, error] {
	return stream(ctx, s.db, func(last *ledger.Lot) (string, []any) {
		after := ""
		if last != nil {
			after = last.ID
		}
		return fmt.Sprintf(lotSelect+` WHERE member_id = $1 AND lot_id > $2 ORDER BY lot_id LIMIT %d`, pageSize),
			[]any{memberID, after}
	}, scanLot)
}

func (s loyaltyStore) GetRecords(ctx context.Context, memberID string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	if len(keys) == 0 {
		return nil, ctx.Err()
	}
	rows, err := s.db.pool.Query(ctx, `SELECT kind, key, data FROM loyalty_records WHERE member_id = $1 AND kind = $2 AND key = ANY($3)`,
		memberID, string(kind), keys)
	if err != nil {
		return nil, err
	}
	found, err := pgx.CollectRows(rows, scanRecord)
	if err != nil {
		return nil, err
	}
	out := byKeys(keys, found, func(r loyalty.Record) string { return r.Key })
	for i := range out { // a repeated key must not share its data
		if i > 0 && out[i].Key == out[i-1].Key {
			out[i].Data = append([]byte(nil), out[i].Data...)
		}
	}
	return out, nil
}

func scanRecord(row pgx.CollectableRow) (loyalty.Record, error) {
	var (
		r    loyalty.Record
		kind string
	)
	err := row.Scan(&kind, &r.Key, &r.Data)
	r.Kind = loyalty.RecordKind(kind)
	if r.Data == nil {
		r.Data = []byte{}
	}
	return r, err
}

func (s loyaltyStore) Records(ctx context.Context, memberID string, kind loyalty.RecordKind) iter.Seq2[loyalty.Record, error] {
	return stream(ctx, s.db, func(last *loyalty.Record) (string, []any) {
		after := ""
		if last != nil {
			after = last.Key
		}
		return fmt.Sprintf(`SELECT kind, key, data FROM loyalty_records WHERE member_id = $1 AND kind = $2 AND key > $3 ORDER BY key LIMIT %d`, pageSize),
			[]any{memberID, string(kind), after}
	}, scanRecord)
}

func (s loyaltyStore) GetOperation(ctx context.Context, key string) (loyalty.Operation, error) {
	op := loyalty.Operation{Key: key}
	var result []byte
	err := s.db.pool.QueryRow(ctx, `SELECT member_id, hash, result FROM loyalty_operations WHERE key = $1`, key).
		Scan(&op.MemberID, &op.Hash, &result)
	if errors.Is(err, pgx.ErrNoRows) {
		return loyalty.Operation{}, fmt.Errorf("operation %s: %w", key, loyalty.ErrNotFound)
	}
	op.Result = result
	return op, err
}

func (s loyaltyStore) Entries(ctx context.Context, memberID string, afterSeq int64) iter.Seq2[ledger.Entry, error] {
	return stream(ctx, s.db, func(last *ledger.Entry) (string, []any) {
		after := afterSeq
		if last != nil {
			after = last.Seq
		}
		return fmt.Sprintf(`SELECT seq, doc FROM loyalty_entries WHERE member_id = $1 AND seq > $2 ORDER BY seq LIMIT %d`, pageSize),
			[]any{memberID, after}
	}, func(row pgx.CollectableRow) (ledger.Entry, error) {
		var seq int64
		var doc []byte
		if err := row.Scan(&seq, &doc); err != nil {
			return ledger.Entry{}, err
		}
		return loyalty.DecodeEntry(doc, memberID, seq)
	})
}

func (s loyaltyStore) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return stream(ctx, s.db, func(last *loyalty.Account) (string, []any) {
		from := textBound(after)
		if last != nil {
			from = last.MemberID
		}
		return fmt.Sprintf(`SELECT `+accountColumns+` FROM loyalty_accounts WHERE member_id > $1 ORDER BY member_id LIMIT %d`, pageSize),
			[]any{from}
	}, func(row pgx.CollectableRow) (loyalty.Account, error) { return scanAccount(row) })
}

// textBound returns the lower bound to page from, for an exclusive bound
// that PostgreSQL text cannot hold: text has no NUL byte, and for IDs
// without one, "greater than p + NUL + anything" is "greater than p".
func textBound(after string) string {
	if i := strings.IndexByte(after, 0); i >= 0 {
		return after[:i]
	}
	return after
}

// prefetchQuery reads an operation record, an account row and the
// account's records by key in one statement (loyalty.Prefetcher): one
// snapshot, one round trip. The records' keys and data are aggregated
// from one scan, so the two arrays line up. prefetchNoRecords is the
// same without the records, for a request that needs none.
const (
	prefetchQuery = `SELECT o.member_id, o.hash, o.result, a.version, a.header, a.state, r.keys, r.data
FROM (SELECT 1) AS one
LEFT JOIN loyalty_operations o ON o.key = $1
LEFT JOIN loyalty_accounts a ON a.member_id = $2
CROSS JOIN (SELECT array_agg(key) AS keys, array_agg(data) AS data FROM loyalty_records
	WHERE member_id = $2 AND kind = $3 AND key = ANY($4)) AS r`
	prefetchNoRecords = `SELECT o.member_id, o.hash, o.result, a.version, a.header, a.state
FROM (SELECT 1) AS one
LEFT JOIN loyalty_operations o ON o.key = $1
LEFT JOIN loyalty_accounts a ON a.member_id = $2`
)

// Prefetch implements loyalty.Prefetcher: the service's first reads of a
// write in one round trip instead of three.
func (s loyaltyStore) Prefetch(ctx context.Context, q loyalty.Prefetch) (loyalty.Prefetched, error) {
	var (
		opMember, opHash *string
		opResult         []byte
		version          *int64
		header, state    []byte
		keys             []string
		data             [][]byte
	)
	if k, ok := earnPrefetch(q); ok {
		if e := s.db.reads.take(k); e != nil {
			if err := ctx.Err(); err != nil {
				return loyalty.Prefetched{}, err
			}
			if e.hasRecord {
				keys, data = q.Keys, [][]byte{e.record}
			}
			return prefetched(q, e.opMember, e.opHash, e.opResult, e.version, e.header, e.state, keys, data)
		}
	}
	var err error
	if len(q.Keys) == 0 {
		err = s.db.pool.QueryRow(ctx, prefetchNoRecords, q.OperationKey, q.MemberID).
			Scan(&opMember, &opHash, &opResult, &version, &header, &state)
	} else {
		err = s.db.pool.QueryRow(ctx, prefetchQuery, q.OperationKey, q.MemberID, string(q.Kind), q.Keys).
			Scan(&opMember, &opHash, &opResult, &version, &header, &state, &keys, &data)
	}
	if err != nil {
		return loyalty.Prefetched{}, err
	}
	return prefetched(q, opMember, opHash, opResult, version, header, state, keys, data)
}

// prefetched returns what Prefetch read, from its columns: the operation
// record's (nil if none), the account row's (nil version if none), and
// the records found, by key.
func prefetched(q loyalty.Prefetch, opMember, opHash *string, opResult []byte, version *int64, header, state []byte,
	keys []string, data [][]byte) (loyalty.Prefetched, error) {
	var out loyalty.Prefetched
	if opMember != nil {
		out.Operation = &loyalty.Operation{Key: q.OperationKey, MemberID: *opMember, Hash: *opHash, Result: opResult}
	}
	if version == nil {
		return out, nil
	}
	acct, err := decodeAccount(q.MemberID, *version, header, state)
	if err != nil {
		return loyalty.Prefetched{}, err
	}
	out.Account = &acct
	found := make([]loyalty.Record, len(keys))
	for i, k := range keys {
		found[i] = loyalty.Record{Kind: q.Kind, Key: k, Data: nonNil(data[i])}
	}
	out.Records = byKeys(q.Keys, found, func(r loyalty.Record) string { return r.Key })
	for i := range out.Records { // a repeated key must not share its data
		if i > 0 && out.Records[i].Key == out.Records[i-1].Key {
			out.Records[i].Data = append([]byte(nil), out.Records[i].Data...)
		}
	}
	return out, nil
}
