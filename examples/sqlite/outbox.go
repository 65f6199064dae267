package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"
)

// Outbox returns the durable outbound queue kept in this database: what a
// lane recorded and must still send to the central services.
func (db *DB) Outbox() *Outbox { return &Outbox{db: db} }

// Outbox is a durable, ordered queue of facts to send. Enqueue is
// idempotent by key; an item is applied (to the lane's own stores) and
// then sent (to the central services), each recorded once it happened, so
// after a crash Unapplied and Unsent list exactly what is left to do.
type Outbox struct{ db *DB }

// Item is one queued fact.
type Item struct {
	Seq        int64  // queue order, from 1
	Key        string // idempotency key, such as "purchase:<ID>"
	Kind       string
	Payload    []byte
	EnqueuedAt time.Time
	AppliedAt  time.Time // zero until applied locally
	SentAt     time.Time // zero until the central services took it
	Outcome    string    // what sending it did, for the report
	// Secret is what the fact needs sent beside its payload and must not
	// outlive the sending (a gift card's code): nil once the item is
	// marked sent, and for items queued without one.
	Secret []byte
}

// Errors of the outbox.
var (
	// ErrKeyReused: an item with the key is queued with another payload.
	ErrKeyReused = errors.New("sqlite: outbox key reused with a different payload")
	// ErrNoItem: no item with that sequence number.
	ErrNoItem = errors.New("sqlite: no such outbox item")
)

// Enqueue appends an item, or returns the one queued before under the
// same key and kind with the same payload (a replayed request), failing
// with ErrKeyReused if the payload or kind differ.
func (o *Outbox) Enqueue(ctx context.Context, key, kind string, payload []byte, at time.Time) (Item, error) {
	return o.EnqueueSecret(ctx, key, kind, payload, nil, at)
}

// EnqueueSecret is Enqueue with a secret kept beside the payload until the
// item is marked sent (Item.Secret). A replayed request is compared by its
// key, kind and payload only, so the payload should carry what tells two
// secrets apart (a keyed hash of a code).
func (o *Outbox) EnqueueSecret(ctx context.Context, key, kind string, payload, secret []byte, at time.Time) (Item, error) {
	return o.EnqueueMarked(ctx, key, kind, payload, secret, HoldMark{}, at)
}

// HoldMark says what a queued item does to a hold: it opens one (a
// payment or coupon use reserved at checkout), which stays open until an
// item closing it is queued, or it closes the one queued under the key
// Closes (its commit or release). OpenHolds finds the open ones through
// an index, whatever the length of the queue.
type HoldMark struct {
	Opens  bool
	Closes string // the key of the item whose hold this item closes
}

