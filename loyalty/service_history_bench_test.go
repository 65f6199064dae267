package loyalty_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
)

// BenchmarkHistory measures each operation on one member after 100, 1,000,
// 10,000 and 50,000 prior purchases (each an open lot: a programme whose
// points last years keeps them all), and after 5,000 purchases each partly
// returned; and after a purchase a day for two years (daily=730), whose
// activity fills the tier lookback: a day summary per day until the months
// fold (activity_month.go). DESIGN §2:
// an operation costs what it touches, so every figure should stay within
// 1.3x of its 100-purchase figure. The two largest histories are skipped
// with -short.
//
//	go test -run '^$' -bench BenchmarkHistory -benchmem -count 5 ./loyalty/
func BenchmarkHistory(b *testing.B) {
	for _, h := range []struct {
		name     string
		prior    int
		returned bool
		spacing  time.Duration
	}{
		{"prior=100", 100, false, time.Minute},
		{"prior=1000", 1000, false, time.Minute},
		{"prior=10000", 10000, false, time.Minute},
		{"prior=50000", 50000, false, time.Minute},
		{"returned=5000", 5000, true, time.Minute},
		{"daily=730", 730, false, 24 * time.Hour},
	} {
		if testing.Short() && h.prior > 1000 {
			continue
		}
		for _, op := range historyOps {
			b.Run(op.name+"/"+h.name, func(b *testing.B) {
				hs := newHistoryShop(b, h.prior, h.returned, h.spacing)
				prepare := func(i int) {
					if op.prepare != nil {
						op.prepare(b, hs, i)
					}
				}
				loyalty.CPULoopPrepared(b, prepare, func(i int) { op.run(b, hs, i) })
			})
		}
	}
}

// historyShop is a member with a long history and a clock past it.
type historyShop struct {
	*shop
	member string
	now    time.Time
	ticks  int // facts dated after now so far: every operation's facts come in order

	// What prepare made for the next operation.
	pending customer.Purchase
	ret     customer.Return
	due     time.Time
}

// next returns the time of the member's next fact, a millisecond after the
// last one any benchmark on this shop made: in order, as a till sends them
// (a fact dated before earlier ones is a late fact, which walks again what
// came after it).
func (hs *historyShop) next() time.Time {
	hs.ticks++
	return hs.now.Add(time.Duration(hs.ticks) * time.Millisecond)
}

var historyStart = at(2026, 1, 5, 9, 0)

func newHistoryShop(b *testing.B, prior int, returned bool, spacing time.Duration) *historyShop {
	ctx := context.Background()
	s := newShop(b, func(p *loyalty.Program) {
		noPending(p)
		p.Redemption.MinPoints, p.Redemption.Step, p.Redemption.MaxPoints = 0, 0, 0
		p.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireRolling, Days: 3650}
	})
	m := s.member(b, "history", customer.Birthday{})
	hs := &historyShop{shop: s, member: m.ID}
	for i := range prior {
		when := historyStart.Add(time.Duration(i) * spacing)
		p, _ := s.buy(b, fmt.Sprint("h", i), m.ID, when, line("TEA", "tea", 2, "25.00"))
		if returned {
			ret := customer.Return{ID: fmt.Sprint("hr", i), PurchaseID: p.ID, Store: "SH-02", Time: when.Add(time.Second),
				Currency: "CNY", Refund: dec("25.00"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}}
			if _, err := s.customers.RecordReturn(ctx, ret); err != nil {
				b.Fatal(err)
			}
			if _, err := s.loyalty.Return(ctx, ret); err != nil {
				b.Fatal(err)
			}
		}
	}
	hs.now = historyStart.Add(time.Duration(prior+1) * spacing)
	s.clock.set(hs.now)
	return hs
}

