package sqlite

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// fileAt makes a database file at path as the migrations up to version
// made it, recording them as Migrate does, and returns it open on the
// plain driver.
func fileAt(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
		if err != nil || v > version {
			continue
		}
		text, err := migrations.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(text)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)`, v); err != nil {
			t.Fatal(err)
		}
	}
	return raw
}

// migrated closes raw, the plain driver's handle on the file at path, and
// opens the file with Open, which applies the migrations it lacks.
func migrated(t *testing.T, raw *sql.DB, path string) *DB {
	t.Helper()
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigration006 converts a file made before migration 006 (lots
// indexed by the expression coalesce(expires_at, ...)) holding open,
// spent and never-expiring lots: after Open migrates it, SpendingLots
// yields every open lot in the spending order (soonest expiry first,
// never-expiring last, then oldest, then ID) across pages, and a page
// after the first seeks on the new column.
func TestMigration006(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw := fileAt(t, path, 5)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var want []ledger.Lot
	for i := range 300 {
		lot := ledger.Lot{ID: fmt.Sprintf("L%04d", (i*7919)%300), EarnedAt: base.Add(time.Duration(i%50) * time.Hour), Remaining: 10}
		var expires any // NULL: never expires
		if i%3 != 0 {
			lot.ExpiresAt = base.AddDate(1, 0, i%40)
			expires = micros(lot.ExpiresAt)
		}
		if i%11 == 0 {
			lot.Remaining = 0 // spent: not in the index
		}
		if _, err := tx.Exec(`INSERT INTO loyalty_lots (member_id, lot_id, earn_entry, origin, source, amount, remaining,
			held, earned_at, pending_until, released, expires_at) VALUES ('m', ?, 'e', 'earn', 's', 10, ?, 0, ?, 0, 1, ?)`,
			lot.ID, lot.Remaining, micros(lot.EarnedAt), expires); err != nil {
			t.Fatal(err)
		}
		if lot.Remaining > 0 {
			want = append(want, lot)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	never := func(l ledger.Lot) int64 {
		if l.ExpiresAt.IsZero() {
			return 1 << 62
		}
		return micros(l.ExpiresAt)
	}
	slices.SortFunc(want, func(a, b ledger.Lot) int {
		return cmp.Or(cmp.Compare(never(a), never(b)), a.EarnedAt.Compare(b.EarnedAt), strings.Compare(a.ID, b.ID))
	})

	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var got []string
	for lot, err := range db.Loyalty().SpendingLots(t.Context(), "m") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, lot.ID)
	}
	wantIDs := make([]string, len(want))
	for i, l := range want {
		wantIDs[i] = l.ID
	}
	if !slices.Equal(got, wantIDs) {
		t.Fatalf("spending order after the migration:\n got %v\nwant %v", got, wantIDs)
	}
	checkPlans(t, db, []queryPlan{
		pagePlan("SpendingLots/next", func() (string, []any) { return lotSpendingPage("m", &want[100], 64) },
			"INDEX loyalty_lots_spending (member_id=? AND (spend_by,earned_at,lot_id)>(?,?,?))"),
	})
}

// Migration 045 keeps the JSON header documents written before it, as
// bytes that read back to the same account, and the account's next write
// stores the binary form.
func TestMigration045(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw := fileAt(t, path, 44)
	pts, err := ledger.FromHeader(ledger.Header{ID: "m", Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	acct := loyalty.Account{MemberID: "m", Version: 1, Points: pts, Purchases: 3}
	acct.Activity = []loyalty.QualifyingEvent{{Time: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Spend: decimal.NewFromInt(50), Purchases: 1, Points: 50, Purchase: "p1"}}
	d, err := acct.Docs()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO loyalty_accounts (member_id, version, header, state) VALUES ('m', 1, ?, ?)`,
		string(d.Header), string(d.State)); err != nil {
		t.Fatal(err)
	}
	db := migrated(t, raw, path)
	got, err := db.Loyalty().GetAccount(t.Context(), "m")
	if err != nil {
		t.Fatal(err)
	}
	if got.Purchases != 3 || len(got.Activity) != 1 || got.Activity[0].Points != 50 || got.Activity[0].Purchase != "p1" {
		t.Fatalf("account after the migration: %+v", got)
	}
	next := got.Clone()
	next.Version = 2
	next.Purchases = 4
	if err := db.Loyalty().Save(t.Context(), loyalty.Write{Account: next}); err != nil {
		t.Fatal(err)
	}
	var header []byte
	if err := db.rd.QueryRowContext(t.Context(), `SELECT header FROM loyalty_accounts WHERE member_id = 'm'`).Scan(&header); err != nil {
		t.Fatal(err)
	}
	if len(header) == 0 || header[0] != 0 {
		t.Fatalf("the rewritten header is not the binary form: %q", header)
	}
	again, err := db.Loyalty().GetAccount(t.Context(), "m")
	if err != nil || again.Purchases != 4 {
		t.Fatalf("account after its next write: %+v, %v", again, err)
	}
}

