package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/jackc/pgx/v5"
)

// Loyalty returns the loyalty.Store kept in this database. A Save is one
// short transaction: a compare-and-set on the account row, the operation's
// unique key and the entries, so it needs no locks beyond the rows it
// writes.
func (db *DB) Loyalty() loyalty.Store { return loyaltyStore{db} }

type loyaltyStore struct{ db *DB }

// accountState is the part of loyalty.Account beside the ledger, as the
// state column keeps it.
type accountState struct {
	Tier        loyalty.TierState                `json:"tier"`
	Activity    []loyalty.QualifyingEvent        `json:"activity,omitempty"`
	Purchases   int64                            `json:"purchases,omitempty"`
	Returned    map[string][]customer.ReturnLine `json:"returned,omitempty"`
	PaidWith    map[string]string                `json:"paidWith,omitempty"`
	Coupons     []loyalty.Coupon                 `json:"coupons,omitempty"`
	MergedInto  string                           `json:"mergedInto,omitempty"`
	MergingInto string                           `json:"mergingInto,omitempty"`
	MergingAt   time.Time                        `json:"mergingAt,omitzero"`
}

// encodeAccount returns the state and points documents of a.
func encodeAccount(a loyalty.Account) (state, points []byte, err error) {
	state, err = json.Marshal(accountState{
		Tier: a.Tier, Activity: a.Activity, Purchases: a.Purchases, Returned: a.Returned,
		PaidWith: a.PaidWith, Coupons: a.Coupons, MergedInto: a.MergedInto,
		MergingInto: a.MergingInto, MergingAt: a.MergingAt,
	})
	if err != nil {
		return nil, nil, err
	}
	points, err = json.Marshal(a.Points.Snapshot())
	return state, points, err
}

// decodeAccount restores an account from its row. A snapshot without an
// ID is the zero ledger account, which Snapshot produces and FromSnapshot
// (rightly) refuses.
func decodeAccount(memberID string, version int64, state, points []byte) (loyalty.Account, error) {
	a := loyalty.Account{MemberID: memberID, Version: version}
	var st accountState
	if err := json.Unmarshal(state, &st); err != nil {
		return a, fmt.Errorf("account %s: state: %w", memberID, err)
	}
	var snap ledger.Snapshot
	if err := json.Unmarshal(points, &snap); err != nil {
		return a, fmt.Errorf("account %s: points: %w", memberID, err)
	}
	if snap.ID != "" {
		p, err := ledger.FromSnapshot(snap)
		if err != nil {
			return a, fmt.Errorf("account %s: points: %w", memberID, err)
		}
		a.Points = p
	}
	a.Tier, a.Activity, a.Purchases, a.Returned = st.Tier, st.Activity, st.Purchases, st.Returned
	a.PaidWith, a.Coupons, a.MergedInto = st.PaidWith, st.Coupons, st.MergedInto
	a.MergingInto, a.MergingAt = st.MergingInto, st.MergingAt
	return a, nil
}

func (s loyaltyStore) GetAccount(ctx context.Context, memberID string) (loyalty.Account, error) {
	row := s.db.pool.QueryRow(ctx, `SELECT member_id, version, state, points FROM loyalty_accounts WHERE member_id = $1`, memberID)
	a, err := scanAccount(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return loyalty.Account{}, fmt.Errorf("account %s: %w", memberID, loyalty.ErrNotFound)
	}
	return a, err
}

func scanAccount(row pgx.Row) (loyalty.Account, error) {
	var (
		id            string
		version       int64
		state, points []byte
	)
	if err := row.Scan(&id, &version, &state, &points); err != nil {
		return loyalty.Account{}, err
	}
	return decodeAccount(id, version, state, points)
}

