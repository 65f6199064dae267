package customer_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// BenchmarkRecordPurchase20Lines records a 20-line basket on the in-memory
// store, validation and idempotency check included.
func BenchmarkRecordPurchase20Lines(b *testing.B) {
	ctx := context.Background()
	shop := customer.NewService(customer.NewMemoryStore(), nil)
	c, err := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Bench"}, MemberNumber: "B1"})
	if err != nil {
		b.Fatal(err)
	}
	lines := make([]customer.Line, 20)
	for i := range lines {
		price := decimal.New(int64(1000+i*37), -2)
		lines[i] = customer.Line{SKU: fmt.Sprint("SKU-", i), Category: "grocery", Brand: "b", Quantity: decimal.NewFromInt(2),
			UnitPrice: price, Discount: decimal.New(10, -2), Total: price.Mul(decimal.NewFromInt(2)).Sub(decimal.New(10, -2))}
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, err := shop.RecordPurchase(ctx, customer.Purchase{ID: fmt.Sprint("p", i), CustomerID: c.ID, Store: "s1",
			Channel: customer.ChannelInStore, Time: t0.Add(time.Duration(i) * time.Second), Currency: "CNY", Lines: lines})
		if err != nil {
			b.Fatal(err)
		}
	}
}
