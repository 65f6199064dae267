package sqlite

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestEarnFrames counts the pages an earn appends to the WAL, by the
// B-tree each belongs to: a synchronous=FULL commit writes them all before
// its fsync, and each costs two writes and a checksum of the page. It
// fails if an account row spills into an overflow page or the earn writes
// more frames than the layout of migration 052 does (11.05 per earn on a
// 1,000-purchase history; 10.3 before its change journal, whose leaf and
// internal pages take 1.25; 11.8 before migration 041).
func TestEarnFrames(t *testing.T) {
	n, earns := 1_000, 300
	if testing.Short() {
		n, earns = 100, 50
	}
	h := newHistory(t, n)
	ctx := t.Context()
	for _, q := range []string{`PRAGMA wal_checkpoint(TRUNCATE)`, `PRAGMA wal_autocheckpoint=0`} {
		if _, err := h.db.wc.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var pageSize int64
	var file string
	if err := h.db.wc.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := h.db.wc.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	total := 0
	for range earns {
		p := h.purchase(t)
		st, err := os.Stat(file + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		before := max(st.Size(), 32) // the WAL's header is 32 bytes
		if _, err := h.points.Earn(ctx, p); err != nil {
			t.Fatal(err)
		}
		names, err := pageNames(h.db)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(file + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		for off := before; off+24 <= int64(len(data)); off += 24 + pageSize {
			per[names[binary.BigEndian.Uint32(data[off:])]]++
			total++
		}
	}
	var lines []string
	for k, v := range per {
		lines = append(lines, strings.Repeat(" ", max(0, 48-len(k)))+k+" "+fmt.Sprintf("%.2f", float64(v)/float64(earns)))
	}
	slices.Sort(lines)
	perEarn := float64(total) / float64(earns)
	t.Logf("%d earns after %d purchases: %.2f WAL frames per earn\n%s", earns, n, perEarn, strings.Join(lines, "\n"))
	if per["loyalty_accounts/overflow"] > 0 {
		t.Errorf("account rows spill into overflow pages")
	}
	if perEarn > 11.5 {
		t.Errorf("%.2f WAL frames per earn, want at most 11.5", perEarn)
	}
}

// pageNames maps each page of the database to its B-tree and page type.
func pageNames(db *DB) (map[uint32]string, error) {
	rows, err := db.wc.QueryContext(context.Background(), `SELECT name, pageno, pagetype FROM dbstat`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[uint32]string{}
	for rows.Next() {
		var name, kind string
		var page uint32
		if err := rows.Scan(&name, &page, &kind); err != nil {
			return nil, err
		}
		names[page] = name + "/" + kind
	}
	return names, rows.Err()
}
