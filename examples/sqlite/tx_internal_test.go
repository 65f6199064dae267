package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestWriterTransactions: a transaction whose function fails, or whose
// statement breaks a constraint, leaves nothing and the writer usable; a
// caller waiting for the writer gives up when its context ends; a
// transaction that committed is there.
func TestWriterTransactions(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "tx.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	insert := func(tx *wtx, key string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (key, kind, payload, enqueued_at) VALUES (?, 'k', x'', 0)`, key)
		return err
	}
	count := func() int {
		var n int
		if err := db.rd.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	boom := errors.New("boom")
	if err := db.tx(ctx, func(tx *wtx) error { return errors.Join(insert(tx, "a"), boom) }); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the function's error", err)
	}
	if err := db.tx(ctx, func(tx *wtx) error {
		if err := insert(tx, "b"); err != nil {
			return err
		}
		return insert(tx, "b") // the key is unique
	}); !constraint(err) {
		t.Fatalf("got %v, want a constraint violation", err)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d rows after two failed transactions, want 0", n)
	}

	held := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- db.tx(ctx, func(tx *wtx) error {
			close(held)
			<-release
			return insert(tx, "c")
		})
	}()
	<-held
	waiting, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := db.tx(waiting, func(*wtx) error { return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v while the writer was busy, want the context's error", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d rows after the committed transaction, want 1", n)
	}
}
