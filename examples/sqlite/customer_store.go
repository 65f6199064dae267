package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// Customers returns the customer.Store kept in this database.
func (db *DB) Customers() customer.Store { return customerStore{db} }

type customerStore struct{ db *DB }

func (s customerStore) CreateCustomer(ctx context.Context, c customer.Customer) error {
	doc, err := marshal(c)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO customers (id, version, name_key, doc) VALUES (?, ?, ?, ?)`,
			c.ID, c.Version, c.NameKey, doc)
		if constraint(err) {
			return fmt.Errorf("customer %s: %w", c.ID, customer.ErrAlreadyExists)
		}
		if err != nil {
			return err
		}
		return claimIdentities(ctx, tx, c)
	})
}

// claimIdentities gives the customer exactly its identities: it releases
// the ones it no longer lists and claims the new ones, failing with
// ErrIdentityTaken if another customer holds one.
func claimIdentities(ctx context.Context, tx *wtx, c customer.Customer) error {
	keys := make([]string, len(c.Identities))
	for i, id := range c.Identities {
		keys[i] = id.Key()
	}
	keep, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM identities WHERE customer_id = ?
		AND key NOT IN (SELECT value FROM json_each(?))`, c.ID, string(keep)); err != nil {
		return err
	}
	for _, k := range keys {
		res, err := tx.ExecContext(ctx, `INSERT INTO identities (key, customer_id) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET customer_id = excluded.customer_id WHERE identities.customer_id = excluded.customer_id`, k, c.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return fmt.Errorf("customer %s: %w", c.ID, customer.ErrIdentityTaken)
		}
	}
	return nil
}

func (s customerStore) GetCustomer(ctx context.Context, id string) (customer.Customer, error) {
	return s.one(ctx, `SELECT doc FROM customers WHERE id = ?`, id)
}

func (s customerStore) one(ctx context.Context, query string, arg string) (customer.Customer, error) {
	var c customer.Customer
	ok, err := getDoc(ctx, s.db.rd, &c, query, arg)
	if err == nil && !ok {
		return customer.Customer{}, customer.ErrNotFound
	}
	return c, err
}

func (s customerStore) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	doc, err := marshal(c)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE customers SET version = ?2, name_key = ?3, doc = ?4 WHERE id = ?1 AND version = ?2 - 1`,
			c.ID, c.Version, c.NameKey, doc)
		if err := casResult(ctx, tx, res, err, `SELECT 1 FROM customers WHERE id = ?`, c.ID,
			"customer "+c.ID, customer.ErrNotFound, customer.ErrConflict); err != nil {
			return err
		}
		return claimIdentities(ctx, tx, c)
	})
}

// casResult reads the result of a compare-and-set UPDATE: when it changed
// no row, the row is either missing (notFound) or at another version
// (conflict), which existsQuery tells.
func casResult(ctx context.Context, q querier, res sql.Result, err error, existsQuery, id, what string, notFound, conflict error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	found, err := exists(ctx, q, existsQuery, id)
	switch {
	case err != nil:
		return err
	case !found:
		return fmt.Errorf("%s: %w", what, notFound)
	default:
		return fmt.Errorf("%s: %w", what, conflict)
	}
}

func (s customerStore) CustomerByIdentity(ctx context.Context, id customer.Identity) (customer.Customer, error) {
	return s.one(ctx, `SELECT c.doc FROM identities i JOIN customers c ON c.id = i.customer_id WHERE i.key = ?`, id.Key())
}

func (s customerStore) CustomersByNameKey(ctx context.Context, key string) iter.Seq2[customer.Customer, error] {
	return ordered[customer.Customer](ctx, s.db, "customers", "", "name_key = ?", false, key)
}

func (s customerStore) Customers(ctx context.Context) iter.Seq2[customer.Customer, error] {
	return ordered[customer.Customer](ctx, s.db, "customers", "", "1", false)
}

// AddMerge stores a merge attempt after checking, in the same write
// transaction, that it follows the duplicate's latest attempt.
func (s customerStore) AddMerge(ctx context.Context, m customer.MergeRecord) error {
	doc, err := marshal(m)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		var latest int
		var inForce bool
		err := tx.QueryRowContext(ctx, `SELECT attempt, abandoned_at IS NULL FROM merges WHERE duplicate = ?
			ORDER BY attempt DESC LIMIT 1`, m.Duplicate).Scan(&latest, &inForce)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		switch {
		case inForce || (latest > 0 && m.Attempt <= latest):
			return fmt.Errorf("merge of %s: %w", m.Duplicate, customer.ErrAlreadyExists)
		case m.Attempt != latest+1:
			return fmt.Errorf("merge of %s: the next attempt is %d, the write named %d: %w",
				m.Duplicate, latest+1, m.Attempt, customer.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO merges (duplicate, attempt, abandoned_at, doc) VALUES (?, ?, ?, ?)`,
			m.Duplicate, m.Attempt, nullMicros(m.AbandonedAt), doc)
		return err
	})
}

