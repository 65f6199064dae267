package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
)

// TestStoredValuePlans asks SQLite how it runs every statement the
// stored-value store reads with, on a wallet of 2,000 entries: each must
// search the named index with the named constraints (a page after the
// first seeks past the last row it read instead of filtering the rows
// before it), never scan a table or a whole index, and read rows in the
// order the index keeps them (no temporary B-tree to sort), so a read
// costs what it returns, never the account's history.
func TestStoredValuePlans(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := storedvaluetest.SeedWallet(ctx, db.StoredValue(), "m1", 2_000); err != nil {
		t.Fatal(err)
	}
	id := storedvalue.WalletID("m1")
	last := &storedvalue.Part{ID: "seed-000600", CreatedAt: time.Unix(600, 0)}
	type plan struct {
		name, query string
		args        []any
		search      string // the index search the plan must make, with its constraints
	}
	page := func(name string, q func() (string, []any), search string) plan {
		text, args := q()
		return plan{name, text, args, search}
	}
	const (
		byID       = "INDEX sqlite_autoindex_sv_accounts_1 (account_id=?)"
		byCode     = "INDEX sqlite_autoindex_sv_accounts_2 (code_key=?)"
		byOpKey    = "INDEX sqlite_autoindex_sv_operations_1 (key=?)"
		byPartID   = "INDEX sqlite_autoindex_sv_parts_1 (account_id=? AND part_id=?)"
		byRecord   = "INDEX sqlite_autoindex_sv_records_1 (account_id=? AND kind=? AND key=?)"
		firstSpend = "INDEX sv_parts_spending (account_id=? AND kind=?)"
		nextSpend  = "INDEX sv_parts_spending (account_id=? AND kind=? AND (spend_by,created_at,part_id)>(?,?,?))"
	)
	plans := []plan{
		{"GetAccount", svAccountByID, []any{id}, byID},
		{"AccountByCode", svAccountByCode, []any{"k"}, byCode},
		{"Save/version", svVersionOf, []any{id}, byID},
		{"Save/code key", svCodeTaken, []any{"k", id}, byCode},
		{"Save/operation key", svOperationTaken, []any{"op"}, byOpKey},
		{"GetOperation", svOperationKey, []any{"op"}, byOpKey},
		{"Parts", svPartsByID("?, ?"), []any{id, "seed-000001", "seed-000900"}, byPartID},
		{"GetRecords", svRecordsByKey("?"), []any{id, "payment", "h1"}, byRecord},
		page("SpendingParts/first", func() (string, []any) { return svSpendingPage(id, storedvalue.PaidPart, nil, 16) }, firstSpend),
		page("SpendingParts/next", func() (string, []any) { return svSpendingPage(id, storedvalue.PaidPart, last, 64) }, nextSpend),
		page("AllParts", func() (string, []any) { return svAllPartsPage(id, "seed-000100", pageSize) },
			"INDEX sqlite_autoindex_sv_parts_1 (account_id=? AND part_id>?)"),
		page("Entries", func() (string, []any) { return svEntriesPage(id, 100, pageSize) },
			"INDEX sqlite_autoindex_sv_entries_1 (account_id=? AND seq>?)"),
		page("Accounts", func() (string, []any) { return svAccountsPage("a", pageSize) },
			"INDEX sqlite_autoindex_sv_accounts_1 (account_id>?)"),
	}
	for _, p := range plans {
		t.Run(p.name, func(t *testing.T) {
			rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+p.query, p.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var details []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				details = append(details, detail)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %q", p.name, details)
			searched := false
			for _, d := range details {
				if strings.HasPrefix(d, "SCAN") || strings.Contains(d, "TEMP B-TREE") {
					t.Errorf("%s: %q scans or sorts", p.name, d)
				}
				searched = searched || strings.HasPrefix(d, "SEARCH ") && strings.HasSuffix(d, p.search)
			}
			if !searched {
				t.Errorf("%s: plan %q does not search %s", p.name, details, p.search)
			}
		})
	}
}
