package sqlite

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOpenHoldsReadOnlyOpenOnes queues, after a short and after a long
// history of holds settled and sales sent, the same open holds: a wallet
// hold, a coupon hold, and a hold whose commit was discarded (refused on
// the lane), beside a hold queued after its release. OpenHolds yields those three, in queue order, through the
// same statements whatever the history, and its query reads the partial
// index of open holds, not the queue.
func TestOpenHoldsReadOnlyOpenOnes(t *testing.T) {
	ctx := t.Context()
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	var runs [][]string
	var plans []string
	for _, history := range []int{2, 300} {
		db, err := Open(ctx, filepath.Join(t.TempDir(), "lane.db"), Options{Synchronous: "OFF"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		o := db.Outbox()
		enqueue := func(key, kind string, mark HoldMark) Item {
			t.Helper()
			it, err := o.EnqueueMarked(ctx, key, kind, []byte(`{}`), nil, mark, at)
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		for i := range history {
			enqueue(fmt.Sprint("purchase:p", i), "purchase", HoldMark{})
			enqueue(fmt.Sprint("svpay:h", i), "svhold", HoldMark{Opens: true})
			enqueue(fmt.Sprint("svsettle:h", i), "svcommit", HoldMark{Closes: fmt.Sprint("svpay:h", i)})
			enqueue(fmt.Sprint("cphold:c", i), "cphold", HoldMark{Opens: true})
			enqueue(fmt.Sprint("cpclose:c", i), "cprelease", HoldMark{Closes: fmt.Sprint("cphold:c", i)})
		}
		// Sent items stay queued.
		for it, err := range o.All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if err := o.MarkSent(ctx, it.Seq, at, ""); err != nil {
				t.Fatal(err)
			}
		}
		enqueue("svpay:open", "svhold", HoldMark{Opens: true})
		enqueue("cphold:open", "cphold", HoldMark{Opens: true})
		enqueue("svpay:again", "svhold", HoldMark{Opens: true})
		refused := enqueue("svsettle:again", "svcommit", HoldMark{Closes: "svpay:again"})
		if err := o.Discard(ctx, refused.Seq); err != nil {
			t.Fatal(err)
		}
		// A replayed hold changes nothing, and a hold queued after its
		// release (a replay after a crash) is born closed.
		enqueue("svpay:open", "svhold", HoldMark{Opens: true})
		enqueue("svsettle:late", "svrelease", HoldMark{Closes: "svpay:late"})
		enqueue("svpay:late", "svhold", HoldMark{Opens: true})

		var mu sync.Mutex
		var got []string
		db.trace = func(q string) { mu.Lock(); defer mu.Unlock(); got = append(got, q) }
		var open []string
		for it, err := range o.OpenHolds(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			open = append(open, it.Key)
		}
		db.trace = nil
		if want := []string{"svpay:open", "cphold:open", "svpay:again"}; !slices.Equal(open, want) {
			t.Errorf("after %d settled holds: open holds %q, want %q", history, open, want)
		}
		runs = append(runs, got)
		explainAll(t, db, got)
		for _, q := range got {
			plans = append(plans, planOf(t, db, q[2:]))
		}
	}
	if !slices.Equal(runs[0], runs[1]) {
		t.Errorf("statements differ with the history:\n%s\n---\n%s", strings.Join(runs[0], "\n"), strings.Join(runs[1], "\n"))
	}
	for _, p := range plans {
		if !strings.Contains(p, "outbox_open_holds") {
			t.Errorf("OpenHolds does not read the index of open holds: %s", p)
		}
	}
}

// planOf is the query plan of a statement, its steps joined.
func planOf(t *testing.T, db *DB, query string) string {
	t.Helper()
	rows, err := db.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+query, make([]any, strings.Count(query, "?"))...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "; ")
}

// TestMigration042 converts a lane's queue written before migration 042:
// its holds, settled or not, are found open or closed from their kinds
// and payloads as the lane queued them.
func TestMigration042(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lane.db")
	raw := fileAt(t, path, 41)
	for i, it := range []struct{ key, kind, payload string }{
		{"svpay:h1", "svhold", `{"id":"h1","memberId":"m"}`},
		{"svpay:h2", "svhold", `{"id":"h2","memberId":"m"}`},
		{"svsettle:h1", "svcommit", `{"holdId":"h1","at":"2026-03-01T10:00:00Z"}`},
		{"cphold:c1", "cphold", `{"ID":"c1","Code":"FLYER"}`},
		{"cphold:c2", "cphold", `{"ID":"c2","Code":"FLYER"}`},
		{"cpclose:c2", "cprelease", `{"holdId":"c2","at":"2026-03-01T10:00:00Z"}`},
		{"svpay:p1", "svpay", `{"id":"p1","memberId":"m"}`},
		{"purchase:p1", "purchase", `{"ID":"p1"}`},
	} {
		if _, err := raw.Exec(`INSERT INTO outbox (key, kind, payload, enqueued_at) VALUES (?, ?, ?, ?)`,
			it.key, it.kind, []byte(it.payload), i); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var open []string
	for it, err := range db.Outbox().OpenHolds(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, it.Key)
	}
	if want := []string{"svpay:h2", "cphold:c1"}; !slices.Equal(open, want) {
		t.Errorf("open holds after the migration %q, want %q", open, want)
	}
	// The migrated closing items keep working: a discarded release opens
	// its hold again.
	for it, err := range db.Outbox().All(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		if it.Key == "cpclose:c2" {
			if err := db.Outbox().Discard(t.Context(), it.Seq); err != nil {
				t.Fatal(err)
			}
		}
	}
	open = open[:0]
	for it, err := range db.Outbox().OpenHolds(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, it.Key)
	}
	if want := []string{"svpay:h2", "cphold:c1", "cphold:c2"}; !slices.Equal(open, want) {
		t.Errorf("open holds after the discard %q, want %q", open, want)
	}
}
