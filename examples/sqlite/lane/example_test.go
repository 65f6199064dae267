package lane_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// Example sells at a lane while the central services are out of reach,
// replays the lane's queue into them, and refreshes the lane's copy of
// the member from them. The central services here run on memory stores;
// in a shop they run on PostgreSQL.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lane")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	data, err := os.ReadFile("../../../loyalty/testdata/program.json")
	if err != nil {
		log.Fatal(err)
	}
	program, err := loyalty.ParseProgram(data)
	if err != nil {
		log.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC) }

	// The centre, and a member the lane has a copy of.
	var hq lane.Services
	hq.Customers = customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: now})
	if hq.Points, err = loyalty.NewService(program, loyalty.NewMemoryStore(), hq.Customers, &loyalty.Options{Clock: now}); err != nil {
		log.Fatal(err)
	}
	member, err := hq.Customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Lin Wei"}, MemberNumber: "M-1001"})
	if err != nil {
		log.Fatal(err)
	}

	l, err := lane.Open(ctx, filepath.Join(dir, "lane.db"), lane.Config{Program: program,
		Customer: &customer.Options{Clock: now}, Loyalty: &loyalty.Options{Clock: now}, Clock: now})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	if err := l.Local().Customers.Store().CreateCustomer(ctx, member); err != nil {
		log.Fatal(err)
	}

	// Offline: the sale is queued, recorded and earned on the lane.
	qty, price := decimal.NewFromInt(2), decimal.RequireFromString("44.00")
	sale, err := l.Sell(ctx, customer.Purchase{ID: "L1/0001", CustomerID: member.ID, Store: "SH-02",
		Channel: customer.ChannelInStore, Time: now().Add(-time.Hour), Currency: "CNY",
		Lines: []customer.Line{{SKU: "TEA-500", Category: "tea", Quantity: qty, UnitPrice: price, Total: qty.Mul(price)}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("earned on the lane:", sale.Earned)

	// Back online: the queue replays; a second sync has nothing to send.
	for range 2 {
		rep, err := l.Sync(ctx, hq)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("sent:", rep.Sent)
	}
	b, err := hq.Points.Balance(ctx, member.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("earned centrally:", b.Earned)

	// Centrally, the member is given goodwill points; the lane learns of
	// them when it refreshes.
	if _, err := hq.Points.Adjust(ctx, loyalty.AdjustRequest{ID: "goodwill-1", MemberID: member.ID, Points: 200,
		Reason: "goodwill", Actor: "hq"}); err != nil {
		log.Fatal(err)
	}
	ref, err := l.Refresh(ctx, hq)
	if err != nil {
		log.Fatal(err)
	}
	lb, err := l.Local().Points.Balance(ctx, member.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refreshed:", ref.Members, "member; available on the lane:", lb.Available, "pending:", lb.Pending)
	// Output:
	// earned on the lane: 328
	// sent: 1
	// sent: 0
	// earned centrally: 328
	// refreshed: 1 member; available on the lane: 200 pending: 328
}
