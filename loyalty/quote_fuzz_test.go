package loyalty

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// fuzzBasket turns fuzz bytes into a basket: each 4-byte group is a line
// (category, quantity, price, discount), so the fuzzer explores sizes,
// prices, discounts and categories.
func fuzzBasket(data []byte, orderDisc, tax uint16, minute uint32, channel uint8) customer.Purchase {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	pu := customer.Purchase{ID: "F", Store: "SH-01", Currency: "CNY",
		Channel: []customer.SalesChannel{customer.ChannelInStore, customer.ChannelApp, customer.ChannelOnline}[int(channel)%3],
		Time:    time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Add(time.Duration(minute%(2*366*24*60)) * time.Minute)}
	for i := 0; i+4 <= len(data) && len(pu.Lines) < 60; i += 4 {
		cat := benchCategories[int(data[i])%len(benchCategories)]
		qty := decimal.New(int64(data[i+1]), -int32(data[i+1]%4))
		price := decimal.New(int64(data[i+2])*int64(data[i+3]+1), -2)
		if data[i]&0x80 != 0 {
			price = price.Neg() // a refund line in the basket
		}
		total := qty.Mul(price).Round(2)
		var tags []string
		if data[i+3]%5 == 0 {
			tags = []string{"organic"}
		}
		if cat == "tobacco" {
			tags = append(tags, "tobacco")
		}
		pu.Lines = append(pu.Lines, customer.Line{SKU: fmt.Sprintf("SKU-%03d", data[i+3]%25), Category: cat,
			Brand: fmt.Sprintf("brand-%d", data[i+2]%4), Tags: tags, Quantity: qty, UnitPrice: price, Total: total})
	}
	pu.OrderDiscount = decimal.New(int64(orderDisc), -2)
	pu.Tax = decimal.New(int64(tax), -2)
	return pu
}

func FuzzQuote(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint16(100), uint16(0), uint32(450000), uint8(1), false, uint8(2))
	f.Add([]byte{0x81, 255, 255, 255, 3, 1, 1, 0}, uint16(65535), uint16(65535), uint32(0), uint8(0), true, uint8(0))
	f.Add([]byte("a basket of assorted goods, long enough for many lines"), uint16(999), uint16(130), uint32(451000), uint8(2), true, uint8(1))
	progs := []*Program{benchProgram(f), loadTestProgram(f, "program.json")}
	tiers := []string{"", "regular", "silver", "gold"}
	f.Fuzz(func(t *testing.T, data []byte, disc, tax uint16, minute uint32, channel uint8, first bool, tier uint8) {
		pu := fuzzBasket(data, disc, tax, minute, channel)
		for _, p := range progs {
			in := QuoteInput{Purchase: pu, Member: Member{Tier: tiers[int(tier)%len(tiers)], FirstPurchase: first,
				Birthday: customer.Birthday{Month: time.Month(tier%12 + 1), Day: 29 - int(tier%2)}},
				Usage: CapUsage{Today: int64(disc) * 3, Period: int64(tax) * 5}}
			q, err := p.Quote(in)
			if err != nil {
				t.Fatalf("quote: %v", err)
			}
			checkQuote(t, q)
			checkShares(t, q, pu)
			again, err := p.Quote(in)
			if err != nil || !reflect.DeepEqual(q, again) {
				t.Fatalf("quote not deterministic: %v", err)
			}
			// Returning everything takes back exactly what was earned.
			var all []customer.ReturnLine
			for i, l := range pu.Lines {
				all = append(all, customer.ReturnLine{Line: i + 1, Quantity: l.Quantity})
			}
			var lineSum int64
			for _, l := range q.Lines {
				if l.Quantity.Sign() > 0 {
					lineSum += l.Points
				}
			}
			if got := q.PointsForReturn(all, pu); got != lineSum {
				t.Fatalf("full return takes %d, lines earned %d", got, lineSum)
			}
		}
	})
}

// checkShares asserts the order discount is spread exactly over the earning
// lines and no net amount is negative.
func checkShares(t *testing.T, q Quote, pu customer.Purchase) {
	eligible, shares := decimal.Zero, decimal.Zero
	for i, l := range q.Lines {
		if l.Net().IsNegative() || l.OrderDiscount().IsNegative() || l.Tax().IsNegative() {
			t.Fatalf("line %d: negative amounts", l.Line)
		}
		if l.Earning {
			eligible = eligible.Add(pu.Lines[i].Total)
		} else if !l.OrderDiscount().IsZero() || l.Points != 0 {
			t.Fatalf("line %d: a non-earning line took a discount share or points", l.Line)
		}
		shares = shares.Add(l.OrderDiscount())
	}
	if want := decimal.Min(pu.OrderDiscount, eligible); !shares.Equal(want) {
		t.Fatalf("discount shares add up to %s, want %s", shares, want)
	}
}
