package sqlite

import (
	"cmp"
	"database/sql"
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
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
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
