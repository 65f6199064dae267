package sqlite

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// TestCopiesWaitForTheOutbox: while the outbox holds an unsent item,
// ReplaceStoredValue and ReplaceCoupons fail with ErrUnsent and write
// nothing; once it is sent they write the copies, at a version above the
// lane's.
func TestCopiesWaitForTheOutbox(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "lane.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	it, err := db.Outbox().Enqueue(ctx, "svpay:P1", "svpay", []byte(`{}`), at)
	if err != nil {
		t.Fatal(err)
	}
	wallet := AccountCopy{ID: "w:m1", Account: &storedvalue.Account{ID: "w:m1", Version: 3, Type: storedvalue.WalletAccount,
		State: storedvalue.Active, Holder: "m1", Currency: "CNY", Paid: 500, Seq: 1, CreatedAt: at},
		Parts:   []storedvalue.Part{{ID: "topup:T1/paid", Kind: storedvalue.PaidPart, Source: "topup:T1", Amount: 500, Remaining: 500, CreatedAt: at}},
		Entries: []storedvalue.Entry{{Seq: 1, Kind: storedvalue.EntryTopUp, Op: "topup:T1", At: at, Paid: 500}}}
	codes := CouponCopy{Definitions: []coupon.Definition{{ID: "flyer", Currency: "CNY", UsesPerCode: 5}},
		Codes: []coupon.Code{{Code: "FLYER2026", Definition: "flyer", Source: coupon.SourceGeneric, Limit: 5, Used: 2,
			IssuedAt: at, Batch: "b", Version: 4}}}
	if err := db.ReplaceStoredValue(ctx, []AccountCopy{wallet}); !errors.Is(err, ErrUnsent) {
		t.Fatalf("stored value with an unsent item: %v, want ErrUnsent", err)
	}
	if err := db.ReplaceCoupons(ctx, codes); !errors.Is(err, ErrUnsent) {
		t.Fatalf("coupons with an unsent item: %v, want ErrUnsent", err)
	}
	if _, err := db.StoredValue().GetAccount(ctx, "w:m1"); !errors.Is(err, storedvalue.ErrNotFound) {
		t.Fatalf("a refused copy wrote the account: %v", err)
	}
	if _, err := db.Coupons().GetCode(ctx, "FLYER2026"); !errors.Is(err, coupon.ErrNotFound) {
		t.Fatalf("a refused copy wrote the code: %v", err)
	}

	if err := db.Outbox().MarkApplied(ctx, it.Seq, at); err != nil {
		t.Fatal(err)
	}
	if err := db.Outbox().MarkSent(ctx, it.Seq, at, ""); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second copy lands above the first's version
		if err := db.ReplaceStoredValue(ctx, []AccountCopy{wallet}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReplaceCoupons(ctx, codes); err != nil {
			t.Fatal(err)
		}
	}
	a, err := db.StoredValue().GetAccount(ctx, "w:m1")
	if err != nil || a.Paid != 500 || a.Version != 4 {
		t.Fatalf("account after two copies: %+v, %v; want paid 500 at version 4", a, err)
	}
	if err := storedvalue.Audit(ctx, db.StoredValue(), "w:m1"); err != nil {
		t.Fatal(err)
	}
	c, err := db.Coupons().GetCode(ctx, "FLYER2026")
	if err != nil || c.Used != 2 || c.Version != 5 {
		t.Fatalf("code after two copies: %v, %v; want 2 used at version 5", c.LogValue(), err)
	}
}