func (s customerStore) GetMerge(ctx context.Context, duplicate string) (customer.MergeRecord, error) {
	var m customer.MergeRecord
	ok, err := getDoc(ctx, s.db.rd, &m, `SELECT doc FROM merges WHERE duplicate = ? ORDER BY attempt DESC LIMIT 1`, duplicate)
	if err == nil && !ok {
		return customer.MergeRecord{}, customer.ErrNotFound
	}
	return m, err
}

// AbandonMerge sets abandoned_at and the document's abandonedAt in one
// statement that skips a record already abandoned, so the first time
// stays.
func (s customerStore) AbandonMerge(ctx context.Context, duplicate string, attempt int, at time.Time) error {
	return s.db.tx(ctx, func(tx *wtx) error {
		var m customer.MergeRecord
		ok, err := getDoc(ctx, tx, &m, `SELECT doc FROM merges WHERE duplicate = ? AND attempt = ?`, duplicate, attempt)
		switch {
		case err != nil:
			return err
		case !ok:
			return fmt.Errorf("merge of %s, attempt %d: %w", duplicate, attempt, customer.ErrNotFound)
		case m.Abandoned():
			return nil
		}
		m.AbandonedAt = at
		doc, err := marshal(m)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE merges SET abandoned_at = ?, doc = ? WHERE duplicate = ? AND attempt = ?`,
			nullMicros(at), doc, duplicate, attempt)
		return err
	})
}

func (s customerStore) MergeAttempts(ctx context.Context, duplicate string) ([]customer.MergeRecord, error) {
	out, err := collect(ctx, s.db.rd, `SELECT doc FROM merges WHERE duplicate = ? ORDER BY attempt`, []any{duplicate}, scanDoc[customer.MergeRecord])
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanDoc reads a row's single JSON document column.
func scanDoc[T any](rows *sql.Rows) (T, error) {
	var doc string
	var v T
	if err := rows.Scan(&doc); err != nil {
		return v, err
	}
	return v, json.Unmarshal([]byte(doc), &v)
}

func (s customerStore) AddPurchase(ctx context.Context, r customer.PurchaseRecord) error {
	doc, err := marshal(r.Purchase)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO purchases (id, customer_id, at, hash, version, doc) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Purchase.ID, r.Purchase.CustomerID, micros(r.Purchase.Time), r.Hash, r.Version, doc)
		if constraint(err) {
			return fmt.Errorf("purchase %s: %w", r.Purchase.ID, customer.ErrAlreadyExists)
		}
		return err
	})
}

func (s customerStore) GetPurchase(ctx context.Context, id string) (customer.PurchaseRecord, error) {
	var doc string
	var r customer.PurchaseRecord
	err := s.db.rd.QueryRowContext(ctx, `SELECT doc, hash, version FROM purchases WHERE id = ?`, id).Scan(&doc, &r.Hash, &r.Version)
	if err == sql.ErrNoRows {
		return r, customer.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(doc), &r.Purchase)
}

// GetPurchaseHolder implements customer.PurchaseHolderStore: the purchase
// and the customer its row names in one statement.
func (s customerStore) GetPurchaseHolder(ctx context.Context, id string) (customer.PurchaseRecord, customer.Customer, bool, error) {
	var doc string
	var cdoc sql.NullString
	var r customer.PurchaseRecord
	var c customer.Customer
	err := s.db.read(ctx, `SELECT p.doc, p.hash, p.version, c.doc FROM purchases p
		LEFT JOIN customers c ON c.id = p.customer_id AND p.customer_id <> '' WHERE p.id = ?`, []any{id}, func(rows *sql.Rows) error {
		if !rows.Next() {
			return cmp.Or(rows.Err(), sql.ErrNoRows)
		}
		return rows.Scan(&doc, &r.Hash, &r.Version, &cdoc)
	})
	if err == sql.ErrNoRows {
		return r, c, false, customer.ErrNotFound
	}
	if err != nil {
		return r, c, false, err
	}
	if err := json.Unmarshal([]byte(doc), &r.Purchase); err != nil {
		return r, c, false, err
	}
	if !cdoc.Valid {
		return r, c, false, nil
	}
	return r, c, true, json.Unmarshal([]byte(cdoc.String), &c)
}

func (s customerStore) AddReturn(ctx context.Context, r customer.ReturnRecord, purchaseVersion int64) error {
	doc, err := marshal(r.Return)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		// A taken ID wins over the other failures: the replay check
		// relies on it.
		taken, err := exists(ctx, tx, `SELECT 1 FROM returns WHERE id = ?`, r.Return.ID)
		if err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("return %s: %w", r.Return.ID, customer.ErrAlreadyExists)
		}
		res, err := tx.ExecContext(ctx, `UPDATE purchases SET version = version + 1 WHERE id = ? AND version = ?`,
			r.Return.PurchaseID, purchaseVersion)
		if err := casResult(ctx, tx, res, err, `SELECT 1 FROM purchases WHERE id = ?`, r.Return.PurchaseID,
			"purchase "+r.Return.PurchaseID, customer.ErrNotFound, customer.ErrConflict); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO returns (id, purchase_id, customer_id, at, hash, doc) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Return.ID, r.Return.PurchaseID, r.Return.CustomerID, micros(r.Return.Time), r.Hash, doc)
		return err
	})
}

func (s customerStore) GetReturn(ctx context.Context, id string) (customer.ReturnRecord, error) {
	var doc string
	var r customer.ReturnRecord
	err := s.db.rd.QueryRowContext(ctx, `SELECT doc, hash FROM returns WHERE id = ?`, id).Scan(&doc, &r.Hash)
	if err == sql.ErrNoRows {
		return r, customer.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(doc), &r.Return)
}

func (s customerStore) ReturnsOfPurchase(ctx context.Context, purchaseID string) iter.Seq2[customer.Return, error] {
	return ordered[customer.Return](ctx, s.db, "returns", "at", "purchase_id = ?", false, purchaseID)
}

func (s customerStore) PurchasesOf(ctx context.Context, customerID string) iter.Seq2[customer.Purchase, error] {
	return ordered[customer.Purchase](ctx, s.db, "purchases", "at", "customer_id = ?", true, customerID)
}

func (s customerStore) ReturnsOf(ctx context.Context, customerID string) iter.Seq2[customer.Return, error] {
	return ordered[customer.Return](ctx, s.db, "returns", "at", "customer_id = ?", true, customerID)
}

func (s customerStore) PurchasesBetween(ctx context.Context, from, to time.Time) iter.Seq2[customer.Purchase, error] {
	return ordered[customer.Purchase](ctx, s.db, "purchases", "at", "at >= ? AND at < ?", false, micros(from), micros(to))
}

func (s customerStore) ReturnsBetween(ctx context.Context, from, to time.Time) iter.Seq2[customer.Return, error] {
	return ordered[customer.Return](ctx, s.db, "returns", "at", "at >= ? AND at < ?", false, micros(from), micros(to))
}

// Reassign moves the facts of customer from to customer to, the column and
// the document's customerId together, in one transaction. Facts already
// moved no longer match, so a second call changes nothing.
func (s customerStore) Reassign(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return fmt.Errorf("reassign: %w: both customer IDs are required", customer.ErrInvalid)
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		for _, table := range []string{"purchases", "returns"} {
			if err := relink(ctx, tx, table, from, to); err != nil {
				return err
			}
		}
		return nil
	})
}

// relink sets customer_id and the document's customerId of table's rows
// of customer from to customer to.
func relink(ctx context.Context, tx *wtx, table, from, to string) error {
	_, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET customer_id = ?2, doc = json_set(doc, '$.customerId', ?2)
		WHERE customer_id = ?1`, table), from, to)
	return err
}

