package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// AccountCopy is one stored-value account as the central services hold
// it: the header, every part, the payment records a lane may settle or
// refund, and the ledger entries, or (Since above 0) what of the records
// and entries changed after the lane's last copy. A lane replaces its own
// copy of the account with it (DB.ReplaceStoredValue).
type AccountCopy struct {
	// ID is the account's ID ("w:" and a member ID for a wallet).
	ID string
	// Account is the header; nil when the centre holds no such account,
	// which removes the lane's.
	Account *storedvalue.Account
	Parts   []storedvalue.Part // every part
	Records []storedvalue.Record
	Entries []storedvalue.Entry
	// Since is 0 for a whole copy: Records and Entries replace all of
	// the lane's. Above 0 it is the central sequence the lane's last copy
	// reached (CopyMark.CentralSeq): Entries are the central ones after
	// it and replace the lane's after it (entries are append-only on both
	// sides, so those up to it are the centre's), and Records replace the
	// lane's payment records with the keys in RecordKeys, a key there
	// without a record being removed; the lane's other records stay.
	Since      int64
	RecordKeys []string
}

// CopyMark is where a lane's last copy of an account left off: the
// central header's version and last entry, and the version the copy took
// on the lane. An account whose two versions are still these changed on
// neither side since.
type CopyMark struct {
	CentralVersion, CentralSeq, LaneVersion int64
}

// StoredValueCopyMark returns the mark of the lane's last copy of the
// account, and false if it was never copied (or copied before marks were
// kept).
func (db *DB) StoredValueCopyMark(ctx context.Context, accountID string) (CopyMark, bool, error) {
	var m CopyMark
	err := db.rd.QueryRowContext(ctx, `SELECT central_version, central_seq, lane_version FROM sv_copy_marks WHERE account_id = ?`,
		accountID).Scan(&m.CentralVersion, &m.CentralSeq, &m.LaneVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return CopyMark{}, false, nil
	}
	return m, err == nil, err
}