// TestMigration051 converts a file made before migration 051 (entries as
// JSON text) holding a member's entries: after Open migrates it, they read
// as before, and the entries a later write appends are in the binary form.
func TestMigration051(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw := fileAt(t, path, 50)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	old := []ledger.Entry{
		{Seq: 1, ID: "m#1", Account: "m", Kind: ledger.KindEarn, Points: 50, Time: at, Reference: "m#1", Purchase: "p1",
			Draws: []ledger.Draw{{LotID: "m#1", Points: 50}}},
		{Seq: 2, ID: "fixture", Account: "other", Kind: ledger.KindAdjust, Points: -5, Time: at.Add(time.Hour), Reason: "staff", Actor: "a-1"},
	}
	for _, e := range old {
		doc, err := marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`INSERT INTO loyalty_entries (member_id, seq, doc) VALUES ('m', ?, ?)`, e.Seq, doc); err != nil {
			t.Fatal(err)
		}
	}
	db := migrated(t, raw, path)
	entriesOf := func(member string) []ledger.Entry {
		var out []ledger.Entry
		for e, err := range db.Loyalty().Entries(t.Context(), member, 0) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, e)
		}
		return out
	}
	got := entriesOf("m")
	if len(got) != len(old) || !got[0].Equal(old[0]) || !got[1].Equal(old[1]) {
		t.Fatalf("entries after the migration: %+v", got)
	}
	pts, err := ledger.FromHeader(ledger.Header{ID: "n", Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	fresh := ledger.Entry{Seq: 1, ID: "n#1", Account: "n", Kind: ledger.KindAdjust, Points: 7, Time: at, Reason: "welcome", Actor: "a-2"}
	if err := db.Loyalty().Save(t.Context(), loyalty.Write{Account: loyalty.Account{MemberID: "n", Version: 1, Points: pts},
		Entries: []ledger.Entry{fresh}}); err != nil {
		t.Fatal(err)
	}
	var doc []byte
	if err := db.rd.QueryRowContext(t.Context(), `SELECT doc FROM loyalty_entries WHERE member_id = 'n'`).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc) == 0 || doc[0] != 0 {
		t.Fatalf("a new entry is not in the binary form: %q", doc)
	}
	if got := entriesOf("n"); len(got) != 1 || !got[0].Equal(fresh) {
		t.Fatalf("the new entry read back: %+v", got)
	}
}

// TestMigration052 opens a file made by migrations 001–051 holding an
// account at version 2: it has no change journal for its first two
// versions, so Changes since 0 or 1 is ErrChangesGone (the lane copies it
// whole once), since 2 is nothing, and a save after the migration is
// named exactly.
func TestMigration052(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw := fileAt(t, path, 51)
	pts, err := ledger.FromHeader(ledger.Header{ID: "m", Version: 2})
	if err != nil {
		t.Fatal(err)
	}
	header, state, err := encodeAccount(loyalty.Account{MemberID: "m", Version: 2, Points: pts})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO loyalty_accounts (member_id, version, header, state) VALUES ('m', 2, ?, ?)`, header, state); err != nil {
		t.Fatal(err)
	}
	db := migrated(t, raw, path)
	feed := db.Loyalty().(loyalty.ChangeFeed)
	for _, since := range []int64{0, 1} {
		if _, err := feed.Changes(t.Context(), "m", since); !errors.Is(err, loyalty.ErrChangesGone) {
			t.Fatalf("since %d, before any journal: %v, want ErrChangesGone", since, err)
		}
	}
	if got, err := feed.Changes(t.Context(), "m", 2); err != nil || got.Version != 2 || len(got.Lots)+len(got.Records) != 0 {
		t.Fatalf("since the current version: %+v, %v", got, err)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	earned, entries, err := pts.Earn("p1", 10, at, time.Time{}, time.Time{}, "p1")
	if err != nil {
		t.Fatal(err)
	}
	lots, _ := earned.Changes()
	if err := db.Loyalty().Save(t.Context(), loyalty.Write{Account: loyalty.Account{MemberID: "m", Version: 3, Points: earned},
		Lots: lots, Entries: entries}); err != nil {
		t.Fatal(err)
	}
	got, err := feed.Changes(t.Context(), "m", 2)
	if err != nil || got.Version != 3 || got.EntriesAfter != 0 || !slices.Equal(got.Lots, []string{"p1"}) {
		t.Fatalf("since 2, after a save: %+v, %v", got, err)
	}
}