// Save is a single statement, so one round trip and one implicit
// transaction: the account's compare-and-set, then the operation record
// and the entries, each inserted once for every account row the first
// step wrote. A stale version writes no account row, so nothing else is
// inserted either and the statement reports no row; a reused operation
// key (or, for version 1, an existing account) breaks a unique key and the
// whole statement rolls back.
func (s loyaltyStore) Save(ctx context.Context, w loyalty.Write) error {
	a := w.Account
	if a.Version < 1 {
		return fmt.Errorf("account %s: version %d: %w", a.MemberID, a.Version, loyalty.ErrConflict)
	}
	state, points, err := encodeAccount(a)
	if err != nil {
		return err
	}
	seqs, docs, err := encodeEntries(w.Entries)
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
	write := updateAccount
	if a.Version == 1 {
		write = insertAccount
	}
	var written int
	err = s.db.retry(ctx, func() error {
		return s.db.pool.QueryRow(ctx, write+saveRest, a.MemberID, a.Version, state, points,
			op.Key, op.MemberID, op.Hash, result, w.Operation != nil, seqs, docs).Scan(&written)
	})
	switch {
	case uniqueViolation(err, "loyalty_accounts_pkey"):
		return fmt.Errorf("account %s: exists: %w", a.MemberID, loyalty.ErrConflict)
	case uniqueViolation(err, "loyalty_operations_pkey"):
		return fmt.Errorf("operation %s: %w", op.Key, loyalty.ErrAlreadyExists)
	case uniqueViolation(err, "loyalty_entries_pkey"):
		// Only a write that skipped the version check could get here.
		return fmt.Errorf("account %s: entry sequence taken: %w", a.MemberID, loyalty.ErrConflict)
	case err != nil:
		return err
	case written == 0:
		return fmt.Errorf("account %s: version %d is not the next: %w", a.MemberID, a.Version, loyalty.ErrConflict)
	}
	return nil
}

// The account step of Save: version 1 inserts, a later version updates
// the row holding the version before it.
const (
	insertAccount = `WITH acct AS (
	INSERT INTO loyalty_accounts (member_id, version, state, points) VALUES ($1, $2, $3, $4) RETURNING member_id)`
	updateAccount = `WITH acct AS (
	UPDATE loyalty_accounts SET version = $2, state = $3, points = $4 WHERE member_id = $1 AND version = $2 - 1 RETURNING member_id)`
	saveRest = `,
op AS (
	INSERT INTO loyalty_operations (key, member_id, hash, result)
	SELECT $5::text, $6::text, $7::text, $8::bytea FROM acct WHERE $9::boolean RETURNING 1),
entries AS (
	INSERT INTO loyalty_entries (member_id, seq, doc)
	SELECT acct.member_id, e.s, e.d::jsonb FROM acct, unnest($10::bigint[], $11::text[]) AS e (s, d) RETURNING 1)
SELECT count(*) FROM acct`
)

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

// encodeEntries returns the entries' sequence numbers and JSON documents
// as the two arrays the insert unnests.
func encodeEntries(entries []ledger.Entry) ([]int64, []string, error) {
	seqs := make([]int64, len(entries))
	docs := make([]string, len(entries))
	for i, e := range entries {
		doc, err := json.Marshal(e)
		if err != nil {
			return nil, nil, err
		}
		seqs[i], docs[i] = e.Seq, string(doc)
	}
	return seqs, docs, nil
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
		return fmt.Sprintf(`SELECT doc FROM loyalty_entries WHERE member_id = $1 AND seq > $2 ORDER BY seq LIMIT %d`, pageSize),
			[]any{memberID, after}
	}, scanDoc[ledger.Entry])
}

func (s loyaltyStore) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return stream(ctx, s.db, func(last *loyalty.Account) (string, []any) {
		from := textBound(after)
		if last != nil {
			from = last.MemberID
		}
		return fmt.Sprintf(`SELECT member_id, version, state, points FROM loyalty_accounts WHERE member_id > $1 ORDER BY member_id LIMIT %d`, pageSize),
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
