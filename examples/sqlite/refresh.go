package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// MemberCopy is one member as the central services hold it: the customer
// record and, if the member has one, the whole loyalty account (header,
// lots, records and ledger entries). A lane replaces its own copy of the
// member with it (DB.ReplaceMembers).
type MemberCopy struct {
	Customer customer.Customer
	// Account is the loyalty account's header; nil when the member has no
	// account centrally.
	Account *loyalty.Account
	Lots    []ledger.Lot
	Records []loyalty.Record
	Entries []ledger.Entry
	// Unchanged says the member's loyalty account is as the lane's last
	// copy of it left it, centrally and on the lane (LoyaltyCopyMark): the
	// lane keeps its account, and Account, Lots, Records and Entries are
	// not read. The customer record is written all the same.
	Unchanged bool
	// Changed, if set, makes the copy a delta of the lane's last one: what
	// changed centrally and on the lane since (loyalty.ChangeFeed on both
	// sides). The lots and records it names are replaced by those of Lots
	// and Records, or deleted where the centre has none; the lane's
	// entries after Changed.EntriesAfter by Entries (which hold only
	// those); the header by Account. Rows it does not name are as the last
	// copy left them on both sides, and stay.
	Changed *loyalty.Changes
}

// LoyaltyCopyMark returns the versions of a member's loyalty account at
// the lane's last copy of it, centrally and on the lane (as CopyMark's
// CentralVersion and LaneVersion), and false if it was never copied (or
// copied before marks were kept).
func (db *DB) LoyaltyCopyMark(ctx context.Context, memberID string) (CopyMark, bool, error) {
	var m CopyMark
	err := db.rd.QueryRowContext(ctx, `SELECT central_version, lane_version FROM loyalty_copy_marks WHERE member_id = ?`, memberID).
		Scan(&m.CentralVersion, &m.LaneVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return CopyMark{}, false, nil
	}
	return m, err == nil, err
}

// ErrUnsent: the outbox holds facts the central services have not taken
// yet, so a copy of the centre's view would drop them from the lane's.
var ErrUnsent = errors.New("sqlite: the outbox holds facts not yet sent")

// ReplaceMembers replaces the lane's copy of each member with the central
// one, all in one write transaction. It fails with ErrUnsent, writing
// nothing, if the outbox holds an item not marked sent: the copies were
// read before that fact reached the centre, and replacing the lane's
// account with them would lose it.
//
// A customer record and a loyalty account keep their central contents but
// take a version above the lane's (the larger of the central version and
// the lane's plus one), so a lane write built on what the lane read before
// fails with a conflict and is retried on the new copy. The members'
// identities are released first and claimed afterwards, so an identity
// that moved between two copied members (a merge) moves on the lane too.
// The lane's idempotency records of operations are kept: they answer the
// lane's own retries, and the central ones concern the centre's requests.
func (db *DB) ReplaceMembers(ctx context.Context, copies []MemberCopy) error {
	type encoded struct {
		customer customer.Customer
		entries  [][]byte
	}
	enc := make([]encoded, len(copies))
	for i, c := range copies {
		enc[i].customer = c.Customer
		if c.Account != nil && !c.Unchanged {
			if c.Account.MemberID != c.Customer.ID {
				return fmt.Errorf("sqlite: replace member %s: the account is %s's: %w", c.Customer.ID, c.Account.MemberID, loyalty.ErrInvalid)
			}
			var err error
			if enc[i].entries, err = entryDocs(c.Customer.ID, c.Entries); err != nil {
				return err
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
		for i, c := range copies {
			if _, err := tx.ExecContext(ctx, `DELETE FROM identities WHERE customer_id = ?`, c.Customer.ID); err != nil {
				return err
			}
			if enc[i].customer, err = replaceCustomer(ctx, tx, c.Customer); err != nil {
				return err
			}
		}
		for i, c := range copies {
			if err := claimIdentities(ctx, tx, enc[i].customer); err != nil {
				return err
			}
			if c.Unchanged {
				continue
			}
			if err := replaceAccount(ctx, tx, c, enc[i].entries); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: replace members: %w", err)
	}
	return nil
}

// replaceCustomer writes the central record of a customer over the
// lane's, at a version above both, and returns it as written.
func replaceCustomer(ctx context.Context, tx *wtx, c customer.Customer) (customer.Customer, error) {
	var lane int64
	err := tx.QueryRowContext(ctx, `SELECT version FROM customers WHERE id = ?`, c.ID).Scan(&lane)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	c.Version = max(c.Version, lane+1)
	doc, err := marshal(c)
	if err != nil {
		return c, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO customers (id, version, name_key, doc) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version, name_key = excluded.name_key, doc = excluded.doc`,
		c.ID, c.Version, c.NameKey, doc)
	return c, err
}

// replaceAccount drops the lane's loyalty rows of the member (but its
// idempotency records), or for a delta those it names, and writes the
// central copy's. The lane's change journal of the member starts again:
// what it named is in the copy now.
func replaceAccount(ctx context.Context, tx *wtx, c MemberCopy, entryDocs [][]byte) error {
	id := c.Customer.ID
	if err := dropCopied(ctx, tx, id, c.Changed); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM loyalty_changes WHERE member_id = ?`, id); err != nil {
		return err
	}
	var lane int64
	err := tx.QueryRowContext(ctx, `SELECT version FROM loyalty_accounts WHERE member_id = ?`, id).Scan(&lane)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if c.Account == nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM loyalty_copy_marks WHERE member_id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM loyalty_accounts WHERE member_id = ?`, id)
		return err
	}
	a := c.Account.Clone()
	a.Version = max(a.Version, lane+1)
	header, state, err := encodeAccount(a)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_accounts (member_id, version, header, state) VALUES (?, ?, ?, ?)
		ON CONFLICT (member_id) DO UPDATE SET version = excluded.version, header = excluded.header, state = excluded.state`,
		id, a.Version, header, state); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_copy_marks (member_id, central_version, lane_version) VALUES (?, ?, ?)
		ON CONFLICT (member_id) DO UPDATE SET central_version = excluded.central_version, lane_version = excluded.lane_version`,
		id, c.Account.Version, a.Version); err != nil {
		return err
	}
	return errors.Join(
		saveEntries(ctx, tx, id, c.Entries, entryDocs),
		saveLots(ctx, tx, id, c.Lots),
		saveRecords(ctx, tx, id, c.Records))
}

// dropCopied deletes the lane's rows of the member a copy replaces: every
// lot, record and entry for a whole copy; for a delta, the lots and
// records it names and the entries after its EntriesAfter, one statement
// a key (a delta names a few).
func dropCopied(ctx context.Context, tx *wtx, id string, changed *loyalty.Changes) error {
	if changed == nil {
		for _, table := range []string{"loyalty_lots", "loyalty_records", "loyalty_entries"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE member_id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	}
	for _, lot := range changed.Lots {
		if _, err := tx.ExecContext(ctx, `DELETE FROM loyalty_lots WHERE member_id = ? AND lot_id = ?`, id, lot); err != nil {
			return err
		}
	}
	for _, r := range changed.Records {
		if _, err := tx.ExecContext(ctx, `DELETE FROM loyalty_records WHERE member_id = ? AND kind = ? AND key = ?`, id, string(r.Kind), r.Key); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM loyalty_entries WHERE member_id = ? AND seq > ?`, id, changed.EntriesAfter)
	return err
}
