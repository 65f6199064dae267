package loyalty_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// benchLines is a 5-line basket of mixed categories.
func benchLines() []customer.Line {
	return []customer.Line{
		line("MILK", "dairy", 2, "12.50"), line("RICE", "grocery", 1, "45.00"), line("TEA-500", "tea", 1, "88.00"),
		line("SOAP", "household", 3, "9.90"), line("OIL", "grocery", 1, "59.00"),
	}
}

// BenchmarkEarn measures Earn end to end on the in-memory store: the
// recorded purchase and its member read back, quote, ledger, tier
// evaluation, idempotency record, save.
func BenchmarkEarn(b *testing.B) {
	ctx := context.Background()
	s := newShop(b, noPending)
	const members = 1000
	ids := make([]string, members)
	for i := range ids {
		ids[i] = s.member(b, fmt.Sprint("bench ", i), customer.Birthday{}).ID
	}
	lines := benchLines()
	t0 := at(2026, 3, 2, 9, 0)
	var p customer.Purchase
	loyalty.CPULoopPrepared(b, func(i int) {
		// The till records the sale first (not timed); Earn reads it back.
		p = s.record(b, fmt.Sprint("b", i), ids[i%members], t0.Add(time.Duration(i)*time.Second), lines...)
	}, func(int) {
		if _, err := s.loyalty.Earn(ctx, p); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkRedeemOn10000Lots redeems from an account holding 10,000 lots:
// the cost follows the few lots a redemption draws, not the account's
// size or history.
func BenchmarkRedeemOn10000Lots(b *testing.B) {
	ctx := context.Background()
	s := newShop(b, func(p *loyalty.Program) {
		noPending(p)
		p.Redemption.MinPoints, p.Redemption.Step = 0, 0
		p.Tiers = loyalty.TierLadder{}
		p.Rewards, p.BirthdayCoupon = nil, nil
	})
	m := s.member(b, "big", customer.Birthday{})
	t0 := at(2026, 3, 2, 9, 0)
	for i := range 10000 {
		_, err := s.loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: fmt.Sprint("lot", i), MemberID: m.ID, Points: 1000,
			ExpiresAt: t0.AddDate(1, 0, i%365), Reason: "bench", Actor: "bench", At: t0})
		if err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	loyalty.CPULoop(b, func() {
		_, err := s.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: fmt.Sprint("r", i), MemberID: m.ID, Points: 1, At: t0.Add(time.Hour)})
		if err != nil {
			b.Fatal(err)
		}
		i++
	})
}

// BenchmarkReviewTiers1M runs the tier review over 1,000,000 accounts with
// a year of activity each. Skipped with -short.
func BenchmarkReviewTiers1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1,000,000 accounts: skipped with -short")
	}
	ctx := context.Background()
	s := newShop(b, nil)
	store := s.loyalty.Store()
	start := at(2026, 1, 1, 0, 0)
	for i := range 1_000_000 {
		id := fmt.Sprintf("m%07d", i)
		pts, _ := ledger.New(id)
		acct := loyalty.Account{MemberID: id, Version: 1, Points: pts, Tier: loyalty.TierState{Tier: "regular", Since: start, MemberSince: start},
			Activity: []loyalty.QualifyingEvent{
				{Time: start.AddDate(0, 2, i%28), Spend: decimal.NewFromInt(int64(500 + i%3000)), Purchases: 1, Points: 500},
				{Time: start.AddDate(0, 7, i%28), Spend: decimal.NewFromInt(int64(800 + i%5000)), Purchases: 1, Points: 800},
			}}
		if err := store.Save(ctx, loyalty.Write{Account: acct}); err != nil {
			b.Fatal(err)
		}
	}
	review := at(2027, 1, 1, 0, 0)
	b.ReportAllocs()
	b.ResetTimer()
	// Every round reviews the same accounts; reviews are idempotent, so
	// rounds after the first evaluate everything and write nothing.
	for b.Loop() {
		rep, err := s.loyalty.ReviewTiers(ctx, review, "")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Accounts), "accounts")
	}
}

// BenchmarkEarnAfterTwoYears earns for members who bought every day for
// two years: 730 days of activity, 730 lots and entries each. An earn's
// tier check reads only what is new since its watermark and a day's
// purchases are one qualifying event, so it costs about what an earn for
// a new member costs (compare BenchmarkEarn) rather than growing with the
// history.
func BenchmarkEarnAfterTwoYears(b *testing.B) {
	ctx := context.Background()
	s := newShop(b, noPending)
	const members, days = 100, 730
	ids := make([]string, members)
	for i := range ids {
		ids[i] = s.member(b, fmt.Sprint("loyal ", i), customer.Birthday{}).ID
	}
	lines := benchLines()
	t0 := at(2024, 3, 2, 9, 0)
	for d := range days {
		s.clock.set(t0.AddDate(0, 0, d))
		for i, id := range ids {
			p := customer.Purchase{ID: fmt.Sprint("h", d, "-", i), CustomerID: id, Store: "SH-02", Channel: customer.ChannelInStore,
				Time: t0.AddDate(0, 0, d).Add(time.Duration(i) * time.Second), Currency: "CNY", Lines: lines}
			if _, err := s.loyalty.Earn(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	}
	now := t0.AddDate(0, 0, days)
	s.clock.set(now)
	i := 0
	loyalty.CPULoop(b, func() {
		p := customer.Purchase{ID: fmt.Sprint("b", i), CustomerID: ids[i%members], Store: "SH-02", Channel: customer.ChannelInStore,
			Time: now.Add(time.Duration(i) * time.Second), Currency: "CNY", Lines: lines}
		if _, err := s.loyalty.Earn(ctx, p); err != nil {
			b.Fatal(err)
		}
		i++
	})
}
