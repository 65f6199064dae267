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
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		if err := writeAccount(ctx, tx, a, state, points); err != nil {
			return err
		}
		if op := w.Operation; op != nil {
			result := []byte(op.Result)
			if result == nil {
				result = []byte{}
			}
			_, err := tx.Exec(ctx, `INSERT INTO loyalty_operations (key, member_id, hash, result) VALUES ($1, $2, $3, $4)`,
				op.Key, op.MemberID, op.Hash, result)
			if uniqueViolation(err, "loyalty_operations_pkey") {
				return fmt.Errorf("operation %s: %w", op.Key, loyalty.ErrAlreadyExists)
			}
			if err != nil {
				return err
			}
		}
		if len(seqs) == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO loyalty_entries (member_id, seq, doc)
			SELECT $1, s, d::jsonb FROM unnest($2::bigint[], $3::text[]) AS e (s, d)`, a.MemberID, seqs, docs)
		if uniqueViolation(err, "loyalty_entries_pkey") {
			// Only a write that skipped the version check could get here.
			return fmt.Errorf("account %s: entry sequence taken: %w", a.MemberID, loyalty.ErrConflict)
		}
		return err
	})
}

// writeAccount inserts version 1 or updates the row holding the version
// before a's: any other stored version is a conflict.
func writeAccount(ctx context.Context, tx pgx.Tx, a loyalty.Account, state, points []byte) error {
	if a.Version == 1 {
		_, err := tx.Exec(ctx, `INSERT INTO loyalty_accounts (member_id, version, state, points) VALUES ($1, 1, $2, $3)`,
			a.MemberID, state, points)
		if uniqueViolation(err, "loyalty_accounts_pkey") {
			return fmt.Errorf("account %s: exists: %w", a.MemberID, loyalty.ErrConflict)
		}
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE loyalty_accounts SET version = $2, state = $3, points = $4 WHERE member_id = $1 AND version = $2 - 1`,
		a.MemberID, a.Version, state, points)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("account %s: version %d is not the next: %w", a.MemberID, a.Version, loyalty.ErrConflict)
	}
	return nil
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
