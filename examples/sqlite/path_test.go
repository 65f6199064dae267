package sqlite_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/clientele-go/clientele/examples/sqlite"
)

// TestOpenPath opens files whose paths hold what a URI would decode or
// cut (spaces, '%', '#'), and refuses paths the driver would misread.
func TestOpenPath(t *testing.T) {
	for _, name := range []string{"a b", "a%20b", "lane#2", "百货"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "lane.db")
		db, err := sqlite.Open(t.Context(), path, sqlite.Options{})
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if _, err := os.Stat(path + "-wal"); err != nil {
			t.Errorf("%q: no write-ahead log beside the open file (journal_mode=WAL not applied?): %v", name, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%q: the file is not where the path says: %v", name, err)
		}
	}
	for _, path := range []string{"", "lane.db?mode=ro", "file:lane.db"} {
		if _, err := sqlite.Open(t.Context(), path, sqlite.Options{}); !errors.Is(err, sqlite.ErrInvalidPath) {
			t.Errorf("%q: got %v, want ErrInvalidPath", path, err)
		}
	}
	if _, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "x.db"), sqlite.Options{Synchronous: "sometimes"}); !errors.Is(err, sqlite.ErrInvalidOption) {
		t.Errorf("synchronous=sometimes: got %v, want ErrInvalidOption", err)
	}
}