// topUp adds n lots of points each that expire before
// any lot of the history, so the next spends draw exactly them.
func (hs *historyShop) topUp(b *testing.B, i, n int, points int64) {
	for k := range n {
		_, err := hs.loyalty.Adjust(context.Background(), loyalty.AdjustRequest{ID: fmt.Sprintf("top%d-%d", i, k),
			MemberID: hs.member, Points: points, Reason: "bench", Actor: "bench", At: hs.now,
			ExpiresAt: hs.now.AddDate(0, 6, 0).Add(time.Duration(i*n+k) * time.Second)})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// historyOps are the operations measured; prepare runs before each one,
// outside both the time and the CPU time.
var historyOps = []struct {
	name    string
	prepare func(b *testing.B, hs *historyShop, i int)
	run     func(b *testing.B, hs *historyShop, i int)
}{
	{"earn", func(b *testing.B, hs *historyShop, i int) {
		hs.pending = hs.record(b, fmt.Sprint("e", i), hs.member, hs.next(), benchLines()...)
	}, func(b *testing.B, hs *historyShop, i int) {
		if _, err := hs.loyalty.Earn(context.Background(), hs.pending); err != nil {
			b.Fatal(err)
		}
	}},
	{"redeem-1-lot", func(b *testing.B, hs *historyShop, i int) {
		if i%40 == 0 {
			hs.topUp(b, i, 1, 40)
		}
	}, func(b *testing.B, hs *historyShop, i int) {
		redeem(b, hs, fmt.Sprint("r", i), 1)
	}},
	{"redeem-20-lots", func(b *testing.B, hs *historyShop, i int) {
		hs.topUp(b, i, 20, 5)
	}, func(b *testing.B, hs *historyShop, i int) {
		redeem(b, hs, fmt.Sprint("r", i), 100)
	}},
	{"hold-commit", func(b *testing.B, hs *historyShop, i int) {
		if i%40 == 0 {
			hs.topUp(b, i, 1, 40)
		}
	}, func(b *testing.B, hs *historyShop, i int) {
		ctx := context.Background()
		id := fmt.Sprint("h", i)
		if _, err := hs.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: id, MemberID: hs.member, Points: 1, At: hs.now}); err != nil {
			b.Fatal(err)
		}
		if _, err := hs.loyalty.CommitHold(ctx, hs.member, id, ""); err != nil {
			b.Fatal(err)
		}
	}},
	{"return", func(b *testing.B, hs *historyShop, i int) {
		ctx := context.Background()
		when := hs.next()
		p, _ := hs.buy(b, fmt.Sprint("x", i), hs.member, when, line("TEA", "tea", 2, "25.00"))
		hs.ret = customer.Return{ID: fmt.Sprint("xr", i), PurchaseID: p.ID, Store: "SH-02", Time: when,
			Currency: "CNY", Refund: dec("25.00"), Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}}
		if _, err := hs.customers.RecordReturn(ctx, hs.ret); err != nil {
			b.Fatal(err)
		}
	}, func(b *testing.B, hs *historyShop, i int) {
		if _, err := hs.loyalty.Return(context.Background(), hs.ret); err != nil {
			b.Fatal(err)
		}
	}},
	{"expire-1-due-lot", func(b *testing.B, hs *historyShop, i int) {
		hs.due = hs.now.Add(time.Duration(i+1) * time.Minute)
		_, err := hs.loyalty.Adjust(context.Background(), loyalty.AdjustRequest{ID: fmt.Sprint("due", i), MemberID: hs.member, Points: 5,
			Reason: "bench", Actor: "bench", At: hs.now, ExpiresAt: hs.due})
		if err != nil {
			b.Fatal(err)
		}
	}, func(b *testing.B, hs *historyShop, i int) {
		rep, err := hs.loyalty.Expire(context.Background(), hs.due, "")
		if err != nil || rep.Points != 5 {
			b.Fatal(rep, err)
		}
	}},
}

func redeem(b *testing.B, hs *historyShop, id string, points int64) {
	_, err := hs.loyalty.Redeem(context.Background(), loyalty.RedeemRequest{ID: id, MemberID: hs.member, Points: points, At: hs.now})
	if err != nil {
		b.Fatal(err)
	}
}
