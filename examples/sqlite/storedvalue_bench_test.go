package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
)

// BenchmarkStoredValue runs the till's operations through the service
// (top-up, hold then commit, refund) at 100 and 50,000 prior entries, each
// on a new file in WAL mode with the -sqlite.sync setting (FULL unless
// told: every commit waits for the disk). The history is one Save, as
// storedvaluetest.SeedWallet writes it.
//
// go test -run '^$' -bench BenchmarkStoredValue -benchtime 200x -count 5
// go test -run '^$' -bench BenchmarkStoredValue -benchtime 200x -count 5 -sqlite.sync=NORMAL
func BenchmarkStoredValue(b *testing.B) {
	storedvaluetest.Bench(b, func(b *testing.B) storedvalue.Store {
		db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "lane.db"), sqlite.Options{Synchronous: *benchSync})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db.StoredValue()
	})
}
