package loyalty_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/stretchr/testify/require"
)

// TestMemoryStoreConformance runs the conformance kit against the
// in-memory store, as every adapter does against its own.
func TestMemoryStoreConformance(t *testing.T) {
	loyaltytest.Run(t, func(*testing.T) loyalty.Store { return loyalty.NewMemoryStore() })
}

// BenchmarkMemorySave runs the service's write path against the memory
// store: read an account among 10,000, earn on it, save the new version
// with its entry and operation record.
func BenchmarkMemorySave(b *testing.B) {
	ctx := context.Background()
	s := loyalty.NewMemoryStore()
	start := time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)
	const members = 10_000
	for i := range members {
		id := fmt.Sprintf("M%05d", i)
		pts, err := ledger.New(id)
		require.NoError(b, err)
		require.NoError(b, s.Save(ctx, loyalty.Write{Account: loyalty.Account{MemberID: id, Version: 1, Points: pts}}))
	}
	result := json.RawMessage(`{"earned":10}`)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id := fmt.Sprintf("M%05d", i%members)
		acct, err := s.GetAccount(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		lot := fmt.Sprintf("lot-%d", i)
		pts, entries, err := acct.Points.Earn(lot, 10, start.Add(time.Duration(i)*time.Second), time.Time{}, time.Time{}, lot)
		if err != nil {
			b.Fatal(err)
		}
		acct.Points, acct.Version = pts, acct.Version+1
		op := &loyalty.Operation{Key: "earn:" + lot, MemberID: id, Hash: "h", Result: result}
		if err := s.Save(ctx, loyalty.Write{Account: acct, Entries: entries, Operation: op}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkMemoryEntries streams one member's history of 1,000 entries.
func BenchmarkMemoryEntries(b *testing.B) {
	ctx := context.Background()
	s := loyalty.NewMemoryStore()
	start := time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)
	pts, err := ledger.New("M00001")
	require.NoError(b, err)
	acct := loyalty.Account{MemberID: "M00001", Points: pts}
	for i := range 1000 {
		lot := fmt.Sprintf("lot-%04d", i)
		pts, entries, err := acct.Points.Earn(lot, 10, start.Add(time.Duration(i)*time.Minute), time.Time{}, time.Time{}, lot)
		require.NoError(b, err)
		acct.Points, acct.Version = pts, acct.Version+1
		require.NoError(b, s.Save(ctx, loyalty.Write{Account: acct, Entries: entries}))
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range s.Entries(ctx, "M00001", 0) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("streamed %d entries, want 1000", n)
		}
	}
}
