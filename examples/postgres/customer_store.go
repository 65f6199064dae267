package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/jackc/pgx/v5"
)

// Customers returns the customer.Store kept in this database.
func (db *DB) Customers() customer.Store { return customerStore{db} }

type customerStore struct{ db *DB }

func (s customerStore) CreateCustomer(ctx context.Context, c customer.Customer) error {
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO customers (id, version, name_key, doc) VALUES ($1, $2, $3, $4)`,
			c.ID, c.Version, c.NameKey, doc)
		if uniqueViolation(err, "customers_pkey") {
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
func claimIdentities(ctx context.Context, tx pgx.Tx, c customer.Customer) error {
	keys := make([]string, len(c.Identities))
	for i, id := range c.Identities {
		keys[i] = id.Key()
	}
	if _, err := tx.Exec(ctx, `DELETE FROM identities WHERE customer_id = $1 AND NOT (key = ANY($2))`, c.ID, keys); err != nil {
		return err
	}
	for _, k := range keys {
		tag, err := tx.Exec(ctx, `INSERT INTO identities (key, customer_id) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET customer_id = EXCLUDED.customer_id WHERE identities.customer_id = EXCLUDED.customer_id`, k, c.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("customer %s: %w", c.ID, customer.ErrIdentityTaken)
		}
	}
	return nil
}

func (s customerStore) GetCustomer(ctx context.Context, id string) (customer.Customer, error) {
	return s.one(ctx, `SELECT doc FROM customers WHERE id = $1`, id)
}

func (s customerStore) one(ctx context.Context, sql string, arg string) (customer.Customer, error) {
	var doc []byte
	err := s.db.pool.QueryRow(ctx, sql, arg).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return customer.Customer{}, customer.ErrNotFound
	}
	if err != nil {
		return customer.Customer{}, err
	}
	var c customer.Customer
	return c, json.Unmarshal(doc, &c)
}

func (s customerStore) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	doc, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE customers SET version = $2, name_key = $3, doc = $4 WHERE id = $1 AND version = $2 - 1`,
			c.ID, c.Version, c.NameKey, doc)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM customers WHERE id = $1)`, c.ID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return fmt.Errorf("customer %s: %w", c.ID, customer.ErrNotFound)
			}
			return fmt.Errorf("customer %s: %w", c.ID, customer.ErrConflict)
		}
		return claimIdentities(ctx, tx, c)
	})
}

func (s customerStore) CustomerByIdentity(ctx context.Context, id customer.Identity) (customer.Customer, error) {
	return s.one(ctx, `SELECT c.doc FROM identities i JOIN customers c ON c.id = i.customer_id WHERE i.key = $1`, id.Key())
}

func (s customerStore) CustomersByNameKey(ctx context.Context, key string) iter.Seq2[customer.Customer, error] {
	return s.customers(ctx, `WHERE name_key = $1`, key)
}

func (s customerStore) Customers(ctx context.Context) iter.Seq2[customer.Customer, error] {
	return s.customers(ctx, `WHERE true`)
}

// customers streams customers matching where, in ID order.
func (s customerStore) customers(ctx context.Context, where string, args ...any) iter.Seq2[customer.Customer, error] {
	return stream(ctx, s.db, func(last *customer.Customer) (string, []any) {
		after := ""
		if last != nil {
			after = last.ID
		}
		n := len(args) + 1
		return fmt.Sprintf(`SELECT doc FROM customers %s AND id > $%d ORDER BY id LIMIT %d`, where, n, pageSize),
			append(append([]any(nil), args...), after)
	}, scanDoc[customer.Customer])
}

// scanDoc reads a row's single JSON document column.
func scanDoc[T any](rows pgx.CollectableRow) (T, error) {
	var doc []byte
	var v T
	if err := rows.Scan(&doc); err != nil {
		return v, err
	}
	return v, json.Unmarshal(doc, &v)
}

// AddMerge stores a merge attempt after checking, in the same
// transaction, that it follows the duplicate's latest attempt. Two adds
// that both pass the check collide on the key (duplicate, attempt), or on
// merges_in_force, which allows one attempt in force per duplicate.
func (s customerStore) AddMerge(ctx context.Context, m customer.MergeRecord) error {
	doc, err := json.Marshal(m)
	if err != nil {
		return err
	}
	err = s.db.tx(ctx, func(tx pgx.Tx) error {
		var latest int
		var inForce bool
		err := tx.QueryRow(ctx, `SELECT attempt, abandoned_at IS NULL FROM merges WHERE duplicate = $1
			ORDER BY attempt DESC LIMIT 1`, m.Duplicate).Scan(&latest, &inForce)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		switch {
		case inForce || (latest > 0 && m.Attempt <= latest):
			return fmt.Errorf("merge of %s: %w", m.Duplicate, customer.ErrAlreadyExists)
		case m.Attempt != latest+1:
			return fmt.Errorf("merge of %s: the next attempt is %d, the write named %d: %w",
				m.Duplicate, latest+1, m.Attempt, customer.ErrConflict)
		}
		_, err = tx.Exec(ctx, `INSERT INTO merges (duplicate, attempt, abandoned_at, doc) VALUES ($1, $2, $3, $4)`,
			m.Duplicate, m.Attempt, nullTime(m.AbandonedAt), doc)
		return err
	})
	if uniqueViolation(err, "merges_pkey") || uniqueViolation(err, "merges_in_force") {
		return fmt.Errorf("merge of %s: %w", m.Duplicate, customer.ErrAlreadyExists)
	}
	return err
}

func (s customerStore) GetMerge(ctx context.Context, duplicate string) (customer.MergeRecord, error) {
	var doc []byte
	err := s.db.pool.QueryRow(ctx, `SELECT doc FROM merges WHERE duplicate = $1 ORDER BY attempt DESC LIMIT 1`,
		duplicate).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return customer.MergeRecord{}, customer.ErrNotFound
	}
	if err != nil {
		return customer.MergeRecord{}, err
	}
	var m customer.MergeRecord
	return m, json.Unmarshal(doc, &m)
}

// AbandonMerge sets abandoned_at and the document's abandonedAt in one
// statement that skips a record already abandoned, so the first time
// stays.
func (s customerStore) AbandonMerge(ctx context.Context, duplicate string, attempt int, at time.Time) error {
	doc, err := json.Marshal(at)
	if err != nil {
		return err
	}
	tag, err := s.db.pool.Exec(ctx, `UPDATE merges SET abandoned_at = $3, doc = jsonb_set(doc, '{abandonedAt}', $4::jsonb)
		WHERE duplicate = $1 AND attempt = $2 AND abandoned_at IS NULL`, duplicate, attempt, at, doc)
	if err != nil || tag.RowsAffected() > 0 {
		return err
	}
	var exists bool
	err = s.db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM merges WHERE duplicate = $1 AND attempt = $2)`,
		duplicate, attempt).Scan(&exists)
	if err == nil && !exists {
		return fmt.Errorf("merge of %s, attempt %d: %w", duplicate, attempt, customer.ErrNotFound)
	}
	return err
}

