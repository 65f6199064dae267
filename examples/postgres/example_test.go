package postgres_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/postgres"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// Example wires the customer and loyalty services over PostgreSQL and
// takes a member through registration, a purchase, its points and a
// return. It needs a server, so it has no Output to check:
// TestServicesEndToEnd runs the same flow against one and compares every
// answer with the in-memory stores'.
func Example() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, os.Getenv("CLIENTELE_PG_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

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
}
