package sqlite

import (
	"path/filepath"
	"testing"
	"time"
)

// TestPragmas checks that every connection of both pools runs with the
// settings Open promises.
func TestPragmas(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		sync int // PRAGMA synchronous: 1 NORMAL, 2 FULL, 3 EXTRA
		busy int64
	}{
		{Options{}, 2, 5000},
		{Options{Synchronous: "normal", BusyTimeout: 250 * time.Millisecond}, 1, 250},
	} {
		db, err := Open(t.Context(), filepath.Join(t.TempDir(), "p.db"), tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		for name, pool := range map[string]querier{"writer": &wtx{db: db}, "reader": db.rd} {
			var mode string
			var syncMode int
			var busy int64
			if err := pool.QueryRowContext(t.Context(), `PRAGMA journal_mode`).Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if err := pool.QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&syncMode); err != nil {
				t.Fatal(err)
			}
			if err := pool.QueryRowContext(t.Context(), `PRAGMA busy_timeout`).Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if mode != "wal" || syncMode != tc.sync || busy != tc.busy {
				t.Errorf("%+v, %s: journal_mode %s, synchronous %d, busy_timeout %d; want wal, %d, %d",
					tc.opt, name, mode, syncMode, busy, tc.sync, tc.busy)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