func (s customerStore) MergeAttempts(ctx context.Context, duplicate string) ([]customer.MergeRecord, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT doc FROM merges WHERE duplicate = $1 ORDER BY attempt`, duplicate)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanDoc[customer.MergeRecord])
}

func (s customerStore) AddPurchase(ctx context.Context, r customer.PurchaseRecord) error {
	doc, err := json.Marshal(r.Purchase)
	if err != nil {
		return err
	}
	_, err = s.db.pool.Exec(ctx, `INSERT INTO purchases (id, customer_id, at, hash, version, doc) VALUES ($1, $2, $3, $4, $5, $6)`,
		r.Purchase.ID, r.Purchase.CustomerID, r.Purchase.Time, r.Hash, r.Version, doc)
	if uniqueViolation(err, "purchases_pkey") {
		return fmt.Errorf("purchase %s: %w", r.Purchase.ID, customer.ErrAlreadyExists)
	}
	return err
}

func (s customerStore) GetPurchase(ctx context.Context, id string) (customer.PurchaseRecord, error) {
	var doc []byte
	var r customer.PurchaseRecord
	err := s.db.pool.QueryRow(ctx, `SELECT doc, hash, version FROM purchases WHERE id = $1`, id).Scan(&doc, &r.Hash, &r.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, customer.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	return r, decodePurchase(doc, &r.Purchase)
}

// GetPurchaseHolder implements customer.PurchaseHolderStore: the purchase
// and the customer its row names in one statement, so an earn's first two
// reads are one round trip. The same statement reads the loyalty rows an
// earn of the purchase prefetches for that customer, kept for the
// loyalty store's Prefetch (earn_reads.go).
func (s customerStore) GetPurchaseHolder(ctx context.Context, id string) (customer.PurchaseRecord, customer.Customer, bool, error) {
	var (
		r       customer.PurchaseRecord
		c       customer.Customer
		cid     string
		holder  bool
		decoded error
	)
	e := &earnRead{}
	found, err := s.db.queryRow(ctx, holderRead, []any{id}, holderColumns, func(v [][]byte) error {
		doc, err := wireJSONB(v[0])
		if err != nil {
			return err
		}
		version, err := wireInt8(v[2])
		if err != nil || version == nil {
			return fmt.Errorf("purchase %s: version: %w", id, errWireType)
		}
		r.Hash, r.Version = string(v[1]), *version
		if err := decodePurchase(doc, &r.Purchase); err != nil {
			return err
		}
		cdoc, err := wireJSONB(v[3])
		if err != nil || cdoc == nil {
			return err
		}
		holder, cid = true, string(v[4])
		e.opMember, e.opHash = wireText(v[5]), wireText(v[6])
		if e.version, err = wireInt8(v[8]); err != nil {
			return err
		}
		e.opResult, e.header, e.state, e.record = keep4(v[7], v[9], v[10], v[11])
		e.hasRecord = wireBool(v[12])
		// A customer document that does not decode is the caller's
		// error to see, after the read is kept (as it was read).
		decoded = json.Unmarshal(cdoc, &c)
		return nil
	})
	if err != nil {
		return r, c, false, err
	}
	if !found {
		return r, c, false, customer.ErrNotFound
	}
	if !holder {
		return r, c, false, nil
	}
	e.at = time.Now()
	s.db.reads.put(earnKey{purchase: id, member: cid}, e)
	return r, c, true, decoded
}

// holderRead is GetPurchaseHolder's statement; holderColumns its columns'
// types, as queryRow checks them.
const holderRead = `SELECT p.doc, p.hash, p.version, c.doc, c.id,
		o.member_id, o.hash, o.result, a.version, a.header, a.state, rec.data, rec.key IS NOT NULL
	FROM purchases p
	LEFT JOIN customers c ON c.id = p.customer_id AND p.customer_id <> ''
	LEFT JOIN loyalty_operations o ON o.key = 'earn:' || p.id
	LEFT JOIN loyalty_accounts a ON a.member_id = c.id
	LEFT JOIN loyalty_records rec ON rec.member_id = c.id AND rec.kind = 'purchase' AND rec.key = p.id
	WHERE p.id = $1`

var holderColumns = []uint32{oidJSONB, oidText, oidInt8, oidJSONB, oidText,
	oidText, oidText, oidBytea, oidInt8, oidBytea, oidBytea, oidBytea, oidBool}

// keep4 copies four values out of the connection's buffer into one
// allocation, each NULL staying nil.
func keep4(a, b, c, d []byte) (_, _, _, _ []byte) {
	all := make([]byte, 0, len(a)+len(b)+len(c)+len(d))
	take := func(v []byte) []byte {
		if v == nil {
			return nil
		}
		start := len(all)
		all = append(all, v...)
		return all[start:len(all):len(all)]
	}
	return take(a), take(b), take(c), take(d)
}

func (s customerStore) AddReturn(ctx context.Context, r customer.ReturnRecord, purchaseVersion int64) error {
	doc, err := json.Marshal(r.Return)
	if err != nil {
		return err
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE purchases SET version = version + 1 WHERE id = $1 AND version = $2`, r.Return.PurchaseID, purchaseVersion)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM purchases WHERE id = $1)`, r.Return.PurchaseID).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return fmt.Errorf("purchase %s: %w", r.Return.PurchaseID, customer.ErrNotFound)
			}
			return fmt.Errorf("purchase %s: %w", r.Return.PurchaseID, customer.ErrConflict)
		}
		_, err = tx.Exec(ctx, `INSERT INTO returns (id, purchase_id, customer_id, at, hash, doc) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.Return.ID, r.Return.PurchaseID, r.Return.CustomerID, r.Return.Time, r.Hash, doc)
		if uniqueViolation(err, "returns_pkey") {
			return fmt.Errorf("return %s: %w", r.Return.ID, customer.ErrAlreadyExists)
		}
		return err
	})
}

