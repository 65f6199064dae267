package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
)

// ExampleDB_StoredValue keeps a member's stored balance (储值) in a lane's
// SQLite file: a top-up with its bonus, a bill paid from the balance by a
// hold the till commits, and the balance read again after the file is
// closed and reopened.
func ExampleDB_StoredValue() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lane")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "lane.db")
	prog := &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.PaidFirst,
		TopUps: []storedvalue.TopUpRule{{ID: "1000+100", Pay: decimal.NewFromInt(1000), Bonus: decimal.NewFromInt(100)}}}
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		log.Fatal(err)
	}
	wallet, err := storedvalue.NewService(db.StoredValue(), prog, nil)
	if err != nil {
		log.Fatal(err)
	}
	top, err := wallet.TopUp(ctx, storedvalue.TopUpRequest{ID: "T-1", MemberID: "M-1001", Amount: decimal.NewFromInt(1000), At: at})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("topped up:", top.Credited.Paid, "paid +", top.Credited.Bonus, "bonus")
	hold, err := wallet.Hold(ctx, storedvalue.PayRequest{ID: "B-7", MemberID: "M-1001", Amount: decimal.NewFromInt(220), At: at})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := wallet.CommitHold(ctx, storedvalue.SettleRequest{HoldID: hold.PaymentID, At: at}); err != nil {
		log.Fatal(err)
	}
	if err := db.Close(); err != nil {
		log.Fatal(err)
	}

	db, err = sqlite.Open(ctx, path, sqlite.Options{}) // a restarted lane
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	wallet, err = storedvalue.NewService(db.StoredValue(), prog, nil)
	if err != nil {
		log.Fatal(err)
	}
	bal, err := wallet.WalletBalance(ctx, "M-1001", at)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("after reopening:", bal.Spendable.Paid, "paid +", bal.Spendable.Bonus, "bonus")
	// Output:
	// topped up: 1000 paid + 100 bonus
	// after reopening: 780 paid + 100 bonus
}