// EnqueueMarked is EnqueueSecret for an item that opens or closes a hold
// (see HoldMark). A replayed request changes no mark; a Discard of an item
// undoes its mark (a discarded closing item leaves its hold open).
func (o *Outbox) EnqueueMarked(ctx context.Context, key, kind string, payload, secret []byte, mark HoldMark, at time.Time) (Item, error) {
	if key == "" || kind == "" {
		return Item{}, fmt.Errorf("outbox: %w: key and kind are required", ErrInvalidOption)
	}
	if mark.Opens && mark.Closes != "" {
		return Item{}, fmt.Errorf("outbox: %w: an item opens a hold or closes one, not both", ErrInvalidOption)
	}
	var it Item
	err := o.db.tx(ctx, func(tx *wtx) error {
		got, err := o.get(ctx, tx, `WHERE key = ?`, key)
		if err == nil {
			if got.Kind != kind || !bytes.Equal(got.Payload, payload) {
				return fmt.Errorf("outbox item %s: %w", key, ErrKeyReused)
			}
			it = got
			return nil
		}
		if !errors.Is(err, ErrNoItem) {
			return err
		}
		if payload == nil {
			payload = []byte{}
		}
		var sec, closes, open any // NULL unless set
		if len(secret) > 0 {
			sec = secret
		}
		if mark.Closes != "" {
			closes = mark.Closes
		}
		if mark.Opens {
			// Open unless its closing item came first (a replay after a
			// crash can queue them in any order).
			closed, err := exists(ctx, tx, `SELECT 1 FROM outbox WHERE closes = ?`, key)
			if err != nil {
				return err
			}
			open = !closed
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox (key, kind, payload, enqueued_at, secret, closes, hold_open)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, key, kind, payload, micros(at), sec, closes, open)
		if err != nil {
			return err
		}
		if mark.Closes != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET hold_open = 0 WHERE key = ? AND hold_open = 1`, mark.Closes); err != nil {
				return err
			}
		}
		seq, err := res.LastInsertId()
		it = Item{Seq: seq, Key: key, Kind: kind, Payload: bytes.Clone(payload), EnqueuedAt: fromMicros(micros(at)),
			Secret: bytes.Clone(secret)}
		if len(it.Secret) == 0 {
			it.Secret = nil
		}
		return err
	})
	return it, err
}

// OpenHolds yields, in queue order, the items that opened a hold no
// queued item has closed yet. It reads the open ones only (an index of
// them), not the queue.
func (o *Outbox) OpenHolds(ctx context.Context) iter.Seq2[Item, error] {
	return o.items(ctx, `hold_open = 1`)
}

const itemColumns = `SELECT seq, key, kind, payload, enqueued_at, applied_at, sent_at, outcome, secret FROM outbox `

func scanItem(row interface{ Scan(...any) error }) (Item, error) {
	var (
		it              Item
		enq             int64
		applied, sentAt sql.NullInt64
	)
	if err := row.Scan(&it.Seq, &it.Key, &it.Kind, &it.Payload, &enq, &applied, &sentAt, &it.Outcome, &it.Secret); err != nil {
		return it, err
	}
	if it.Payload == nil {
		it.Payload = []byte{}
	}
	it.EnqueuedAt, it.AppliedAt, it.SentAt = fromMicros(enq), fromNullMicros(applied), fromNullMicros(sentAt)
	return it, nil
}

func (o *Outbox) get(ctx context.Context, q querier, where string, arg any) (Item, error) {
	it, err := scanItem(q.QueryRowContext(ctx, itemColumns+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("outbox item %v: %w", arg, ErrNoItem)
	}
	return it, err
}

// Get returns the item with the sequence number, or ErrNoItem.
func (o *Outbox) Get(ctx context.Context, seq int64) (Item, error) {
	return o.get(ctx, o.db.rd, `WHERE seq = ?`, seq)
}

// MarkApplied records that the item is applied to the lane's stores; the
// first time stays.
func (o *Outbox) MarkApplied(ctx context.Context, seq int64, at time.Time) error {
	return o.mark(ctx, seq, `UPDATE outbox SET applied_at = ? WHERE seq = ? AND applied_at IS NULL`, micros(at), seq)
}

// MarkSent records that the central services took the item, and what
// came of it, and clears its secret; the first time stays.
func (o *Outbox) MarkSent(ctx context.Context, seq int64, at time.Time, outcome string) error {
	return o.mark(ctx, seq, `UPDATE outbox SET sent_at = ?, outcome = ?, secret = NULL WHERE seq = ? AND sent_at IS NULL`,
		micros(at), outcome, seq)
}

func (o *Outbox) mark(ctx context.Context, seq int64, query string, args ...any) error {
	return o.db.tx(ctx, func(tx *wtx) error {
		if _, err := o.get(ctx, tx, `WHERE seq = ?`, seq); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

// Unapplied yields the items not yet applied to the lane's stores, in
// queue order.
func (o *Outbox) Unapplied(ctx context.Context) iter.Seq2[Item, error] {
	return o.items(ctx, `applied_at IS NULL`)
}

// Unsent yields the items the central services have not taken yet, in
// queue order.
func (o *Outbox) Unsent(ctx context.Context) iter.Seq2[Item, error] {
	return o.items(ctx, `sent_at IS NULL`)
}

// All yields every item in queue order.
func (o *Outbox) All(ctx context.Context) iter.Seq2[Item, error] {
	return o.items(ctx, `1`)
}

func (o *Outbox) items(ctx context.Context, filter string) iter.Seq2[Item, error] {
	return stream(ctx, o.db, func(last *Item, limit int) (string, []any) {
		var after int64
		if last != nil {
			after = last.Seq
		}
		return fmt.Sprintf(itemColumns+`WHERE %s AND seq > ? ORDER BY seq LIMIT %d`, filter, limit), []any{after}
	}, func(rows *sql.Rows) (Item, error) { return scanItem(rows) })
}

// Discard removes an item that was neither applied nor sent: a fact the
// lane's own services refused, so nothing of it was recorded anywhere. It
// fails with ErrNoItem if there is no such item, and refuses (ErrApplied)
// one already applied or sent.
func (o *Outbox) Discard(ctx context.Context, seq int64) error {
	return o.db.tx(ctx, func(tx *wtx) error {
		it, err := o.get(ctx, tx, `WHERE seq = ?`, seq)
		if err != nil {
			return err
		}
		if !it.AppliedAt.IsZero() || !it.SentAt.IsZero() {
			return fmt.Errorf("outbox item %d: %w", seq, ErrApplied)
		}
		// A closing item taken back leaves its hold open again.
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET hold_open = 1 WHERE hold_open = 0
			AND key = (SELECT closes FROM outbox WHERE seq = ?)`, seq); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM outbox WHERE seq = ?`, seq)
		return err
	})
}

// ErrApplied: the item was applied or sent, so it stays.
var ErrApplied = errors.New("sqlite: outbox item already applied or sent")
