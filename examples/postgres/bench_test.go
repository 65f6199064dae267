package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// basket20 is a 20-line basket, each line two units with a discount.
func basket20() []customer.Line {
	lines := make([]customer.Line, 20)
	for i := range lines {
		price := decimal.New(int64(1000+i*37), -2)
		lines[i] = customer.Line{SKU: fmt.Sprint("SKU-", i), Category: "grocery", Brand: "b", Quantity: decimal.NewFromInt(2),
			UnitPrice: price, Discount: decimal.New(10, -2), Total: price.Mul(decimal.NewFromInt(2)).Sub(decimal.New(10, -2))}
	}
	return lines
}

// BenchmarkRecordPurchase records a 20-line basket through the customer
// service on PostgreSQL: the idempotency lookup, validation and the
// insert, each a round trip to the server.
func BenchmarkRecordPurchase(b *testing.B) {
	ctx := context.Background()
	db := freshDB(b)
	shop := customer.NewService(db.Customers(), &customer.Options{Clock: func() time.Time { return t0.Add(72 * time.Hour) }})
	c, err := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Bench"}, MemberNumber: "B1"})
	if err != nil {
		b.Fatal(err)
	}
	lines := basket20()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, err := shop.RecordPurchase(ctx, customer.Purchase{ID: fmt.Sprint("p", i), CustomerID: c.ID, Store: "s1",
			Channel: customer.ChannelInStore, Time: t0.Add(time.Duration(i) * time.Millisecond), Currency: "CNY", Lines: lines})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEarn earns on recorded 5-line purchases, spread over 1,000
// members, with both services on PostgreSQL: the replay check, the member
// and purchase reads, the quote and the account's compare-and-set save
// with its entries and operation record.
func BenchmarkEarn(b *testing.B) {
	ctx := context.Background()
	db := freshDB(b)
	s := newShop(b, db.Customers(), db.Loyalty())
	const members = 1000
	ids := make([]string, members)
	for i := range ids {
		c, err := s.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: fmt.Sprint("Bench ", i)}, Force: true})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = c.ID
	}
	lines := []customer.Line{
		line("MILK", "dairy", 2, "12.50"), line("RICE", "grocery", 1, "45.00"), line("TEA-500", "tea", 1, "88.00"),
		line("SOAP", "household", 3, "9.90"), line("OIL", "grocery", 1, "59.00"),
	}
	// Purchases are recorded before the clock starts: the benchmark
	// measures Earn alone. The loop records a fresh batch whenever it has
	// used up the previous one.
	var batch []customer.Purchase
	next := 0
	record := func(n int) {
		b.StopTimer()
		batch = batch[:0]
		for i := range n {
			p, err := s.customers.RecordPurchase(ctx, customer.Purchase{ID: fmt.Sprint("b", next+i), CustomerID: ids[(next+i)%members],
				Store: "SH-02", Channel: customer.ChannelInStore, Time: t0.Add(time.Duration(next+i) * time.Millisecond), Currency: "CNY", Lines: lines})
			if err != nil {
				b.Fatal(err)
			}
			batch = append(batch, p)
		}
		next += n
		b.StartTimer()
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if i == len(batch) {
			record(500)
			i = 0
		}
		if _, err := s.loyalty.Earn(ctx, batch[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