func (s customerStore) GetReturn(ctx context.Context, id string) (customer.ReturnRecord, error) {
	var doc []byte
	var r customer.ReturnRecord
	err := s.db.pool.QueryRow(ctx, `SELECT doc, hash FROM returns WHERE id = $1`, id).Scan(&doc, &r.Hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, customer.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(doc, &r.Return)
}

// timed is a fact with the keyset columns streams page by.
type timed[T any] struct {
	v  T
	at time.Time
	id string
}

// newestFirstPage is the first page of a newest-first listing: its
// readers usually stop early (a referral binding reads a friend's
// purchases back to the binding), so the pages start small and grow.
const newestFirstPage = 8

// facts streams a table's documents in (at, id) order, ascending or
// descending, under a fixed filter.
func facts[T any](ctx context.Context, db *DB, table, filter string, desc bool, args ...any) iter.Seq2[T, error] {
	order, cmp, first := "ASC", ">", pageSize
	if desc {
		order, cmp, first = "DESC", "<", newestFirstPage
	}
	rows := pages(ctx, db, first, func(last *timed[T], limit int) (string, []any) {
		a := append([]any(nil), args...)
		where := filter
		if last != nil {
			a = append(a, last.at, last.id)
			where += fmt.Sprintf(` AND (at, id) %s ($%d, $%d)`, cmp, len(a)-1, len(a))
		}
		return fmt.Sprintf(`SELECT doc, at, id FROM %s WHERE %s ORDER BY at %s, id %s LIMIT %d`, table, where, order, order, limit), a
	}, func(rows pgx.CollectableRow) (timed[T], error) {
		var doc []byte
		var t timed[T]
		if err := rows.Scan(&doc, &t.at, &t.id); err != nil {
			return t, err
		}
		return t, json.Unmarshal(doc, &t.v)
	})
	return func(yield func(T, error) bool) {
		for t, err := range rows {
			if !yield(t.v, err) || err != nil {
				return
			}
		}
	}
}

func (s customerStore) ReturnsOfPurchase(ctx context.Context, purchaseID string) iter.Seq2[customer.Return, error] {
	return facts[customer.Return](ctx, s.db, "returns", "purchase_id = $1", false, purchaseID)
}

func (s customerStore) PurchasesOf(ctx context.Context, customerID string) iter.Seq2[customer.Purchase, error] {
	return facts[customer.Purchase](ctx, s.db, "purchases", "customer_id = $1", true, customerID)
}

func (s customerStore) ReturnsOf(ctx context.Context, customerID string) iter.Seq2[customer.Return, error] {
	return facts[customer.Return](ctx, s.db, "returns", "customer_id = $1", true, customerID)
}

func (s customerStore) PurchasesBetween(ctx context.Context, from, to time.Time) iter.Seq2[customer.Purchase, error] {
	return facts[customer.Purchase](ctx, s.db, "purchases", "at >= $1 AND at < $2", false, from, to)
}

func (s customerStore) ReturnsBetween(ctx context.Context, from, to time.Time) iter.Seq2[customer.Return, error] {
	return facts[customer.Return](ctx, s.db, "returns", "at >= $1 AND at < $2", false, from, to)
}

func (s customerStore) Reassign(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return fmt.Errorf("reassign: %w: both customer IDs are required", customer.ErrInvalid)
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		for _, table := range []string{"purchases", "returns"} {
			_, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET customer_id = $2, doc = jsonb_set(doc, '{customerId}', to_jsonb($2::text))
				WHERE customer_id = $1`, table), from, to)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func (s customerStore) AddInteraction(ctx context.Context, in customer.Interaction) error {
	doc, err := json.Marshal(in)
	if err != nil {
		return err
	}
	_, err = s.db.pool.Exec(ctx, `INSERT INTO interactions (id, customer_id, at, doc) VALUES ($1, $2, $3, $4)`, in.ID, in.CustomerID, in.Time, doc)
	if uniqueViolation(err, "interactions_pkey") {
		return fmt.Errorf("interaction %s: %w", in.ID, customer.ErrAlreadyExists)
	}
	return err
}

func (s customerStore) GetInteraction(ctx context.Context, id string) (customer.Interaction, error) {
	var doc []byte
	err := s.db.pool.QueryRow(ctx, `SELECT doc FROM interactions WHERE id = $1`, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return customer.Interaction{}, customer.ErrNotFound
	}
	if err != nil {
		return customer.Interaction{}, err
	}
	var in customer.Interaction
	return in, json.Unmarshal(doc, &in)
}

func (s customerStore) InteractionsOf(ctx context.Context, customerID string) iter.Seq2[customer.Interaction, error] {
	return facts[customer.Interaction](ctx, s.db, "interactions", "customer_id = $1", true, customerID)
}

func (s customerStore) ReassignInteractions(ctx context.Context, from, to string) error {
	if from == "" || to == "" {
		return fmt.Errorf("reassign: %w: both customer IDs are required", customer.ErrInvalid)
	}
	_, err := s.db.pool.Exec(ctx, `UPDATE interactions SET customer_id = $2, doc = jsonb_set(doc, '{customerId}', to_jsonb($2::text))
		WHERE customer_id = $1`, from, to)
	return err
}

func (s customerStore) RedactInteractions(ctx context.Context, customerID string) error {
	_, err := s.db.pool.Exec(ctx, `UPDATE interactions SET doc = doc - 'summary' - 'outcome' WHERE customer_id = $1`, customerID)
	return err
}
