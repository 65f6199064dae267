package loyalty_test

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// A copy of an account taken at version 1 is brought up to date by what
// the saves since wrote: here the lot of a second purchase and its record,
// and the entries after the copy's last.
func ExampleChangeFeed() {
	ctx := context.Background()
	store := loyalty.NewMemoryStore()
	at := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	pts, _ := ledger.New("M-1001")
	save := func(version int64, purchase string) {
		var entries []ledger.Entry
		pts, entries, _ = pts.Earn(purchase, 50, at, time.Time{}, time.Time{}, purchase)
		lots, _ := pts.Changes()
		err := store.Save(ctx, loyalty.Write{Account: loyalty.Account{MemberID: "M-1001", Version: version, Points: pts},
			Lots: lots, Entries: entries, Records: []loyalty.Record{{Kind: loyalty.RecordPurchase, Key: purchase, Data: []byte(`{}`)}}})
		if err != nil {
			fmt.Println(err)
		}
		pts = pts.Clean()
	}
	save(1, "SH-02-000981") // the copy is taken here, at version 1
	save(2, "SH-07-000112") // a purchase at another store

	changed, err := store.(loyalty.ChangeFeed).Changes(ctx, "M-1001", 1)
	fmt.Println(err, changed.Version, changed.Lots, changed.Records, changed.EntriesAfter)
	// Output:
	// <nil> 2 [SH-07-000112] [{purchase SH-07-000112}] 1
}
