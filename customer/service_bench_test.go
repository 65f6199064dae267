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

// BenchmarkRegister measures a registration with a phone on the in-memory
// store without a request ID, with one (the extra lookup for a replay and
// the request hash), and a replay of a registration that landed.
func BenchmarkRegister(b *testing.B) {
	ctx := context.Background()
	reg := func(i int, requestID string) customer.Registration {
		return customer.Registration{Profile: customer.Profile{Name: fmt.Sprint("Bench ", i)},
			Phone: fmt.Sprintf("139%08d", i), Force: true, RequestID: requestID}
	}
	b.Run("NoRequestID", func(b *testing.B) {
		shop := customer.NewService(customer.NewMemoryStore(), nil)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := shop.Register(ctx, reg(i, "")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("RequestID", func(b *testing.B) {
		shop := customer.NewService(customer.NewMemoryStore(), nil)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := shop.Register(ctx, reg(i, fmt.Sprint("lane-1/", i))); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Replay", func(b *testing.B) {
		shop := customer.NewService(customer.NewMemoryStore(), nil)
		r := reg(1, "lane-1/1")
		if _, err := shop.Register(ctx, r); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := shop.Register(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
