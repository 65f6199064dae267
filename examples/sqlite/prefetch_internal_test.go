package sqlite

import (
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/loyalty"
)

// TestPrefetchKeyCounts checks the prefetch's records against GetRecords
// for every way the statement is built: no key, keys bound one by one (up
// to prefetchInline) and a JSON array past that, with keys missing and
// repeated, and a record of another kind under a key asked for.
func TestPrefetchKeyCounts(t *testing.T) {
	h := newHistory(t, 3)
	ctx := t.Context()
	for i := range 30 {
		if _, err := h.db.wc.ExecContext(ctx, `INSERT INTO loyalty_records (member_id, kind, key, data) VALUES (?, ?, ?, ?)`,
			"H-1", string(loyalty.RecordPurchase), fmt.Sprintf("k%02d", i), []byte(fmt.Sprintf(`{"n":%d}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.db.wc.ExecContext(ctx, `INSERT INTO loyalty_records (member_id, kind, key, data) VALUES ('H-1', ?, 'k01', x'01')`,
		string(loyalty.RecordCoupon)); err != nil {
		t.Fatal(err)
	}
	store := h.db.Loyalty()
	for _, n := range []int{0, 1, 2, prefetchInline, prefetchInline + 1, 40} {
		var keys []string
		for i := range n {
			switch i % 4 {
			case 3:
				keys = append(keys, "missing")
			case 2:
				keys = append(keys, keys[0]) // a repeat
			default:
				keys = append(keys, fmt.Sprintf("k%02d", (i*7)%30))
			}
		}
		got, err := store.(loyalty.Prefetcher).Prefetch(ctx, loyalty.Prefetch{OperationKey: "earn:h0", MemberID: "H-1",
			Kind: loyalty.RecordPurchase, Keys: keys})
		if err != nil {
			t.Fatalf("%d keys: %v", n, err)
		}
		want, err := store.GetRecords(ctx, "H-1", loyalty.RecordPurchase, keys)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Records) != fmt.Sprint(want) {
			t.Errorf("%d keys: prefetched %v, GetRecords %v", n, got.Records, want)
		}
		if n > 0 && len(got.Records) == 0 {
			t.Errorf("%d keys: no record found", n)
		}
		if got.Operation == nil || got.Operation.Key != "earn:h0" || got.Account == nil || got.Account.MemberID != "H-1" {
			t.Errorf("%d keys: operation %v, account %v", n, got.Operation, got.Account)
		}
	}
}
