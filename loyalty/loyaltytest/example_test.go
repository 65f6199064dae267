package loyaltytest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
)

func ExampleCheckInvariants() {
	ctx := context.Background()
	store := loyalty.NewMemoryStore()

	// A member's first purchase earns 120 points, saved as the service
	// saves it: the new account at version 1 and the ledger's entries.
	pts, err := ledger.New("M-1001")
	if err != nil {
		fmt.Println(err)
		return
	}
	when := time.Date(2026, time.June, 1, 18, 45, 0, 0, time.FixedZone("UTC+8", 8*60*60))
	pts, entries, err := pts.Earn("lot-1", 120, when, time.Time{}, when.AddDate(1, 0, 0), "pos-7/0042")
	if err != nil {
		fmt.Println(err)
		return
	}
	// The new lot goes beside the account's small header.
	lots, _ := pts.Changes()
	acct := loyalty.Account{MemberID: "M-1001", Version: 1, Points: pts}
	if err := store.Save(ctx, loyalty.Write{Account: acct, Lots: lots, Entries: entries}); err != nil {
		fmt.Println(err)
		return
	}

	seen, err := loyaltytest.CheckInvariants(ctx, store, "M-1001", nil)
	fmt.Println(err, len(seen), seen[0].Kind, seen[0].Points)
	// Output:
	// <nil> 1 earn 120
}
