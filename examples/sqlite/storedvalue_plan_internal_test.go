package sqlite

import (
	"path/filepath"
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
	const (
		byID       = "INDEX sqlite_autoindex_sv_accounts_1 (account_id=?)"
		byCode     = "INDEX sqlite_autoindex_sv_accounts_2 (code_key=?)"
		byOpKey    = "INDEX sqlite_autoindex_sv_operations_1 (key=?)"
		byPartID   = "INDEX sqlite_autoindex_sv_parts_1 (account_id=? AND part_id=?)"
		byRecord   = "INDEX sqlite_autoindex_sv_records_1 (account_id=? AND kind=? AND key=?)"
		firstSpend = "INDEX sv_parts_spending (account_id=? AND kind=?)"
		nextSpend  = "INDEX sv_parts_spending (account_id=? AND kind=? AND (spend_by,created_at,part_id)>(?,?,?))"
	)
	plans := []queryPlan{
		{"GetAccount", svAccountByID, []any{id}, byID},
		{"AccountByCode", svAccountByCode, []any{"k"}, byCode},
		{"AccountByCode/probe", svCodeProbe, []any{"k"}, "COVERING " + byCode},
		{"Save/version", svVersionOf, []any{id}, byID},
		{"Save/code key", svCodeTaken, []any{"k", id}, byCode},
		{"Save/operation key", svOperationTaken, []any{"op"}, byOpKey},
		{"GetOperation", svOperationKey, []any{"op"}, byOpKey},
		{"Parts", svPartsByID("?, ?"), []any{id, "seed-000001", "seed-000900"}, byPartID},
		{"GetRecords", svRecordsByKey("?"), []any{id, "payment", "h1"}, byRecord},
		pagePlan("SpendingParts/first", func() (string, []any) { return svSpendingPage(id, storedvalue.PaidPart, nil, 16) }, firstSpend),
		pagePlan("SpendingParts/next", func() (string, []any) { return svSpendingPage(id, storedvalue.PaidPart, last, 64) }, nextSpend),
		pagePlan("AllParts", func() (string, []any) { return svAllPartsPage(id, "seed-000100", pageSize) },
			"INDEX sqlite_autoindex_sv_parts_1 (account_id=? AND part_id>?)"),
		pagePlan("Entries", func() (string, []any) { return svEntriesPage(id, 100, pageSize) },
			"INDEX sqlite_autoindex_sv_entries_1 (account_id=? AND seq>?)"),
		pagePlan("DueRecords", func() (string, []any) {
			return svDuePage("hold", time.Unix(900, 0), storedvalue.DueRecord{}, 64)
		}, "INDEX sv_records_due (kind=? AND (due_at,account_id,key)>(?,?,?) AND due_at<?)"),
		pagePlan("Accounts", func() (string, []any) { return svAccountsPage("a", pageSize) },
			"INDEX sqlite_autoindex_sv_accounts_1 (account_id>?)"),
	}
	checkPlans(t, db, plans)
}
