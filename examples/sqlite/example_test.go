package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// Example wires the customer and loyalty services over a SQLite file,
// takes a member through registration, a purchase, its points and a
// return, and reopens the file to show the balance survived.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lane")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "lane.db")

	db, err := sqlite.Open(ctx, path, sqlite.Options{}) // migrates
	if err != nil {
		log.Fatal(err)
	}
	customers, points := services(db)

	member, err := customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Lin Wei"}, MemberNumber: "M-1001"})
	if err != nil {
		log.Fatal(err)
	}
	// The purchase ID comes from the till, so a retried request records
	// and earns once.
	p, err := customers.RecordPurchase(ctx, customer.Purchase{ID: "pos-07/0001", CustomerID: member.ID, Store: "SH-02",
		Channel: customer.ChannelInStore, Time: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Currency: "CNY",
		Lines: []customer.Line{line("TEA-500", "tea", 1, "88.00"), line("RICE", "grocery", 1, "45.00")}})
	if err != nil {
		log.Fatal(err)
	}
	earned, err := points.Earn(ctx, p)
	if err != nil {
		log.Fatal(err)
	}
	r, err := customers.RecordReturn(ctx, customer.Return{ID: "pos-07/R001", PurchaseID: p.ID, Store: "SH-02",
		Time: p.Time.Add(time.Hour), Currency: "CNY", Refund: decimal.RequireFromString("88.00"),
		Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}})
	if err != nil {
		log.Fatal(err)
	}
	returned, err := points.Return(ctx, r)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("earned", earned.Quote.Total, "clawed back", returned.Taken)
	if err := db.Close(); err != nil {
		log.Fatal(err)
	}

	// The lane restarts: everything is still there.
	db, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	account, err := db.Loyalty().GetAccount(ctx, member.ID)
	if err != nil {
		log.Fatal(err)
	}
	t := account.Points.Totals()
	fmt.Println("after restart: version", account.Version, "earned", t.Earned, "clawed back", t.ClawedBack)
	// Output:
	// earned 353 clawed back 240
	// after restart: version 2 earned 353 clawed back 240
}

// services returns the customer and loyalty services over db, with the
// repository's sample programme.
func services(db *sqlite.DB) (*customer.Service, *loyalty.Service) {
	customers := customer.NewService(db.Customers(), nil)
	data, err := os.ReadFile("../../loyalty/testdata/program.json")
	if err != nil {
		log.Fatal(err)
	}
	program, err := loyalty.ParseProgram(data)
	if err != nil {
		log.Fatal(err)
	}
	points, err := loyalty.NewService(program, db.Loyalty(), customers, nil)
	if err != nil {
		log.Fatal(err)
	}
	return customers, points
}

func line(sku, category string, qty int64, price string) customer.Line {
	q, p := decimal.NewFromInt(qty), decimal.RequireFromString(price)
	return customer.Line{SKU: sku, Category: category, Quantity: q, UnitPrice: p, Total: q.Mul(p)}
}
