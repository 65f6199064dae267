package sqlite

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/coupon"
)

// TestCouponPlans asks SQLite how it runs every statement the coupon
// store reads with (its tables are WITHOUT ROWID, so a key's search is
// the primary key's own B-tree), among 2,000 codes and 1,000 holds (half of them
// closed): each must search the named index with the named constraints
// (a page after the first seeks past the last row it read), never scan a
// table or a whole index, and read rows in the order the index keeps
// them (no temporary B-tree to sort), so a lookup or a redemption costs
// an index probe however many codes and holds the file holds.
func TestCouponPlans(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := db.Coupons()
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	if err := s.AddDefinition(ctx, coupon.Definition{ID: "D1", Currency: "CNY", UsesPerCode: 1}); err != nil {
		t.Fatal(err)
	}
	b := coupon.Batch{Operation: coupon.Operation{Key: "batch", Hash: "h"}}
	for i := range 2_000 {
		b.Codes = append(b.Codes, coupon.Code{Code: fmt.Sprintf("C%05d", i), Definition: "D1", Source: coupon.SourceImported,
			Limit: 1, IssuedAt: at, Batch: "batch", Version: 1})
	}
	if err := s.AddCodes(ctx, b); err != nil {
		t.Fatal(err)
	}
	for i, c := range b.Codes[:1_000] {
		c.Held, c.Version = 1, 2
		r := &coupon.Redemption{ID: fmt.Sprintf("H%05d", i), Code: c.Code, State: coupon.StateHeld, Definition: "D1",
			HeldAt: at.Add(time.Duration(i) * time.Second), Version: 1}
		if i%2 == 1 {
			c.Held, c.Used = 0, 1
			r.State, r.ClosedAt, r.Purchase = coupon.StateCommitted, r.HeldAt, "P"
		}
		if err := s.Save(ctx, coupon.Write{Code: &c, Redemption: r, Operation: coupon.Operation{Key: r.ID, Hash: "h"}}); err != nil {
			t.Fatal(err)
		}
	}
	last := &coupon.Redemption{ID: "H00300", HeldAt: at.Add(300 * time.Second)}
	const (
		byCode  = "coupon_codes USING PRIMARY KEY (code=?)"
		byUses  = "coupon_uses USING PRIMARY KEY (code=? AND customer=?)"
		byRedID = "coupon_redemptions USING PRIMARY KEY (id=?)"
		byOpKey = "coupon_operations USING PRIMARY KEY (key=?)"
	)
	plans := []queryPlan{
		{"GetDefinition", cpDefinitionByID, []any{"D1"}, "coupon_definitions USING PRIMARY KEY (id=?)"},
		{"GetCode", cpCodeByCode, []any{"C00001"}, byCode},
		{"GetUses", cpUsesByKey, []any{"C00001", "m1"}, byUses},
		{"GetRedemption", cpRedemptionByID, []any{"H00001"}, byRedID},
		{"GetOperation", cpOperationByKey, []any{"op"}, byOpKey},
		{"Save/code version", cpCodeVersion, []any{"C00001"}, byCode},
		{"Save/uses version", cpUsesVersion, []any{"C00001", "m1"}, byUses},
		{"Save/redemption version", cpRedemptionVer, []any{"H00001"}, byRedID},
		{"Save/operation key", cpOperationTaken, []any{"op"}, byOpKey},
		pagePlan("Codes", func() (string, []any) { return cpCodesPage("D1", "C00100", pageSize) },
			"coupon_codes USING INDEX coupon_codes_definition (definition=? AND code>?)"),
		pagePlan("OpenHolds/first", func() (string, []any) { return cpOpenHoldsPage(at.Add(time.Hour), nil, pageSize) },
			"coupon_redemptions USING INDEX coupon_redemptions_open (held_at<?)"),
		pagePlan("OpenHolds/next", func() (string, []any) { return cpOpenHoldsPage(at.Add(time.Hour), last, pageSize) },
			"coupon_redemptions USING INDEX coupon_redemptions_open ((held_at,id)>(?,?) AND held_at<?)"),
	}
	checkPlans(t, db, plans)
}
