package sqlite

import (
	"os"
	"path/filepath"
	"testing"
)

// walLength returns the WAL file's length and the length reserveWAL aims
// for.
func walLength(t *testing.T, db *DB, path string) (have, want int64) {
	t.Helper()
	var pageSize, autoCheckpoint int64
	if err := db.wc.QueryRowContext(t.Context(), `PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := db.wc.QueryRowContext(t.Context(), `PRAGMA wal_autocheckpoint`).Scan(&autoCheckpoint); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return st.Size(), 32 + (autoCheckpoint+walReserveSlack)*(pageSize+24)
}

// TestReserveWAL checks that Open at synchronous=FULL leaves a WAL file
// long enough for a checkpoint interval, and not at NORMAL; and that the
// zeros past the frames change nothing a crash leaves: a copy of the
// database and WAL files taken while open (as a power cut would leave
// them, without the shared-memory index) opens with every committed row
// and passes SQLite's integrity check, and so does a copy taken after a
// second Open reserved room behind frames already written.
func TestReserveWAL(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lane.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if have, want := walLength(t, db, path); have != want {
		t.Fatalf("WAL file after Open: %d bytes, want %d", have, want)
	}
	insert := func(db *DB, from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if err := db.tx(t.Context(), func(tx *wtx) error {
				_, err := tx.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)`, 100_000+i)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	crashCopy := func(name string) string {
		t.Helper()
		to := filepath.Join(dir, name)
		for _, suffix := range []string{"", "-wal"} {
			data, err := os.ReadFile(path + suffix)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(to+suffix, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return to
	}
	check := func(copyPath string, rows int) {
		t.Helper()
		c, err := Open(t.Context(), copyPath, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var n int
		var ok string
		if err := c.wc.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations WHERE version >= 100000`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := c.wc.QueryRowContext(t.Context(), `PRAGMA integrity_check`).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if n != rows || ok != "ok" {
			t.Errorf("%s: %d rows (want %d), integrity %q", filepath.Base(copyPath), n, rows, ok)
		}
	}
	insert(db, 0, 20)
	check(crashCopy("crash1.db"), 20)

	// A file whose WAL holds frames and is shorter than the reserve (its
	// first handle at NORMAL reserved nothing): a second handle at FULL
	// appends the zeros behind those frames.
	lanePath := filepath.Join(dir, "normal.db")
	normal, err := Open(t.Context(), lanePath, Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer normal.Close()
	insert(normal, 0, 20)
	have, want := walLength(t, normal, lanePath)
	if have >= want || have < 32+20*4096 {
		t.Fatalf("WAL file at NORMAL after 20 commits: %d bytes, want frames and less than the %d a reserve makes", have, want)
	}
	second, err := Open(t.Context(), lanePath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if have, want := walLength(t, second, lanePath); have != want {
		t.Errorf("WAL file after a second Open at FULL: %d bytes, want %d", have, want)
	}
	insert(second, 20, 40)
	path = lanePath
	check(crashCopy("crash2.db"), 40)
}