func (s customerStore) AddInteraction(ctx context.Context, in customer.Interaction) error {
	doc, err := marshal(in)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO interactions (id, customer_id, at, doc) VALUES (?, ?, ?, ?)`,
			in.ID, in.CustomerID, micros(in.Time), doc)
		if constraint(err) {
			return fmt.Errorf("interaction %s: %w", in.ID, customer.ErrAlreadyExists)
		}
		return err
	})
}

func (s customerStore) GetInteraction(ctx context.Context, id string) (customer.Interaction, error) {
	var in customer.Interaction
	ok, err := getDoc(ctx, s.db.rd, &in, `SELECT doc FROM interactions WHERE id = ?`, id)
	if err == nil && !ok {
		return customer.Interaction{}, customer.ErrNotFound
	}
	return in, err
}

func (s customerStore) InteractionsOf(ctx context.Context, customerID string) iter.Seq2[customer.Interaction, error] {
	return ordered[customer.Interaction](ctx, s.db, "interactions", "at", "customer_id = ?", true, customerID)
}

func (s customerStore) ReassignInteractions(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return fmt.Errorf("reassign: %w: both customer IDs are required", customer.ErrInvalid)
	}
	return s.db.tx(ctx, func(tx *wtx) error { return relink(ctx, tx, "interactions", from, to) })
}

func (s customerStore) RedactInteractions(ctx context.Context, customerID string) error {
	return s.db.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `UPDATE interactions SET doc = json_remove(doc, '$.summary', '$.outcome') WHERE customer_id = ?`, customerID)
		return err
	})
}