// ReplaceStoredValue replaces the lane's copy of each stored-value account
// with the central one, all in one write transaction. Like
// ReplaceMembers it fails with ErrUnsent, writing nothing, while the
// outbox holds an item not marked sent, and gives each header a version
// above the lane's (the larger of the central version and the lane's plus
// one), so a lane write built on what it read before conflicts and is
// retried on the copy. The lane's idempotency records (sv_operations) are
// kept: they answer the lane's own retries.
func (db *DB) ReplaceStoredValue(ctx context.Context, copies []AccountCopy) error {
	for _, c := range copies {
		if c.Account != nil && c.Account.ID != c.ID {
			return fmt.Errorf("sqlite: replace stored value %s: the header is %s's: %w", c.ID, c.Account.ID, storedvalue.ErrInvalid)
		}
		for _, e := range c.Entries {
			if e.Seq <= c.Since {
				return fmt.Errorf("sqlite: replace stored value %s: entry %d is not after %d: %w", c.ID, e.Seq, c.Since, storedvalue.ErrInvalid)
			}
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
		for _, c := range copies {
			if err := replaceSVAccount(ctx, tx, c); err != nil {
				return fmt.Errorf("account %s: %w", c.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: replace stored value: %w", err)
	}
	return nil
}

func replaceSVAccount(ctx context.Context, tx *wtx, c AccountCopy) error {
	type stmt struct {
		query string
		args  []any
	}
	drop := []stmt{{`DELETE FROM sv_parts WHERE account_id = ?`, []any{c.ID}},
		{`DELETE FROM sv_records WHERE account_id = ?`, []any{c.ID}},
		{`DELETE FROM sv_entries WHERE account_id = ?`, []any{c.ID}}}
	if c.Since > 0 && c.Account != nil {
		keys, err := json.Marshal(append([]string{}, c.RecordKeys...))
		if err != nil {
			return err
		}
		drop[1] = stmt{`DELETE FROM sv_records WHERE account_id = ? AND kind = ? AND key IN (SELECT value FROM json_each(?))`,
			[]any{c.ID, string(storedvalue.RecordPayment), string(keys)}}
		drop[2] = stmt{`DELETE FROM sv_entries WHERE account_id = ? AND seq > ?`, []any{c.ID, c.Since}}
	}
	for _, st := range drop {
		if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
			return err
		}
	}
	var lane int64
	err := tx.QueryRowContext(ctx, svVersionOf, c.ID).Scan(&lane)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if c.Account == nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sv_copy_marks WHERE account_id = ?`, c.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sv_accounts WHERE account_id = ?`, c.ID)
		return err
	}
	a := c.Account.Clone()
	a.Version = max(a.Version, lane+1)
	var punch, codeKey any
	if a.Punch != nil {
		p := *a.Punch
		p.ValidFrom, p.ValidUntil = p.ValidFrom.UTC(), p.ValidUntil.UTC()
		if punch, err = marshal(p); err != nil {
			return err
		}
	}
	if a.CodeKey != "" {
		codeKey = a.CodeKey
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sv_accounts (account_id, version, type, state, holder, currency, code_key,
		paid, bonus, held_paid, held_bonus, seq, created_at, punch, pin_key, pin_failures)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET version = excluded.version, type = excluded.type, state = excluded.state,
		holder = excluded.holder, currency = excluded.currency, code_key = excluded.code_key, paid = excluded.paid,
		bonus = excluded.bonus, held_paid = excluded.held_paid, held_bonus = excluded.held_bonus, seq = excluded.seq,
		created_at = excluded.created_at, punch = excluded.punch, pin_key = excluded.pin_key,
		pin_failures = excluded.pin_failures`,
		a.ID, a.Version, string(a.Type), string(a.State), a.Holder, a.Currency, codeKey, a.Paid, a.Bonus,
		a.HeldPaid, a.HeldBonus, a.Seq, micros(a.CreatedAt), punch, a.PINKey, a.PINFailures); err != nil {
		return err
	}
	for _, p := range c.Parts {
		if _, err := tx.ExecContext(ctx, svWrites[svWPart], a.ID, p.ID, string(p.Kind), p.Source, p.Amount, p.Remaining,
			p.Held, micros(p.CreatedAt), nullMicros(p.ExpiresAt)); err != nil {
			return err
		}
	}
	for _, r := range c.Records {
		if _, err := tx.ExecContext(ctx, svWrites[svWRecord], a.ID, string(r.Kind), r.Key, nonNil(r.Data), nullMicros(r.DueAt)); err != nil {
			return err
		}
	}
	for _, e := range c.Entries {
		if _, err := tx.ExecContext(ctx, svWrites[svWEntry], a.ID, e.Seq, string(e.Kind), e.Op, micros(e.At), e.Paid, e.Bonus,
			e.HeldPaid, e.HeldBonus, e.Uses, e.Corrects); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sv_copy_marks (account_id, central_version, central_seq, lane_version) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET central_version = excluded.central_version, central_seq = excluded.central_seq,
		lane_version = excluded.lane_version`, a.ID, c.Account.Version, c.Account.Seq, a.Version)
	return err
}

// StoredValueRecordKeysIn returns those of keys under which the account
// holds a record of the kind in this database, in byte order: on a lane,
// which of the payments named by what changed since its last copy it
// took itself or copied, so the ones a refresh copies back.
func (db *DB) StoredValueRecordKeysIn(ctx context.Context, accountID string, kind storedvalue.RecordKind, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, ctx.Err()
	}
	in, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	return db.column(ctx, `SELECT key FROM sv_records WHERE account_id = ? AND kind = ? AND key IN (SELECT value FROM json_each(?))
		ORDER BY key`, accountID, string(kind), string(in))
}

// StoredValueRecordKeys returns the keys of the account's records of the
// kind held in this database, in byte order: on a lane, the payments it
// took itself (and those a refresh copied), which are the ones it may
// still settle or refund, so the ones a refresh copies back.
func (db *DB) StoredValueRecordKeys(ctx context.Context, accountID string, kind storedvalue.RecordKind) ([]string, error) {
	return db.column(ctx, `SELECT key FROM sv_records WHERE account_id = ? AND kind = ? ORDER BY key`, accountID, string(kind))
}
