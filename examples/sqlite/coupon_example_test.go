package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
)

// ExampleDB_Coupons keeps a flyer code good for two uses in a lane's
// SQLite file: two sales hold and commit it, the lane restarts, a retried
// commit replays what it returned the first time, and a third sale is
// told the code is used up.
func ExampleDB_Coupons() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lane")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "lane.db")
	at := time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC)

	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		log.Fatal(err)
	}
	coupons := coupon.NewService(db.Coupons(), nil)
	err = coupons.Define(ctx, coupon.Definition{ID: "spring", Currency: "CNY", UsesPerCode: 2,
		Offer: pricing.Offer{ID: "spring", Name: "20 off 100", Kind: pricing.KindAmountOff,
			Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(100)}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := coupons.Import(ctx, coupon.ImportRequest{ID: "flyer-1", Definition: "spring",
		Codes: []string{"SPRING20"}, Source: coupon.SourceGeneric, At: at}); err != nil {
		log.Fatal(err)
	}
	for _, sale := range []string{"S-1", "S-2"} {
		if _, err := coupons.Hold(ctx, coupon.HoldRequest{ID: sale + ":spring", Code: "spring-20", At: at}); err != nil {
			log.Fatal(err)
		}
		r, err := coupons.Commit(ctx, sale+":spring", sale, at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(sale, r.State)
	}
	if err := db.Close(); err != nil {
		log.Fatal(err)
	}

	db, err = sqlite.Open(ctx, path, sqlite.Options{}) // a restarted lane
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	coupons = coupon.NewService(db.Coupons(), nil)
	r, err := coupons.Commit(ctx, "S-1:spring", "S-1", at.Add(time.Minute))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("S-1 retried:", r.State, r.ClosedAt.Format(time.TimeOnly))
	presented, err := coupons.Present(ctx, "SPRING20", "", at)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("S-3:", presented.Ref, presented.Refused)
	// Output:
	// S-1 committed
	// S-2 committed
	// S-1 retried: committed 10:00:00
	// S-3: ****NG20 used-up
}
